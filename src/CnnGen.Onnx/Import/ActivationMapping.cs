using System;
using System.Linq;
using Onnx;

namespace CnnGen.Onnx;

/// <summary>Activations: fused into the convolution or dense layer before them where CnnGen can, else activation layers. x * Sigmoid(x) is silu.</summary>
internal static class ActivationMapping
{
    /// <summary>CnnGen's leaky_relu slope (Keras's default).</summary>
    private const float LeakySlope = 0.3f;

    public static void Simple(MappingContext context, NodeProto node, Activation activation) =>
        context.Activate(node, context.Feature(node, 0, acceptPooled: true), activation);

    public static void LeakyRelu(MappingContext context, NodeProto node)
    {
        var alpha = context.Float(node, "alpha", 0.01f);
        if (alpha != LeakySlope)
        {
            throw context.Error(node, $"has alpha {MappingContext.Number(alpha)}{(MappingContext.Attribute(node, "alpha") is null ? " (ONNX's default)" : string.Empty)}; " +
                $"CnnGen's leaky_relu has the slope {MappingContext.Number(LeakySlope)} only (Keras's default). Export with nn.LeakyReLU(0.3), or train with it");
        }

        Simple(context, node, Activation.LeakyRelu);
    }

    public static void Elu(MappingContext context, NodeProto node)
    {
        var alpha = context.Float(node, "alpha", 1f);
        if (alpha != 1f)
        {
            throw context.Error(node, $"has alpha {MappingContext.Number(alpha)}; CnnGen's elu has alpha 1 only");
        }

        Simple(context, node, Activation.Elu);
    }

    /// <summary>Softmax over the channel axis: axis 1 of N x C (x spatial). Before opset 13, ONNX's softmax covers every axis from 'axis' on.</summary>
    public static void Softmax(MappingContext context, NodeProto node)
    {
        var input = context.Feature(node, 0, acceptPooled: true);
        var rank = input.Dims.Length + 1;
        var coerced = context.Opset < 13;
        var axis = context.Int(node, "axis", coerced ? 1 : -1);
        var normalized = axis < 0 ? axis + rank : axis;
        // With opset < 13 the softmax runs over axes 1.. flattened: the channels only when nothing spatial is larger than 1.
        var overChannels = normalized == 1 && (!coerced || input.Dims.Skip(1).All(d => d == 1));
        if (!overChannels)
        {
            throw context.Error(node, $"takes the softmax over axis {axis} of its N x {MappingContext.Shape(input.Dims)} input" +
                (coerced && normalized == 1 ? $" (opset {context.Opset}: over every axis from 1 on)" : string.Empty) +
                "; CnnGen's softmax is over the channel axis (1)");
        }

        context.Activate(node, input, Activation.Softmax);
    }

    /// <summary>Sigmoid, or the first half of x * Sigmoid(x) (silu) when a Mul of x and this sigmoid is its only reader.</summary>
    public static void Sigmoid(MappingContext context, NodeProto node)
    {
        var input = context.Feature(node, 0, acceptPooled: true);
        var readers = context.Graph.Consumers(node.Output[0]);
        var isSilu = readers.Count == 1 && readers[0].OpType == "Mul" && readers[0].Input.Count == 2 &&
            readers[0].Input.Contains(node.Input[0]) && readers[0].Input.Contains(node.Output[0]) &&
            node.Output[0] != context.Graph.Output.Name && input.Uses == 2;
        if (isSilu)
        {
            context.Define(node, 0, new SigmoidGate(input, node));
            return;
        }

        context.Activate(node, input, Activation.Sigmoid);
    }

    /// <summary>Mul(x, Sigmoid(x)) as silu; a product of two feature maps is a multiply merge; scaling by a constant has no layer.</summary>
    public static void SiluProduct(MappingContext context, NodeProto node)
    {
        var (left, right) = (context.Value(node, 0), context.Value(node, 1));
        var gate = left as SigmoidGate ?? right as SigmoidGate;
        var other = ReferenceEquals(gate, left) ? right : left;
        if (gate is not null && ReferenceEquals(gate.Input, other))
        {
            context.Activate(node, gate.Input, Activation.Silu, usesOfX: 2).Nodes.Add(gate.Node);
            return;
        }

        if (left is ConstantValue || right is ConstantValue)
        {
            throw context.Error(node, "multiplies a feature map by a constant; CnnGen has no layer that scales (fold the constant into the layer before it when exporting)");
        }

        MergeMapping.Merge(context, node, LayerKind.Multiply);
    }
}
