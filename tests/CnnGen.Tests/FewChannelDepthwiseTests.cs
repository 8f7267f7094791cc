using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;

namespace CnnGen.Tests;

/// <summary>
/// Depthwise layers of 1 to 3 channels, whose rows the kernels sweep as runs of floats with the
/// weights tiled along the channels' period, compute what the reference computes at every
/// vector width (Category=Numerics): forward at batches 1 and 4, gradients against central
/// differences; and the layers whose rows are not runs, which run as grouped convolutions.
/// </summary>
[Trait("Category", "Numerics")]
public class FewChannelDepthwiseTests
{
    public static TheoryData<string> Networks => new()
    {
        nameof(RgbRowRunNet), nameof(GreyRowRunNet), nameof(TwoChannelRowRunNetChannelsFirst), nameof(FewChannelSignalNet),
        nameof(LargeKernelRowRunNet), nameof(LongKernelRowRunNet), nameof(FoldedRowRunNet), nameof(StridedRowRunNet),
        nameof(StridedRowRunSignalNet), nameof(GroupedFewChannelNet), nameof(MultipliedGreyNet), nameof(FoldedMultipliedRgbNet),
        nameof(MultipliedSignalNetChannelsFirst), nameof(GroupedDepthwiseGraphNet),
    };

    private static INetwork Create(string name, int seed)
    {
        INetwork network = name switch
        {
            nameof(RgbRowRunNet) => new RgbRowRunNet(seed),
            nameof(GreyRowRunNet) => new GreyRowRunNet(seed),
            nameof(TwoChannelRowRunNetChannelsFirst) => new TwoChannelRowRunNetChannelsFirst(seed),
            nameof(FewChannelSignalNet) => new FewChannelSignalNet(seed),
            nameof(LargeKernelRowRunNet) => new LargeKernelRowRunNet(seed),
            nameof(LongKernelRowRunNet) => new LongKernelRowRunNet(seed),
            nameof(FoldedRowRunNet) => new FoldedRowRunNet(seed),
            nameof(StridedRowRunNet) => new StridedRowRunNet(seed),
            nameof(StridedRowRunSignalNet) => new StridedRowRunSignalNet(seed),
            nameof(GroupedFewChannelNet) => new GroupedFewChannelNet(seed),
            nameof(MultipliedGreyNet) => new MultipliedGreyNet(seed),
            nameof(FoldedMultipliedRgbNet) => new FoldedMultipliedRgbNet(seed),
            nameof(MultipliedSignalNetChannelsFirst) => new MultipliedSignalNetChannelsFirst(seed),
            nameof(GroupedDepthwiseGraphNet) => new GroupedDepthwiseGraphNet(seed),
            _ => throw new ArgumentException("No network " + name, nameof(name)),
        };
        FoldedNormalizationTests.RandomizeNormalizations(network, seed);
        return network;
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void ForwardMatchesTheReference(string name) => ReferenceChecks.ForwardMatchesTheReference(seed => Create(name, seed), name);

    [Theory]
    [MemberData(nameof(Networks))]
    public void GradientsMatchCentralDifferences(string name) => ReferenceChecks.GradientsMatchCentralDifferences(seed => Create(name, seed), name);
}
