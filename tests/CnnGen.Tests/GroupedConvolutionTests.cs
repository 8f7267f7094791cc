using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;

namespace CnnGen.Tests;

/// <summary>
/// Convolutions with Groups compute what the reference computes (each filter reads only its
/// group's input channels), forward and backward, at every vector width (Category=Numerics).
/// </summary>
[Trait("Category", "Numerics")]
public class GroupedConvolutionTests
{
    public static TheoryData<string> Networks => new()
    {
        nameof(GroupedConvolutionNet), nameof(GroupedLargeNet), nameof(GroupedSignalNet),
    };

    public static INetwork Create(string name, int seed) => name switch
    {
        nameof(GroupedConvolutionNet) => new GroupedConvolutionNet(seed),
        nameof(GroupedLargeNet) => new GroupedLargeNet(seed),
        nameof(GroupedSignalNet) => new GroupedSignalNet(seed),
        _ => throw new ArgumentException("No network " + name, nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void ForwardMatchesTheReference(string name) => ReferenceChecks.ForwardMatchesTheReference(seed => Create(name, seed), name);

    [Theory]
    [MemberData(nameof(Networks))]
    public void GradientsMatchCentralDifferences(string name) => ReferenceChecks.GradientsMatchCentralDifferences(seed => Create(name, seed), name);

    [Fact]
    public void TheKernelHasTheGroupsChannelsOnly()
    {
        var layer = GroupedConvolutionNet.Architecture.Layers[0];
        Assert.Equal(3, layer.Groups);
        Assert.Equal(new[] { 3, 3, 4, 18 }, layer.KernelShape);
        Assert.Equal(3 * 3 * 4 * 18, layer.KernelLength);
        Assert.Equal(9L * 10 * 18 * 3 * 3 * 4, layer.MultiplyAdds);
    }
}
