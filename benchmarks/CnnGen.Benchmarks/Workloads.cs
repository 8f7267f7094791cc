using CnnGen;

namespace CnnGen.Benchmarks;

/// <summary>The benchmark networks by name (the names bench_torch.py prints), with seeded weights and inputs.</summary>
internal static class Workloads
{
    /// <summary>The four workloads of Networks.cs.</summary>
    public static readonly string[] Names = ["LeNet5", "DigitNet", "Conv1DNet", "LargeLayer"];

    /// <summary>The workloads with a softmax output, trained with softmax cross-entropy.</summary>
    public static readonly string[] Classifiers = ["LeNet5", "DigitNet", "Conv1DNet"];

    /// <summary>Every convolution of the workloads as a network of its own (LayerNetworks.cs).</summary>
    public static readonly string[] ConvLayers =
    [
        "LeNetConv1", "LeNetConv2", "DigitConv1", "DigitConv2", "Conv1DLayer1", "Conv1DLayer2", "Conv1DLayer3", "LargeLayer",
        "ResNetStage2Conv", "ResNetStage3Conv", "ResNetStage4Conv", "ResNeXtGroupedConv", "UNetUpConv", "DecoderUpConv3x3",
        "RgbDepthwiseFilter", "DecoderRgbHead",
    ];

    /// <summary>Whole torchvision models imported with cnngen import (Models/*.cnn, channels first).</summary>
    public static readonly string[] Models = ["ResNet18At224", "MobileNetV2At224", "ResNet18At64", "MobileNetV2At64", "MobileNetV3LargeAt224"];

    /// <summary>Blocks declared by hand (BlockNetworks.cs, channels last): with batch norms, and folded (Conv-ReLU).</summary>
    public static readonly string[] Blocks = ["ResNetBasicBlock", "ResNetBasicBlockFused", "InvertedResidualBlock", "InvertedResidualBlockFused"];

    public static INetwork Create(string name)
    {
        INetwork network = name switch
        {
            "LeNet5" => new LeNet5(1),
            "DigitNet" => new DigitNet(1),
            "Conv1DNet" => new Conv1DNet(1),
            "LargeLayer" => new LargeLayer(1),
            "LeNetConv1" => new LeNetConv1(1),
            "LeNetConv2" => new LeNetConv2(1),
            "DigitConv1" => new DigitConv1(1),
            "DigitConv2" => new DigitConv2(1),
            "Conv1DLayer1" => new Conv1DLayer1(1),
            "Conv1DLayer2" => new Conv1DLayer2(1),
            "Conv1DLayer3" => new Conv1DLayer3(1),
            "ResNetStage2Conv" => new ResNetStage2Conv(1),
            "ResNetStage3Conv" => new ResNetStage3Conv(1),
            "ResNetStage4Conv" => new ResNetStage4Conv(1),
            "ResNeXtGroupedConv" => new ResNeXtGroupedConv(1),
            "UNetUpConv" => new UNetUpConv(1),
            "DecoderUpConv3x3" => new DecoderUpConv3x3(1),
            "RgbDepthwiseFilter" => new RgbDepthwiseFilter(1),
            "DecoderRgbHead" => new DecoderRgbHead(1),
            "ResNet18At224" => new ResNet18At224(1),
            "MobileNetV2At224" => new MobileNetV2At224(1),
            "MobileNetV3LargeAt224" => new MobileNetV3LargeAt224(1),
            "ResNet18At64" => new ResNet18At64(1),
            "MobileNetV2At64" => new MobileNetV2At64(1),
            "ResNetBasicBlock" => new ResNetBasicBlock(1),
            "ResNetBasicBlockFused" => new ResNetBasicBlockFused(1),
            "InvertedResidualBlock" => new InvertedResidualBlock(1),
            "InvertedResidualBlockFused" => new InvertedResidualBlockFused(1),
            _ => throw new ArgumentException($"Unknown workload '{name}'.", nameof(name)),
        };

        // Non-zero biases, so that a wrong bias layout in another engine shows in the output check.
        var random = new SeededRandom(2);
        foreach (var layer in network.Architecture.Layers)
        {
            var bias = network.Parameters.Slice(layer.ParameterOffset + layer.KernelLength, layer.BiasLength);
            for (var i = 0; i < bias.Length; i++)
            {
                bias[i] = (float)(random.NextDouble() * 0.2 - 0.1);
            }
        }

        return network;
    }

    /// <summary>Multiply-adds of one sample through the whole network.</summary>
    public static long MultiplyAdds(string name) => MultiplyAddsByName.GetOrAdd(name, n => Create(n).Architecture.Layers.Sum(l => l.MultiplyAdds));

    /// <summary>Uniform values in [-1, 1).</summary>
    public static float[] RandomValues(int length, int seed)
    {
        var random = new SeededRandom(seed);
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }

    /// <summary>One-hot targets: sample n is of class n mod classes.</summary>
    public static float[] OneHotTargets(int classes, int batch)
    {
        var targets = new float[classes * batch];
        for (var n = 0; n < batch; n++)
        {
            targets[n * classes + n % classes] = 1;
        }

        return targets;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> MultiplyAddsByName = new();
}
