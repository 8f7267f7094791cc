using System.Runtime.InteropServices;
using CnnGen.Onnx;
using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;
using CnnGen.Tests.Weights;

namespace CnnGen.Tests.OnnxExport;

/// <summary>
/// Batch normalisation exported as ONNX BatchNormalization (inference mode) runs the same in
/// ONNX Runtime as the generated code, with moving statistics far from 0 and 1, on feature maps
/// in both data formats and on a dense layer's vector, with and without Scale and Center.
/// </summary>
public class BatchNormOnnxExportTests
{
    [Theory]
    [InlineData(nameof(BatchNormNet))]
    [InlineData(nameof(BatchNormSignalNetChannelsFirst))]
    [InlineData(nameof(TorchNormNet))]
    [InlineData(nameof(TorchNormNetChannelsFirst))]
    public void BatchNormalizationRunsTheSameInOnnxRuntime(string name)
    {
        INetwork network = name switch
        {
            nameof(BatchNormNet) => new BatchNormNet(seed: 3),
            nameof(BatchNormSignalNetChannelsFirst) => new BatchNormSignalNetChannelsFirst(seed: 3),
            _ => WeightImportTests.Create(name),
        };
        ForwardTests.RandomizeBiases(network, seed: 4);
        RandomizeState(network, seed: 5);
        OnnxExportTests.AssertSameInOnnxRuntime(network, name);
    }

    [Fact]
    public void TheNodeCarriesGammaBetaMovingStatisticsEpsilonAndMomentum()
    {
        INetwork network = new BatchNormSignalNetChannelsFirst(seed: 3);
        RandomizeState(network, seed: 5);
        var model = OnnxExporter.CreateModel(network);
        var nodes = model.Graph.Node.Where(n => n.OpType == "BatchNormalization").ToList();
        Assert.Equal(3, nodes.Count);

        // batch_norm_2 has Scale = false: gamma is ones; its moving variance is the state's.
        var layer = network.Architecture.FindLayer("batch_norm_2")!;
        var node = nodes[1];
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name, t => MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray());
        Assert.All(initializers[node.Input[1]], g => Assert.Equal(1f, g));
        Assert.Equal(network.State.Slice(layer.StateOffset + 7, 7).ToArray(), initializers[node.Input[4]]);
        Assert.Equal(0.99f, node.Attribute.Single(a => a.Name == "momentum").F);
        Assert.Equal(0.8f, nodes[0].Attribute.Single(a => a.Name == "momentum").F);

        // batch_norm_3 has Center = false and epsilon 0.01: beta is zeros.
        Assert.All(initializers[nodes[2].Input[2]], b => Assert.Equal(0f, b));
        Assert.Equal(0.01f, nodes[2].Attribute.Single(a => a.Name == "epsilon").F);
    }

    /// <summary>Moving means in [-1, 1] and variances in [0.25, 1.75], as a trained network has.</summary>
    internal static void RandomizeState(INetwork network, int seed)
    {
        var random = Numerics.Random(network.StateCount, seed);
        foreach (var layer in network.Architecture.Layers.Where(l => l.StateLength > 0))
        {
            var channels = layer.StateLength / 2;
            for (var c = 0; c < channels; c++)
            {
                network.State[layer.StateOffset + c] = random[layer.StateOffset + c];
                network.State[layer.StateOffset + channels + c] = 1f + 0.75f * random[layer.StateOffset + channels + c];
            }
        }
    }
}
