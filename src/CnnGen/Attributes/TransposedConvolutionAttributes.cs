using System;

namespace CnnGen;

/// <summary>
/// A 1-D transposed convolution (Keras's Conv1DTranspose, PyTorch's ConvTranspose1d): the adjoint
/// of a <see cref="Conv1DAttribute"/> with the same kernel, stride and padding, so a stride of 2
/// doubles the length. Maps (length, channels) to (length', filters), length' =
/// (length - 1) x stride + (kernel - 1) x dilation + 1 - the pads + <see cref="OutputPadding"/>.
/// Kernel layout (Keras): (kernel size, filters, input channels).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv1DTransposeAttribute : LayerAttribute
{
    /// <summary>A transposed convolution with <paramref name="filters"/> output channels and kernels of <paramref name="kernelSize"/> samples.</summary>
    public Conv1DTransposeAttribute(int filters, int kernelSize)
    {
        Filters = filters;
        KernelSize = kernelSize;
    }

    /// <summary>The number of output channels.</summary>
    public int Filters { get; }

    /// <summary>The kernel length.</summary>
    public int KernelSize { get; }

    /// <summary>The stretch factor: output positions between the windows of neighbouring inputs. Default 1.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>The spacing between kernel taps. Default 1.</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>Valid (default: the whole (length - 1) x stride + kernel) or same (length x stride).</summary>
    public Padding Padding { get; set; } = Padding.Valid;

    /// <summary>Positions cropped at both ends, as PyTorch's <c>padding=p</c>. Goes with <see cref="Padding"/> valid.</summary>
    public int Pad { get; set; }

    /// <summary>Positions cropped per end: <c>{ before, after }</c>; overrides <see cref="Pad"/>.</summary>
    public int[]? Pads { get; set; }

    /// <summary>Positions added at the end (PyTorch's <c>output_padding</c>); less than the stride. Default 0.</summary>
    public int OutputPadding { get; set; }

    /// <summary>The activation applied to the output. Default linear.</summary>
    public Activation Activation { get; set; } = Activation.Linear;

    /// <summary>Whether a bias is added per output channel. Default true.</summary>
    public bool UseBias { get; set; } = true;
}

/// <summary>
/// A 2-D transposed convolution (Keras's Conv2DTranspose, PyTorch's ConvTranspose2d): the
/// adjoint of a <see cref="Conv2DAttribute"/> with the same kernel, strides and padding, so
/// strides of 2 double the height and width (the up-sampling path of a U-Net). Maps (height,
/// width, channels) to (height', width', filters), height' = (height - 1) x stride + (kernel -
/// 1) x dilation + 1 - the pads + <see cref="OutputPadding"/>. Kernel layout (Keras): (kernel
/// height, kernel width, filters, input channels); PyTorch's weight is (input channels, filters,
/// kernel height, kernel width).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DTransposeAttribute : LayerAttribute
{
    /// <summary>A transposed convolution with square <paramref name="kernelSize"/> x <paramref name="kernelSize"/> kernels.</summary>
    public Conv2DTransposeAttribute(int filters, int kernelSize)
        : this(filters, kernelSize, kernelSize)
    {
    }

    /// <summary>A transposed convolution with rectangular kernels.</summary>
    public Conv2DTransposeAttribute(int filters, int kernelHeight, int kernelWidth)
    {
        Filters = filters;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
    }

    /// <summary>The number of output channels.</summary>
    public int Filters { get; }

    /// <summary>The kernel height.</summary>
    public int KernelHeight { get; }

    /// <summary>The kernel width.</summary>
    public int KernelWidth { get; }

    /// <summary>The stretch factor in both directions. Default 1.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Per-direction stretch factors {height, width}; overrides <see cref="Stride"/>.</summary>
    public int[]? Strides { get; set; }

    /// <summary>The spacing between kernel taps in both directions. Default 1.</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>Per-direction dilations {height, width}; overrides <see cref="Dilation"/>.</summary>
    public int[]? Dilations { get; set; }

    /// <summary>Valid (default: the whole (height - 1) x stride + kernel) or same (height x stride).</summary>
    public Padding Padding { get; set; } = Padding.Valid;

    /// <summary>Cells cropped on every side, as PyTorch's <c>padding=p</c>. Goes with <see cref="Padding"/> valid.</summary>
    public int Pad { get; set; }

    /// <summary>Cells cropped per side: <c>{ top, bottom, left, right }</c>; overrides <see cref="Pad"/>.</summary>
    public int[]? Pads { get; set; }

    /// <summary>Rows and columns added at the bottom and right (PyTorch's <c>output_padding</c>); less than the stride. Default 0.</summary>
    public int OutputPadding { get; set; }

    /// <summary>Per-direction output padding {height, width}; overrides <see cref="OutputPadding"/>.</summary>
    public int[]? OutputPaddings { get; set; }

    /// <summary>The activation applied to the output. Default linear.</summary>
    public Activation Activation { get; set; } = Activation.Linear;

    /// <summary>Whether a bias is added per output channel. Default true.</summary>
    public bool UseBias { get; set; } = true;
}
