using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;
using CnnGen.Tests.Reference;

namespace CnnGen.Tests;

/// <summary>
/// Deep convolutions whose forward runs the input channels in slices (each filter group's
/// weights for a slice packed on the stack, or every group's at once into the forward scratch
/// where a sample's output is small, the partial sums kept in the output) compute what
/// the reference computes, at every vector width (Category=Numerics), at batches 1 and 4.
/// </summary>
[Trait("Category", "Numerics")]
public class InputChannelSliceTests
{
    public static TheoryData<string> Networks => new()
    {
        nameof(SlicedConvolutionNet), nameof(SlicedConvolutionChainNet), nameof(SlicedSignalNet), nameof(SlicedSampleBlockNet),
        nameof(TapByTapGradientNet), nameof(ShortRowSlicedNet),
    };

    private static INetwork Create(string name, int seed) => name switch
    {
        nameof(SlicedConvolutionNet) => new SlicedConvolutionNet(seed),
        nameof(SlicedConvolutionChainNet) => new SlicedConvolutionChainNet(seed),
        nameof(SlicedSignalNet) => new SlicedSignalNet(seed),
        nameof(SlicedSampleBlockNet) => new SlicedSampleBlockNet(seed),
        nameof(TapByTapGradientNet) => new TapByTapGradientNet(seed),
        nameof(ShortRowSlicedNet) => new ShortRowSlicedNet(seed),
        _ => throw new ArgumentException("No network " + name, nameof(name)),
    };

    /// <summary>
    /// Inputs in [-0.25, 0.25): each output sums 2,304 (1,280 for the Conv1D) products, and with
    /// inputs in [-1, 1) float32's rounding alone exceeds the 1e-6 absolute floor of the accuracy
    /// rule near zero, on the unsliced scalar path as well (measured 1.1e-6 to 1.25e-6). A slice
    /// missed or added twice moves outputs by a good share of their size, far beyond it.
    /// </summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void ForwardMatchesTheReference(string name) => ReferenceChecks.ForwardMatchesTheReference(seed => Create(name, seed), name, inputScale: 0.25f);

    /// <summary>
    /// Backward does not slice; this checks that it trains from what the sliced forward left
    /// (the relu's outputs). The 2-D networks' central differences would take half a minute a
    /// width for code that DeepLayerNet's gradients already cover.
    /// </summary>
    [Theory]
    [InlineData(nameof(TapByTapGradientNet))]
    [InlineData(nameof(TapByTapGradientSignalNet))]
    public void TapByTapInputGradientsMatchCentralDifferences(string name) =>
        ReferenceChecks.GradientsMatchCentralDifferences(seed => name == nameof(TapByTapGradientNet) ? new TapByTapGradientNet(seed) : new TapByTapGradientSignalNet(seed), name);

    [Fact]
    public void AnInferenceWorkspacePacksIntoItsOwnScratch()
    {
        INetwork network = new SlicedResidualNet(3);
        ForwardTests.RandomizeBiases(network, seed: 4);
        var inference = network.CreateInferenceWorkspace();
        Assert.True(inference.IsInferenceOnly);
        Assert.True(inference.FloatsPerSample < network.CreateWorkspace().FloatsPerSample);
        foreach (var batch in new[] { 1, 3 })
        {
            var input = Numerics.Random(batch * network.InputSize, seed: 20 + batch, scale: 0.25f);
            var expected = new float[batch * network.OutputSize];
            var actual = new float[batch * network.OutputSize];
            network.Forward(input, expected, batch, network.CreateWorkspace());
            network.Forward(input, actual, batch, inference);
            Assert.Equal(expected, actual);
            for (var n = 0; n < batch; n++)
            {
                Numerics.AssertClose(ReferenceNetwork.Forward(network.Architecture, network.Parameters, input.AsSpan(n * network.InputSize, network.InputSize)),
                    actual.AsSpan(n * network.OutputSize, network.OutputSize), "sample " + n + " of " + batch);
            }
        }
    }

    [Fact]
    public void GradientsAfterASlicedForwardMatchCentralDifferences() =>
        ReferenceChecks.GradientsMatchCentralDifferences(seed => new SlicedSignalNet(seed), nameof(SlicedSignalNet));
}
