using System;

namespace CnnGen;

/// <summary>
/// Zeros added before and after a sequence (Keras <c>ZeroPadding1D</c>, PyTorch
/// <c>F.pad</c>): maps (length, channels) to (before + length + after, channels).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ZeroPadding1DAttribute : LayerAttribute
{
    /// <summary><paramref name="pad"/> zeros at both ends (0 or more).</summary>
    public ZeroPadding1DAttribute(int pad)
        : this(pad, pad)
    {
    }

    /// <summary><paramref name="before"/> zeros before the sequence and <paramref name="after"/> after it (0 or more each).</summary>
    public ZeroPadding1DAttribute(int before, int after)
    {
        Before = before;
        After = after;
    }

    /// <summary>Zeros before the sequence.</summary>
    public int Before { get; }

    /// <summary>Zeros after the sequence.</summary>
    public int After { get; }
}

/// <summary>
/// Zeros added around an image (Keras <c>ZeroPadding2D</c>, PyTorch <c>nn.ZeroPad2d</c>):
/// maps (height, width, channels) to (top + height + bottom, left + width + right, channels).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ZeroPadding2DAttribute : LayerAttribute
{
    /// <summary><paramref name="pad"/> rows or columns of zeros on every side (0 or more).</summary>
    public ZeroPadding2DAttribute(int pad)
        : this(pad, pad, pad, pad)
    {
    }

    /// <summary>Rows of zeros above and below, columns left and right (0 or more each).</summary>
    public ZeroPadding2DAttribute(int top, int bottom, int left, int right)
    {
        Top = top;
        Bottom = bottom;
        Left = left;
        Right = right;
    }

    /// <summary>Rows of zeros above the image.</summary>
    public int Top { get; }

    /// <summary>Rows of zeros below the image.</summary>
    public int Bottom { get; }

    /// <summary>Columns of zeros left of the image.</summary>
    public int Left { get; }

    /// <summary>Columns of zeros right of the image.</summary>
    public int Right { get; }
}

/// <summary>
/// A sequence stretched by a whole factor (Keras <c>UpSampling1D</c>, PyTorch
/// <c>nn.Upsample</c> with mode 'nearest' or 'linear'): maps (length, channels) to
/// (length * size, channels).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class UpSampling1DAttribute : LayerAttribute
{
    /// <summary>Each position becomes <paramref name="size"/> positions (at least 1).</summary>
    public UpSampling1DAttribute(int size) => Size = size;

    /// <summary>The factor of the length.</summary>
    public int Size { get; }

    /// <summary>
    /// <see cref="Interpolation.Nearest"/> (default): each value repeated; <see cref="Interpolation.Bilinear"/>:
    /// linear interpolation with half-pixel centres (PyTorch's mode='linear', align_corners=False).
    /// </summary>
    public Interpolation Interpolation { get; set; }
}

/// <summary>
/// An image enlarged by whole factors (Keras <c>UpSampling2D</c>, PyTorch <c>nn.Upsample</c>
/// with mode 'nearest' or 'bilinear'): maps (height, width, channels) to
/// (height * sh, width * sw, channels).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class UpSampling2DAttribute : LayerAttribute
{
    /// <summary>Each cell becomes a <paramref name="size"/> x <paramref name="size"/> block (at least 1).</summary>
    public UpSampling2DAttribute(int size)
        : this(size, size)
    {
    }

    /// <summary>Each cell becomes a <paramref name="height"/> x <paramref name="width"/> block (each at least 1).</summary>
    public UpSampling2DAttribute(int height, int width)
    {
        SizeHeight = height;
        SizeWidth = width;
    }

    /// <summary>The factor of the height.</summary>
    public int SizeHeight { get; }

    /// <summary>The factor of the width.</summary>
    public int SizeWidth { get; }

    /// <summary>
    /// <see cref="Interpolation.Nearest"/> (default): each value repeated over its block;
    /// <see cref="Interpolation.Bilinear"/>: bilinear interpolation with half-pixel centres (TF2's
    /// 'bilinear', PyTorch's align_corners=False).
    /// </summary>
    public Interpolation Interpolation { get; set; }
}
