using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;

namespace CnnGen.Tests;

/// <summary>
/// Networks whose equal layers run one layer's generated kernels (the generator emits each
/// distinct kernel once, and each distinct leaf kernel once across layers of different shapes), and deep layers whose last columns are blocked across rows, compute
/// what the reference computes, forward and backward, at every vector width
/// (Category=Numerics): each layer still reads its own weights and tensors.
/// </summary>
[Trait("Category", "Numerics")]
public class SharedLayerCodeTests
{
    public static TheoryData<string> Networks => new()
    {
        nameof(SharedKernelNet), nameof(SharedKernelSignalNet), nameof(DeepLayerNet), nameof(DeepLayerChannelsFirstNet), nameof(SharedLeafKernelNet),
    };

    private static INetwork Create(string name, int seed) => name switch
    {
        nameof(SharedKernelNet) => new SharedKernelNet(seed),
        nameof(SharedKernelSignalNet) => new SharedKernelSignalNet(seed),
        nameof(DeepLayerNet) => new DeepLayerNet(seed),
        nameof(DeepLayerChannelsFirstNet) => new DeepLayerChannelsFirstNet(seed),
        nameof(SharedLeafKernelNet) => new SharedLeafKernelNet(seed),
        _ => throw new ArgumentException("No network " + name, nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void ForwardMatchesTheReference(string name) => ReferenceChecks.ForwardMatchesTheReference(seed => Create(name, seed), name);

    [Theory]
    [MemberData(nameof(Networks))]
    public void GradientsMatchCentralDifferences(string name) => ReferenceChecks.GradientsMatchCentralDifferences(seed => Create(name, seed), name);
}
