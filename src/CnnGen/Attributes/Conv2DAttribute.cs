using System;

namespace CnnGen;

/// <summary>
/// A 2-D convolution: <c>filters</c> kernels of shape (kernel height x kernel width x input
/// channels), one per output feature map. Maps (height, width, channels) to (height', width', filters).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DAttribute : LayerAttribute
{
    /// <summary>A convolution with square <paramref name="kernelSize"/> x <paramref name="kernelSize"/> kernels.</summary>
    public Conv2DAttribute(int filters, int kernelSize)
        : this(filters, kernelSize, kernelSize)
    {
    }

    /// <summary>A convolution with rectangular kernels.</summary>
    public Conv2DAttribute(int filters, int kernelHeight, int kernelWidth)
    {
        Filters = filters;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
    }

    /// <summary>The number of kernels, which is the number of output channels.</summary>
    public int Filters { get; }

    /// <summary>The kernel height.</summary>
    public int KernelHeight { get; }

    /// <summary>The kernel width.</summary>
    public int KernelWidth { get; }

    /// <summary>The step between windows in both directions. Default 1.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Per-direction steps {height, width}; overrides <see cref="Stride"/>.</summary>
    public int[]? Strides { get; set; }

    /// <summary>The spacing between kernel taps in both directions. Default 1.</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>Per-direction dilations {height, width}; overrides <see cref="Dilation"/>.</summary>
    public int[]? Dilations { get; set; }

    /// <summary>Border handling: valid (default) or same.</summary>
    public Padding Padding { get; set; } = Padding.Valid;

    /// <summary>
    /// Explicit padding on every side, as PyTorch's <c>padding=p</c>: <c>Pad = 1</c> around a 3x3
    /// kernel keeps the size. Goes with <see cref="Padding"/> valid (the default).
    /// </summary>
    public int Pad { get; set; }

    /// <summary>Explicit padding per side: <c>{ top, bottom, left, right }</c>; overrides <see cref="Pad"/>.</summary>
    public int[]? Pads { get; set; }

    /// <summary>The activation applied to the output. Default linear.</summary>
    public Activation Activation { get; set; } = Activation.Linear;

    /// <summary>Whether a bias is added per output channel. Default true.</summary>
    public bool UseBias { get; set; } = true;

    /// <summary>
    /// Groups of input channels and filters (PyTorch's <c>groups</c>, Keras's <c>groups</c>): group g
    /// reads input channels g*c/groups.. and writes filters g*f/groups..; both counts must be
    /// multiples of it. The kernel is then (kernel..., input channels / groups, filters). Default 1.
    /// </summary>
    public int Groups { get; set; } = 1;
}
