using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;
using CnnGen.Tests.Reference;

namespace CnnGen.Tests;

/// <summary>
/// Inference folds each batch normalisation (and an activation after it) into the layer before
/// it, and applies hard swish, gelu and silu in the stores of the layer before them (training
/// runs them as passes). The folded forward pass computes what the reference computes, unfolded, at every
/// vector width; Backward after an inference Forward recomputes the layers unfolded and gives
/// the gradients of central differences; inference workspaces and training mode are unchanged
/// (Category=Numerics). Gamma, beta and the moving statistics are random, so scales and shifts
/// differ per channel.
/// </summary>
[Trait("Category", "Numerics")]
public class FoldedNormalizationTests
{
    public static TheoryData<string> Networks => new()
    {
        nameof(FoldedNormalizationNet), nameof(FoldedNormalizationSignalNetChannelsFirst), nameof(InferenceActivationNet),
        nameof(InferenceActivationSignalNetChannelsFirst), nameof(TransposedFoldNet), nameof(TransposedFoldSignalNetChannelsFirst),
        nameof(SlicedFoldNet), nameof(GroupedFoldNet),
    };

    public static INetwork Create(string name, int seed)
    {
        INetwork network = name switch
        {
            nameof(FoldedNormalizationNet) => new FoldedNormalizationNet(seed),
            nameof(FoldedNormalizationSignalNetChannelsFirst) => new FoldedNormalizationSignalNetChannelsFirst(seed),
            nameof(InferenceActivationNet) => new InferenceActivationNet(seed),
            nameof(InferenceActivationSignalNetChannelsFirst) => new InferenceActivationSignalNetChannelsFirst(seed),
            nameof(TransposedFoldNet) => new TransposedFoldNet(seed),
            nameof(TransposedFoldSignalNetChannelsFirst) => new TransposedFoldSignalNetChannelsFirst(seed),
            nameof(SlicedFoldNet) => new SlicedFoldNet(seed),
            nameof(GroupedFoldNet) => new GroupedFoldNet(seed),
            _ => throw new ArgumentException("No network " + name, nameof(name)),
        };
        RandomizeNormalizations(network, seed);
        return network;
    }

    /// <summary>Gamma in [0.5, 1.5), beta in [-0.5, 0.5), moving means in [-0.5, 0.5), moving variances in [0.25, 2.25).</summary>
    internal static void RandomizeNormalizations(INetwork network, int seed)
    {
        var random = new SeededRandom(seed + 1000);
        var parameters = network.Parameters;
        var state = network.State;
        foreach (var layer in network.Architecture.Layers)
        {
            if (layer.Kind != LayerKind.BatchNormalization)
            {
                continue;
            }

            var channels = layer.StateLength / 2;
            for (var i = 0; i < layer.KernelLength; i++)
            {
                parameters[layer.ParameterOffset + i] = (float)(0.5 + random.NextDouble());
            }

            for (var i = 0; i < layer.BiasLength; i++)
            {
                parameters[layer.ParameterOffset + layer.KernelLength + i] = (float)(random.NextDouble() - 0.5);
            }

            for (var c = 0; c < channels; c++)
            {
                state[layer.StateOffset + c] = (float)(random.NextDouble() - 0.5);
                state[layer.StateOffset + channels + c] = (float)(0.25 + 2 * random.NextDouble());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void FoldedInferenceMatchesTheReference(string name) => ReferenceChecks.ForwardMatchesTheReference(seed => Create(name, seed), name);

    [Theory]
    [MemberData(nameof(Networks))]
    public void BackwardAfterAFoldedForwardMatchesCentralDifferences(string name) =>
        ReferenceChecks.GradientsMatchCentralDifferences(seed => Create(name, seed), name);

    [Theory]
    [InlineData(nameof(FoldedNormalizationSignalNetChannelsFirst))]
    [InlineData(nameof(TransposedFoldNet))]
    [InlineData(nameof(SlicedFoldNet))]
    public void TheInferenceWorkspaceFoldsToo(string name)
    {
        var network = Create(name, 7);
        var input = Numerics.Random(3 * network.InputSize, seed: 5);
        var expected = new float[3 * network.OutputSize];
        var actual = new float[3 * network.OutputSize];
        network.Forward(input, expected, 3);
        network.Forward(input, actual, 3, network.CreateInferenceWorkspace());
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void TrainingModeThenInferenceModeUseTheUpdatedStatistics()
    {
        // Training mode runs the layers unfolded and updates the moving statistics; the next
        // inference Forward folds the updated ones and still matches the reference.
        var network = Create(nameof(FoldedNormalizationNet), 7);
        var input = Numerics.Random(4 * network.InputSize, seed: 9);
        var output = new float[4 * network.OutputSize];
        var before = network.State.ToArray();
        network.Forward(input, output, 4, training: true);
        Assert.NotEqual(before, network.State.ToArray());
        network.Forward(input, output, 4);
        for (var n = 0; n < 4; n++)
        {
            var expected = ReferenceNetwork.Forward(network.Architecture, network.Parameters, input.AsSpan(n * network.InputSize, network.InputSize), network.State);
            Numerics.AssertClose(expected, output.AsSpan(n * network.OutputSize, network.OutputSize), $"sample {n}");
        }
    }

    [Fact]
    public void WithoutATrainingModeInferenceAndTrainingForwardAgree()
    {
        // The network computes the same in both modes: training mode writes the pre-activations
        // and runs the passes, inference applies the activations in the stores.
        var network = Create(nameof(InferenceActivationSignalNetChannelsFirst), 3);
        var input = Numerics.Random(5 * network.InputSize, seed: 4);
        var inference = new float[5 * network.OutputSize];
        var training = new float[5 * network.OutputSize];
        network.Forward(input, inference, 5);
        network.Forward(input, training, 5, training: true);
        Numerics.AssertClose(Array.ConvertAll(training, v => (double)v), inference, "inference against training mode");
    }

    [Fact]
    public void BackwardAfterATrainingForwardDoesNotRecompute()
    {
        // A training-mode Forward writes what Backward reads; an inference one makes Backward run
        // the layers again first, unfolded, as training mode runs them: the gradients are the same floats.
        var network = Create(nameof(InferenceActivationSignalNetChannelsFirst), 3);
        var input = Numerics.Random(2 * network.InputSize, seed: 6);
        var output = new float[2 * network.OutputSize];
        var outputGradient = Numerics.Random(2 * network.OutputSize, seed: 8);
        var inputGradient = new float[2 * network.InputSize];
        network.Forward(input, output, 2, training: true);
        network.Backward(outputGradient, inputGradient);
        var trainingGradients = network.Gradients.ToArray();
        var trainingInputGradient = inputGradient.ToArray();
        network.Forward(input, output, 2);
        network.Backward(outputGradient, inputGradient);
        Assert.Equal(trainingGradients, network.Gradients.ToArray());
        Assert.Equal(trainingInputGradient, inputGradient);
    }
}
