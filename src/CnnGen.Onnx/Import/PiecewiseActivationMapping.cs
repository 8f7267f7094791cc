using System;
using System.Linq;
using Onnx;

namespace CnnGen.Onnx;

/// <summary>
/// Relu6 (Clip(0, 6)), hard sigmoid, hard swish (the operator, or x * HardSigmoid(x) as
/// torch.onnx.export writes nn.Hardswish below opset 14) and gelu (the operator of opset 20, or
/// the pattern torch.onnx.export writes for nn.GELU: Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5)),
/// fused into the convolution or dense layer before them as the other activations are.
/// </summary>
internal static class PiecewiseActivationMapping
{
    private const float Sixth = 1f / 6f;

    /// <summary>Clip(x, 0, 6), with min and max as attributes (opset &lt; 11) or constant inputs.</summary>
    public static void Clip(MappingContext context, NodeProto node)
    {
        var input = context.Feature(node, 0, acceptPooled: true);
        var (min, max) = context.Opset < 11
            ? ((float?)context.Float(node, "min", float.MinValue), (float?)context.Float(node, "max", float.MaxValue))
            : (Bound(context, node, 1, "min"), Bound(context, node, 2, "max"));
        if (min != 0f || max != 6f)
        {
            throw context.Error(node, $"clips to [{Describe(min)}, {Describe(max)}]; CnnGen maps Clip as relu6 only, Clip(x, 0, 6)");
        }

        context.Activate(node, input, Activation.Relu6);
    }

    /// <summary>HardSigmoid(alpha 1/6, beta 1/2), or the gate of x * HardSigmoid(x) (hard swish).</summary>
    public static void HardSigmoid(MappingContext context, NodeProto node)
    {
        var input = context.Feature(node, 0, acceptPooled: true);
        var alpha = context.Float(node, "alpha", 0.2f);
        var beta = context.Float(node, "beta", 0.5f);
        if (alpha != Sixth || beta != 0.5f)
        {
            throw context.Error(node, $"has alpha {MappingContext.Number(alpha)} and beta {MappingContext.Number(beta)}" +
                (MappingContext.Attribute(node, "alpha") is null ? " (ONNX's default alpha, Keras 2's hard sigmoid)" : string.Empty) +
                "; CnnGen's hard_sigmoid is relu6(x + 3) / 6, alpha 1/6 and beta 0.5 (PyTorch's nn.Hardsigmoid)");
        }

        var readers = context.Graph.Consumers(node.Output[0]);
        var isHardSwish = readers.Count == 1 && readers[0].OpType == "Mul" && readers[0].Input.Count == 2 &&
            readers[0].Input.Contains(node.Input[0]) && readers[0].Input.Contains(node.Output[0]) &&
            node.Output[0] != context.Graph.Output.Name && input.Uses == 2;
        if (isHardSwish)
        {
            context.Define(node, 0, new ActivationPattern(input, [node], ActivationPattern.Step.HardSigmoidGate));
            return;
        }

        context.Activate(node, input, Activation.HardSigmoid);
    }

    public static void HardSwish(MappingContext context, NodeProto node) =>
        context.Activate(node, context.Feature(node, 0, acceptPooled: true), Activation.HardSwish);

    /// <summary>Gelu of opset 20: the exact one only (approximate = "none").</summary>
    public static void Gelu(MappingContext context, NodeProto node)
    {
        var approximate = MappingContext.Attribute(node, "approximate") is { } attribute ? attribute.S.ToStringUtf8() : "none";
        if (approximate != "none")
        {
            throw context.Error(node, $"has approximate '{approximate}'; CnnGen's gelu is the exact one (approximate 'none', with erf)");
        }

        context.Activate(node, context.Feature(node, 0, acceptPooled: true), Activation.Gelu);
    }

    /// <summary>Div(x, sqrt 2): the first step of gelu's erf pattern.</summary>
    public static void Div(MappingContext context, NodeProto node)
    {
        if (context.Value(node, 0) is FeatureValue x && context.Value(node, 1) is ConstantValue { Tensor: { IsFloat: true, Count: 1 } divisor } &&
            Math.Abs(divisor.Floats![0] - Math.Sqrt(2)) <= 1e-6)
        {
            context.Define(node, 0, new ActivationPattern(x, [node], ActivationPattern.Step.Scaled));
            return;
        }

        context.Feature(node, 0, acceptPooled: true);
        throw context.Error(node, "divides a feature map other than by sqrt 2 in gelu's erf pattern, " +
            "Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5); CnnGen has no layer that divides");
    }

    /// <summary>Erf(x / sqrt 2) in gelu's erf pattern.</summary>
    public static void Erf(MappingContext context, NodeProto node)
    {
        if (context.Value(node, 0) is ActivationPattern { Current: ActivationPattern.Step.Scaled } scaled)
        {
            context.Define(node, 0, scaled.Then(node, ActivationPattern.Step.Erf));
            return;
        }

        context.Feature(node, 0, acceptPooled: true);
        throw context.Error(node, "takes the erf of something other than x / sqrt 2; CnnGen maps Erf only in gelu's erf pattern, " +
            "Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5)");
    }

    /// <summary>Add(Erf(x / sqrt 2), 1) in gelu's erf pattern; every other Add is a bias (or a merge).</summary>
    public static void Add(MappingContext context, NodeProto node)
    {
        var (left, right) = (context.Value(node, 0), context.Value(node, 1));
        var erf = left as ActivationPattern ?? right as ActivationPattern;
        if (erf is null)
        {
            DenseMapping.AddBias(context, node);
            return;
        }

        var other = ReferenceEquals(erf, left) ? right : left;
        if (erf.Current != ActivationPattern.Step.Erf || !IsScalar(other, 1f))
        {
            throw context.Error(node, "adds to a step of gelu's erf pattern something other than 1; the importer maps " +
                "Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5) only");
        }

        context.Define(node, 0, erf.Then(node, ActivationPattern.Step.OnePlusErf));
    }

    /// <summary>
    /// x * HardSigmoid(x) (hard swish), and the two products of gelu's erf pattern: x * (1 + erf)
    /// then * 0.5. Other products go to the silu mapping (and its errors).
    /// </summary>
    public static void Mul(MappingContext context, NodeProto node)
    {
        var (left, right) = (context.Value(node, 0), context.Value(node, 1));
        var pattern = left as ActivationPattern ?? right as ActivationPattern;
        if (pattern is null)
        {
            ActivationMapping.SiluProduct(context, node);
            return;
        }

        var other = ReferenceEquals(pattern, left) ? right : left;
        switch (pattern.Current)
        {
            case ActivationPattern.Step.HardSigmoidGate when ReferenceEquals(other, pattern.Input):
                Complete(context, node, pattern, Activation.HardSwish);
                return;
            case ActivationPattern.Step.OnePlusErf when ReferenceEquals(other, pattern.Input):
                context.Define(node, 0, pattern.Then(node, ActivationPattern.Step.TwiceGelu));
                return;
            case ActivationPattern.Step.TwiceGelu when IsScalar(other, 0.5f):
                Complete(context, node, pattern, Activation.Gelu);
                return;
            default:
                throw context.Error(node, $"multiplies the output of {OnnxGraph.Describe(pattern.Nodes[^1])} in a way the importer does not map; it maps " +
                    "x * HardSigmoid(x) (hard_swish) and Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5) (gelu)");
        }
    }

    /// <summary>The pattern's last node: the activation of x (which the pattern read twice), its other nodes joining the layer.</summary>
    private static void Complete(MappingContext context, NodeProto node, ActivationPattern pattern, Activation activation)
    {
        context.Activate(node, pattern.Input, activation, usesOfX: 2).Nodes.AddRange(pattern.Nodes);
    }

    private static float? Bound(MappingContext context, NodeProto node, int index, string role)
    {
        var tensor = context.OptionalConstant(node, index, "the " + role);
        if (tensor is null)
        {
            return null;
        }

        if (tensor.Count != 1)
        {
            throw context.Error(node, $"has a {role} of {tensor.Count} values; Clip's {role} is a scalar");
        }

        return (float)tensor.ValueAt(0);
    }

    private static bool IsScalar(GraphValue value, float expected) =>
        value is ConstantValue { Tensor: { IsFloat: true, Count: 1 } tensor } && tensor.Floats![0] == expected;

    private static string Describe(float? bound) => bound is { } value && Math.Abs(value) < 1e30f ? MappingContext.Number(value) : "none";
}

/// <summary>
/// A step of a pattern that becomes one activation of <see cref="Input"/>: hard swish
/// (x * HardSigmoid(x)) or gelu's erf pattern; the nodes seen so far join the layer at the end.
/// </summary>
internal sealed class ActivationPattern(FeatureValue input, NodeProto[] nodes, ActivationPattern.Step current) : GraphValue
{
    public enum Step
    {
        /// <summary>HardSigmoid(x), read only by Mul(x, HardSigmoid(x)).</summary>
        HardSigmoidGate,
        /// <summary>x / sqrt 2.</summary>
        Scaled,
        /// <summary>erf(x / sqrt 2).</summary>
        Erf,
        /// <summary>1 + erf(x / sqrt 2).</summary>
        OnePlusErf,
        /// <summary>x (1 + erf(x / sqrt 2)).</summary>
        TwiceGelu,
    }

    public FeatureValue Input { get; } = input;

    public NodeProto[] Nodes { get; } = nodes;

    public Step Current { get; } = current;

    /// <summary>The pattern one node further.</summary>
    public ActivationPattern Then(NodeProto node, Step step) => new(Input, [.. Nodes, node], step);
}
