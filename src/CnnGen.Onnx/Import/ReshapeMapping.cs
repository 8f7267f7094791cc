using System.Linq;
using Onnx;

namespace CnnGen.Onnx;

/// <summary>Flatten and Reshape to N x -1 as flatten; Pad before a window (merged into it); Identity and Dropout dropped.</summary>
internal static class ReshapeMapping
{
    public static void Flatten(MappingContext context, NodeProto node)
    {
        var input = context.Feature(node, 0, acceptPooled: true);
        var rank = input.Dims.Length + 1;
        var axis = context.Int(node, "axis", 1);
        if ((axis < 0 ? axis + rank : axis) != 1)
        {
            throw context.Error(node, $"flattens from axis {axis} of its N x {MappingContext.Shape(input.Dims)} input; CnnGen flattens everything but the batch (axis 1)");
        }

        ToVector(context, node, input);
    }

    /// <summary>Reshape to (N, C*H*W): the shape may be a constant ([-1, 400], [1, -1] for a batch of 1) or computed from Shape(x) as x.view(x.size(0), -1) does.</summary>
    public static void Reshape(MappingContext context, NodeProto node)
    {
        var input = context.Feature(node, 0, acceptPooled: true);
        var target = context.Constant(node, 1, "the shape");
        if (target.Ints is null || target.Rank != 1)
        {
            throw context.Error(node, $"reshapes to {target.Describe()}, which is not a list of integers");
        }

        var size = input.Dims.Aggregate(1L, (a, b) => a * b);
        var allowZero = context.Int(node, "allowzero", 0) != 0;
        var batch = BatchDim(context);
        if (!IsFlattening(target.Ints, size, allowZero, batch))
        {
            if (IsChannelSplit(target.Ints, input.Dims) && context.Graph.Consumers(node.Output[0]).Any(reader => reader.OpType == "Transpose"))
            {
                throw context.Error(node, $"reshapes its N x {MappingContext.Shape(input.Dims)} input to {target.Describe()} for a Transpose: a channel shuffle " +
                    "(ShuffleNet's channel_shuffle: Reshape to N x groups x C/groups x H x W, Transpose of the two channel axes, Reshape back); " +
                    "CnnGen has no layer that reorders channels");
            }

            throw context.Error(node, $"reshapes its N x {MappingContext.Shape(input.Dims)} input to {target.Describe()}; " +
                $"CnnGen maps a Reshape to N x -1 (N x {size}) only, which flattens: torch.flatten(x, 1), x.view(x.size(0), -1) or x.view(-1, {size})");
        }

        ToVector(context, node, input);
    }

    /// <summary>A Pad of zeros on the spatial dimensions: nothing when every pad is 0, else taken over by the convolution or max pooling that reads it.</summary>
    public static void Pad(MappingContext context, NodeProto node)
    {
        var input = context.Feature(node, 0);
        var rank = input.Dims.Length + 1;
        var mode = context.String(node, "mode") ?? "constant";
        if (mode != "constant")
        {
            throw context.Planned(node, "Pad", $"pads in mode '{mode}'; CnnGen pads with zeros only");
        }

        // Before opset 11 the pads and the value are attributes, then inputs.
        var pads = context.Opset < 11
            ? context.Ints(node, "pads") ?? throw context.Error(node, "has no pads")
            : context.KnownInts(node, context.Constant(node, 1, "the pads"), "the pads");
        var value = context.Opset < 11
            ? context.Float(node, "value", 0f)
            : context.OptionalConstant(node, 2, "the padding value") is { } constant ? (float)constant.ValueAt(0) : 0f;
        if (MappingContext.Has(node, 3))
        {
            var axes = context.KnownInts(node, context.Constant(node, 3, "the axes"), "the axes");
            pads = ExpandAxes(context, node, pads, axes, rank);
        }

        if (pads.Length != 2 * rank)
        {
            throw context.Error(node, $"has {pads.Length} pads for an N x {MappingContext.Shape(input.Dims)} input; {2 * rank} were expected");
        }

        if (pads.All(p => p == 0))
        {
            context.Alias(node, input);
            return;
        }

        if (value != 0f)
        {
            throw context.Planned(node, "Pad", $"pads with the value {MappingContext.Number(value)}; CnnGen pads with zeros");
        }

        if (pads.Any(p => p < 0) || pads[0] != 0 || pads[1] != 0 || pads[rank] != 0 || pads[rank + 1] != 0 || input.SpatialRank == 0)
        {
            throw context.Planned(node, "Pad", $"has pads [{string.Join(", ", pads)}]; CnnGen merges zero pads of the spatial axes into the layer after them, and does not crop");
        }

        var before = pads.Skip(2).Take(rank - 2).Select(p => (int)p).ToArray();
        var after = pads.Skip(rank + 2).Select(p => (int)p).ToArray();
        context.Define(node, 0, new PaddedValue(input, before, after, node));
    }

    public static void Identity(MappingContext context, NodeProto node) => context.Alias(node, context.Value(node, 0));

    /// <summary>Dropout does nothing in inference; a model exported in training mode would drop values at random.</summary>
    public static void Dropout(MappingContext context, NodeProto node)
    {
        if (context.Opset >= 12 && context.OptionalConstant(node, 2, "training_mode") is { } training && training.ValueAt(0) != 0)
        {
            throw context.Planned(node, "Dropout", "is in training mode (training_mode true); export the model in eval mode (model.eval())");
        }

        if (context.IsUsed(node, 1))
        {
            throw context.Error(node, "has its mask read by another node; CnnGen imports inference graphs, where dropout does nothing");
        }

        context.Alias(node, context.Value(node, 0));
    }

    /// <summary>A vector as it is; a feature map through a flatten layer (channels first, so C, H, W order as in ONNX).</summary>
    private static void ToVector(MappingContext context, NodeProto node, FeatureValue input)
    {
        if (input.Dims.Length == 1 || input.PooledKeepDims)
        {
            // The same numbers as a vector: readers of the input other than this node still count.
            var vector = new FeatureValue(input.Producer, input.NetworkDims) { NonNegative = input.NonNegative };
            context.Define(node, 0, vector);
            vector.Uses += input.Uses - 1;
            return;
        }

        var size = input.Dims.Aggregate(1, (a, b) => a * b);
        context.AddLayer(node, new LayerDraft(LayerKind.Flatten, input.Dims, [size]), input, [size], nonNegative: input.NonNegative);
    }

    /// <summary>Whether (target) reshapes N x (size) to N x size: 2 entries, the first the batch (0, -1, N, or the model's fixed batch), the second the rest (or -1).</summary>
    private static bool IsFlattening(IntDim[] target, long size, bool allowZero, long? fixedBatch)
    {
        if (target.Length != 2)
        {
            return false;
        }

        var (first, second) = (target[0], target[1]);
        var firstIsBatch = first.IsBatch || !allowZero && first.Value == 0 || fixedBatch is { } batch && first.Value == batch;
        if (firstIsBatch)
        {
            return second.IsBatch ? false : second.Value == -1 || second.Value == size;
        }

        // (-1, size): the batch is what is left.
        return first.Value == -1 && !second.IsBatch && second.Value == size;
    }

    /// <summary>Whether (target) splits the channels of C x spatial in two axes and keeps the spatial ones: (N, g, C/g, H, W).</summary>
    private static bool IsChannelSplit(IntDim[] target, int[] dims) =>
        target.Length == dims.Length + 2 && target.Skip(1).All(dim => !dim.IsBatch) &&
        target[1].Value > 1 && target[2].Value > 0 && target[1].Value * target[2].Value == dims[0] &&
        target.Skip(3).Select(dim => dim.Value).SequenceEqual(dims.Skip(1).Select(dim => (long)dim));

    /// <summary>The batch size when the model fixes it, else null.</summary>
    private static long? BatchDim(MappingContext context)
    {
        var dims = context.Graph.Input.Type?.TensorType?.Shape?.Dim;
        return dims is { Count: > 0 } && dims[0].DimValue > 0 ? dims[0].DimValue : null;
    }

    private static long[] ExpandAxes(MappingContext context, NodeProto node, long[] pads, long[] axes, int rank)
    {
        if (pads.Length != 2 * axes.Length)
        {
            throw context.Error(node, $"has {pads.Length} pads for {axes.Length} axes");
        }

        var full = new long[2 * rank];
        for (var i = 0; i < axes.Length; i++)
        {
            var axis = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (axis < 0 || axis >= rank)
            {
                throw context.Error(node, $"pads axis {axes[i]} of a rank-{rank} input");
            }

            full[axis] = pads[i];
            full[axis + rank] = pads[i + axes.Length];
        }

        return full;
    }
}
