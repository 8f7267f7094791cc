using System.Globalization;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// Explicit padding of convolutions and pooling: <c>Pad = p</c> (PyTorch's <c>padding=p</c>) or
/// <c>Pads = { top, bottom, left, right }</c> (1-D: <c>{ before, after }</c>). The pads go in the
/// same frame of zeros (or -infinity for max pooling) as those of 'same', so the kernels do not
/// know how the padding was declared.
/// </summary>
internal static class ExplicitPadding
{
    /// <summary>Whether the layer declares pads (Pad or Pads).</summary>
    public static bool IsDeclared(LayerSpec layer) => layer.Has(LayerVocabulary.Pad) || layer.Has(LayerVocabulary.Pads);

    /// <summary>
    /// The rules of the option's form: one count or one per side, none negative, and not with
    /// padding 'same' or 'causal' (which compute their own pads).
    /// </summary>
    public static bool Validate(LayerContext context, LayerOption option)
    {
        var layer = context.Spec;
        if (!IsDeclared(layer))
        {
            return true;
        }

        var key = layer.Has(LayerVocabulary.Pads) ? LayerVocabulary.Pads : LayerVocabulary.Pad;
        var word = Spelling(context, key);
        var rank = LayerFamilies.Syntax(layer.Kind).SpatialRank;
        var values = layer.Numbers(option.Key);
        var valid = values.Count == 1 || values.Count == 2 * rank;
        for (var i = 0; i < values.Count && valid; i++)
        {
            valid = values[i] >= 0;
        }

        if (!valid)
        {
            var sides = rank == 1 ? "two, {before, after}" : "four, {top, bottom, left, right}";
            context.Report(DiagnosticDescriptors.InvalidPads, layer.Locate(key), context.KindName, context.Name, word, Display(context, values),
                "one count for every side (" + Spelling(context, LayerVocabulary.Pad) + ") or " + sides + " (" + Spelling(context, LayerVocabulary.Pads) + ")");
            return false;
        }

        if (layer.Padding is PaddingMode.Same or PaddingMode.Causal)
        {
            context.Report(DiagnosticDescriptors.PadsWithPaddingMode, layer.Locate(key), context.KindName, context.Name, word,
                LayerVocabulary.SnakeName(layer.Padding));
            return false;
        }

        return true;
    }

    /// <summary>The declared pads as (top, bottom, left, right); 1-D layers have zero top and bottom. All zero when none are declared.</summary>
    public static int[] Resolve(LayerSpec layer, int rank)
    {
        var values = layer.Numbers(LayerVocabulary.Pad);
        if (values.Count == 0)
        {
            return new int[4];
        }

        if (values.Count == 1)
        {
            return rank == 1 ? new[] { 0, 0, values[0], values[0] } : new[] { values[0], values[0], values[0], values[0] };
        }

        return rank == 1 ? new[] { 0, 0, values[0], values[1] } : new[] { values[0], values[1], values[2], values[3] };
    }

    /// <summary>
    /// Checks that no window can lie wholly in the padding: a convolution pads at most its
    /// kernel's extent less one on each side; pooling at most half its window (PyTorch's rule).
    /// </summary>
    public static bool Fits(LayerContext context, int[] pads, int[] window, int[] dilation, bool isConvolution)
    {
        var layer = context.Spec;
        var rank = LayerFamilies.Syntax(layer.Kind).SpatialRank;
        for (var side = rank == 1 ? 2 : 0; side < 4; side++)
        {
            var dim = side / 2;
            var extent = (long)(window[dim] - 1) * dilation[dim] + 1;
            var limit = isConvolution ? extent - 1 : window[dim] / 2;
            if (pads[side] <= limit)
            {
                continue;
            }

            var key = layer.Has(LayerVocabulary.Pads) ? LayerVocabulary.Pads : LayerVocabulary.Pad;
            var element = layer.Numbers(LayerVocabulary.Pad).Count == 1 ? -1 : rank == 1 ? side - 2 : side;
            var what = isConvolution ? "kernel" : "pool window";
            var size = (isConvolution && dilation[dim] != 1 ? extent + " (dilated)" : window[dim].ToString(CultureInfo.InvariantCulture)) + " " +
                (rank == 1 ? "long" : dim == 0 ? "high" : "wide");
            var fix = isConvolution
                ? "pad at most " + limit + " (the kernel's extent less one), or some windows would lie wholly in the padding"
                : "pad at most " + limit + " (half the window, as PyTorch requires), or some windows would lie wholly in the padding";
            context.Report(DiagnosticDescriptors.PadLargerThanWindow, layer.Locate(key, element), context.KindName, context.Name,
                pads[side], SideName(rank, side), what, size, fix);
            return false;
        }

        return true;
    }

    /// <summary>"at the top", "on the left", "before" (1-D).</summary>
    public static string SideName(int rank, int side) => rank == 1
        ? side == 2 ? "before" : "after"
        : side switch { 0 => "at the top", 1 => "at the bottom", 2 => "on the left", _ => "on the right" };

    /// <summary>The option as the user writes it: Pads in C#, pads in .cnn.</summary>
    public static string Spelling(LayerContext context, string key) =>
        context.IsDsl ? key : key == LayerVocabulary.Pads ? "Pads" : "Pad";

    public static string Display(LayerContext context, EquatableArray<int> values)
    {
        var parts = new string[values.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = values[i].ToString(CultureInfo.InvariantCulture);
        }

        return context.IsDsl || parts.Length == 1 ? string.Join("x", parts) : "{ " + string.Join(", ", parts) + " }";
    }
}
