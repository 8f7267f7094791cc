using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;
using CnnGen.Tests.Reference;

namespace CnnGen.Tests;

[Trait("Category", "Numerics")]
public class ForwardTests
{
    public static TheoryData<string> Networks => new()
    {
        nameof(DigitNet), nameof(LeNet5), nameof(DigitNetChannelsFirst), nameof(SignalNet), nameof(NarrowFilterNet),
        nameof(NarrowFilterNetChannelsFirst), nameof(NarrowFilterSignalNet), nameof(SampleAtATimeNet),
        nameof(PaddedNet), nameof(PaddedSignalNetChannelsFirst),
        nameof(HardActivationNet), nameof(HardActivationSignalNetChannelsFirst),
        nameof(PairedFilterNet), nameof(PairedFilterSignalNetChannelsFirst),
    };

    internal static INetwork Create(string name, int seed) => name switch
    {
        nameof(DigitNet) => new DigitNet(seed),
        nameof(LeNet5) => new LeNet5(seed),
        nameof(DigitNetChannelsFirst) => new DigitNetChannelsFirst(seed),
        nameof(SignalNet) => new SignalNet(seed),
        nameof(NarrowFilterNet) => new NarrowFilterNet(seed),
        nameof(NarrowFilterNetChannelsFirst) => new NarrowFilterNetChannelsFirst(seed),
        nameof(NarrowFilterSignalNet) => new NarrowFilterSignalNet(seed),
        nameof(SampleAtATimeNet) => new SampleAtATimeNet(seed),
        nameof(PaddedNet) => new PaddedNet(seed),
        nameof(PaddedSignalNetChannelsFirst) => new PaddedSignalNetChannelsFirst(seed),
        nameof(HardActivationNet) => new HardActivationNet(seed),
        nameof(HardActivationSignalNetChannelsFirst) => new HardActivationSignalNetChannelsFirst(seed),
        nameof(PairedFilterNet) => new PairedFilterNet(seed),
        nameof(PairedFilterSignalNetChannelsFirst) => new PairedFilterSignalNetChannelsFirst(seed),
        _ => throw new ArgumentException("No network " + name, nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void ForwardMatchesTheReferenceForOneSampleAndABatch(string name)
    {
        foreach (var batch in new[] { 1, 5 })
        {
            var network = Create(name, seed: 7);
            RandomizeBiases(network, seed: 3);
            var input = Numerics.Random(batch * network.InputSize, seed: 11 + batch);
            var output = new float[batch * network.OutputSize];
            network.Forward(input, output, batch);
            for (var n = 0; n < batch; n++)
            {
                var expected = ReferenceNetwork.Forward(network.Architecture, network.Parameters,
                    input.AsSpan(n * network.InputSize, network.InputSize));
                Numerics.AssertClose(expected, output.AsSpan(n * network.OutputSize, network.OutputSize), $"{name} batch {batch} sample {n}");
            }
        }
    }

    /// <summary>Biases start at zero; random ones make the test see a wrong bias offset.</summary>
    internal static void RandomizeBiases(INetwork network, int seed)
    {
        var random = new SeededRandom(seed);
        foreach (var layer in network.Architecture.Layers)
        {
            var bias = network.Parameters.Slice(layer.ParameterOffset + layer.KernelLength, layer.BiasLength);
            for (var i = 0; i < bias.Length; i++)
            {
                bias[i] = (float)(random.NextDouble() - 0.5);
            }
        }
    }
}
