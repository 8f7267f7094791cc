using System;

namespace CnnGen;

/// <summary>
/// A 1-D convolution: <c>filters</c> kernels of shape (kernelSize x input channels), one per
/// output feature map. Maps (length, channels) to (length', filters).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv1DAttribute : LayerAttribute
{
    /// <summary>A convolution with <paramref name="filters"/> kernels of <paramref name="kernelSize"/> samples.</summary>
    public Conv1DAttribute(int filters, int kernelSize)
    {
        Filters = filters;
        KernelSize = kernelSize;
    }

    /// <summary>The number of kernels, which is the number of output channels.</summary>
    public int Filters { get; }

    /// <summary>The kernel length.</summary>
    public int KernelSize { get; }

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

    /// <summary>
    /// Groups of input channels and filters (PyTorch's <c>groups</c>, Keras's <c>groups</c>): group g
    /// reads input channels g*c/groups.. and writes filters g*f/groups..; both counts must be
    /// multiples of it. The kernel is then (kernel..., input channels / groups, filters). Default 1.
    /// </summary>
    public int Groups { get; set; } = 1;
}
