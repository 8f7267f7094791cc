using System.Collections.Generic;
using System.Globalization;

namespace CnnGen.Generators.Model;

/// <summary>
/// The shape of one sample between layers: 0, 1 or 2 spatial dimensions and a channel count.
/// A vector has no spatial dimension (Height = Width = 1); a sequence has Height = 1.
/// </summary>
internal readonly record struct TensorShape(int SpatialRank, int Height, int Width, int Channels)
{
    public static TensorShape Vector(int length) => new(0, 1, 1, length);

    public static TensorShape Sequence(int length, int channels) => new(1, 1, length, channels);

    public static TensorShape Image(int height, int width, int channels) => new(2, height, width, channels);

    /// <summary>The number of floats in one sample.</summary>
    public int Size => Height * Width * Channels;

    /// <summary>The number of spatial positions.</summary>
    public int Positions => Height * Width;

    /// <summary>The dimensions as the user writes them in the given data format.</summary>
    public int[] Dims(DataFormat format) => SpatialRank switch
    {
        0 => new[] { Channels },
        1 => format == DataFormat.ChannelsLast ? new[] { Width, Channels } : new[] { Channels, Width },
        _ => format == DataFormat.ChannelsLast ? new[] { Height, Width, Channels } : new[] { Channels, Height, Width },
    };

    /// <summary>"8x8x1" in the given data format.</summary>
    public string Display(DataFormat format) => Join(Dims(format));

    /// <summary>The spatial part only: "8x8", "32", or "" for a vector.</summary>
    public string SpatialDisplay() => SpatialRank switch
    {
        0 => string.Empty,
        1 => Width.ToString(CultureInfo.InvariantCulture),
        _ => Height.ToString(CultureInfo.InvariantCulture) + "x" + Width.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Reads dimensions written in the given data format (1 to 3 of them, already checked).</summary>
    public static TensorShape FromDims(IReadOnlyList<int> dims, DataFormat format) => dims.Count switch
    {
        1 => Vector(dims[0]),
        2 => format == DataFormat.ChannelsLast ? Sequence(dims[0], dims[1]) : Sequence(dims[1], dims[0]),
        _ => format == DataFormat.ChannelsLast ? Image(dims[0], dims[1], dims[2]) : Image(dims[1], dims[2], dims[0]),
    };

    public static string Join(IEnumerable<int> dims) => string.Join("x", dims);

    /// <summary>"an image (height, width, channels)", with the axes in the order of the data format.</summary>
    public string RankDescription(DataFormat format) => RankDescription(SpatialRank, format);

    /// <summary>What a tensor of <paramref name="spatialRank"/> spatial dimensions is called, axes in the order of the data format.</summary>
    public static string RankDescription(int spatialRank, DataFormat format) => spatialRank switch
    {
        0 => "a vector",
        1 => format == DataFormat.ChannelsLast ? "a sequence (length, channels)" : "a sequence (channels, length)",
        _ => format == DataFormat.ChannelsLast ? "an image (height, width, channels)" : "an image (channels, height, width)",
    };
}
