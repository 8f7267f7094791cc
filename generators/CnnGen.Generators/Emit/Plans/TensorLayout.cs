namespace CnnGen.Generators.Emit.Plans;

/// <summary>
/// How one tensor of one sample is stored in the workspace: channels last (always, inside
/// the generated code), surrounded by a frame of padding cells that the layer reading it
/// needs. The frame is filled once (zeros, or -infinity before max pooling) and never
/// written again, so windows that reach into the padding need no border code.
/// </summary>
internal sealed record TensorLayout(
    int Index,
    int Height,
    int Width,
    int Channels,
    int FrameTop,
    int FrameBottom,
    int FrameLeft,
    int FrameRight,
    bool FrameIsNegativeInfinity,
    int Offset)
{
    /// <summary>Rows including the frame.</summary>
    public int StoredHeight => Height + FrameTop + FrameBottom;

    /// <summary>Columns including the frame.</summary>
    public int StoredWidth => Width + FrameLeft + FrameRight;

    /// <summary>Floats per sample including the frame.</summary>
    public int StoredSize => StoredHeight * StoredWidth * Channels;

    /// <summary>Floats per sample without the frame.</summary>
    public int Size => Height * Width * Channels;

    public bool HasFrame => FrameTop + FrameBottom + FrameLeft + FrameRight > 0;

    /// <summary>Floats from one stored row to the next.</summary>
    public int RowStride => StoredWidth * Channels;

    /// <summary>Where the first interior cell sits, from the start of the sample.</summary>
    public int InteriorOffset => FrameTop * RowStride + FrameLeft * Channels;

    /// <summary>Offset of interior cell (row, column), from the start of the sample.</summary>
    public int At(int row, int column) => (row + FrameTop) * RowStride + (column + FrameLeft) * Channels;

    /// <summary>True when the interior is one contiguous run of floats (no frame, or only top/bottom rows).</summary>
    public bool InteriorIsContiguous => FrameLeft == 0 && FrameRight == 0;
}
