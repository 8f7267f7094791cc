using System;

namespace CnnGen;

/// <summary>
/// A 1-D depthwise convolution: each input channel is convolved with its own
/// <see cref="DepthMultiplier"/> kernels of <c>kernelSize</c> samples, without mixing channels.
/// Maps (length, channels) to (length', channels x depth multiplier); output channel
/// <c>c * DepthMultiplier + m</c> comes from input channel <c>c</c>. Kernel layout (Keras):
/// (kernel size, input channels, depth multiplier).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DepthwiseConv1DAttribute : LayerAttribute
{
    /// <summary>A depthwise convolution with kernels of <paramref name="kernelSize"/> samples.</summary>
    public DepthwiseConv1DAttribute(int kernelSize) => KernelSize = kernelSize;

    /// <summary>The kernel length.</summary>
    public int KernelSize { get; }

    /// <summary>Output channels per input channel. Default 1.</summary>
    public int DepthMultiplier { get; set; } = 1;

    /// <summary>The step between windows. Default 1.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>The spacing between kernel taps. Default 1.</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>Border handling: valid (default), same or causal.</summary>
    public Padding Padding { get; set; } = Padding.Valid;

    /// <summary>
    /// Explicit padding at both ends, as PyTorch's <c>padding=p</c>. Goes with <see cref="Padding"/>
    /// valid (the default).
    /// </summary>
    public int Pad { get; set; }

    /// <summary>Explicit padding per end: <c>{ before, after }</c>; overrides <see cref="Pad"/>.</summary>
    public int[]? Pads { get; set; }

    /// <summary>The activation applied to the output. Default linear.</summary>
    public Activation Activation { get; set; } = Activation.Linear;

    /// <summary>Whether a bias is added per output channel. Default true.</summary>
    public bool UseBias { get; set; } = true;
}

/// <summary>
/// A 2-D depthwise convolution (MobileNet's): each input channel is convolved with its own
/// <see cref="DepthMultiplier"/> kernels, without mixing channels. Maps (height, width,
/// channels) to (height', width', channels x depth multiplier); output channel
/// <c>c * DepthMultiplier + m</c> comes from input channel <c>c</c>. Kernel layout (Keras):
/// (kernel height, kernel width, input channels, depth multiplier). PyTorch's
/// <c>Conv2d(C, C * m, k, groups=C)</c> is the same layer.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DepthwiseConv2DAttribute : LayerAttribute
{
    /// <summary>A depthwise convolution with square <paramref name="kernelSize"/> x <paramref name="kernelSize"/> kernels.</summary>
    public DepthwiseConv2DAttribute(int kernelSize)
        : this(kernelSize, kernelSize)
    {
    }

    /// <summary>A depthwise convolution with rectangular kernels.</summary>
    public DepthwiseConv2DAttribute(int kernelHeight, int kernelWidth)
    {
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
    }

    /// <summary>The kernel height.</summary>
    public int KernelHeight { get; }

    /// <summary>The kernel width.</summary>
    public int KernelWidth { get; }

    /// <summary>Output channels per input channel. Default 1.</summary>
    public int DepthMultiplier { get; set; } = 1;

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
}
