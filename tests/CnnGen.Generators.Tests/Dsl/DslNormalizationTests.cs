namespace CnnGen.Generators.Tests.Dsl;

// Inside the namespace, so that the generator's model types win over the runtime's.
using CnnGen.Generators.Model;

/// <summary>batch_norm in .cnn files: real numbers in decimal notation, the flags, and CNN0030 on the value's token.</summary>
public class DslNormalizationTests
{
    private static void HasExactly(string text, params string[] expected)
    {
        var actual = DslHarness.Check(text);
        Assert.True(expected.Length == actual.Count, string.Join("\n", actual));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    [Fact]
    public void BatchNormReadsDecimalsAndFlags()
    {
        var file = DslHarness.Parse("network N(input: 8x8x3) {\n    conv2d(4, 3, use_bias: false)\n    batch_norm(momentum: 0.9, epsilon: 0.00001, center: false, scale: true)\n    batch_norm(momentum: 1, name: bn)\n}");
        Assert.Empty(file.Diagnostics);
        var layers = Assert.Single(file.Networks).Layers;
        Assert.Equal(LayerKind.BatchNormalization, layers[1].Kind);
        Assert.Equal(0.9, layers[1].Real(LayerVocabulary.Momentum, 0));
        Assert.Equal(0.00001, layers[1].Real(LayerVocabulary.Epsilon, 0));
        Assert.False(layers[1].Flag(LayerVocabulary.Center, true));
        Assert.True(layers[1].Flag(LayerVocabulary.Scale, false));
        Assert.Equal(1.0, layers[2].Real(LayerVocabulary.Momentum, 0));
        Assert.Equal("bn", layers[2].Name);
    }

    [Fact]
    public void CNN0030_AnOutOfRangeMomentumSitsOnItsValue() => HasExactly(
        "network N(input: 8x8x3) {\n    batch_norm(momentum: 1.25)\n}",
        "CNN0030 (2,26)-(2,30): batch_norm 'batch_norm_1' has momentum 1.25, which is out of range; momentum must be between 0 and 1 (the share of the old moving statistics kept at each step; PyTorch's momentum 0.1 is 0.9 here)");

    [Fact]
    public void CNN0030_ANegativeEpsilonSitsOnItsValue() => HasExactly(
        "network N(input: 8x3) {\n    batch_norm(epsilon: -0.5)\n}",
        "CNN0030 (2,25)-(2,29): batch_norm 'batch_norm_1' has epsilon -0.5, which is out of range; epsilon must be greater than 0 (added to the variance before the square root), such as 0.001");

    [Fact]
    public void AWordIsNotANumber() =>
        Assert.Contains("momentum", string.Join("\n", DslHarness.Check("network N(input: 8x3) {\n    batch_norm(momentum: high)\n}")));
}
