using System;

namespace CnnGen;

/// <summary>The base of the 1-D pooling layers: a window over the length, per channel.</summary>
public abstract class Pooling1DAttribute : LayerAttribute
{
    private protected Pooling1DAttribute(int poolSize)
    {
        PoolSize = poolSize;
        Stride = poolSize;
    }

    /// <summary>The window length.</summary>
    public int PoolSize { get; }

    /// <summary>The step between windows. Default: the pool size.</summary>
    public int Stride { get; set; }

    /// <summary>Border handling: valid (default) or same. Padded cells never count.</summary>
    public Padding Padding { get; set; } = Padding.Valid;

    /// <summary>
    /// Explicit padding at both ends, as PyTorch's <c>padding=p</c>. Goes with <see cref="Padding"/>
    /// valid (the default).
    /// </summary>
    public int Pad { get; set; }

    /// <summary>Explicit padding per end: <c>{ before, after }</c>; overrides <see cref="Pad"/>.</summary>
    public int[]? Pads { get; set; }

    /// <summary>
    /// Rounds the output size up, as PyTorch's <c>ceil_mode=True</c>: a last, partial window is
    /// kept when it starts inside the input (or its declared padding). Default false.
    /// </summary>
    public bool CeilMode { get; set; }
}

/// <summary>The base of the 2-D pooling layers: a window over height and width, per channel.</summary>
public abstract class Pooling2DAttribute : LayerAttribute
{
    private protected Pooling2DAttribute(int poolHeight, int poolWidth)
    {
        PoolHeight = poolHeight;
        PoolWidth = poolWidth;
        Stride = poolHeight == poolWidth ? poolHeight : 0;
    }

    /// <summary>The window height.</summary>
    public int PoolHeight { get; }

    /// <summary>The window width.</summary>
    public int PoolWidth { get; }

    /// <summary>The step between windows in both directions. Default: the pool size.</summary>
    public int Stride { get; set; }

    /// <summary>Per-direction steps {height, width}; overrides <see cref="Stride"/>.</summary>
    public int[]? Strides { get; set; }

    /// <summary>Border handling: valid (default) or same. Padded cells never count.</summary>
    public Padding Padding { get; set; } = Padding.Valid;

    /// <summary>
    /// Explicit padding on every side, as PyTorch's <c>padding=p</c>: <c>Pad = 1</c> around a 3x3
    /// kernel keeps the size. Goes with <see cref="Padding"/> valid (the default).
    /// </summary>
    public int Pad { get; set; }

    /// <summary>Explicit padding per side: <c>{ top, bottom, left, right }</c>; overrides <see cref="Pad"/>.</summary>
    public int[]? Pads { get; set; }

    /// <summary>
    /// Rounds the output size up, as PyTorch's <c>ceil_mode=True</c>: a last, partial window is
    /// kept when it starts inside the input (or its declared padding). Default false.
    /// </summary>
    public bool CeilMode { get; set; }
}

/// <summary>The maximum over each window of a sequence.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool1DAttribute : Pooling1DAttribute
{
    /// <summary>Windows of <paramref name="poolSize"/> samples.</summary>
    public MaxPool1DAttribute(int poolSize) : base(poolSize) { }
}

/// <summary>The mean over each window of a sequence.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPool1DAttribute : Pooling1DAttribute
{
    /// <summary>Windows of <paramref name="poolSize"/> samples.</summary>
    public AvgPool1DAttribute(int poolSize) : base(poolSize) { }

    /// <summary>
    /// Divides by the whole window, padded cells included, as PyTorch's default
    /// <c>count_include_pad=True</c>. Default false: by the real cells only, as Keras.
    /// </summary>
    public bool CountPadding { get; set; }
}

/// <summary>The maximum over each window of a feature map.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool2DAttribute : Pooling2DAttribute
{
    /// <summary>Square windows of <paramref name="poolSize"/> x <paramref name="poolSize"/>.</summary>
    public MaxPool2DAttribute(int poolSize) : base(poolSize, poolSize) { }

    /// <summary>Rectangular windows.</summary>
    public MaxPool2DAttribute(int poolHeight, int poolWidth) : base(poolHeight, poolWidth) { }
}

/// <summary>The mean over each window of a feature map.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPool2DAttribute : Pooling2DAttribute
{
    /// <summary>Square windows of <paramref name="poolSize"/> x <paramref name="poolSize"/>.</summary>
    public AvgPool2DAttribute(int poolSize) : base(poolSize, poolSize) { }

    /// <summary>Rectangular windows.</summary>
    public AvgPool2DAttribute(int poolHeight, int poolWidth) : base(poolHeight, poolWidth) { }

    /// <summary>
    /// Divides by the whole window, padded cells included, as PyTorch's default
    /// <c>count_include_pad=True</c>. Default false: by the real cells only, as Keras.
    /// </summary>
    public bool CountPadding { get; set; }
}

/// <summary>The maximum over all spatial positions: the output is the channel vector.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalMaxPoolAttribute : LayerAttribute
{
    /// <summary>Keeps the spatial dimensions, as 1: the output is 1x1xC (1xC for a sequence), so that a convolution can follow. Default false: the channel vector.</summary>
    public bool KeepDims { get; set; }
}

/// <summary>The mean over all spatial positions: the output is the channel vector.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAvgPoolAttribute : LayerAttribute
{
    /// <summary>Keeps the spatial dimensions, as 1: the output is 1x1xC (1xC for a sequence), so that a convolution can follow. Default false: the channel vector.</summary>
    public bool KeepDims { get; set; }
}
