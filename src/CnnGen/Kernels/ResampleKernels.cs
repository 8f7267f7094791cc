using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CnnGen.Kernels;

/// <summary>
/// Zero padding and up-sampling, called by the generated code with the layer's sizes as
/// constants. Tensors are channels-last inside the workspace whatever the data format, so a
/// position's channels are contiguous and a row is <c>width * channels</c> floats: padding
/// copies whole rows, nearest up-sampling copies a position's channels, and the sums run as
/// vectors over channels. 1-D layers are the 2-D case with one row and a height factor of 1.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ResampleKernels
{
    /// <summary>
    /// Zero padding: output row r is zeros, with input row r - top copied at
    /// <paramref name="leftOffset"/> (left * channels) when it exists.
    /// </summary>
    public static void ZeroPad(ref float x, TensorRows xRows, ref float y, TensorRows yRows, int batch, int inputRowLength, int outputRowLength,
        int top, int leftOffset)
    {
        for (var n = 0; n < batch; n++)
        {
            for (var r = 0; r < yRows.Rows; r++)
            {
                var target = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref y, yRows.At(n, r)), outputRowLength);
                var source = r - top;
                if (source < 0 || source >= xRows.Rows)
                {
                    target.Clear();
                    continue;
                }

                target.Slice(0, leftOffset).Clear();
                MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref x, xRows.At(n, source)), inputRowLength).CopyTo(target.Slice(leftOffset));
                target.Slice(leftOffset + inputRowLength).Clear();
            }
        }
    }

    /// <summary>Zero padding's backward: dL/d(input) is the interior of dL/d(output) (written, not added).</summary>
    public static void ZeroPadBackward(ref float dy, TensorRows dyRows, ref float dx, TensorRows dxRows, int batch, int inputRowLength, int top,
        int leftOffset)
    {
        for (var n = 0; n < batch; n++)
        {
            for (var r = 0; r < dxRows.Rows; r++)
            {
                MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref dy, dyRows.At(n, r + top) + leftOffset), inputRowLength)
                    .CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref dx, dxRows.At(n, r)), inputRowLength));
            }
        }
    }

    /// <summary>
    /// Nearest up-sampling by whole factors: output cell (i, j) is input cell (i / sh, j / sw),
    /// as Keras's 'nearest' and PyTorch's mode='nearest'. The first output row of each block is
    /// built position by position; the other sh - 1 rows are copies of it.
    /// </summary>
    public static void UpSampleNearest(ref float x, TensorRows xRows, ref float y, TensorRows yRows, int batch, int inputWidth, int channels,
        int sizeHeight, int sizeWidth)
    {
        var outputRowLength = inputWidth * sizeWidth * channels;
        for (var n = 0; n < batch; n++)
        {
            for (var r = 0; r < xRows.Rows; r++)
            {
                ref var source = ref Unsafe.Add(ref x, xRows.At(n, r));
                var first = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref y, yRows.At(n, r * sizeHeight)), outputRowLength);
                for (var j = 0; j < inputWidth; j++)
                {
                    var cell = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref source, j * channels), channels);
                    for (var b = 0; b < sizeWidth; b++)
                    {
                        cell.CopyTo(first.Slice((j * sizeWidth + b) * channels));
                    }
                }

                for (var a = 1; a < sizeHeight; a++)
                {
                    first.CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref y, yRows.At(n, r * sizeHeight + a)), outputRowLength));
                }
            }
        }
    }

    /// <summary>Nearest up-sampling's backward: dL/d(input cell) is the sum of dL/d(output) over its sh x sw block (written, not added).</summary>
    public static void UpSampleNearestBackward(ref float dy, TensorRows dyRows, ref float dx, TensorRows dxRows, int batch, int inputWidth,
        int channels, int sizeHeight, int sizeWidth)
    {
        for (var n = 0; n < batch; n++)
        {
            for (var r = 0; r < dxRows.Rows; r++)
            {
                var target = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref dx, dxRows.At(n, r)), inputWidth * channels);
                target.Clear();
                for (var a = 0; a < sizeHeight; a++)
                {
                    ref var row = ref Unsafe.Add(ref dy, dyRows.At(n, r * sizeHeight + a));
                    for (var j = 0; j < inputWidth; j++)
                    {
                        var cell = target.Slice(j * channels, channels);
                        for (var b = 0; b < sizeWidth; b++)
                        {
                            AddTo(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref row, (j * sizeWidth + b) * channels), channels), 1f, cell);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Bilinear up-sampling (linear in 1-D) with half-pixel centres, as TF2's 'bilinear' and
    /// PyTorch's align_corners=False: output cell i reads input coordinate
    /// <c>max((i + 0.5) / s - 0.5, 0)</c>, between cells floor of it and the next (the last cell
    /// repeats past the border), weighted by the distance.
    /// </summary>
    public static void UpSampleBilinear(ref float x, TensorRows xRows, ref float y, TensorRows yRows, int batch, int inputWidth, int channels,
        int sizeHeight, int sizeWidth)
    {
        var inputHeight = xRows.Rows;
        var outputWidth = inputWidth * sizeWidth;
        var rowLength = inputWidth * channels;
        var columns = new Taps(inputWidth, sizeWidth);
        var rows = new Taps(inputHeight, sizeHeight);

        // Separable: the two input rows blended once per output row, then each output cell the blend
        // of two cells of that row (2 multiply-adds per output float instead of 4), the columns' taps
        // computed once a call. Rows too long for the stack take the four taps cell by cell.
        if (rowLength > StackFloats || outputWidth > StackColumns)
        {
            UpSampleBilinearByCells(ref x, xRows, ref y, yRows, batch, inputWidth, channels, columns, rows);
            return;
        }

        Span<float> blend = stackalloc float[rowLength];
        Span<int> lefts = stackalloc int[outputWidth];
        Span<int> rights = stackalloc int[outputWidth];
        Span<float> across = stackalloc float[outputWidth];
        for (var j = 0; j < outputWidth; j++)
        {
            (lefts[j], rights[j], across[j]) = columns.At(j);
        }

        for (var n = 0; n < batch; n++)
        {
            for (var i = 0; i < inputHeight * sizeHeight; i++)
            {
                var (top, bottom, down) = rows.At(i);
                var upper = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref x, xRows.At(n, top)), rowLength);
                var lower = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref x, xRows.At(n, bottom)), rowLength);
                scoped ReadOnlySpan<float> row = upper;
                if (down != 0f)
                {
                    Blend(upper, lower, 1f - down, down, blend);
                    row = blend;
                }

                ref var target = ref Unsafe.Add(ref y, yRows.At(n, i));
                for (var j = 0; j < outputWidth; j++)
                {
                    var a = across[j];
                    Blend(row.Slice(lefts[j] * channels, channels), row.Slice(rights[j] * channels, channels), 1f - a, a,
                        MemoryMarshal.CreateSpan(ref Unsafe.Add(ref target, j * channels), channels));
                }
            }
        }
    }

    /// <summary>Floats of an input row, and output columns, that the separable bilinear kernels keep on the stack.</summary>
    private const int StackFloats = 16 * 1024;

    private const int StackColumns = 4 * 1024;

    private static void UpSampleBilinearByCells(ref float x, TensorRows xRows, ref float y, TensorRows yRows, int batch, int inputWidth, int channels,
        Taps columns, Taps rows)
    {
        var inputHeight = xRows.Rows;
        var outputWidth = inputWidth * (columns.Size);
        for (var n = 0; n < batch; n++)
        {
            for (var i = 0; i < inputHeight * rows.Size; i++)
            {
                var (top, bottom, down) = rows.At(i);
                ref var upper = ref Unsafe.Add(ref x, xRows.At(n, top));
                ref var lower = ref Unsafe.Add(ref x, xRows.At(n, bottom));
                ref var target = ref Unsafe.Add(ref y, yRows.At(n, i));
                for (var j = 0; j < outputWidth; j++)
                {
                    var (left, right, across) = columns.At(j);
                    var output = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref target, j * channels), channels);
                    var w00 = (1f - down) * (1f - across);
                    var w01 = (1f - down) * across;
                    var w10 = down * (1f - across);
                    var w11 = down * across;
                    Combine(
                        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref upper, left * channels), channels),
                        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref upper, right * channels), channels),
                        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref lower, left * channels), channels),
                        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref lower, right * channels), channels),
                        w00, w01, w10, w11, output);
                }
            }
        }
    }

    /// <summary>
    /// Bilinear up-sampling's backward: each output cell's gradient goes back to its four input
    /// cells with the same weights (written, not added). Separable as the forward: each output
    /// row's gradient gathered into a row of input cells, which then adds into the two input rows.
    /// </summary>
    public static void UpSampleBilinearBackward(ref float dy, TensorRows dyRows, ref float dx, TensorRows dxRows, int batch, int inputWidth,
        int channels, int sizeHeight, int sizeWidth)
    {
        var inputHeight = dxRows.Rows;
        var outputWidth = inputWidth * sizeWidth;
        var rowLength = inputWidth * channels;
        var columns = new Taps(inputWidth, sizeWidth);
        var rows = new Taps(inputHeight, sizeHeight);
        var separable = rowLength <= StackFloats && outputWidth <= StackColumns;
        Span<float> gathered = separable ? stackalloc float[rowLength] : default;
        for (var n = 0; n < batch; n++)
        {
            for (var r = 0; r < inputHeight; r++)
            {
                MemoryMarshal.CreateSpan(ref Unsafe.Add(ref dx, dxRows.At(n, r)), rowLength).Clear();
            }

            for (var i = 0; i < inputHeight * sizeHeight; i++)
            {
                var (top, bottom, down) = rows.At(i);
                var upper = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref dx, dxRows.At(n, top)), rowLength);
                var lower = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref dx, dxRows.At(n, bottom)), rowLength);
                ref var source = ref Unsafe.Add(ref dy, dyRows.At(n, i));
                if (!separable)
                {
                    for (var j = 0; j < outputWidth; j++)
                    {
                        var (left, right, across) = columns.At(j);
                        var gradient = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref source, j * channels), channels);
                        AddTo(gradient, (1f - down) * (1f - across), upper.Slice(left * channels, channels));
                        AddTo(gradient, (1f - down) * across, upper.Slice(right * channels, channels));
                        AddTo(gradient, down * (1f - across), lower.Slice(left * channels, channels));
                        AddTo(gradient, down * across, lower.Slice(right * channels, channels));
                    }

                    continue;
                }

                gathered.Clear();
                for (var j = 0; j < outputWidth; j++)
                {
                    var (left, right, across) = columns.At(j);
                    var gradient = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref source, j * channels), channels);
                    AddTo(gradient, 1f - across, gathered.Slice(left * channels, channels));
                    AddTo(gradient, across, gathered.Slice(right * channels, channels));
                }

                AddTo(gathered, 1f - down, upper);
                if (down != 0f)
                {
                    AddTo(gathered, down, lower);
                }
            }
        }
    }

    /// <summary>
    /// The two input cells and the weight of the second for an output cell along one dimension
    /// of input cells up-sampled by a whole factor, computed when asked (a table would have to
    /// be allocated or rented per call, and the steady state allocates nothing).
    /// </summary>
    private readonly struct Taps(int input, int size)
    {
        /// <summary>The factor.</summary>
        public int Size => size;

        public (int First, int Second, float Weight) At(int i)
        {
            var source = Math.Max((i + 0.5) / size - 0.5, 0.0);
            var first = Math.Min((int)source, input - 1);
            return (first, Math.Min(first + 1, input - 1), (float)(source - first));
        }
    }

    /// <summary>target = w00 * a + w01 * b + w10 * c + w11 * d, element by element.</summary>
    private static void Combine(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, ReadOnlySpan<float> d,
        float w00, float w01, float w10, float w11, Span<float> target)
    {
        var k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; k + Vector<float>.Count <= target.Length; k += Vector<float>.Count)
            {
                (new Vector<float>(a.Slice(k)) * w00 + new Vector<float>(b.Slice(k)) * w01 + new Vector<float>(c.Slice(k)) * w10 +
                    new Vector<float>(d.Slice(k)) * w11).CopyTo(target.Slice(k));
            }
        }

        for (; k < target.Length; k++)
        {
            target[k] = w00 * a[k] + w01 * b[k] + w10 * c[k] + w11 * d[k];
        }
    }

    /// <summary>target = wa * a + wb * b, element by element.</summary>
    private static void Blend(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float wa, float wb, Span<float> target)
    {
        var k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; k + Vector<float>.Count <= target.Length; k += Vector<float>.Count)
            {
                (new Vector<float>(a.Slice(k)) * wa + new Vector<float>(b.Slice(k)) * wb).CopyTo(target.Slice(k));
            }
        }

        for (; k < target.Length; k++)
        {
            target[k] = wa * a[k] + wb * b[k];
        }
    }

    /// <summary>target += weight * source, element by element.</summary>
    private static void AddTo(ReadOnlySpan<float> source, float weight, Span<float> target)
    {
        var k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; k + Vector<float>.Count <= target.Length; k += Vector<float>.Count)
            {
                (new Vector<float>(target.Slice(k)) + new Vector<float>(source.Slice(k)) * weight).CopyTo(target.Slice(k));
            }
        }

        for (; k < target.Length; k++)
        {
            target[k] += weight * source[k];
        }
    }
}
