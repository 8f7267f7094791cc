namespace CnnGen.Generators.Tests.Dsl;

/// <summary>One test per CNN02xx diagnostic: the exact span (1-based line and column) and the exact message.</summary>
public class DslSyntaxDiagnosticTests
{
    private const string Layers = "conv1d, conv2d, max_pool1d, max_pool2d, avg_pool1d, avg_pool2d, global_max_pool, global_avg_pool, flatten, dense, activation, add, multiply, concatenate, zero_padding1d, zero_padding2d, up_sampling1d, up_sampling2d, depthwise_conv1d, depthwise_conv2d, conv1d_transpose, conv2d_transpose, batch_norm, dropout";
    private const string Conv2DOptions = "filters, kernel, stride, strides, dilation, dilations, padding, activation, use_bias, name, pad, pads, groups, from";

    private static void HasExactly(string text, params string[] expected) => Assert.Equal(expected, DslHarness.Check(text));

    [Fact]
    public void CNN0201_SyntaxErrorSaysWhatWasExpected() => HasExactly(
        "network N(input: 4) {\n    dense(10 20)\n}",
        "CNN0201 (2,14)-(2,16): Expected ',' or ')' after an argument of dense, found '20'");

    [Fact]
    public void CNN0201_MissingColonAfterAnOptionName() => HasExactly(
        "network N(input: 8x8x1) {\n    conv2d(8, kernel 3)\n}",
        "CNN0201 (2,22)-(2,23): Expected ':' after the option name 'kernel', found '3'");

    [Fact]
    public void CNN0201_EqualsInsteadOfColonIsReportedAndReadOn() => HasExactly(
        "network N(input: 8x8x1) { conv2d(8, kernel = 3) }",
        "CNN0201 (1,44)-(1,45): Expected ':' between the option name 'kernel' and its value, found '='");

    [Fact]
    public void CNN0201_MissingClosingBraceAtTheEndOfTheFile() => HasExactly(
        "network N(input: 4) {\n    dense(10)\n",
        "CNN0201 (3,1)-(3,1): Expected '}' to end the layers of network 'N', found the end of the file");

    [Fact]
    public void CNN0201_MissingOpeningBrace() => HasExactly(
        "network N(input: 4)\n    dense(10)\n}",
        "CNN0201 (2,5)-(2,10): Expected '{' to begin the layers of network 'N', found 'dense'");

    [Fact]
    public void CNN0201_MissingParenthesisEndsAtTheNextLayerLine() => HasExactly(
        "network N(input: 8) {\n    dense(4\n    dense(2)\n}",
        "CNN0201 (3,5)-(3,10): Expected ',' or ')' after an argument of dense, found 'dense'");

    [Fact]
    public void CNN0201_TextOutsideANetwork() => HasExactly(
        "dense(10)\nnetwork N(input: 4) { dense(2) }",
        "CNN0201 (1,1)-(1,6): Expected 'network' or 'namespace', found 'dense'");

    [Fact]
    public void CNN0201_ANetworkNeedsAName() => HasExactly(
        "network (input: 4) { dense(2) }",
        "CNN0201 (1,9)-(1,10): Expected a network name after 'network', found '('");

    [Fact]
    public void CNN0202_UnexpectedCharacters() => HasExactly(
        "network N(input: 4) {\n    dense(10) @@\n}",
        "CNN0202 (2,15)-(2,17): Unexpected '@@': names use letters, digits and '_', sizes are written like 3 or 3x5, and comments start with // or #");

    [Fact]
    public void CNN0203_UnterminatedString() => HasExactly(
        "network N(input: 4) {\n    dense(2, name: \"out)\n}",
        "CNN0203 (2,20)-(2,25): The string \"out) is not closed; end it with '\"' on the same line");

    [Fact]
    public void CNN0204_InvalidNumber() => HasExactly(
        "network N(input: 8x8x1) { conv2d(8, 3a) }",
        "CNN0204 (1,37)-(1,39): '3a' is not a size or a shape; write a size like 3 or sizes joined by 'x' like 3x5 or 28x28x1, without spaces");

    [Fact]
    public void CNN0205_NumberTooLargeSitsOnTheSizeAtFault() => HasExactly(
        "network N(input: 8x99999999999x1) { flatten() }",
        "CNN0205 (1,20)-(1,31): The number 99999999999 is too large; a size must be at most 2,147,483,647");

    [Fact]
    public void CNN0206_UnknownLayerSuggestsTheClosest() => HasExactly(
        "network N(input: 8x8x1) {\n    conv2(8, 3)\n    Conv2D(8, 3)\n    MaxPooling2D(2)\n    relu()\n    foo()\n}",
        $"CNN0206 (2,5)-(2,10): Unknown layer 'conv2'. Did you mean 'conv2d'? The layers are {Layers}.",
        $"CNN0206 (3,5)-(3,11): Unknown layer 'Conv2D'. Did you mean 'conv2d'? The layers are {Layers}.",
        $"CNN0206 (4,5)-(4,17): Unknown layer 'MaxPooling2D'. Did you mean 'max_pool2d'? The layers are {Layers}.",
        $"CNN0206 (5,5)-(5,9): Unknown layer 'relu'. Did you mean 'activation(relu)'? The layers are {Layers}.",
        $"CNN0206 (6,5)-(6,8): Unknown layer 'foo'. The layers are {Layers}.");

    [Fact]
    public void CNN0207_UnknownOptionSuggestsTheClosest() => HasExactly(
        "network N(inputs: 8x8x1) {\n    conv2d(8, kernal: 3)\n    max_pool2d(pool_size: 2)\n}",
        "CNN0207 (1,11)-(1,17): Network 'N' has no option 'inputs'. Did you mean 'input'? Its options are input, format, output.",
        $"CNN0207 (2,15)-(2,21): conv2d has no option 'kernal'. Did you mean 'kernel'? Its options are {Conv2DOptions}.",
        "CNN0207 (3,16)-(3,25): max_pool2d has no option 'pool_size'. Did you mean 'pool'? Its options are pool, stride, strides, padding, name, pad, pads, ceil_mode, from.");

    [Fact]
    public void CNN0208_InvalidOptionValue() => HasExactly(
        """
        network N(input: 8x8x1, format: channel_last) {
            conv2d(3x3, 3, padding: sam, activation: Relu, use_bias: yes, name: 5)
        }
        network M(input: "abc", output: relu) { dense(2) }
        """.Replace("\r\n", "\n"),
        "CNN0208 (1,33)-(1,45): The option 'format' of network 'N' takes channels_last or channels_first, not 'channel_last'. Did you mean 'channels_last'?",
        "CNN0208 (2,12)-(2,15): The option 'filters' of conv2d takes a number such as 8, not '3x3'.",
        "CNN0208 (2,29)-(2,32): The option 'padding' of conv2d takes valid, same or causal, not 'sam'. Did you mean 'same'?",
        "CNN0208 (2,46)-(2,50): The option 'activation' of conv2d takes linear, relu, leaky_relu, elu, sigmoid, tanh, softmax, softplus, silu, relu6, hard_sigmoid, hard_swish or gelu, not 'Relu'. Did you mean 'relu'?",
        "CNN0208 (2,62)-(2,65): The option 'use_bias' of conv2d takes true or false, not 'yes'.",
        "CNN0208 (2,73)-(2,74): The option 'name' of conv2d takes a layer name such as conv_a or \"conv_a\", not '5'.",
        "CNN0208 (4,18)-(4,23): The option 'input' of network 'M' takes a shape such as 28x28x1 or the name of another network, not \"abc\".",
        "CNN0208 (4,33)-(4,37): The option 'output' of network 'M' takes a shape such as 10 or 7x7x16, not 'relu'.");

    [Fact]
    public void CNN0209_OptionSetTwice() => HasExactly(
        "network N(input: 8x8x1, input: 4) { conv2d(8, 3, kernel: 5) }",
        "CNN0209 (1,25)-(1,30): The option 'input' of network 'N' is set more than once; keep one",
        "CNN0209 (1,50)-(1,56): The option 'kernel' of conv2d is set more than once; keep one");

    [Fact]
    public void CNN0210_MissingArgumentShowsTheForm() => HasExactly(
        "network N(input: 8x8x1) {\n    conv2d(8)\n    max_pool2d()\n    conv2d()\n}",
        "CNN0210 (2,5)-(2,11): conv2d needs 'kernel'; write conv2d(filters, kernel), e.g. conv2d(8, 3)",
        "CNN0210 (3,5)-(3,15): max_pool2d needs 'pool'; write max_pool2d(pool), e.g. max_pool2d(2)",
        "CNN0210 (4,5)-(4,11): conv2d needs 'filters' and 'kernel'; write conv2d(filters, kernel), e.g. conv2d(8, 3)");

    [Fact]
    public void CNN0211_TooManyPositionalArguments() => HasExactly(
        "network N(8x8x1) {\n    flatten(1)\n    dense(10, 20)\n}",
        "CNN0211 (1,11)-(1,16): Network 'N' takes no positional arguments; write this value as a named option, such as 'input: ...'",
        "CNN0211 (2,13)-(2,14): flatten takes no positional arguments; write this value as a named option, such as 'name: ...'",
        "CNN0211 (3,15)-(3,17): dense takes 1 positional argument (units); write this value as a named option, such as 'activation: ...'");

    [Fact]
    public void CNN0212_PositionalAfterNamed() => HasExactly(
        "network N(input: 8x8x1) { conv2d(filters: 8, 3) }",
        "CNN0212 (1,46)-(1,47): This value has no option name but follows named options of conv2d; write it as 'option: value' or move it before the named options");

    [Fact]
    public void CNN0213_NamesThatAreCSharpKeywords() => HasExactly(
        "namespace My.event;\nnetwork class(input: 4) { dense(2) }",
        "CNN0213 (1,14)-(1,19): 'event' cannot name a namespace: it is a C# keyword; choose another name",
        "CNN0213 (2,9)-(2,14): 'class' cannot name a network: it is a C# keyword; choose another name");

    [Fact]
    public void CNN0213_NamesLongerThanCSharpAllows() => HasExactly(
        "network " + new string('N', 513) + "(input: 4) { dense(2) }",
        "CNN0213 (1,9)-(1,522): '" + new string('N', 32) + "... (513 characters)' cannot name a network: C# names have at most 512 characters");

    [Fact]
    public void CNN0214_StopsAfterAHundredErrors()
    {
        var text = "network N(input: 4) {\n" + string.Concat(Enumerable.Repeat("    foo()\n", 150)) + "}\nnetwork M(input: 4) { dense(2) }";
        var file = DslHarness.Parse(text);
        var diagnostics = DslHarness.Check(text);
        Assert.Equal(101, diagnostics.Count);
        Assert.All(diagnostics.Take(100), d => Assert.StartsWith("CNN0206", d));
        Assert.Equal("CNN0214 (102,5)-(102,8): Stopped reading this file after 100 errors; fix these first", diagnostics[100]);
        Assert.Empty(file.Networks);
    }
}
