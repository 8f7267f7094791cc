using System.Linq;
using Onnx;

namespace CnnGen.Onnx;

/// <summary>Conv as conv1d or conv2d: kernels transposed from ONNX's (out, in, kh, kw) to Keras's (kh, kw, in, out).</summary>
internal static class ConvolutionMapping
{
    public static void Conv(MappingContext context, NodeProto node)
    {
        var (input, extraBefore, extraAfter) = WindowInput(context, node, acceptsZeros: _ => true);
        var rank = input.SpatialRank;
        if (rank is not (1 or 2))
        {
            throw context.Error(node, rank == 0
                ? "convolves a vector; a convolution needs a C x L or C x H x W input"
                : $"is a {rank}-D convolution; CnnGen has 1-D and 2-D convolutions");
        }

        var weights = context.Constant(node, 1, "the weights");
        var channels = input.Dims[0];
        if (weights.Rank != rank + 2 || !weights.IsFloat)
        {
            throw context.Error(node, $"has weights of shape ({string.Join(", ", weights.Dims)}); ({"out, in, " + (rank == 1 ? "k" : "kh, kw")}) floats were expected");
        }

        var group = context.Int(node, "group", 1);
        var filters = weights.Dims[0];
        // group = input channels with one input channel per group is a depthwise convolution:
        // output channel c * m + j of (c * m, 1, k...) is Keras's (k..., c, m).
        var depthwise = group > 1 && group == channels && weights.Dims[1] == 1 && filters % channels == 0;
        // Other groups: a grouped conv1d or conv2d, weights (out, in / group, k...).
        var groups = depthwise ? 1 : (int)group;
        if (group < 1 || channels % group != 0 || filters % group != 0)
        {
            throw context.Error(node, $"has group {group}, which does not divide its {channels} input channels and {filters} filters");
        }

        if (!depthwise && weights.Dims[1] != channels / groups)
        {
            throw context.Error(node, $"has weights for {weights.Dims[1]} input channels" + (groups > 1 ? $" a group ({groups} groups)" : string.Empty) +
                $" but its input N x {MappingContext.Shape(input.Dims)} has {channels}");
        }

        var kernel = weights.Dims.Skip(2).ToArray();
        var declared = context.Ints(node, "kernel_shape");
        if (declared is not null && !declared.SequenceEqual(kernel.Select(k => (long)k)))
        {
            throw context.Error(node, $"has kernel_shape [{string.Join(", ", declared)}] but weights of shape ({string.Join(", ", weights.Dims)})");
        }

        var strides = Sizes(context, node, "strides", rank);
        var dilations = Sizes(context, node, "dilations", rank);
        var spatial = input.Dims.Skip(1).ToArray();
        var (before, after) = WindowPadding.FromAttributes(context, node, spatial, kernel, strides, dilations);
        var window = new WindowPadding.Window(spatial, kernel, strides, dilations,
            before.Select((p, d) => p + extraBefore[d]).ToArray(), after.Select((p, d) => p + extraAfter[d]).ToArray());
        var (padding, padBefore, padAfter, explicitPads) = WindowPadding.Choose(context, node, window, "kernel", allowCausal: rank == 1, isConvolution: true, ceil: false);

        var bias = context.OptionalConstant(node, 2, "the bias");
        if (bias is not null && (bias.Count != filters || !bias.IsFloat))
        {
            throw context.Error(node, $"has a bias of shape ({string.Join(", ", bias.Dims)}); {filters} floats were expected");
        }

        var outputs = window.Outputs();
        var kind = depthwise
            ? rank == 1 ? LayerKind.DepthwiseConv1D : LayerKind.DepthwiseConv2D
            : rank == 1 ? LayerKind.Conv1D : LayerKind.Conv2D;
        var draft = new LayerDraft(kind, input.Dims, [filters, .. outputs])
        {
            Window = kernel,
            Strides = strides,
            Dilations = dilations,
            Padding = padding,
            PadBefore = padBefore,
            PadAfter = padAfter,
            ExplicitPads = explicitPads,
            Kernel = ToKerasKernel(weights.Floats!, filters, depthwise ? 1 : channels / groups, kernel),
            KernelShape = depthwise ? [.. kernel, channels, filters / channels] : [.. kernel, channels / groups, filters],
            Groups = groups,
            Bias = bias?.Floats!.ToArray(),
        };
        AddPadNode(draft, node, context);
        context.AddLayer(node, draft, input, [filters, .. outputs]);
    }

    /// <summary>
    /// The feature map a convolution or pooling reads, and the pads of a Pad node before it that
    /// it takes over (zeros; <paramref name="acceptsZeros"/> says whether zeros are right for
    /// this input: always for a convolution, for a max pooling only when nothing is negative).
    /// </summary>
    public static (FeatureValue Input, int[] Before, int[] After) WindowInput(MappingContext context, NodeProto node, System.Func<FeatureValue, bool> acceptsZeros)
    {
        if (context.Value(node, 0) is PaddedValue padded && padded.Uses == 1 && acceptsZeros(padded.Input))
        {
            return (padded.Input, padded.Before, padded.After);
        }

        var input = context.Feature(node, 0);
        return (input, new int[input.SpatialRank], new int[input.SpatialRank]);
    }

    /// <summary>Records the Pad node a layer took its pads from, so that the layer is named by its own node but lists both.</summary>
    public static void AddPadNode(LayerDraft draft, NodeProto node, MappingContext context)
    {
        if (context.Value(node, 0) is PaddedValue padded)
        {
            draft.Nodes.Add(padded.Node);
        }
    }

    /// <summary>strides or dilations: one per spatial dimension, each at least 1 (default 1).</summary>
    public static int[] Sizes(MappingContext context, NodeProto node, string name, int rank)
    {
        var values = context.Ints(node, name);
        if (values is null)
        {
            return Enumerable.Repeat(1, rank).ToArray();
        }

        if (values.Length != rank || values.Any(v => v < 1 || v > 1 << 16))
        {
            throw context.Error(node, $"has {name} [{string.Join(", ", values)}]; {rank} value{(rank == 1 ? string.Empty : "s")} of at least 1 were expected");
        }

        return values.Select(v => (int)v).ToArray();
    }

    /// <summary>(out, in, kh, kw) or (out, in, k) -> (kh, kw, in, out) or (k, in, out).</summary>
    private static float[] ToKerasKernel(float[] weights, int filters, int channels, int[] kernel)
    {
        var taps = kernel.Aggregate(1, (a, b) => a * b);
        var keras = new float[weights.Length];
        for (var o = 0; o < filters; o++)
        {
            for (var i = 0; i < channels; i++)
            {
                for (var t = 0; t < taps; t++)
                {
                    keras[(t * channels + i) * filters + o] = weights[(o * channels + i) * taps + t];
                }
            }
        }

        return keras;
    }
}
