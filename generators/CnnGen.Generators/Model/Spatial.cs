namespace CnnGen.Generators.Model;

/// <summary>
/// A window (convolution kernel or pooling window) along one spatial dimension, after shape
/// inference: every number resolved. A dimension a layer does not have (the height of a 1-D
/// layer) is <see cref="None"/>.
/// </summary>
/// <param name="Kernel">Taps of the window.</param>
/// <param name="Stride">Cells between the starts of neighbouring windows.</param>
/// <param name="Dilation">Cells between neighbouring taps.</param>
/// <param name="PadBefore">Padding cells before the first input cell (top or left).</param>
/// <param name="PadAfter">Padding cells after the last input cell (bottom or right).</param>
internal sealed record Spatial(int Kernel, int Stride, int Dilation, int PadBefore, int PadAfter)
{
    /// <summary>One tap, stride 1, no padding: the height of a 1-D layer.</summary>
    public static readonly Spatial None = new(1, 1, 1, 0, 0);

    /// <summary>
    /// The stride the kernels use: the declared one, or 1 when there is one output (a stride
    /// then moves nothing, and a huge one must not reach the emitted offsets).
    /// </summary>
    public int Step { get; init; } = Stride;

    /// <summary>The dilation the kernels use: the declared one, or 1 for a one-tap window.</summary>
    public int Spread { get; init; } = Dilation;

    /// <summary>Cells one window covers: (kernel - 1) * dilation + 1.</summary>
    public int Extent => (Kernel - 1) * Dilation + 1;

    public bool IsPadded => PadBefore + PadAfter > 0;

    /// <summary>Cells of <see cref="PadAfter"/> that ceil mode adds past the declared padding (pooling only).</summary>
    public int CeilExtra { get; init; }

    /// <summary>The padding after the input as declared (or as 'same' computed it), without <see cref="CeilExtra"/>.</summary>
    public int DeclaredPadAfter => PadAfter - CeilExtra;
}

/// <summary>The window of a convolution or pooling layer in both spatial dimensions.</summary>
/// <param name="Height">Rows (<see cref="Spatial.None"/> for 1-D layers).</param>
/// <param name="Width">Columns, or the length of a sequence.</param>
/// <param name="Padding">How the padding was declared.</param>
internal sealed record Window(Spatial Height, Spatial Width, PaddingMode Padding)
{
    public bool IsPadded => Height.IsPadded || Width.IsPadded;

    /// <summary>Taps of one window: kernel height times kernel width (a long: a declaration may ask for int.MaxValue squared).</summary>
    public long Taps => (long)Height.Kernel * Width.Kernel;

    /// <summary>The pads were declared (Pad or Pads) rather than computed from the padding mode.</summary>
    public bool IsExplicit { get; init; }

    /// <summary>Pooling rounds its output up (CeilMode).</summary>
    public bool CeilMode { get; init; }
}
