using System.Linq;
using Onnx;

namespace CnnGen.Onnx;

/// <summary>
/// Add, Mul and Concat of feature maps as CnnGen's merges: add (a ResNet shortcut; a relu after
/// it fuses into it), multiply (a squeeze-and-excitation gate, whose C x 1 x 1 input is used at
/// every position) and concatenate (a fire module's or a U-Net's channels joined).
/// </summary>
internal static class MergeMapping
{
    /// <summary>Add or Mul of two feature maps of one shape, or of a map and one position of its channels.</summary>
    public static void Merge(MappingContext context, NodeProto node, LayerKind kind)
    {
        var left = context.Feature(node, 0);
        var right = context.Feature(node, 1);
        var verb = kind == LayerKind.Add ? "adds" : "multiplies";
        var output = left.Dims.SequenceEqual(right.Dims) ? left.Dims
            : IsOnePositionOf(right, left) ? left.Dims
            : IsOnePositionOf(left, right) ? right.Dims
            : throw context.Error(node, $"{verb} an N x {MappingContext.Shape(left.Dims)} and an N x {MappingContext.Shape(right.Dims)} feature map; " +
                $"CnnGen's {(kind == LayerKind.Add ? "add" : "multiply")} takes inputs of one shape, or one input of one position (C x 1 x 1) with the channels of the other");
        var draft = new LayerDraft(kind, left.NetworkDims, output);
        context.AddMerge(node, draft, [left, right], output, nonNegative: left.NonNegative && right.NonNegative);
    }

    /// <summary>Concat along the channel axis: concatenate, in the order of the node's inputs.</summary>
    public static void Concat(MappingContext context, NodeProto node)
    {
        var inputs = Enumerable.Range(0, node.Input.Count).Where(i => MappingContext.Has(node, i)).Select(i => context.Value(node, i)).ToList();
        if (inputs.All(value => value is ConstantValue))
        {
            // Shapes and other constants are folded before the mappings; this one was not foldable.
            throw context.Error(node, "joins constants the importer cannot evaluate");
        }

        var features = Enumerable.Range(0, node.Input.Count).Where(i => MappingContext.Has(node, i)).Select(i => context.Feature(node, i)).ToList();
        var first = features[0];
        var rank = first.Dims.Length + 1;
        var axis = context.Int(node, "axis", long.MinValue);
        var normalized = axis < 0 ? axis + rank : axis;
        if (normalized != 1)
        {
            throw context.Error(node, $"joins its inputs along axis {axis} of N x {MappingContext.Shape(first.Dims)}; CnnGen's concatenate joins the channel axis (1)");
        }

        var mismatch = features.FirstOrDefault(f => f.Dims.Length != first.Dims.Length || !f.Dims.Skip(1).SequenceEqual(first.Dims.Skip(1)));
        if (mismatch is not null)
        {
            throw context.Error(node, $"joins an N x {MappingContext.Shape(first.Dims)} and an N x {MappingContext.Shape(mismatch.Dims)} feature map; " +
                "concatenate needs equal spatial sizes");
        }

        if (features.Count == 1)
        {
            context.Alias(node, first);
            return;
        }

        int[] output = [features.Sum(f => f.Dims[0]), .. first.Dims.Skip(1)];
        var draft = new LayerDraft(LayerKind.Concatenate, first.NetworkDims, output);
        context.AddMerge(node, draft, features, output, nonNegative: features.All(f => f.NonNegative));
    }

    /// <summary>Whether <paramref name="small"/> is one position (every spatial size 1) with the channels of <paramref name="large"/>.</summary>
    private static bool IsOnePositionOf(FeatureValue small, FeatureValue large) =>
        small.Dims.Length == large.Dims.Length && small.Dims[0] == large.Dims[0] && small.Dims.Skip(1).All(d => d == 1);
}
