namespace CnnGen.Generators.Tests.Dsl;

/// <summary>
/// pad, pads, ceil_mode, count_padding and keep_dims in .cnn files: the shapes, and the errors in
/// the language's words on the token at fault (Diagnostics/PaddingDiagnosticTests.cs has the attributes).
/// </summary>
public class DslPaddingTests
{
    private static void HasExactly(string text, params string[] expected) => Assert.Equal(expected, DslHarness.Check(text));

    [Fact]
    public void ExplicitPaddingAndThePoolingOptionsAreAccepted() => HasExactly(
        "network N(input: 9x10x3) {\n" +
        "    conv2d(4, 3, pad: 1)\n" +
        "    conv2d(5, 3x2, strides: 2x2, pads: 0x1x1x0)\n" +
        "    max_pool2d(3, stride: 2, pad: 1, ceil_mode: true)\n" +
        "    avg_pool2d(2, stride: 1, pad: 1, count_padding: true)\n" +
        "    global_avg_pool(keep_dims: true)\n" +
        "    avg_pool2d(1, pads: 0x0x0x0, ceil_mode: true, count_padding: true)\n" +
        "}\n" +
        "network M(input: 12x2) { conv1d(2, 3, pads: 2x0) max_pool1d(2, pads: 1x0, ceil_mode: true) avg_pool1d(2, pad: 1, count_padding: true) global_max_pool(keep_dims: true) }");

    [Fact]
    public void PadWithSameSitsOnPad() => HasExactly(
        "network N(input: 8x8x1) { conv2d(4, 3, padding: same, pad: 1) }",
        "CNN0024 (1,60)-(1,61): conv2d 'conv2d_1' sets pad and padding 'same'; pad goes with padding 'valid' (the default): remove one of them");

    [Fact]
    public void CeilModeWithSameSitsOnCeilMode() => HasExactly(
        "network N(input: 8x8x1) { max_pool2d(2, padding: same, ceil_mode: true) }",
        "CNN0024 (1,67)-(1,71): max_pool2d 'max_pool2d_1' sets ceil_mode and padding 'same'; ceil_mode goes with padding 'valid' (the default): remove one of them");

    [Fact]
    public void PadsOfTheWrongCountSitOnPads() => HasExactly(
        "network N(input: 8x8x1) { conv2d(4, 3, pads: 1x1x1) }",
        "CNN0025 (1,46)-(1,51): conv2d 'conv2d_1' has pads 1x1x1; it takes one count for every side (pad) or four, {top, bottom, left, right} (pads), each 0 or more");

    [Fact]
    public void GroupsAreAcceptedAndCheckedInTheLanguagesWords()
    {
        HasExactly("network N(input: 8x8x6) { conv2d(12, 3, groups: 3) }");
        HasExactly(
            "network N(input: 8x8x6) { conv2d(8, 3, groups: 4) }",
            "CNN0111 (1,48)-(1,49): conv2d 'conv2d_1' has 4 groups but its input has 6 channels; the input channels and the filters must both be multiples of the groups: use 1 or 2, or change the filters");
    }

    [Fact]
    public void TransposedConvolutionsAreAcceptedAndCheckedInTheLanguagesWords()
    {
        HasExactly("network N(input: 8x8x6) { conv2d_transpose(4, 3, strides: 2x1, pads: 1x1x0x1, output_paddings: 1x0, activation: relu) conv1d_transpose(2, 2, stride: 2, from: input) }",
            "CNN0101 (1,119)-(1,135): conv1d_transpose 'conv1d_transpose_1' needs a sequence (length, channels) but its input is 8x8x6 (an image (height, width, channels)). Use the 2-D layer (conv2d_transpose(...)) for images.");
        HasExactly("network N(input: 16x3) { conv1d_transpose(4, 3, stride: 2, pad: 1, output_padding: 1) }");
        HasExactly(
            "network N(input: 8x8x6) { conv2d_transpose(4, 3, stride: 2, output_padding: 2) }",
            "CNN0112 (1,77)-(1,78): conv2d_transpose 'conv2d_transpose_1' has output padding 2 in its height but a stride of 2; the output padding must be less than the stride (PyTorch's rule: more would add cells no input reaches); use at most 1");
    }

    [Fact]
    public void APadTooWideSitsOnItsSide() => HasExactly(
        "network N(input: 8x8x1) { conv2d(4, 3x2, pads: 1x1x2x1) }",
        "CNN0110 (1,52)-(1,53): conv2d 'conv2d_1' pads 2 cells on the left but its kernel is 2 wide; pad at most 1 (the kernel's extent less one), or some windows would lie wholly in the padding");

    [Fact]
    public void CountPaddingIsForAveragePoolingOnly()
    {
        var diagnostics = DslHarness.Check("network N(input: 8x8x1) { max_pool2d(2, count_padding: true) }");
        Assert.Single(diagnostics);
        Assert.StartsWith("CNN0207", diagnostics[0]);
    }
}
