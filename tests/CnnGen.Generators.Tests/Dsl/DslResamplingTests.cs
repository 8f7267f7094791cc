namespace CnnGen.Generators.Tests.Dsl;

// Inside the namespace, so that the generator's model types win over the runtime's.
using CnnGen.Generators.Model;

/// <summary>
/// zero_padding1d/2d and up_sampling1d/2d in .cnn files: pad or pads (the spelling of the
/// convolutions), size and interpolation, and the errors on the token at fault
/// (Diagnostics/ResamplingDiagnosticTests.cs has the attributes).
/// </summary>
public class DslResamplingTests
{
    private static void HasExactly(string text, params string[] expected) => Assert.Equal(expected, DslHarness.Check(text));

    [Fact]
    public void TheLayersReadTheirOptions()
    {
        var file = DslHarness.Parse("network N(input: 8x8x3) {\n    zero_padding2d(1)\n    zero_padding2d(pads: 1x2x0x1)\n    zero_padding2d(pad: 2, name: z)\n" +
            "    up_sampling2d(2, interpolation: bilinear)\n    up_sampling2d(2x3)\n    up_sampling2d(size: 1x2, interpolation: nearest)\n}");
        Assert.Empty(file.Diagnostics);
        var layers = Assert.Single(file.Networks).Layers;
        Assert.Equal(LayerKind.ZeroPadding2D, layers[0].Kind);
        Assert.Equal(new[] { 1 }, layers[0].Numbers(LayerVocabulary.Pad));
        Assert.Equal(new[] { 1, 2, 0, 1 }, layers[1].Numbers(LayerVocabulary.Pad));
        Assert.Equal(new[] { 2 }, layers[2].Numbers(LayerVocabulary.Pad));
        Assert.Equal("z", layers[2].Name);
        Assert.Equal(LayerKind.UpSampling2D, layers[3].Kind);
        Assert.Equal(new[] { 2 }, layers[3].Numbers(LayerVocabulary.Size));
        Assert.Equal((int)InterpolationMode.Bilinear, layers[3].Number(LayerVocabulary.Interpolation, -1));
        Assert.Equal(new[] { 2, 3 }, layers[4].Numbers(LayerVocabulary.Size));
        Assert.Equal(-1, layers[4].Number(LayerVocabulary.Interpolation, -1));
        Assert.Equal((int)InterpolationMode.Nearest, layers[5].Number(LayerVocabulary.Interpolation, -1));
    }

    [Fact]
    public void OneDimensionalLayersTakeBeforeAndAfter() => HasExactly(
        "network N(input: 12x2) { zero_padding1d(1) zero_padding1d(pads: 2x0) zero_padding1d(0x3) up_sampling1d(3, interpolation: bilinear) up_sampling1d(size: 2) conv1d(2, 3) }");

    [Fact]
    public void TheShapesFollow() => HasExactly(
        "network N(input: 5x3x2, output: 18x14x2) { zero_padding2d(pads: 1x2x0x1) up_sampling2d(2x3) zero_padding2d(1) }\n" +
        "network M(input: 5x3x2, output: 16x16x2) { zero_padding2d(pads: 1x2x0x1) up_sampling2d(2x3) zero_padding2d(1) }",
        "CNN0104 (2,33)-(2,40): The network 'M' declares output 16x16x2 but its layers produce 18x14x2; change the Output declaration or the layers");

    [Fact]
    public void APadsSizeCannotHoldANegativeCount() => HasExactly(
        "network N(input: 8x8x1) { zero_padding2d(pads: 1x-1x0x0) }",
        "CNN0204 (1,48)-(1,50): '1x' is not a size or a shape; write a size like 3 or sizes joined by 'x' like 3x5 or 28x28x1, without spaces");

    [Fact]
    public void CNN0030_ANegativePadSitsOnItsValue() => HasExactly(
        "network N(input: 8x1) { zero_padding1d(-2) }",
        "CNN0030 (1,40)-(1,42): zero_padding1d 'zero_padding1d_1' has pad -2, which is out of range; pad must be 0 or more (cells of zeros added on that side)");

    [Fact]
    public void PadsOfTheWrongCountSitOnPads() => HasExactly(
        "network N(input: 8x8x1) { zero_padding2d(pads: 1x1x1) }",
        "CNN0025 (1,48)-(1,53): zero_padding2d 'zero_padding2d_1' has pads 1x1x1; it takes one count for every side or four, top, bottom, left and right, each 0 or more");

    [Fact]
    public void CNN0030_ASizeOfZeroSitsOnItsValue() => HasExactly(
        "network N(input: 8x8x1) { up_sampling2d(2x0) }\nnetwork M(input: 8x1) { up_sampling1d(0) }",
        "CNN0030 (1,43)-(1,44): up_sampling2d 'up_sampling2d_1' has size width 0, which is out of range; size width must be at least 1 (the factor by which the width grows), such as 2",
        "CNN0030 (2,39)-(2,40): up_sampling1d 'up_sampling1d_1' has size 0, which is out of range; size must be at least 1 (the factor by which the length grows), such as 2");

    [Fact]
    public void AnUnknownInterpolationIsReported() => HasExactly(
        "network N(input: 8x8x1) { up_sampling2d(2, interpolation: bicubic) }",
        "CNN0208 (1,59)-(1,66): The option 'interpolation' of up_sampling2d takes nearest or bilinear, not 'bicubic'.");

    [Fact]
    public void AMissingPadOrSizeIsReported() => HasExactly(
        "network N(input: 8x8x1) { zero_padding2d() up_sampling2d(interpolation: bilinear) }",
        "CNN0210 (1,27)-(1,41): zero_padding2d needs 'pad'; write zero_padding2d(pad), e.g. zero_padding2d(1)",
        "CNN0210 (1,44)-(1,57): up_sampling2d needs 'size'; write up_sampling2d(size), e.g. up_sampling2d(2)");

    [Fact]
    public void CNN0101_TheWrongRankSuggestsTheOtherLayer() => HasExactly(
        "network N(input: 8x1) { zero_padding2d(1) }",
        "CNN0101 (1,25)-(1,39): zero_padding2d 'zero_padding2d_1' needs an image (height, width, channels) but its input is 8x1 (a sequence (length, channels)). Use the 1-D layer (zero_padding1d(...)) for sequences.");
}
