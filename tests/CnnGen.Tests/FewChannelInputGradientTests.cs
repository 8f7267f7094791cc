using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;

namespace CnnGen.Tests;

/// <summary>
/// Convolutions of 1 to 3 input channels from 4 or more filters, whose input gradient takes dot
/// products over each position's filters (or, where a width has too many vectors, the channel
/// vectors over a padded copy), match the reference at every vector width (Category=Numerics):
/// forward at batches 1 and 4, every gradient (the input's included) against central differences;
/// and an input gradient gathered along rows whose kernel leaves gaps no tap reaches.
/// </summary>
[Trait("Category", "Numerics")]
public class FewChannelInputGradientTests
{
    public static TheoryData<string> Networks => new()
    {
        nameof(RgbStemInputGradientNet), nameof(GreyStemInputGradientNet), nameof(DilatedTwoChannelInputGradientNet),
        nameof(WideStemInputGradientNet), nameof(SevenBySevenStemInputGradientNet), nameof(SignalInputGradientNet),
        nameof(GappedDilationSignalNet),
    };

    private static INetwork Create(string name, int seed) => name switch
    {
        nameof(RgbStemInputGradientNet) => new RgbStemInputGradientNet(seed),
        nameof(GreyStemInputGradientNet) => new GreyStemInputGradientNet(seed),
        nameof(DilatedTwoChannelInputGradientNet) => new DilatedTwoChannelInputGradientNet(seed),
        nameof(WideStemInputGradientNet) => new WideStemInputGradientNet(seed),
        nameof(SevenBySevenStemInputGradientNet) => new SevenBySevenStemInputGradientNet(seed),
        nameof(SignalInputGradientNet) => new SignalInputGradientNet(seed),
        nameof(GappedDilationSignalNet) => new GappedDilationSignalNet(seed),
        _ => throw new ArgumentException("No network " + name, nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void ForwardMatchesTheReference(string name) => ReferenceChecks.ForwardMatchesTheReference(seed => Create(name, seed), name);

    [Theory]
    [MemberData(nameof(Networks))]
    public void GradientsMatchCentralDifferences(string name) => ReferenceChecks.GradientsMatchCentralDifferences(seed => Create(name, seed), name, inputsChecked: 200);
}
