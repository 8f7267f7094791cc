using System.Globalization;
using System.Numerics;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Model;
using CnnGen.Generators.Shapes;

namespace CnnGen.Generators.Layers;

/// <summary>
/// Shape inference of the layers that slide a window over 1 or 2 spatial dimensions
/// (convolutions and pooling): the defaults, the rank check, the formulas of
/// <see cref="SpatialMath"/> per dimension and the error when a window does not fit.
/// </summary>
internal static class WindowInference
{
    /// <summary>
    /// True when the layer's input has the layer's spatial rank; otherwise reports CNN0101 with
    /// the layer of the other rank (<paramref name="oneDimensional"/>, <paramref name="twoDimensional"/>) as the fix.
    /// </summary>
    public static bool HasRank(LayerContext context, LayerKind oneDimensional, LayerKind twoDimensional)
    {
        var input = context.Input;
        var rank = LayerFamilies.Syntax(context.Spec.Kind).SpatialRank;
        if (input.SpatialRank == rank)
        {
            return true;
        }

        var needs = TensorShape.RankDescription(rank, context.Format);
        var fix = input.SpatialRank == 0
            ? "A " + context.KindName + " cannot follow flatten, dense or global pooling layers; move it before them."
            : rank == 2
                ? "Use the 1-D layer (" + context.Suggest(oneDimensional) + ") for sequences."
                : "Use the 2-D layer (" + context.Suggest(twoDimensional) + ") for images.";
        context.WrongRank(needs, fix);
        return false;
    }

    /// <summary>
    /// The window of the layer over its input, or null after reporting why it does not fit.
    /// <paramref name="otherRank"/> names the layer of the other rank, for the fix.
    /// </summary>
    public static (Window Window, int Height, int Width)? Infer(LayerContext context, bool isConvolution, LayerKind oneDimensional,
        LayerKind twoDimensional)
    {
        var layer = context.Spec;
        var input = context.Input;
        var rank = LayerFamilies.Syntax(layer.Kind).SpatialRank;
        if (!HasRank(context, oneDimensional, twoDimensional))
        {
            return null;
        }

        var window = Expand(layer.Window, 1);
        var stride = layer.Stride.Count == 0 ? (isConvolution ? new[] { 1, 1 } : window) : Expand(layer.Stride, 1);
        var dilation = isConvolution ? Expand(layer.Dilation, 1) : new[] { 1, 1 };
        var inputSizes = new[] { input.Height, input.Width };
        var results = new SpatialResult[2];
        var isExplicit = ExplicitPadding.IsDeclared(layer);
        var ceil = layer.Flag(LayerVocabulary.CeilMode, false);
        var pads = ExplicitPadding.Resolve(layer, rank);
        if (isExplicit && !ExplicitPadding.Fits(context, pads, window, dilation, isConvolution))
        {
            return null;
        }

        for (var dim = 2 - rank; dim < 2; dim++)
        {
            results[dim] = isExplicit || ceil
                ? SpatialMath.Explicit(inputSizes[dim], window[dim], stride[dim], dilation[dim], pads[2 * dim], pads[2 * dim + 1], ceil)
                : SpatialMath.Apply(inputSizes[dim], window[dim], stride[dim], dilation[dim], layer.Padding);
            if (results[dim].Output < 1)
            {
                var word = isConvolution ? "kernel" : "pool window";
                var fix = context.HasPoolingBefore
                    ? "Use padding 'same', a smaller " + word + ", or remove a pooling layer before it."
                    : "Use padding 'same' or a smaller " + word + ".";
                var dimIndex = rank == 1 ? 0 : dim;
                context.Report(DiagnosticDescriptors.WindowTooLarge,
                    layer.Locate(LayerVocabulary.WindowKey(layer.Kind), layer.Window.Count == 1 ? -1 : dimIndex), context.KindName, context.Name,
                    WindowText(window, dilation, rank), word, input.Display(context.Format), LayerVocabulary.SnakeName(layer.Padding),
                    LayerContext.DimensionName(rank, dimIndex), results[dim].Output, fix);
                return null;
            }
        }

        // The input with its padding is stored whole (a frame of zeros or -infinity around it):
        // it must fit the tensor limit, and so, with it, every offset the kernels compute.
        var padded = (BigInteger)(rank == 1 ? 1 : results[0].Padded(input.Height)) * results[1].Padded(input.Width) * input.Channels;
        if (padded > ShapeInference.MaxTensorElements)
        {
            var key = layer.Has(LayerVocabulary.Dilation) || layer.Has(LayerVocabulary.Dilations)
                ? (layer.Has(LayerVocabulary.Dilations) ? LayerVocabulary.Dilations : LayerVocabulary.Dilation)
                : LayerVocabulary.WindowKey(layer.Kind);
            context.Report(DiagnosticDescriptors.SizeLimitExceeded, layer.Locate(key), context.Title, LayerContext.Number(padded),
                "input values per sample with its padding", LayerContext.Number(ShapeInference.MaxTensorElements),
                isConvolution ? "use a smaller kernel or dilation, or padding 'valid'" : "use a smaller pool window or padding 'valid'");
            return null;
        }

        // Sizes are now below the limit, so they fit an int. A stride with one output, and a
        // dilation with one tap, move nothing: the kernels use 1 (the model keeps what was written).
        var height = rank == 1 ? Spatial.None : Dimension(0);
        return (new Window(height, Dimension(1), layer.Padding) { IsExplicit = isExplicit, CeilMode = ceil },
            rank == 1 ? 1 : (int)results[0].Output, (int)results[1].Output);

        Spatial Dimension(int dim) => new(window[dim], stride[dim], dilation[dim], (int)results[dim].PadBefore, (int)results[dim].PadAfter)
        {
            Step = results[dim].Output == 1 ? 1 : stride[dim],
            Spread = window[dim] == 1 ? 1 : dilation[dim],
            CeilExtra = (int)results[dim].CeilExtra,
        };
    }

    /// <summary>[h, w] from one value or one per dimension; 1-D layers fill the height with 1.</summary>
    public static int[] Expand(EquatableArray<int> values, int defaultValue) => values.Count switch
    {
        0 => new[] { defaultValue, defaultValue },
        1 => new[] { values[0], values[0] },
        _ => new[] { values[0], values[1] },
    };

    /// <summary>"a 5x5 kernel", "a length-20 kernel", "3x3 (dilated to 5x5)".</summary>
    private static string WindowText(int[] window, int[] dilation, int rank)
    {
        // "a length-20 kernel" in 1-D reads as "a 5x5 kernel" does in 2-D.
        var size = rank == 1 ? "length-" + window[1].ToString(CultureInfo.InvariantCulture) : window[0] + "x" + window[1];
        if (dilation[0] == 1 && dilation[1] == 1)
        {
            return size;
        }

        var extent = rank == 1
            ? SpatialMath.EffectiveKernel(window[1], dilation[1]).ToString(CultureInfo.InvariantCulture)
            : SpatialMath.EffectiveKernel(window[0], dilation[0]) + "x" + SpatialMath.EffectiveKernel(window[1], dilation[1]);
        return size + " (dilated to " + extent + ")";
    }
}
