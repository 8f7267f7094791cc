using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;

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
    public void GradientsAfterASlicedForwardMatchCentralDifferences() =>
        ReferenceChecks.GradientsMatchCentralDifferences(seed => new SlicedSignalNet(seed), nameof(SlicedSignalNet));
}
