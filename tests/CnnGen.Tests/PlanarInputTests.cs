using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;

namespace CnnGen.Tests;

/// <summary>
/// Convolutions of few filters on several input channels, whose forward reads each sample's
/// window from one plane per channel and is vectorised over output positions, compute what the
/// reference computes at every vector width (Category=Numerics), at batches 1 and 4, and their
/// kernel gradient, read from the same planes, matches central differences.
/// </summary>
[Trait("Category", "Numerics")]
public class PlanarInputTests
{
    public static TheoryData<string> Networks => new()
    {
        nameof(PlanarSixFilterNet), nameof(PlanarStridedNet), nameof(PlanarNarrowRowNet), nameof(PlanarSignalNet), nameof(PlanarBandNet),
        nameof(PlanarBandLoopNet), nameof(PlanarOneBandNet),
    };

    private static INetwork Create(string name, int seed) => name switch
    {
        nameof(PlanarSixFilterNet) => new PlanarSixFilterNet(seed),
        nameof(PlanarStridedNet) => new PlanarStridedNet(seed),
        nameof(PlanarNarrowRowNet) => new PlanarNarrowRowNet(seed),
        nameof(PlanarSignalNet) => new PlanarSignalNet(seed),
        nameof(PlanarBandNet) => new PlanarBandNet(seed),
        nameof(PlanarBandLoopNet) => new PlanarBandLoopNet(seed),
        nameof(PlanarOneBandNet) => new PlanarOneBandNet(seed),
        _ => throw new ArgumentException("No network " + name, nameof(name)),
    };

    /// <summary>Inputs in [-0.5, 0.5): each output sums up to 400 products, so float32's rounding stays far below the 1e-6 absolute floor.</summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void ForwardMatchesTheReference(string name) => ReferenceChecks.ForwardMatchesTheReference(seed => Create(name, seed), name, inputScale: 0.5f);

    /// <summary>The kernel gradient reads the same planes (a band at a time in the last two).</summary>
    [Theory]
    [InlineData(nameof(PlanarStridedNet))]
    [InlineData(nameof(PlanarSignalNet))]
    [InlineData(nameof(PlanarBandLoopNet))]
    [InlineData(nameof(PlanarOneBandNet))]
    public void GradientsMatchCentralDifferences(string name) => ReferenceChecks.GradientsMatchCentralDifferences(seed => Create(name, seed), name);
}
