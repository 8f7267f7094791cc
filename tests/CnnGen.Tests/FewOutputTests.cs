using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;

namespace CnnGen.Tests;

/// <summary>
/// Layers of 1 to 3 filters or units on many inputs, whose forward runs dot products over vectors
/// of inputs and whose kernel gradient runs vectors of inputs times each output gradient, compute
/// what the reference computes at every vector width (Category=Numerics): forward at batches 1, 4
/// and 11 (dense layers take blocks of 8, 4 or fewer samples, then single ones), gradients against
/// central differences at batches 1, 3 and 9 (dense layers of several units sum their kernel gradient
/// in vectors of inputs from 4 or 8 samples).
/// </summary>
[Trait("Category", "Numerics")]
public class FewOutputTests
{
    public static TheoryData<string> Networks => new()
    {
        nameof(PointwiseHeadNet), nameof(StridedFewFilterNet), nameof(DilatedFewFilterNet), nameof(FewFilterSignalNetChannelsFirst),
        nameof(DenseHeadNet), nameof(TwoUnitHeadNet), nameof(SevenUnitHeadNet), nameof(LongDenseHeadNet), nameof(FoldedFewFilterNet),
    };

    private static INetwork Create(string name, int seed)
    {
        INetwork network = name switch
        {
            nameof(PointwiseHeadNet) => new PointwiseHeadNet(seed),
            nameof(StridedFewFilterNet) => new StridedFewFilterNet(seed),
            nameof(DilatedFewFilterNet) => new DilatedFewFilterNet(seed),
            nameof(FewFilterSignalNetChannelsFirst) => new FewFilterSignalNetChannelsFirst(seed),
            nameof(DenseHeadNet) => new DenseHeadNet(seed),
            nameof(TwoUnitHeadNet) => new TwoUnitHeadNet(seed),
            nameof(SevenUnitHeadNet) => new SevenUnitHeadNet(seed),
            nameof(LongDenseHeadNet) => new LongDenseHeadNet(seed),
            nameof(FoldedFewFilterNet) => new FoldedFewFilterNet(seed),
            _ => throw new ArgumentException("No network " + name, nameof(name)),
        };
        FoldedNormalizationTests.RandomizeNormalizations(network, seed);
        return network;
    }

    /// <summary>Inputs in [-0.5, 0.5): the long dense layer sums 3,528 products.</summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void ForwardMatchesTheReference(string name) => ReferenceChecks.ForwardMatchesTheReference(seed => Create(name, seed), name, inputScale: 0.5f);

    /// <summary>
    /// Batches of 11 and 17: blocks of 8 samples and single ones for one unit, of 4 for two or
    /// three; 4 to 7 units take the blocked kernel (blocks of 4 at 512 bits) under 16 samples and
    /// the dot products from 16 (one sample a block for 7 units, two for 5).
    /// </summary>
    [Theory]
    [InlineData(nameof(DenseHeadNet))]
    [InlineData(nameof(TwoUnitHeadNet))]
    [InlineData(nameof(SevenUnitHeadNet))]
    [InlineData(nameof(LongDenseHeadNet))]
    public void ForwardOfBlocksAndSingleSamplesMatchesTheReference(string name) =>
        ReferenceChecks.ForwardMatchesTheReference(seed => Create(name, seed), name, inputScale: 0.5f, batches: new[] { 11, 17 });

    /// <summary>
    /// A batch of 9: the kernel gradient of dense layers of several units runs in vectors of inputs
    /// from 4 samples (2 or 3 units) or 8 (4 to 7), blocked over the units below.
    /// </summary>
    [Theory]
    [InlineData(nameof(DenseHeadNet))]
    [InlineData(nameof(TwoUnitHeadNet))]
    [InlineData(nameof(SevenUnitHeadNet))]
    public void GradientsOfLargerBatchesMatchCentralDifferences(string name) =>
        ReferenceChecks.GradientsMatchCentralDifferences(seed => Create(name, seed), name, batches: new[] { 9 });

    [Theory]
    [MemberData(nameof(Networks))]
    public void GradientsMatchCentralDifferences(string name) => ReferenceChecks.GradientsMatchCentralDifferences(seed => Create(name, seed), name);
}
