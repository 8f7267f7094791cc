using System.Linq;
using Onnx;

namespace CnnGen.Onnx;

/// <summary>MaxPool and AveragePool as max_pool/avg_pool; global pooling and ReduceMean/ReduceMax over the spatial axes as global pooling.</summary>
internal static class PoolingMapping
{
    public static void MaxPool(MappingContext context, NodeProto node)
    {
        if (context.IsUsed(node, 1))
        {
            throw context.Error(node, "has its second output (the indices of the maxima) read by another node; CnnGen's max pooling computes the maxima only");
        }

        // Zero padding from a Pad node is the same as ignored cells only where nothing is negative.
        var (input, before, after) = ConvolutionMapping.WindowInput(context, node, acceptsZeros: feature => feature.NonNegative);
        Window(context, node, input, before, after, isMax: true);
    }

    public static void AveragePool(MappingContext context, NodeProto node)
    {
        // A Pad node's zeros are counted in the average, as PyTorch's AvgPool2d(padding=p) does
        // (count_include_pad=True): the pads with count_padding, where the node adds none of its own.
        if (context.Value(node, 0) is PaddedValue padded && padded.Uses == 1)
        {
            var own = context.Ints(node, "pads");
            if ((own is null || own.All(p => p == 0)) && (context.String(node, "auto_pad") ?? "NOTSET") is "NOTSET" or "VALID")
            {
                Window(context, node, padded.Input, padded.Before, padded.After, isMax: false, countPadding: true);
                return;
            }

            throw context.Error(node, $"averages over the zeros that {OnnxGraph.Describe(padded.Node)} adds and pads of its own; " +
                "CnnGen counts either every pad or none (count_padding)");
        }

        var input = context.Feature(node, 0);
        Window(context, node, input, new int[input.SpatialRank], new int[input.SpatialRank], isMax: false,
            countPadding: context.Int(node, "count_include_pad", 0) != 0);
    }

    private static void Window(MappingContext context, NodeProto node, FeatureValue input, int[] extraBefore, int[] extraAfter, bool isMax,
        bool countPadding = false)
    {
        var rank = input.SpatialRank;
        if (rank is not (1 or 2))
        {
            throw context.Error(node, rank == 0
                ? "pools a vector; pooling needs a C x L or C x H x W input"
                : $"pools {rank} spatial dimensions; CnnGen pools 1-D and 2-D inputs");
        }

        var pool = context.Ints(node, "kernel_shape")?.Select(k => (int)k).ToArray()
            ?? throw context.Error(node, "has no kernel_shape");
        if (pool.Length != rank || pool.Any(k => k < 1))
        {
            throw context.Error(node, $"has kernel_shape [{string.Join(", ", pool)}] for {rank} spatial dimension{(rank == 1 ? string.Empty : "s")}");
        }

        var dilations = ConvolutionMapping.Sizes(context, node, "dilations", rank);
        if (dilations.Any(d => d != 1))
        {
            throw context.Error(node, $"has dilations [{string.Join(", ", dilations)}]; CnnGen's pooling is not dilated");
        }

        var strides = ConvolutionMapping.Sizes(context, node, "strides", rank);
        var spatial = input.Dims.Skip(1).ToArray();
        var (before, after) = WindowPadding.FromAttributes(context, node, spatial, pool, strides, dilations);
        var window = new WindowPadding.Window(spatial, pool, strides, dilations,
            before.Select((p, d) => p + extraBefore[d]).ToArray(), after.Select((p, d) => p + extraAfter[d]).ToArray());

        // ceil_mode matters only where it changes the output (opset 9 exports write it as pads no window reaches).
        var ceil = context.Int(node, "ceil_mode", 0) != 0 && !window.Outputs(ceil: true).SequenceEqual(window.Outputs());
        var (padding, padBefore, padAfter, explicitPads) = WindowPadding.Choose(context, node, window, "pool", allowCausal: false, isConvolution: false, ceil);

        // Counting the padding changes nothing where there is none.
        countPadding &= !isMax && (padBefore.Any(p => p > 0) || padAfter.Any(p => p > 0));
        var outputs = window.Outputs(ceil);
        var kind = isMax ? (rank == 1 ? LayerKind.MaxPool1D : LayerKind.MaxPool2D) : (rank == 1 ? LayerKind.AvgPool1D : LayerKind.AvgPool2D);
        var channels = input.Dims[0];
        var draft = new LayerDraft(kind, input.Dims, [channels, .. outputs])
        {
            Window = pool,
            Strides = strides,
            Dilations = dilations,
            Padding = padding,
            PadBefore = padBefore,
            PadAfter = padAfter,
            ExplicitPads = explicitPads,
            CeilMode = ceil,
            CountPadding = countPadding,
        };
        ConvolutionMapping.AddPadNode(draft, node, context);
        context.AddLayer(node, draft, input, [channels, .. outputs], nonNegative: input.NonNegative);
    }

    public static void GlobalAveragePool(MappingContext context, NodeProto node) => Global(context, node, LayerKind.GlobalAvgPool, keepDims: true);

    public static void GlobalMaxPool(MappingContext context, NodeProto node) => Global(context, node, LayerKind.GlobalMaxPool, keepDims: true);

    public static void ReduceMean(MappingContext context, NodeProto node) => Reduce(context, node, LayerKind.GlobalAvgPool);

    public static void ReduceMax(MappingContext context, NodeProto node) => Reduce(context, node, LayerKind.GlobalMaxPool);

    /// <summary>A reduction over exactly the spatial axes is a global pooling; keepdims decides whether ONNX keeps C x 1 x 1.</summary>
    private static void Reduce(MappingContext context, NodeProto node, LayerKind kind)
    {
        var input = context.Feature(node, 0);
        // Opset 18 moved the axes from an attribute to an input.
        var axes = context.Ints(node, "axes") ?? (MappingContext.Has(node, 1) ? context.KnownInts(node, context.Constant(node, 1, "the axes"), "the axes") : null);
        var rank = input.Dims.Length + 1;
        var spatial = Enumerable.Range(2, rank - 2).ToArray();
        var normalized = axes?.Select(a => a < 0 ? a + rank : a).Order().ToArray();
        if (input.SpatialRank == 0 || normalized is null || !normalized.SequenceEqual(spatial.Select(a => (long)a)))
        {
            throw context.Error(node, $"reduces over {(axes is null ? "every axis" : "the axes [" + string.Join(", ", axes) + "]")} of its " +
                $"N x {MappingContext.Shape(input.Dims)} input; CnnGen maps a reduction over exactly the spatial axes [{string.Join(", ", spatial)}], a global pooling");
        }

        Global(context, node, kind, keepDims: context.Int(node, "keepdims", 1) != 0);
    }

    /// <summary>
    /// ONNX's C x 1 x 1 (keepdims) is CnnGen's channel vector C when only Flatten or Reshape read
    /// it (or it is the model's output): the same numbers in the same order, so the Flatten is
    /// dropped. A convolution or merge that reads it (squeeze-and-excitation) gets
    /// <c>keep_dims: true</c>, a 1 x 1 map.
    /// </summary>
    private static void Global(MappingContext context, NodeProto node, LayerKind kind, bool keepDims)
    {
        var input = context.Feature(node, 0);
        if (input.SpatialRank < 1)
        {
            throw context.Error(node, $"pools a vector of {input.Dims[0]}; global pooling needs a C x L or C x H x W input");
        }

        var channels = input.Dims[0];
        int[] dims = keepDims ? [channels, .. Enumerable.Repeat(1, input.SpatialRank)] : [channels];
        var asMap = keepDims && context.Graph.Consumers(node.Output[0]).Any(reader => reader.OpType is not ("Flatten" or "Reshape" or "Shape"));
        var draft = new LayerDraft(kind, input.Dims, asMap ? dims : [channels]) { KeepDims = asMap };
        context.AddLayer(node, draft, input, dims, pooledKeepDims: keepDims && !asMap, nonNegative: input.NonNegative);
    }
}
