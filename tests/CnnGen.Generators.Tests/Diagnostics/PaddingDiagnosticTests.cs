using CnnGen.Generators.Tests.Dsl;
using CnnGen.Generators.Tests.Infrastructure;
using static CnnGen.Generators.Tests.Infrastructure.Expected;

namespace CnnGen.Generators.Tests.Diagnostics;

/// <summary>
/// Explicit padding (Pad, Pads) and the pooling options CeilMode, CountPadding and KeepDims:
/// ID, severity, full message and the exact span, in attributes, from the analyzer alone and
/// from a build. Dsl/DslPaddingTests.cs has the same in .cnn files.
/// </summary>
public class PaddingDiagnosticTests
{
    [Fact]
    public void CNN0024_PadWithPaddingSameIsReportedOnPad()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3, Padding = Padding.Same, [|Pad = 1|])]
            public partial class Net;
            """,
            Error("CNN0024", "Conv2D 'conv2d_1' sets Pad and padding 'same'; Pad goes with padding 'valid' (the default): remove one of them"));
    }

    [Fact]
    public void CNN0024_PadsWithCausalPaddingIsReportedOnPads()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(16, 2)]
            [Conv1D(4, 3, Padding = Padding.Causal, [|Pads = new[] { 2, 0 }|])]
            public partial class Net;
            """,
            Error("CNN0024", "Conv1D 'conv1d_1' sets Pads and padding 'causal'; Pads goes with padding 'valid' (the default): remove one of them"));
    }

    [Fact]
    public void DepthwiseConvolutionsTakePadsWithTheSameRules()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 4)]
            [DepthwiseConv2D(3, Stride = 2, Pad = 1)]
            [DepthwiseConv2D(3, Padding = Padding.Same, [|Pads = new[] { 1, 1, 0, 2 }|])]
            public partial class Net;
            """,
            Error("CNN0024", "DepthwiseConv2D 'depthwise_conv2d_2' sets Pads and padding 'same'; Pads goes with padding 'valid' (the default): remove one of them"));
        Assert.Empty(DslHarness.Check("network M(input: 13x6) {\n    depthwise_conv1d(3, stride: 2, pads: 2x1)\n    depthwise_conv1d(5, pad: 2, depth_multiplier: 3)\n}"));
        Assert.Empty(DslHarness.Check("network M(input: 8x8x4) {\n    depthwise_conv2d(3, stride: 2, pad: 1, depth_multiplier: 2)\n    depthwise_conv2d(3, pads: 2x0x1x3, dilation: 2)\n}"));
    }

    [Fact]
    public void CNN0024_CeilModeWithPaddingSameIsReportedOnCeilMode()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [MaxPool2D(3, Stride = 2, Padding = Padding.Same, [|CeilMode = true|])]
            public partial class Net;
            """,
            Error("CNN0024", "MaxPool2D 'max_pool2d_1' sets CeilMode and padding 'same'; CeilMode goes with padding 'valid' (the default): remove one of them"));
    }

    [Fact]
    public void CNN0025_PadsOfTheWrongCountAreReportedOnPads()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3, [|Pads = new[] { 1, 1 }|])]
            public partial class Net;
            """,
            Error("CNN0025", "Conv2D 'conv2d_1' has Pads { 1, 1 }; it takes one count for every side (Pad) or four, {top, bottom, left, right} (Pads), each 0 or more"));
    }

    [Fact]
    public void CNN0025_ANegativePadIsReportedOnPad()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(16, 2)]
            [AvgPool1D(2, [|Pad = -1|])]
            public partial class Net;
            """,
            Error("CNN0025", "AvgPool1D 'avg_pool1d_1' has Pad -1; it takes one count for every side (Pad) or two, {before, after} (Pads), each 0 or more"));
    }

    [Fact]
    public void CNN0111_GroupsThatDoNotDivideTheChannelsAreReportedOnGroups()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 6)]
            [Conv2D(8, 3, [|Groups = 4|])]
            public partial class Net;
            """,
            Error("CNN0111", "Conv2D 'conv2d_1' has 4 groups but its input has 6 channels; the input channels and the filters must both be multiples of the groups: use 1 or 2, or change the filters"));
    }

    [Fact]
    public void CNN0111_GroupsThatDivideNeitherSayBoth()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(10, 5)]
            [Conv1D(7, 3, [|Groups = 2|])]
            public partial class Net;
            """,
            Error("CNN0111", "Conv1D 'conv1d_1' has 2 groups but its input has 5 channels and it has 7 filters; the input channels and the filters must both be multiples of the groups: only 1 divides both 5 and 7"));
    }

    [Fact]
    public void CNN0112_OutputPaddingNotLessThanTheStrideIsReportedOnIt()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 4)]
            [Conv2DTranspose(4, 3, Stride = 2, Pad = 1, [|OutputPadding = 2|])]
            public partial class Net;
            """,
            Error("CNN0112", "Conv2DTranspose 'conv2d_transpose_1' has output padding 2 in its height but a stride of 2; the output padding must be less than the stride (PyTorch's rule: more would add cells no input reaches); use at most 1"));
    }

    [Fact]
    public void CNN0112_PerDimensionOutputPaddingSitsOnTheValueAtFault()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 4)]
            [Conv2DTranspose(4, 3, Strides = new[] { 2, 1 }, OutputPaddings = new[] { 1, [|1|] })]
            public partial class Net;
            """,
            Error("CNN0112", "Conv2DTranspose 'conv2d_transpose_1' has output padding 1 in its width but a stride of 1; the output padding must be less than the stride (PyTorch's rule: more would add cells no input reaches); use at most 0"));
    }

    [Fact]
    public void CNN0112_NegativeOutputPadding()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(10, 2)]
            [Conv1DTranspose(4, 3, Stride = 2, [|OutputPadding = -1|])]
            public partial class Net;
            """,
            Error("CNN0112", "Conv1DTranspose 'conv1d_transpose_1' has output padding -1; it adds cells after the output, so it must be 0 or more and less than the stride"));
    }

    [Fact]
    public void CNN0112_CropsThatTakeEveryCell()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(1, 1, 2)]
            [Conv2DTranspose(4, 3, [|Pad = 2|])]
            public partial class Net;
            """,
            Error("CNN0112", "Conv2DTranspose 'conv2d_transpose_1' crops 2 + 2 cells of its height of 3, which leaves -1; crop less (smaller pads) or use a larger kernel or stride"));
    }

    [Fact]
    public void CNN0110_AConvolutionPadWiderThanItsKernelIsReportedOnThatPad()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3, 2, Pads = new[] { 1, 1, [|2|], 1 })]
            public partial class Net;
            """,
            Error("CNN0110", "Conv2D 'conv2d_1' pads 2 cells on the left but its kernel is 2 wide; pad at most 1 (the kernel's extent less one), or some windows would lie wholly in the padding"));
    }

    [Fact]
    public void CNN0110_APoolingPadOverHalfItsWindowIsReportedOnPad()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [MaxPool2D(2, [|Pad = 2|])]
            public partial class Net;
            """,
            Error("CNN0110", "MaxPool2D 'max_pool2d_1' pads 2 cells at the top but its pool window is 2 high; pad at most 1 (half the window, as PyTorch requires), or some windows would lie wholly in the padding"));
    }

    [Fact]
    public void ExplicitPadsCeilModeAndKeepDimsGiveTheShapesOfPyTorch()
    {
        var run = DiagnosticAssert.Reports("""
            [Network]
            [Input(9, 10, 3)]
            [Conv2D(4, 3, Pad = 1)]
            [Conv2D(5, 3, 2, Strides = new[] { 2, 2 }, Pads = new[] { 0, 1, 1, 0 })]
            [MaxPool2D(3, Stride = 2, Pad = 1, CeilMode = true)]
            [AvgPool2D(2, Stride = 1, Pad = 1, CountPadding = true)]
            [GlobalAvgPool(KeepDims = true)]
            public partial class Net;
            """);
        var network = GeneratedNetwork.Load(run, "Net");
        Assert.Equal(new[] { 1, 1, 5 }, network.OutputShape);
        Assert.Matches(@"max_pool2d_1 \(MaxPool2D\) +3x3x5 ", network.Summary);
        Assert.Matches(@"avg_pool2d_1 \(AvgPool2D\) +4x4x5 ", network.Summary);
    }
}
