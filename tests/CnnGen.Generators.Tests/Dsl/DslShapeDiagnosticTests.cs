namespace CnnGen.Generators.Tests.Dsl;

/// <summary>
/// Declaration and shape errors of networks written in .cnn files: shape inference reports
/// them in the language's words, on the token at fault.
/// </summary>
public class DslShapeDiagnosticTests
{
    private static void HasExactly(string text, params string[] expected) => Assert.Equal(expected, DslHarness.Check(text));

    [Fact]
    public void KernelLargerThanItsInputSitsOnTheKernel() => HasExactly(
        "network N(input: 8x8x1) {\n    conv2d(8, 3, padding: same)\n    max_pool2d(2)\n    conv2d(16, kernel: 5)\n}",
        "CNN0103 (4,24)-(4,25): conv2d 'conv2d_2' has a 5x5 kernel but its input is 4x4x8 with padding 'valid'; the output height would be 0. Use padding 'same', a smaller kernel, or remove a pooling layer before it.");

    [Fact]
    public void APairedKernelErrorSitsOnTheDimensionAtFault() => HasExactly(
        "network N(input: 8x3x1) { conv2d(4, 3x5) }",
        "CNN0103 (1,39)-(1,40): conv2d 'conv2d_1' has a 3x5 kernel but its input is 8x3x1 with padding 'valid'; the output width would be -1. Use padding 'same' or a smaller kernel.");

    [Fact]
    public void DenseOnAnImageAsksForFlatten() => HasExactly(
        "network N(input: 8x8x1) {\n    dense(10)\n}",
        "CNN0101 (2,5)-(2,10): dense 'dense_1' needs a vector but its input is 8x8x1 (an image (height, width, channels)). Add flatten() (or global pooling) before it.");

    [Fact]
    public void MissingInputSaysHowToWriteIt() => HasExactly(
        "network Net { dense(2) }",
        "CNN0003 (1,9)-(1,12): The network 'Net' has no input shape: add an input option, e.g. network Net(input: 28x28x1) for height x width x channels, (input: 100x3) for length x channels, or (input: OtherNetwork)");

    [Fact]
    public void UnknownInputNetworkSitsOnTheName() => HasExactly(
        "network Head(input: Bakbone) { dense(2) }",
        "CNN0008 (1,21)-(1,28): The network 'Head' takes its input from 'Bakbone', which is not a network: declare 'Bakbone' with [Network] or in a .cnn file");

    [Fact]
    public void DeclaredOutputThatDiffersSitsOnTheOutputValue() => HasExactly(
        "network N(input: 8x8x1, output: 6x6x4) { conv2d(8, 3) }",
        "CNN0104 (1,33)-(1,38): The network 'N' declares output 6x6x4 but its layers produce 6x6x8; change the Output declaration or the layers");

    [Fact]
    public void RangeAndCountErrorsSitOnTheirValues() => HasExactly(
        "network N(input: 8x8x1) {\n    conv2d(0, 3x3x3)\n    conv2d(4, 3, stride: 2, strides: 2x1, padding: causal, name: \"bad name\")\n}",
        "CNN0013 (3,66)-(3,76): 'bad name' cannot be a layer name: use a letter, then letters, digits or underscores (at most 128)",
        "CNN0006 (2,12)-(2,13): conv2d 'conv2d_1' has filters 0; it must be at least 1",
        "CNN0011 (2,15)-(2,20): conv2d 'conv2d_1' has kernel with 3 values; a 2-D layer takes 1 value or 2",
        "CNN0015 (3,38)-(3,41): conv2d 'bad name' sets both stride and strides; set only one of them",
        "CNN0102 (3,52)-(3,58): conv2d 'bad name' uses padding 'causal', which only Conv1D supports; use 'valid' or 'same'");

    [Fact]
    public void InvalidInputShapeAndNoLayers() => HasExactly(
        "network A(input: 0x8) { flatten() }\nnetwork B(input: 4) { }",
        "CNN0007 (1,18)-(1,21): The input shape of 'A' is (0, 8); give 1 to 3 sizes of at least 1: (units), (length, channels) or (height, width, channels) in the network's data format",
        "CNN0016 (2,9)-(2,10): The network 'B' has no layers, so its output is its input; add layers such as conv2d(8, 3) or dense(10)");

    [Fact]
    public void ChainsThatLoopOrMixFormats() => HasExactly(
        "network A(input: B) { dense(2) }\nnetwork B(input: A) { dense(2) }\nnetwork C(input: 4x4x2) { conv2d(2, 1) }\nnetwork D(input: C, format: channels_first) { flatten() }",
        "CNN0009 (1,18)-(1,19): The network 'A' takes its input from a chain that leads back to itself (A -> B -> A); a chain of networks must start from a shape",
        "CNN0009 (2,18)-(2,19): The network 'B' takes its input from a chain that leads back to itself (B -> A -> B); a chain of networks must start from a shape",
        "CNN0106 (4,18)-(4,19): The network 'D' is channels_first but its input network 'C' is channels_last; chained networks must share a data format");

    [Fact]
    public void CNN0018_AChainOfMoreThan64NetworksIsRefusedAtTheNetworkThatPassesTheLimit()
    {
        // N0 starts from a shape; Ni takes N(i-1). N64 is the 65th network of its chain.
        var text = "network N0(input: 4) { dense(4) }\n" + string.Concat(Enumerable.Range(1, 70).Select(i => $"network N{i}(input: N{i - 1}) {{ dense(4) }}\n"));
        var diagnostics = DslHarness.Check(text);
        Assert.Equal(
            "CNN0018 (65,20)-(65,23): The network 'N64' takes its input through a chain of more than 64 networks; start the chain from a shape sooner or merge networks",
            diagnostics[0]);
        Assert.Equal(7, diagnostics.Count);
        Assert.All(diagnostics, d => Assert.StartsWith("CNN0018", d));
    }

    [Fact]
    public void NetworkDeclaredInTwoFiles()
    {
        var diagnostics = DslHarness.Check(("a.cnn", "network N(input: 4) { dense(2) }"), ("b.cnn", "\nnetwork N(input: 4) { dense(3) }"));
        Assert.Equal(new[] { "CNN0014 (2,9)-(2,10): The network 'N' is declared more than once (also declared in a.cnn); rename one of them" }, diagnostics);
    }
}
