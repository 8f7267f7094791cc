using CnnGen.Generators.Tests.Dsl;
using CnnGen.Generators.Tests.Infrastructure;
using static CnnGen.Generators.Tests.Infrastructure.Expected;

namespace CnnGen.Generators.Tests.Diagnostics;

/// <summary>
/// The rules of depthwise convolutions, on the argument at fault in attributes and .cnn files:
/// the depth multiplier at least 1 and at most 64, causal padding on the 1-D layer only, a
/// kernel that fits, a depthwise layer after a flatten.
/// </summary>
public class DepthwiseDiagnosticTests
{
    [Fact]
    public void CNN0006_ZeroDepthMultiplierIsReportedOnTheArgument()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 3)]
            [DepthwiseConv2D(3, [|DepthMultiplier = 0|])]
            public partial class Net;
            """,
            Error("CNN0006", "DepthwiseConv2D 'depthwise_conv2d_1' has depth_multiplier 0; it must be at least 1"));
    }

    [Fact]
    public void CNN0105_ADepthMultiplierAbove64IsReportedOnTheArgument()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(20, 3)]
            [DepthwiseConv1D(3, [|DepthMultiplier = 65|])]
            public partial class Net;
            """,
            Error("CNN0105", "DepthwiseConv1D 'depthwise_conv1d_1' would have 65 output channels per input channel, more than the limit of 64; use a smaller depth multiplier, or a convolution after it"));
    }

    [Fact]
    public void CNN0102_CausalPaddingOnTheTwoDimensionalLayerIsReportedOnThePadding()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 3)]
            [DepthwiseConv2D(3, [|Padding = Padding.Causal|])]
            public partial class Net;
            """,
            Error("CNN0102", "DepthwiseConv2D 'depthwise_conv2d_1' uses padding 'causal', which only Conv1D supports; use 'valid' or 'same'"));
    }

    [Fact]
    public void CNN0103_AKernelLargerThanItsInputIsReportedOnTheKernel()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(4, 6, 3)]
            [DepthwiseConv2D([|5|], 3)]
            public partial class Net;
            """,
            Error("CNN0103", "DepthwiseConv2D 'depthwise_conv2d_1' has a 5x3 kernel but its input is 4x6x3 with padding 'valid'; the output height would be 0. Use padding 'same' or a smaller kernel."));
    }

    [Fact]
    public void TheDslReportsTheSameRulesOnTheTokens()
    {
        Assert.Equal(
            new[] { "CNN0006 (2,43)-(2,44): depthwise_conv2d 'depthwise_conv2d_1' has depth_multiplier 0; it must be at least 1" },
            DslHarness.Check("network N(input: 8x8x3) {\n    depthwise_conv2d(3, depth_multiplier: 0)\n}"));
        Assert.Equal(
            new[] { "CNN0101 (3,5)-(3,21): depthwise_conv1d 'depthwise_conv1d_1' needs a sequence (length, channels) but its input is 192 (a vector). A depthwise_conv1d cannot follow flatten, dense or global pooling layers; move it before them." },
            DslHarness.Check("network N(input: 8x8x3) {\n    flatten()\n    depthwise_conv1d(3)\n}"));
        Assert.Empty(DslHarness.Check("network M(input: 20x3) {\n    depthwise_conv1d(3, depth_multiplier: 4, padding: causal, dilation: 2, activation: relu)\n    depthwise_conv1d(5, stride: 2, padding: same)\n}"));
    }
}
