using System.Collections.Generic;
using System.Linq;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// How the depthwise kernels map vector lanes to channels. A block works on a vector of
/// <c>Width</c> input channels at a time; with depth multiplier m it produces m vectors of
/// output channels (output channel c * m + j comes from input channel c), so vector k of the
/// block's outputs holds output lanes k * Width ... and reads input lanes (k * Width + l) / m:
/// a constant permutation of the loaded input vector (none when m is 1).
/// </summary>
internal sealed class DepthwiseLanes
{
    public DepthwiseLanes(LayerModel layer, int width)
    {
        Width = width;
        Channels = layer.Input.Channels;
        Multiplier = DepthwiseConvolutionFamily.Multiplier(layer);
        Ops = VectorOps.ForWidth(width);
    }

    /// <summary>Input channels per vector (1 for scalars).</summary>
    public int Width { get; }

    public int Channels { get; }

    public int Multiplier { get; }

    /// <summary>Output channels: channels times the multiplier.</summary>
    public int Outputs => Channels * Multiplier;

    public VectorOps Ops { get; }

    /// <summary>Output vectors per vector of input channels: the multiplier.</summary>
    public int Vectors => Multiplier;

    /// <summary>The lanes of output vector <paramref name="k"/> from a loaded vector of input channels.</summary>
    public string Spread(string input, int k)
    {
        if (Multiplier == 1 || Ops.IsScalar)
        {
            return input;
        }

        return Ops.Shuffle(input, Enumerable.Range(0, Width).Select(l => (k * Width + l) / Multiplier));
    }

    /// <summary>
    /// Output vector <paramref name="k"/>'s lanes, gathered as the lanes of input channel
    /// vectors: element <c>l * m + k</c> of a run of output channels, for each input lane l.
    /// Used where a gradient flows back to the input channels (a strided gather when m > 1).
    /// </summary>
    public string Strided(string r, int offset, int k)
    {
        if (Multiplier == 1)
        {
            return Ops.Load(r, offset + k);
        }

        if (Ops.IsScalar)
        {
            return VectorOps.Element(r, offset + k);
        }

        var elements = new List<string>();
        for (var l = 0; l < Width; l++)
        {
            elements.Add(VectorOps.Element(r, offset + l * Multiplier + k));
        }

        return Ops.ClassName + ".Create(" + string.Join(", ", elements) + ")";
    }

    /// <summary>The vector width for the channels at most <paramref name="maxWidth"/> lanes: 16, 8, 4 or 1.</summary>
    public static int WidthFor(int channels, int maxWidth) => Chunks.Split(channels, maxWidth)[0].Width;
}
