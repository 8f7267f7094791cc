using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;

namespace CnnGen.Tests;

/// <summary>
/// Convolutions of 4 to 15 input channels from filters in whole vectors, whose input gradient at
/// 512 and 128 bits takes dot products over vectors of the filters gathered for each input position
/// (where the channels are not whole vectors of the width; 256 bits keeps vectors of channels), match the reference at every vector width
/// (Category=Numerics): forward at batches 1 and 4, every gradient (the input's included) against
/// central differences. The networks cover blocks at a row's ends and inside it, 'same',
/// causal and 'valid' pads, dilations along either dimension, 1 to 3 vectors of filters, 4 to 15
/// channels (5 and 7 at 128 bits, two and four vectors of filters), and an input read twice whose gradients add.
/// </summary>
[Trait("Category", "Numerics")]
public class GatheredDotInputGradientTests
{
    public static TheoryData<string> Networks => new()
    {
        nameof(LeNetSecondLayerNet), nameof(WideRowGatheredNet), nameof(DilatedHeightGatheredNet), nameof(DilatedSignalGatheredNet),
        nameof(ShortcutGatheredNetChannelsFirst), nameof(OddChannelSignalGatheredNet), nameof(SevenChannelGatheredNet),
    };

    private static INetwork Create(string name, int seed) => name switch
    {
        nameof(LeNetSecondLayerNet) => new LeNetSecondLayerNet(seed),
        nameof(WideRowGatheredNet) => new WideRowGatheredNet(seed),
        nameof(DilatedHeightGatheredNet) => new DilatedHeightGatheredNet(seed),
        nameof(DilatedSignalGatheredNet) => new DilatedSignalGatheredNet(seed),
        nameof(ShortcutGatheredNetChannelsFirst) => new ShortcutGatheredNetChannelsFirst(seed),
        nameof(OddChannelSignalGatheredNet) => new OddChannelSignalGatheredNet(seed),
        nameof(SevenChannelGatheredNet) => new SevenChannelGatheredNet(seed),
        _ => throw new ArgumentException("No network " + name, nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void ForwardMatchesTheReference(string name) => ReferenceChecks.ForwardMatchesTheReference(seed => Create(name, seed), name);

    [Theory]
    [MemberData(nameof(Networks))]
    public void GradientsMatchCentralDifferences(string name) => ReferenceChecks.GradientsMatchCentralDifferences(seed => Create(name, seed), name, inputsChecked: 300);
}
