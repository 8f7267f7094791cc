using CnnGen.Generators.Model;

namespace CnnGen.Generators.Shapes;

/// <summary>The size of one spatial dimension after a window, and its padding.</summary>
/// <param name="Output">The output size; below 1 when the window does not fit.</param>
/// <param name="PadBefore">Zero cells (or ignored cells, for pooling) before the input.</param>
/// <param name="PadAfter">Cells after the input.</param>
/// <remarks>Exact in long: a dilated kernel can reach past int.MaxValue; shape inference refuses such sizes before they reach an int.</remarks>
internal readonly record struct SpatialResult(long Output, long PadBefore, long PadAfter)
{
    /// <summary>The input with its padding: the cells the window slides over.</summary>
    public long Padded(int input) => input + PadBefore + PadAfter;

    /// <summary>Cells of <see cref="PadAfter"/> that only ceil mode adds (the last window reaching past the declared padding).</summary>
    public long CeilExtra { get; init; }
}

/// <summary>
/// The formulas of docs/shapes.md (Keras / TensorFlow semantics), for one spatial
/// dimension. The only place that knows them. Arithmetic is in long so that any int input
/// gives a result, never an overflow.
/// </summary>
internal static class SpatialMath
{
    /// <summary>The extent of a dilated kernel: (k - 1) * d + 1.</summary>
    public static long EffectiveKernel(int kernel, int dilation) => (long)(kernel - 1) * dilation + 1;

    /// <summary>
    /// A transposed convolution along one dimension: the adjoint of the convolution with the
    /// same kernel, stride and padding. Valid: (n - 1) * s + k' cells; explicit pads crop
    /// <paramref name="cropBefore"/> and <paramref name="cropAfter"/> of them; 'same' crops like
    /// TensorFlow (p = max(k' - s, 0), p / 2 before, the rest after) and ends with n * s cells, so
    /// a kernel smaller than the stride adds s - k' cells after. <paramref name="outputPadding"/>
    /// cells are added after (PyTorch's output_padding); the result's OutputPadding counts both.
    /// </summary>
    public static TransposedResult Transposed(int input, int kernel, int stride, int dilation, PaddingMode padding, int cropBefore, int cropAfter,
        int outputPadding)
    {
        var effective = EffectiveKernel(kernel, dilation);
        var whole = ((long)input - 1) * stride + effective;
        if (padding == PaddingMode.Same)
        {
            var total = System.Math.Max(effective - stride, 0);
            var before = total / 2;
            var extra = System.Math.Max(stride - effective, 0) + outputPadding;
            return new TransposedResult(whole - total + extra, before, total - before, extra);
        }

        return new TransposedResult(whole - cropBefore - cropAfter + outputPadding, cropBefore, cropAfter, outputPadding);
    }

    /// <summary>Output size and padding of a window of <paramref name="kernel"/> taps over <paramref name="input"/> cells.</summary>
    public static SpatialResult Apply(int input, int kernel, int stride, int dilation, PaddingMode padding)
    {
        var effective = EffectiveKernel(kernel, dilation);
        switch (padding)
        {
            case PaddingMode.Same:
            {
                // out = ceil(n / s); the total padding is split with the odd cell after.
                var output = ((long)input + stride - 1) / stride;
                var total = System.Math.Max((output - 1) * stride + effective - input, 0);
                var before = total / 2;
                return new SpatialResult(output, before, total - before);
            }

            case PaddingMode.Causal:
            {
                // Pad (k - 1) * d before and nothing after, then valid.
                var before = effective - 1;
                var output = (input + before - effective) / stride + 1;
                return new SpatialResult(output, before, 0);
            }

            default:
            {
                // Valid: floor((n - k') / s) + 1, below 1 when the window is larger than the input.
                var span = input - effective;
                var output = FloorDivide(span, stride) + 1;
                return new SpatialResult(output, 0, 0);
            }
        }
    }

    /// <summary>
    /// Explicit pads (PyTorch's padding): out = floor((n + before + after - k') / s) + 1, or with
    /// <paramref name="ceil"/> rounded up, as PyTorch's ceil_mode, but never a window that starts
    /// in the padding after the input. The cells the last window then reaches past the declared
    /// padding are added after it (<see cref="SpatialResult.CeilExtra"/>).
    /// </summary>
    public static SpatialResult Explicit(int input, int kernel, int stride, int dilation, int before, int after, bool ceil)
    {
        var effective = EffectiveKernel(kernel, dilation);
        var padded = (long)input + before + after;
        var span = padded - effective;
        var output = (ceil && span >= 0 ? -FloorDivide(-span, stride) : FloorDivide(span, stride)) + 1;
        if (ceil && span >= 0 && (output - 1) * stride >= (long)input + before)
        {
            output--;
        }

        var extra = span >= 0 ? System.Math.Max((output - 1) * stride + effective - padded, 0) : 0;
        return new SpatialResult(output, before, after + extra) { CeilExtra = extra };
    }

    private static long FloorDivide(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

}

/// <summary>The size of one dimension after a transposed convolution.</summary>
/// <param name="Output">The output size; below 1 when the crops take every cell.</param>
/// <param name="CropBefore">Cells of the whole adjoint output cropped before (top or left).</param>
/// <param name="CropAfter">Cells cropped after.</param>
/// <param name="OutputPadding">Cells added after: the declared output padding and what 'same' adds when the kernel is smaller than the stride.</param>
internal readonly record struct TransposedResult(long Output, long CropBefore, long CropAfter, long OutputPadding);
