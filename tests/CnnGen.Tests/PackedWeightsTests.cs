using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;
using CnnGen.Tests.Reference;

namespace CnnGen.Tests;

/// <summary>
/// PackWeights keeps the kernels of deep convolutions packed, so that Forward reads them instead
/// of packing them on every call: the same numbers, bit for bit, in either mode and workspace,
/// at every vector width (Category=Numerics); and a network whose weights are handed out again
/// drops the pack, so that weights changed after it are never computed with stale kernels.
/// </summary>
[Trait("Category", "Numerics")]
public class PackedWeightsTests
{
    /// <summary>
    /// Every group's slices packed at once (ShortRowSlicedNet, PackedNormalizedNet at every width),
    /// each group's slices packed in turn (SlicedSampleBlockNet; SlicedConvolutionNet at 512 bits,
    /// with an overlapping last group), a graph on an inference workspace, a channels-first Conv1D,
    /// a kernel streamed in two slices although one would hold it (StreamedPointwiseNet); and dense
    /// kernels a single sample streams row by row, packed in that order: in slices with a last one
    /// of 3 rows and an overlapping last vector of units (StreamedDenseNet), with a batch norm
    /// folded into the stores (StreamedFoldedDenseNet).
    /// </summary>
    public static TheoryData<string> Networks => new()
    {
        nameof(ShortRowSlicedNet), nameof(SlicedResidualNet), nameof(PackedNormalizedNet), nameof(SlicedConvolutionNet), nameof(SlicedSampleBlockNet),
        nameof(SlicedSignalNet), nameof(StreamedPointwiseNet), nameof(StreamedDenseNet), nameof(StreamedFoldedDenseNet),
        nameof(SharedStreamedDenseNet),
    };

    private static INetwork Create(string name)
    {
        INetwork network = name switch
        {
            nameof(ShortRowSlicedNet) => new ShortRowSlicedNet(5),
            nameof(SlicedResidualNet) => new SlicedResidualNet(5),
            nameof(PackedNormalizedNet) => new PackedNormalizedNet(5),
            nameof(SlicedConvolutionNet) => new SlicedConvolutionNet(5),
            nameof(SlicedSampleBlockNet) => new SlicedSampleBlockNet(5),
            nameof(SlicedSignalNet) => new SlicedSignalNet(5),
            nameof(StreamedPointwiseNet) => new StreamedPointwiseNet(5),
            nameof(StreamedDenseNet) => new StreamedDenseNet(5),
            nameof(StreamedFoldedDenseNet) => new StreamedFoldedDenseNet(5),
            nameof(SharedStreamedDenseNet) => new SharedStreamedDenseNet(5),
            _ => throw new ArgumentException("No network " + name, nameof(name)),
        };
        ForwardTests.RandomizeBiases(network, seed: 6);
        FoldedNormalizationTests.RandomizeNormalizations(network, seed: 7);
        return network;
    }

    /// <summary>Outputs of batches 1 and 3 on the network's own, a new and an inference workspace, in inference mode and in training mode.</summary>
    private static List<float[]> Outputs(INetwork network)
    {
        var outputs = new List<float[]>();
        var state = network.State.ToArray();
        foreach (var batch in new[] { 1, 3 })
        {
            var input = Numerics.Random(batch * network.InputSize, seed: 30 + batch, scale: 0.25f);
            foreach (var training in new[] { false, true })
            {
                foreach (var workspace in new[] { null, network.CreateWorkspace(), network.CreateInferenceWorkspace() })
                {
                    if (training && workspace is { IsInferenceOnly: true })
                    {
                        continue;
                    }

                    var output = new float[batch * network.OutputSize];
                    if (workspace is null)
                    {
                        network.Forward(input, output, batch, training);
                    }
                    else
                    {
                        network.Forward(input, output, batch, workspace, training);
                    }

                    outputs.Add(output);
                    state.CopyTo(network.State); // training mode moved the moving statistics
                }
            }
        }

        return outputs;
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void PackedKernelsGiveTheSameOutputsBitForBit(string name)
    {
        var network = Create(name);
        var input = Numerics.Random(network.InputSize, seed: 40, scale: 0.25f);
        var reference = ReferenceNetwork.Forward(network.Architecture, network.Parameters, input, network.State);
        var expected = Outputs(network);

        Assert.False(network.WeightsPacked);
        network.PackWeights();
        Assert.True(network.WeightsPacked);
        var actual = Outputs(network);
        Assert.True(network.WeightsPacked, "Forward and State leave the pack in place");
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }

        var output = new float[network.OutputSize];
        network.Forward(input, output);
        Numerics.AssertClose(reference, output, name + " packed against the reference");
    }

    /// <summary>
    /// Weights changed after PackWeights, through Parameters or through a layer's view, are used:
    /// the outputs equal, bit for bit, those of a twin network that never packed, given the same changes.
    /// </summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void WeightsChangedAfterPackingAreUsed(string name)
    {
        var network = Create(name);
        var twin = Create(name);
        var input = Numerics.Random(network.InputSize, seed: 41, scale: 0.25f);
        network.PackWeights();
        var before = Forward(network, input);
        Assert.Equal(Forward(twin, input), before);

        // Through Parameters: every kernel weight of the convolutions and dense layers negated.
        Assert.True(network.WeightsPacked);
        NegateKernels(network.Parameters, network);
        Assert.False(network.WeightsPacked);
        NegateKernels(twin.Parameters, twin);
        var changed = Forward(network, input);
        Assert.NotEqual(before, changed);
        Assert.Equal(Forward(twin, input), changed);

        network.PackWeights();
        Assert.Equal(changed, Forward(network, input));

        // Through a layer's view: the pack is dropped as the view is taken.
        var first = network.Architecture.Layers.First(IsWeighted).Name;
        network.PackWeights();
        var view = LayerView(network, first);
        Assert.False(network.WeightsPacked);
        view.Kernel.Clear();
        LayerView(twin, first).Kernel.Clear();
        var cleared = Forward(network, input);
        Assert.NotEqual(changed, cleared);
        Assert.Equal(Forward(twin, input), cleared);
    }

    /// <summary>The layers whose kernels a pack may hold.</summary>
    private static bool IsWeighted(LayerInfo layer) => layer.Kind is LayerKind.Conv2D or LayerKind.Conv1D or LayerKind.Dense;

    private static float[] Forward(INetwork network, float[] input)
    {
        var output = new float[network.OutputSize];
        network.Forward(input, output);
        return output;
    }

    private static void NegateKernels(Span<float> parameters, INetwork network)
    {
        foreach (var layer in network.Architecture.Layers.Where(IsWeighted))
        {
            var kernel = parameters.Slice(layer.ParameterOffset, layer.KernelLength);
            for (var i = 0; i < kernel.Length; i++)
            {
                kernel[i] = -kernel[i];
            }
        }
    }

    /// <summary>The generated per-layer property of the first convolution or dense layer (layer views are not on INetwork).</summary>
    private static LayerParameters LayerView(INetwork network, string layer)
    {
        var packed = network.WeightsPacked;
        var property = network.GetType().GetProperties().Single(p => p.PropertyType == typeof(LayerParameters) &&
            ((LayerParameters)p.GetValue(network)!).Name == layer);
        if (packed)
        {
            // Finding the property read every view: pack again, so that taking this one is what drops the pack.
            network.PackWeights();
            Assert.True(network.WeightsPacked);
        }

        return (LayerParameters)property.GetValue(network)!;
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void BackwardAfterAPackedForwardGivesTheSameGradients(string name)
    {
        const int batch = 2;
        var network = Create(name);
        var input = Numerics.Random(batch * network.InputSize, seed: 42, scale: 0.25f);
        var outputGradient = Numerics.Random(batch * network.OutputSize, seed: 43);
        var output = new float[batch * network.OutputSize];

        (float[] InputGradient, float[] Gradients) Run(bool training)
        {
            var workspace = network.CreateWorkspace();
            var inputGradient = new float[batch * network.InputSize];
            var gradients = new float[network.ParameterCount];
            network.Forward(input, output, batch, workspace, training);
            network.Backward(outputGradient, inputGradient, workspace, gradients);
            return (inputGradient, gradients);
        }

        foreach (var training in new[] { false, true })
        {
            Assert.True(network.Parameters.Length > 0); // drops the pack of the last round
            Assert.False(network.WeightsPacked);
            var state = network.State.ToArray();
            var expected = Run(training);
            state.CopyTo(network.State);
            network.PackWeights();
            var actual = Run(training);
            state.CopyTo(network.State);
            Assert.True(network.WeightsPacked);
            Assert.Equal(expected.InputGradient, actual.InputGradient);
            Assert.Equal(expected.Gradients, actual.Gradients);
        }
    }

    [Fact]
    public void ANetworkWithoutDeepLayersHasNothingToPack()
    {
        var network = new DigitNet(1);
        network.PackWeights();
        Assert.False(network.WeightsPacked);
        INetwork general = network;
        general.PackWeights();
        Assert.False(general.WeightsPacked);
    }
}
