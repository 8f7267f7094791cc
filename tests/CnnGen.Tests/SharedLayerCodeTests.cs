using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;
using CnnGen.Tests.Reference;

namespace CnnGen.Tests;

/// <summary>
/// Networks whose equal layers run one layer's generated kernels (the generator emits each
/// distinct kernel once), and deep layers whose last columns are blocked across rows, compute
/// what the reference computes, forward and backward, at every vector width
/// (Category=Numerics): each layer still reads its own weights and tensors.
/// </summary>
[Trait("Category", "Numerics")]
public class SharedLayerCodeTests
{
    public static TheoryData<string> Networks => new()
    {
        nameof(SharedKernelNet), nameof(SharedKernelSignalNet), nameof(DeepLayerNet), nameof(DeepLayerChannelsFirstNet),
    };

    private static INetwork Create(string name, int seed) => name switch
    {
        nameof(SharedKernelNet) => new SharedKernelNet(seed),
        nameof(SharedKernelSignalNet) => new SharedKernelSignalNet(seed),
        nameof(DeepLayerNet) => new DeepLayerNet(seed),
        nameof(DeepLayerChannelsFirstNet) => new DeepLayerChannelsFirstNet(seed),
        _ => throw new ArgumentException("No network " + name, nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void ForwardMatchesTheReference(string name)
    {
        foreach (var batch in new[] { 1, 3 })
        {
            var network = Create(name, seed: 5);
            ForwardTests.RandomizeBiases(network, seed: 6);
            var input = Numerics.Random(batch * network.InputSize, seed: 30 + batch);
            var output = new float[batch * network.OutputSize];
            network.Forward(input, output, batch);
            for (var n = 0; n < batch; n++)
            {
                var expected = ReferenceNetwork.Forward(network.Architecture, network.Parameters, input.AsSpan(n * network.InputSize, network.InputSize));
                Numerics.AssertClose(expected, output.AsSpan(n * network.OutputSize, network.OutputSize), $"{name} batch {batch} sample {n}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void GradientsMatchCentralDifferences(string name)
    {
        foreach (var batch in new[] { 1, 2 })
        {
            var network = Create(name, seed: 8);
            ForwardTests.RandomizeBiases(network, seed: 9);
            GradientCheck.Run(network, batch, seed: 200 + batch, what: $"{name} batch {batch}");
        }
    }
}
