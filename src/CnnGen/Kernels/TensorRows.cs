using System.ComponentModel;

namespace CnnGen.Kernels;

/// <summary>
/// Where the rows of a batch of tensors sit in the workspace, for kernels the generated code
/// calls: sample n's row r starts at <c>n * SampleStride + Offset + r * RowStride</c> (a frame of
/// padding around a tensor makes the rows non-contiguous).
/// </summary>
/// <param name="SampleStride">Floats from one sample to the next.</param>
/// <param name="Offset">Where the first row of a sample starts (after the frame above and left).</param>
/// <param name="Rows">Rows per sample (1 for a vector or a 1-D tensor).</param>
/// <param name="RowStride">Floats from one row to the next.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct TensorRows(int SampleStride, int Offset, int Rows, int RowStride)
{
    /// <summary>The offset of row <paramref name="row"/> of sample <paramref name="sample"/>.</summary>
    public nint At(int sample, int row) => (nint)sample * SampleStride + Offset + (nint)row * RowStride;
}
