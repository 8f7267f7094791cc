using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;

namespace CnnGen.Tests;

/// <summary>DepthwiseConv1D/2D forward against the reference network, and every gradient against central differences, at every vector width (Category=Numerics).</summary>
[Trait("Category", "Numerics")]
public class DepthwiseTests
{
    public static TheoryData<string> Networks => new()
    {
        nameof(DepthwiseImageNet), nameof(DepthwiseChannelsFirstNet), nameof(DepthwiseSignalNet), nameof(DepthwiseOddSignalNet),
        nameof(DepthwiseLargeKernelNet), nameof(DepthwiseLongKernelNet), nameof(DepthwisePaddedNet), nameof(DepthwisePaddedSignalNet),
    };

    internal static INetwork Create(string name, int seed) => name switch
    {
        nameof(DepthwiseImageNet) => new DepthwiseImageNet(seed),
        nameof(DepthwiseChannelsFirstNet) => new DepthwiseChannelsFirstNet(seed),
        nameof(DepthwiseSignalNet) => new DepthwiseSignalNet(seed),
        nameof(DepthwiseOddSignalNet) => new DepthwiseOddSignalNet(seed),
        nameof(DepthwiseLargeKernelNet) => new DepthwiseLargeKernelNet(seed),
        nameof(DepthwiseLongKernelNet) => new DepthwiseLongKernelNet(seed),
        nameof(DepthwisePaddedNet) => new DepthwisePaddedNet(seed),
        nameof(DepthwisePaddedSignalNet) => new DepthwisePaddedSignalNet(seed),
        _ => throw new ArgumentException("No network " + name, nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void ForwardMatchesTheReference(string name) => ReferenceChecks.ForwardMatchesTheReference(seed => Create(name, seed), name);

    [Theory]
    [MemberData(nameof(Networks))]
    public void GradientsMatchCentralDifferences(string name) => ReferenceChecks.GradientsMatchCentralDifferences(seed => Create(name, seed), name);

    [Fact]
    public void TheKernelHasTheKerasDepthwiseLayoutAndGlorotFans()
    {
        var layers = DepthwiseImageNet.Architecture.Layers;
        Assert.Equal(new[] { 3, 3, 19, 1 }, layers[0].KernelShape);
        Assert.Equal(new[] { 3, 3, 19, 2 }, layers[1].KernelShape);
        Assert.Equal(new[] { 2, 3, 38, 3 }, layers[2].KernelShape);
        Assert.Equal(new[] { 4, 4, 38 }, layers[1].OutputShape);
        Assert.Equal(new[] { 2, 4, 114 }, layers[2].OutputShape);
        Assert.Equal(0, layers[2].BiasLength);
        // Keras: fan-in = receptive field x input channels, fan-out = receptive field x depth multiplier.
        Assert.Equal((9 * 19, 9 * 2), (layers[1].FanIn, layers[1].FanOut));
        Assert.Equal(new[] { 3, 3, 4 }, DepthwiseSignalNet.Architecture.Layers[0].KernelShape);
    }
}
