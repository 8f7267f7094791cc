using System.Linq;
using Onnx;

namespace CnnGen.Onnx;

/// <summary>Gemm and MatMul on a vector as dense (kernel (in, units), Keras layout); Add of a constant as the bias of the layer before it.</summary>
internal static class DenseMapping
{
    public static void Gemm(MappingContext context, NodeProto node)
    {
        var input = Vector(context, node);
        if (context.Int(node, "transA", 0) != 0)
        {
            throw context.Error(node, "has transA 1; CnnGen maps Gemm(x, W) where x is the network's vector");
        }

        var weights = context.Constant(node, 1, "the weights");
        var transposed = context.Int(node, "transB", 0) != 0;
        if (weights.Rank != 2 || !weights.IsFloat)
        {
            throw context.Error(node, $"has weights of shape ({string.Join(", ", weights.Dims)}); a matrix of floats was expected");
        }

        var (inputs, units) = transposed ? (weights.Dims[1], weights.Dims[0]) : (weights.Dims[0], weights.Dims[1]);
        CheckInputs(context, node, input, inputs);
        var alpha = context.Float(node, "alpha", 1f);
        var beta = context.Float(node, "beta", 1f);
        var kernel = new float[inputs * units];
        var source = weights.Floats!;
        for (var i = 0; i < inputs; i++)
        {
            for (var u = 0; u < units; u++)
            {
                kernel[i * units + u] = alpha * (transposed ? source[u * inputs + i] : source[i * units + u]);
            }
        }

        float[]? bias = null;
        if (context.OptionalConstant(node, 2, "the bias") is { } c)
        {
            bias = Broadcast(context, node, c, units) ?? throw context.Error(node,
                $"has C of shape ({string.Join(", ", c.Dims)}); a dense layer's bias is one value per unit ({units}) or one for all");
            for (var u = 0; u < units; u++)
            {
                bias[u] *= beta;
            }
        }

        AddDense(context, node, input, kernel, inputs, units, bias);
    }

    public static void MatMul(MappingContext context, NodeProto node)
    {
        if (context.Value(node, 0) is ConstantValue)
        {
            throw context.Error(node, "multiplies a constant by the network's values (W @ x); CnnGen maps x @ W, the dense layer");
        }

        var input = Vector(context, node);
        var weights = context.Constant(node, 1, "the weights");
        if (weights.Rank != 2 || !weights.IsFloat)
        {
            throw context.Error(node, $"has weights of shape ({string.Join(", ", weights.Dims)}); a matrix of floats (in, units) was expected");
        }

        CheckInputs(context, node, input, weights.Dims[0]);
        AddDense(context, node, input, weights.Floats!.ToArray(), weights.Dims[0], weights.Dims[1], bias: null);
    }

    /// <summary>
    /// Add(layer output, constant): the bias of the convolution or dense layer just before, when
    /// the constant is one value per output channel (or one for all) and nothing else reads the
    /// layer's output. Two feature maps are a merge (graphs).
    /// </summary>
    public static void AddBias(MappingContext context, NodeProto node)
    {
        var (left, right) = (context.Value(node, 0), context.Value(node, 1));
        if (left is not ConstantValue && right is not ConstantValue)
        {
            MergeMapping.Merge(context, node, LayerKind.Add);
            return;
        }

        var featureIndex = left is ConstantValue ? 1 : 0;
        var feature = context.Feature(node, featureIndex);
        var constant = ((ConstantValue)(featureIndex == 0 ? right : left)).Tensor;
        if (MappingContext.SoleReaderMayFold(feature) is not { TakesBias: true, Activation: Activation.Linear } layer)
        {
            throw context.Error(node, "adds a constant to a feature map other than the output of a convolution or dense layer that nothing else reads; " +
                "CnnGen maps such an Add as that layer's bias only");
        }

        var channels = feature.Dims[0];
        var perChannel = constant.IsFloat && constant.Dims.Length <= feature.Dims.Length + 1 && IsPerChannel(constant, feature.Dims.Length);
        var values = perChannel ? Broadcast(context, node, constant, channels) : null;
        if (values is null)
        {
            throw context.Error(node, $"adds a constant of shape ({string.Join(", ", constant.Dims)}) to an N x {MappingContext.Shape(feature.Dims)} output; " +
                $"CnnGen maps it as a bias only when it has one value per channel ({channels}) or one for all");
        }

        layer.Bias = layer.Bias is null ? values : layer.Bias.Select((b, i) => b + values[i]).ToArray();
        layer.Nodes.Add(node);
        context.Define(node, 0, new FeatureValue(layer, feature.Dims));
    }

    private static FeatureValue Vector(MappingContext context, NodeProto node)
    {
        var input = context.Feature(node, 0);
        if (input.Dims.Length != 1)
        {
            throw context.Error(node, $"multiplies an N x {MappingContext.Shape(input.Dims)} feature map; CnnGen's dense layer takes a vector: flatten it first (torch.flatten(x, 1))");
        }

        return input;
    }

    private static void CheckInputs(MappingContext context, NodeProto node, FeatureValue input, int inputs)
    {
        if (inputs != input.Dims[0])
        {
            throw context.Error(node, $"has weights for {inputs} inputs but its input has {input.Dims[0]}");
        }
    }

    private static void AddDense(MappingContext context, NodeProto node, FeatureValue input, float[] kernel, int inputs, int units, float[]? bias)
    {
        var draft = new LayerDraft(LayerKind.Dense, [inputs], [units])
        {
            Kernel = kernel,
            KernelShape = [inputs, units],
            Bias = bias,
        };
        context.AddLayer(node, draft, input, [units]);
    }

    /// <summary>Whether every axis but the channel axis has size 1 once aligned right (numpy broadcasting against N x C x spatial).</summary>
    private static bool IsPerChannel(ConstTensor constant, int sampleRank)
    {
        // Align right against (N, C, spatial...): the channel axis is at sampleRank from the right.
        for (var i = 0; i < constant.Rank; i++)
        {
            var fromRight = constant.Rank - 1 - i;
            if (fromRight != sampleRank - 1 && constant.Dims[i] != 1)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The values repeated to <paramref name="count"/> (from one), or as they are; null when neither fits.</summary>
    private static float[]? Broadcast(MappingContext context, NodeProto node, ConstTensor tensor, int count)
    {
        if (!tensor.IsFloat)
        {
            throw context.Error(node, "has an integer bias");
        }

        return tensor.Count == count ? tensor.Floats!.ToArray()
            : tensor.Count == 1 ? Enumerable.Repeat(tensor.Floats![0], count).ToArray()
            : null;
    }
}
