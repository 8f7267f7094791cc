using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;

namespace CnnGen.Tests;

/// <summary>
/// Relu6 and hard sigmoid fused into the stores of position-vectorised, register-blocked,
/// depthwise, dense and merge kernels compute what the reference computes, forward and
/// backward (their derivatives read from the output), at every vector width (Category=Numerics).
/// Weights are scaled by <see cref="WeightScale"/> so that pre-activations reach both saturations (0 and 6 for relu6,
/// -3 and 3 for hard sigmoid).
/// </summary>
[Trait("Category", "Numerics")]
public class FusedActivationTests
{
    private const float WeightScale = 6f;

    public static TheoryData<string> Networks => new()
    {
        nameof(FusedHardActivationNet), nameof(FusedHardActivationSignalNetChannelsFirst),
    };

    public static INetwork Create(string name, int seed)
    {
        INetwork network = name switch
        {
            nameof(FusedHardActivationNet) => new FusedHardActivationNet(seed),
            nameof(FusedHardActivationSignalNetChannelsFirst) => new FusedHardActivationSignalNetChannelsFirst(seed),
            _ => throw new ArgumentException("No network " + name, nameof(name)),
        };
        foreach (ref var value in network.Parameters)
        {
            value *= WeightScale;
        }

        return network;
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void ForwardMatchesTheReference(string name) => ReferenceChecks.ForwardMatchesTheReference(seed => Create(name, seed), name);

    [Theory]
    [MemberData(nameof(Networks))]
    public void GradientsMatchCentralDifferences(string name) => ReferenceChecks.GradientsMatchCentralDifferences(seed => Create(name, seed), name);

    [Theory]
    [InlineData(nameof(FusedHardActivationNet), 1f)]
    [InlineData(nameof(FusedHardActivationSignalNetChannelsFirst), 6f)]
    public void OutputsReachBothSaturations(string name, float top)
    {
        // The output layers (hard sigmoid, relu6) saturate at both ends for some samples, so the
        // flat parts of the fused activations are exercised, not only their slopes.
        var network = Create(name, 7);
        var input = Numerics.Random(16 * network.InputSize, seed: 15, 4f);
        var output = new float[16 * network.OutputSize];
        network.Forward(input, output, 16);
        Assert.Contains(output, v => v == 0f);
        Assert.Contains(output, v => v == top);
        Assert.Contains(output, v => v > 0f && v < top);
    }
}
