using System;
using System.Linq;
using Onnx;

namespace CnnGen.Onnx;

/// <summary>
/// BatchNormalization (inference): folded into the convolution or dense layer before it when
/// nothing else reads that layer's output (Conv-BN costs what a Conv costs), else a batch_norm
/// layer with gamma and beta as parameters and the moving mean and variance as state.
/// </summary>
internal static class NormalizationMapping
{
    public static void BatchNormalization(MappingContext context, NodeProto node)
    {
        if (context.Int(node, "training_mode", 0) != 0 || context.IsUsed(node, 1) || context.IsUsed(node, 2))
        {
            throw context.Error(node, "normalises in training mode (it updates or outputs the running statistics); export the model in inference mode (model.eval())");
        }

        if (context.Opset < 9 && context.Int(node, "spatial", 1) == 0)
        {
            throw context.Error(node, "has spatial 0 (statistics per position); CnnGen's batch_norm keeps statistics per channel");
        }

        var x = context.Feature(node, 0);
        var channels = x.Dims[0];
        var gamma = Channelwise(context, node, 1, "the scale", channels);
        var beta = Channelwise(context, node, 2, "the bias", channels);
        var mean = Channelwise(context, node, 3, "the mean", channels);
        var variance = Channelwise(context, node, 4, "the variance", channels);
        var epsilon = context.Float(node, "epsilon", 1e-5f);
        var momentum = context.Float(node, "momentum", 0.9f);
        if (!(epsilon > 0) || float.IsInfinity(epsilon))
        {
            throw context.Error(node, $"has epsilon {MappingContext.Number(epsilon)}; batch normalisation needs an epsilon greater than 0");
        }

        var negative = Array.FindIndex(variance, v => !(v >= 0) || float.IsInfinity(v));
        if (negative >= 0)
        {
            throw context.Error(node, $"has the variance {variance[negative]} for channel {negative}; a variance is finite and at least 0");
        }

        if (MappingContext.SoleReaderMayFold(x) is { TakesBias: true, Activation: Activation.Linear } producer)
        {
            Fold(producer, gamma, beta, mean, variance, epsilon);
            producer.Nodes.Add(node);
            context.Define(node, 0, new FeatureValue(producer, x.Dims));
            return;
        }

        var draft = new LayerDraft(LayerKind.BatchNormalization, x.NetworkDims, x.NetworkDims)
        {
            Kernel = gamma,
            KernelShape = [channels],
            Bias = beta,
            State = [.. mean, .. variance],
            Momentum = Math.Clamp(momentum, 0f, 1f),
            Epsilon = epsilon,
        };
        context.AddLayer(node, draft, x, x.Dims, x.PooledKeepDims);
    }

    /// <summary>
    /// gamma (x - mean) / sqrt(variance + epsilon) + beta after a layer computing x = k * in + b is
    /// the layer with the kernel scaled per output channel by s = gamma / sqrt(variance + epsilon)
    /// and the bias (b - mean) s + beta. The output channel is the kernel's last index in Keras
    /// layout (a depthwise kernel's last two, a transposed one's second last): <see cref="LayerDraft.OutputChannelOf"/>.
    /// </summary>
    private static void Fold(LayerDraft layer, float[] gamma, float[] beta, float[] mean, float[] variance, float epsilon)
    {
        var channels = gamma.Length;
        var scale = new double[channels];
        for (var c = 0; c < channels; c++)
        {
            scale[c] = gamma[c] / Math.Sqrt((double)variance[c] + epsilon);
        }

        var kernel = layer.Kernel!;
        for (var i = 0; i < kernel.Length; i++)
        {
            kernel[i] = (float)(kernel[i] * scale[layer.OutputChannelOf(i, channels)]);
        }

        var bias = layer.Bias ?? new float[channels];
        layer.Bias = Enumerable.Range(0, channels).Select(c => (float)((bias[c] - (double)mean[c]) * scale[c] + beta[c])).ToArray();
    }

    private static float[] Channelwise(MappingContext context, NodeProto node, int index, string role, int channels)
    {
        var tensor = context.Constant(node, index, role);
        if (!tensor.IsFloat || tensor.Count != channels)
        {
            throw context.Error(node, $"has {role} of shape ({string.Join(", ", tensor.Dims)}); it needs one float per channel ({channels})");
        }

        return tensor.Floats!.ToArray();
    }
}
