using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;

namespace CnnGen.Tests;

/// <summary>
/// Conv1DTranspose and Conv2DTranspose compute what the reference computes (the scatter
/// definition of PyTorch's ConvTranspose), forward and backward, at every vector width (Category=Numerics),
/// including heads to 1 to 3 channels, whose forward takes dot products over each input position's channels.
/// </summary>
[Trait("Category", "Numerics")]
public class TransposedConvolutionTests
{
    public static TheoryData<string> Networks => new()
    {
        nameof(TransposedConvolutionNet), nameof(TransposedLargeNet), nameof(TransposedSignalNet),
        nameof(TransposedRgbHeadNet), nameof(TransposedMonoHeadNet),
    };

    public static INetwork Create(string name, int seed) => name switch
    {
        nameof(TransposedConvolutionNet) => new TransposedConvolutionNet(seed),
        nameof(TransposedLargeNet) => new TransposedLargeNet(seed),
        nameof(TransposedSignalNet) => new TransposedSignalNet(seed),
        nameof(TransposedRgbHeadNet) => new TransposedRgbHeadNet(seed),
        nameof(TransposedMonoHeadNet) => new TransposedMonoHeadNet(seed),
        _ => throw new ArgumentException("No network " + name, nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void ForwardMatchesTheReference(string name) => ReferenceChecks.ForwardMatchesTheReference(seed => Create(name, seed), name);

    [Theory]
    [MemberData(nameof(Networks))]
    public void GradientsMatchCentralDifferences(string name) => ReferenceChecks.GradientsMatchCentralDifferences(seed => Create(name, seed), name);

    [Fact]
    public void ShapesFollowTheTransposedFormulas()
    {
        var layers = TransposedConvolutionNet.Architecture.Layers;
        // 'same' at stride 2: n * s.
        Assert.Equal(new[] { 6, 8, 5 }, layers[0].OutputShape);
        // (6 - 1) * 2 + 3 - 1 - 2 + 1 = 11 rows; (8 - 1) * 1 + 3 - 0 - 1 = 9 columns.
        Assert.Equal(new[] { 11, 9, 4 }, layers[1].OutputShape);
        Assert.Equal(1, layers[1].OutputPaddingHeight);
        // Dilation 2, pad 1: n + 4 - 2.
        Assert.Equal(new[] { 13, 11, 3 }, layers[2].OutputShape);
        // k < s: (n - 1) * 3 + 2.
        Assert.Equal(new[] { 38, 32, 2 }, layers[3].OutputShape);
        Assert.Equal(new[] { 3, 3, 5, 3 }, layers[0].KernelShape);
        Assert.Equal(new[] { 3, 6, 4 }, TransposedSignalNet.Architecture.Layers[0].KernelShape);
        Assert.Equal(new[] { 6, 14 }, TransposedSignalNet.Architecture.Layers[0].OutputShape);
    }
}
