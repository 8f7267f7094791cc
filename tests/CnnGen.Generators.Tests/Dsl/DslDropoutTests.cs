namespace CnnGen.Generators.Tests.Dsl;

// Inside the namespace, so that the generator's model types win over the runtime's.
using CnnGen.Generators.Model;

/// <summary>dropout in .cnn files: the rate as a positional decimal, the seed, and CNN0030 on the value's token.</summary>
public class DslDropoutTests
{
    [Fact]
    public void DropoutReadsItsRateAndSeed()
    {
        var file = DslHarness.Parse("network N(input: 8x8x3) {\n    conv2d(4, 3)\n    dropout(0.25, seed: 7)\n    dropout(rate: 0.5, name: drop)\n}");
        Assert.Empty(file.Diagnostics);
        var layers = Assert.Single(file.Networks).Layers;
        Assert.Equal(LayerKind.Dropout, layers[1].Kind);
        Assert.Equal(0.25, layers[1].Real(LayerVocabulary.Rate, -1));
        Assert.Equal(7, layers[1].Number(LayerVocabulary.Seed, -1));
        Assert.Equal(0.5, layers[2].Real(LayerVocabulary.Rate, -1));
        Assert.Equal("drop", layers[2].Name);
    }

    [Fact]
    public void CNN0030_ARateOfOneSitsOnItsValue()
    {
        var actual = DslHarness.Check("network N(input: 8x3) {\n    dropout(1.0)\n}");
        Assert.Equal(["CNN0030 (2,13)-(2,16): dropout 'dropout_1' has rate 1, which is out of range; rate must be at least 0 and less than 1 (the probability of zeroing a value in training), such as 0.5"], actual);
    }

    [Fact]
    public void CNN0030_ANegativeSeedSitsOnItsValue()
    {
        var actual = DslHarness.Check("network N(input: 8x3) {\n    dropout(0.5, seed: -3)\n}");
        Assert.Equal(["CNN0030 (2,24)-(2,26): dropout 'dropout_1' has seed -3, which is out of range; seed must be 0 or more"], actual);
    }

    [Fact]
    public void AMissingRateIsReported() =>
        Assert.NotEmpty(DslHarness.Check("network N(input: 8x3) {\n    dropout(seed: 3)\n}"));
}
