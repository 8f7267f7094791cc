using System.Collections.Generic;
using System.Globalization;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>The words for a window in the summary and comments: "kernel 3x3, stride 2, same (pad top 0, bottom 1, left 0, right 1)".</summary>
internal static class WindowWords
{
    public static void Describe(LayerModel layer, string what, List<string> parts)
    {
        var oneDimensional = layer.Input.SpatialRank == 1;
        parts.Add(what + Pair(layer.KernelHeight, layer.KernelWidth, oneDimensional));
        parts.Add("stride " + Pair(layer.Rows.Stride, layer.Columns.Stride, oneDimensional, collapseEqual: true));
        if (layer.Rows.Dilation != 1 || layer.Columns.Dilation != 1)
        {
            parts.Add("dilation " + Pair(layer.Rows.Dilation, layer.Columns.Dilation, oneDimensional, collapseEqual: true));
        }

        parts.Add(LayerVocabulary.SnakeName(layer.Padding) + Pads(layer, oneDimensional));
    }

    private static string Pads(LayerModel layer, bool oneDimensional)
    {
        if (layer.PadTop + layer.PadBottom + layer.PadLeft + layer.PadRight == 0)
        {
            return string.Empty;
        }

        return oneDimensional
            ? " (pad left " + layer.PadLeft + ", right " + layer.PadRight + ")"
            : " (pad top " + layer.PadTop + ", bottom " + layer.PadBottom + ", left " + layer.PadLeft + ", right " + layer.PadRight + ")";
    }

    /// <summary>"3x3" for 2-D windows, "3" for 1-D ones; strides and dilations collapse when equal.</summary>
    private static string Pair(int height, int width, bool oneDimensional, bool collapseEqual = false) =>
        oneDimensional || collapseEqual && height == width
            ? width.ToString(CultureInfo.InvariantCulture)
            : height.ToString(CultureInfo.InvariantCulture) + "x" + width.ToString(CultureInfo.InvariantCulture);
}
