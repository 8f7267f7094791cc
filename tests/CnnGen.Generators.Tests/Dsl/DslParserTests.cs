namespace CnnGen.Generators.Tests.Dsl;

// Inside the namespace, so that the generator's model types win over the runtime's (CnnGen.DataFormat, CnnGen.LayerKind).
using CnnGen.Generators.Dsl;
using CnnGen.Generators.Model;

public class DslParserTests
{
    private static NetworkSpec Single(string text)
    {
        var file = DslHarness.Parse(text);
        Assert.Empty(file.Diagnostics);
        var network = Assert.Single(file.Networks);
        Assert.Empty(network.ParseDiagnostics);
        return network;
    }

    /// <summary>"kernel@(2,12)-(2,15)" for each location of a layer.</summary>
    private static string Locations(LayerSpec layer) => string.Join(" ", layer.Locations.Select(l =>
        $"{l.Key}@({l.Location.LineSpan.Start.Line + 1},{l.Location.LineSpan.Start.Character + 1})-({l.Location.LineSpan.End.Line + 1},{l.Location.LineSpan.End.Character + 1})"));

    [Fact]
    public void ReadsTheDigitsExampleOfTheDesign()
    {
        var network = Single("""
            // digits.cnn
            namespace Examples.Digits;

            network DigitNet(input: 8x8x1) {            // format: channels_first to change the layout
                conv2d(8, kernel: 3, padding: same, activation: relu)
                max_pool2d(2)
                conv2d(16, kernel: 3, activation: relu)
                flatten()
                dense(10, activation: softmax)
            }
            """);

        Assert.Equal("Examples.Digits", network.Namespace);
        Assert.Equal("DigitNet", network.ClassName);
        Assert.Equal("Examples.Digits.DigitNet", network.FullName);
        Assert.Equal(DataFormat.ChannelsLast, network.Format);
        Assert.Equal(new[] { 8, 8, 1 }, network.Input!.Shape);
        Assert.Null(network.Input.Network);
        Assert.Equal(new DeclarationOrigin(true, "test.cnn"), network.Origin);
        Assert.Equal(new[] { LayerKind.Conv2D, LayerKind.MaxPool2D, LayerKind.Conv2D, LayerKind.Flatten, LayerKind.Dense },
            network.Layers.Select(l => l.Kind));

        var conv = network.Layers[0];
        Assert.Equal((8, PaddingMode.Same, ActivationKind.Relu, true), (conv.Filters, conv.Padding, conv.Activation, conv.UseBias));
        Assert.Equal(new[] { 3 }, conv.Window);
        Assert.Empty(conv.Stride);
        Assert.Empty(conv.Dilation);
        Assert.Null(conv.Name);
        Assert.False(conv.IsIncomplete);
        Assert.Equal("layer@(5,5)-(5,11) filters@(5,12)-(5,13) kernel@(5,23)-(5,24) padding@(5,35)-(5,39) activation@(5,53)-(5,57)",
            Locations(conv));
        Assert.Equal(new[] { 2 }, network.Layers[1].Window);
        Assert.Equal((10, ActivationKind.Softmax), (network.Layers[4].Units, network.Layers[4].Activation));
        Assert.Equal("(4,9)-(4,17)", Span(network.Location!));
        Assert.Equal("(4,25)-(4,30)", Span(network.Input.Location!));
    }

    [Fact]
    public void KeepsPairsAsWrittenWithALocationPerSize()
    {
        var layer = Single("network N(input: 9x9x1) { conv2d(4, 3x5, strides: 2x1, dilation: 2, use_bias: false, name: \"c\") }").Layers[0];
        Assert.Equal(new[] { 3, 5 }, layer.Window);
        Assert.Equal(new[] { 2, 1 }, layer.Stride);
        Assert.Equal(new[] { 2 }, layer.Dilation);
        Assert.False(layer.UseBias);
        Assert.Equal("c", layer.Name);
        Assert.Equal(
            "layer@(1,27)-(1,33) filters@(1,34)-(1,35) kernel@(1,37)-(1,40) kernel[0]@(1,37)-(1,38) kernel[1]@(1,39)-(1,40) " +
            "strides@(1,51)-(1,54) strides[0]@(1,51)-(1,52) strides[1]@(1,53)-(1,54) dilation@(1,66)-(1,67) use_bias@(1,79)-(1,84) name@(1,92)-(1,95)",
            Locations(layer));
    }

    [Fact]
    public void ReadsEveryLayerKindAndOption()
    {
        var network = Single("""
            network Everything(input: 32x3, format: channels_first, output: 4) {
                conv1d(8, 3, stride: 1, dilation: 2, padding: causal, activation: leaky_relu, use_bias: true, name: first)
                max_pool1d(2, stride: 1, padding: same)
                avg_pool1d(pool: 2)
                global_max_pool()
                activation(tanh, name: act)
                dense(units: 4, activation: silu)
            }
            """);

        Assert.Equal(DataFormat.ChannelsFirst, network.Format);
        Assert.Equal(new[] { 4 }, network.DeclaredOutput!.Shape);
        var conv = network.Layers[0];
        Assert.Equal((LayerKind.Conv1D, 8, PaddingMode.Causal, ActivationKind.LeakyRelu, "first"), (conv.Kind, conv.Filters, conv.Padding, conv.Activation, conv.Name));
        Assert.Equal(new[] { 2 }, conv.Dilation);
        Assert.Equal((LayerKind.MaxPool1D, PaddingMode.Same), (network.Layers[1].Kind, network.Layers[1].Padding));
        Assert.Equal(new[] { 1 }, network.Layers[1].Stride);
        Assert.Equal(new[] { 2 }, network.Layers[2].Window);
        Assert.Equal(LayerKind.GlobalMaxPool, network.Layers[3].Kind);
        Assert.Equal((LayerKind.Activation, ActivationKind.Tanh, "act"), (network.Layers[4].Kind, network.Layers[4].Activation, network.Layers[4].Name));
        Assert.Equal((LayerKind.Dense, 4, ActivationKind.Silu), (network.Layers[5].Kind, network.Layers[5].Units, network.Layers[5].Activation));
    }

    [Fact]
    public void ReadsRelu6HardSigmoidHardSwishAndGelu()
    {
        var network = Single("""
            network Hard(input: 8x8x3) {
                conv2d(4, 3, activation: relu6)
                activation(hard_sigmoid)
                conv2d(4, 3, activation: hard_swish)
                dense(2, activation: gelu)
            }
            """);

        Assert.Equal(
            new[] { ActivationKind.Relu6, ActivationKind.HardSigmoid, ActivationKind.HardSwish, ActivationKind.Gelu },
            network.Layers.Select(layer => layer.Activation));
    }

    [Fact]
    public void ReadsTwoDimensionalOptions()
    {
        var file = DslHarness.Parse("""
            network Images(input: 16x16x2) {
                conv2d(filters: 4, kernel: 3, stride: 2, dilations: 1x2, padding: valid, activation: elu)
                avg_pool2d(2, strides: 1x2)
                max_pool2d(pool: 2x1)
                global_avg_pool()
                activation(softplus)
            }
            """);
        var network = Assert.Single(file.Networks);
        Assert.Empty(network.ParseDiagnostics);
        Assert.Equal(new[] { 2 }, network.Layers[0].Stride);
        Assert.Equal(new[] { 1, 2 }, network.Layers[0].Dilation);
        Assert.Equal(ActivationKind.Elu, network.Layers[0].Activation);
        Assert.Equal(LayerKind.AvgPool2D, network.Layers[1].Kind);
        Assert.Equal(new[] { 2 }, network.Layers[1].Window);
        Assert.Equal(new[] { 1, 2 }, network.Layers[1].Stride);
        Assert.Equal(new[] { 2, 1 }, network.Layers[2].Window);
        Assert.Equal(LayerKind.GlobalAvgPool, network.Layers[3].Kind);
        Assert.Equal(ActivationKind.Softplus, network.Layers[4].Activation);
    }

    [Fact]
    public void LayersMaySitOnOneLineSeparatedByCommasSemicolonsOrNothing()
    {
        var network = Single("network N(input: 10,) { dense(8), dense(6); dense(4) dense(2,) ;; }");
        Assert.Equal(new[] { 8, 6, 4, 2 }, network.Layers.Select(l => l.Units));
    }

    [Fact]
    public void SeveralNetworksFollowTheLatestNamespace()
    {
        var file = DslHarness.Parse("""
            network Global(input: 4) { dense(2) }
            namespace A.B
            network First(input: Global) { dense(2) }
            namespace C;
            network Second(input: A.B.First) { dense(1) }
            """);
        Assert.Empty(file.Diagnostics);
        Assert.Equal(new[] { "Global", "A.B.First", "C.Second" }, file.Networks.Select(n => n.FullName));
        Assert.Equal("Global", file.Networks[1].Input!.Network);
        Assert.Equal("A.B.First", file.Networks[2].Input!.Network);
        Assert.Equal("(5,23)-(5,32)", Span(file.Networks[2].Input!.Location!));
    }

    [Fact]
    public void NegativeSizesReachShapeInference()
    {
        var layer = Single("network N(input: 4x4x1) { conv2d(-2, 3) }").Layers[0];
        Assert.Equal(-2, layer.Filters);
        Assert.Equal("(1,34)-(1,36)", Span(layer.Find("filters")!));
    }

    [Fact]
    public void TheFileNameIsTheOriginWithoutDirectories()
    {
        var file = DslFile.Parse("/home/me/project/nets/digits.cnn", "network N(input: 4) { dense(2) }");
        Assert.Equal(new DeclarationOrigin(true, "digits.cnn"), file.Networks[0].Origin);
        Assert.Equal("/home/me/project/nets/digits.cnn", file.Networks[0].Location!.FilePath);
        Assert.Equal("digits.cnn", DslFile.Parse(@"C:\nets\digits.cnn", "network N(input: 4) { dense(2) }").Networks[0].Origin.FileName);
    }

    [Fact]
    public void TheSameTextGivesEqualResults()
    {
        const string text = "namespace X; network N(input: 8x8x1) { conv2d(8, 3x3, name: c) flatten() dense(2) } network M(input: N) { oops() }";
        var first = DslHarness.Parse(text);
        var second = DslHarness.Parse(text);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, DslHarness.Parse(text.Replace("dense(2)", "dense(3)")));
    }

    [Fact]
    public void IsDslPathMatchesTheExtensionOnly()
    {
        Assert.True(DslFile.IsDslPath("a/b/Digits.CNN"));
        Assert.False(DslFile.IsDslPath("a/cnn/readme.md"));
    }

    private static string Span(LocationInfo location) =>
        $"({location.LineSpan.Start.Line + 1},{location.LineSpan.Start.Character + 1})-({location.LineSpan.End.Line + 1},{location.LineSpan.End.Character + 1})";
}
