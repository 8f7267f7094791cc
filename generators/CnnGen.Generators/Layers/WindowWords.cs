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

        parts.Add((layer.Window?.IsExplicit == true ? "explicit" : LayerVocabulary.SnakeName(layer.Padding)) + Pads(layer, oneDimensional));
        if (layer.Window?.CeilMode == true)
        {
            parts.Add("ceil mode" + (layer.Rows.CeilExtra + layer.Columns.CeilExtra == 0 ? string.Empty
                : oneDimensional ? " (" + layer.Columns.CeilExtra + " more after)"
                : " (" + layer.Rows.CeilExtra + " more below, " + layer.Columns.CeilExtra + " more right)"));
        }

        if (layer.CountPadding)
        {
            parts.Add("counting padding");
        }
    }

    private static string Pads(LayerModel layer, bool oneDimensional)
    {
        // As declared (or as 'same' computed them): ceil mode's extra cells are said apart.
        var (bottom, right) = (layer.Rows.DeclaredPadAfter, layer.Columns.DeclaredPadAfter);
        if (layer.PadTop + bottom + layer.PadLeft + right == 0)
        {
            return string.Empty;
        }

        return oneDimensional
            ? " (pad left " + layer.PadLeft + ", right " + right + ")"
            : " (pad top " + layer.PadTop + ", bottom " + bottom + ", left " + layer.PadLeft + ", right " + right + ")";
    }

    /// <summary>"3x3" for 2-D windows, "3" for 1-D ones; strides and dilations collapse when equal.</summary>
    private static string Pair(int height, int width, bool oneDimensional, bool collapseEqual = false) =>
        oneDimensional || collapseEqual && height == width
            ? width.ToString(CultureInfo.InvariantCulture)
            : height.ToString(CultureInfo.InvariantCulture) + "x" + width.ToString(CultureInfo.InvariantCulture);
}
