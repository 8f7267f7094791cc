namespace CnnGen.Generators.Tests.Dsl;

// Inside the namespace, so that the generator's model types win over the runtime's.
using CnnGen.Generators.Model;

/// <summary>
/// Skip connections, branches and merges written in .cnn files: from: on any layer, add, multiply
/// and concatenate with their inputs written one by one, and every error of how layers connect
/// on the token at fault (the same IDs and messages as in attributes, in the language's words).
/// </summary>
public class DslGraphTests
{
    /// <summary>Exactly these diagnostics, compared one by one so that a failure shows where the text differs.</summary>
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
    public void MergeInputsAreReadOneByOneAndFromOnAnyLayer()
    {
        var file = DslHarness.Parse("network N(input: 8x8x1) {\n    conv2d(4, 3, padding: same)\n    conv2d(4, 1, from: input)\n    add(conv2d_1, \"conv2d_2\", input, activation: relu, name: sum)\n}");
        Assert.Empty(file.Diagnostics);
        var layers = Assert.Single(file.Networks).Layers;
        Assert.Equal(new[] { "input" }, layers[1].Value(LayerVocabulary.From)!.Words);
        var add = layers[2];
        Assert.Equal(LayerKind.Add, add.Kind);
        Assert.Equal("sum", add.Name);
        Assert.Equal(new[] { "conv2d_1", "conv2d_2", "input" }, add.Value(LayerVocabulary.Inputs)!.Words);
        Assert.Equal(ActivationKind.Relu, add.Activation);

        // Each input is located on its own token, as each argument of a params array in C#.
        Assert.Equal(new[] { (4, 9, 4, 17), (4, 19, 4, 29), (4, 31, 4, 36) },
            Enumerable.Range(0, 3).Select(i => add.Locate(LayerVocabulary.Inputs, i)!.LineSpan).Select(s => (s.Start.Line + 1, s.Start.Character + 1, s.End.Line + 1, s.End.Character + 1)));
    }

    [Fact]
    public void CNN0019_AnUnknownInputSitsOnItsToken() => HasExactly(
        "network N(input: 8x8x1) {\n    conv2d(4, 3, padding: same)\n    add(conv2d_1, inptu)\n}",
        "CNN0019 (3,19)-(3,24): add 'add_1' reads 'inptu', but 'N' has no layer of that name. Did you mean 'input'? Name an earlier layer, or 'input' for the network's input");

    [Fact]
    public void CNN0019_AnUnknownFromSitsOnItsValue() => HasExactly(
        "network N(input: 8x8x1) {\n    conv2d(4, 3, padding: same, name: stem)\n    conv2d(4, 1, from: stme)\n}",
        "CNN0019 (3,24)-(3,28): conv2d 'conv2d_2' reads 'stme', but 'N' has no layer of that name. Did you mean 'stem'? Name an earlier layer, or 'input' for the network's input");

    [Fact]
    public void CNN0020_ALaterLayerOrTheLayerItself() => HasExactly(
        "network N(input: 8x8x1) {\n    conv2d(4, 3, padding: same, from: conv2d_2)\n    conv2d(4, 3, padding: same, from: input)\n    add(conv2d_2, add_1)\n}",
        "CNN0020 (2,39)-(2,47): conv2d 'conv2d_1' reads 'conv2d_2', which is written after it; a layer reads only the network's input and layers written before it. Write 'conv2d_2' before 'conv2d_1', or read an earlier layer.",
        "CNN0020 (4,19)-(4,24): add 'add_1' reads 'add_1', its own output; a layer reads only the network's input and layers written before it. Read an earlier layer, or 'input'.");

    [Fact]
    public void CNN0021_TooFewInputsSitOnTheLayerName() => HasExactly(
        "network N(input: 8x8x1) {\n    conv2d(4, 3)\n    concatenate(conv2d_1)\n    multiply()\n}",
        "CNN0021 (3,5)-(3,16): concatenate 'concatenate_1' reads only 'conv2d_1'; a merge needs at least two inputs, e.g. concatenate(conv2d_1, input)",
        "CNN0021 (4,5)-(4,13): multiply 'multiply_1' reads no layer; a merge needs at least two inputs, e.g. multiply(conv2d_2, input)");

    [Fact]
    public void CNN0022_FromOnAMergeSitsOnItsValue() => HasExactly(
        "network N(input: 8x8x1) {\n    conv2d(1, 3, padding: same)\n    add(conv2d_1, input, from: conv2d_1)\n}",
        "CNN0022 (3,32)-(3,40): add 'add_1' lists the layers it reads, so it takes no from; put 'conv2d_1' among its inputs instead");

    [Fact]
    public void CNN0023_AnUnusedOutputIsAWarningOnTheLayerName() => HasExactly(
        "network N(input: 8x8x1) {\n    conv2d(4, 3)\n    conv2d(4, 1)\n    flatten(from: conv2d_1)\n}",
        "CNN0023 (3,5)-(3,11): The output of conv2d 'conv2d_2' is never used: no later layer reads it, and only the last layer is the network's output. Read it with from: conv2d_2 or a merge, or remove the layer");

    [Fact]
    public void CNN0107_MergeInputsThatDoNotFitSitOnTheInput() => HasExactly(
        "network N(input: 1x8x8, format: channels_first) {\n    conv2d(16, 3, padding: same)\n    conv2d(32, 3, padding: same, from: input)\n    add(conv2d_1, conv2d_2)\n}",
        "CNN0107 (4,19)-(4,27): add 'add_1' cannot merge 'conv2d_1' (16x8x8) and 'conv2d_2' (32x8x8): add needs inputs of one shape, or an input of one position (16x1x1 or 16) broadcast over the other's positions; give both 16 channels or both 32 (a 1x1 convolution or a dense layer can change the channels of one).");

    [Fact]
    public void CNN0107_ConcatenateOfSequencesOfDifferentLengths() => HasExactly(
        "network N(input: 16x2) {\n    max_pool1d(2)\n    concatenate(input, max_pool1d_1)\n}",
        "CNN0107 (3,24)-(3,36): concatenate 'concatenate_1' cannot merge 'input' (16x2) and 'max_pool1d_1' (8x2): concatenate joins its inputs along the channel axis, so their spatial sizes must be equal, not 16 and 8; use the same strides and padding 'same' on both paths, or pooling on the larger one.");

    [Fact]
    public void ANameThatIsNotALayerNameIsAnInvalidValue() => HasExactly(
        "network N(input: 8x8x1) {\n    conv2d(4, 3)\n    add(conv2d_1, 3)\n    conv2d(2, 1, from: Other.Net)\n}",
        "CNN0208 (3,19)-(3,20): The option 'inputs' of add takes the name of an earlier layer or input, such as conv2d_1, not '3'.",
        "CNN0208 (4,24)-(4,33): The option 'from' of conv2d takes the name of an earlier layer or input, such as conv2d_1, not 'Other.Net'.");

    [Fact]
    public void InputsAfterANamedOptionAreReported() => HasExactly(
        "network N(input: 8x8x1) {\n    conv2d(4, 3)\n    add(conv2d_1, activation: relu, input)\n}",
        "CNN0212 (3,37)-(3,42): This value has no option name but follows named options of add; write it as 'option: value' or move it before the named options");

    [Fact]
    public void EveryLayerListsFromAmongItsOptions() => HasExactly(
        "network N(input: 8) {\n    dense(4, form: input)\n}",
        "CNN0207 (2,14)-(2,18): dense has no option 'form'. Did you mean 'from'? Its options are units, activation, use_bias, name, from.");
}
