using CnnGen.Generators.Tests.Infrastructure;
using static CnnGen.Generators.Tests.Infrastructure.Expected;

namespace CnnGen.Generators.Tests.Diagnostics;

/// <summary>
/// CNN01xx, the shape rules: ID, severity, full message with the numbers, and the exact span
/// (the attribute argument at fault, marked [|like this|]).
/// </summary>
public class ShapeDiagnosticTests
{
    [Fact]
    public void CNN0101_DenseOnAnImageAsksForAFlatten()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3)]
            [[|Dense(10)|]]
            public partial class Net;
            """,
            Error("CNN0101", "Dense 'dense_1' needs a vector but its input is 6x6x4 (an image (height, width, channels)). Add [Flatten] (or global pooling) before it."));
    }

    [Fact]
    public void CNN0101_ChannelsFirstInputIsDescribedInItsOwnAxisOrder()
    {
        DiagnosticAssert.Reports("""
            [Network(DataFormat = DataFormat.ChannelsFirst)]
            [Input(1, 8, 8)]
            [Conv2D(4, 3)]
            [[|Dense(10)|]]
            public partial class Net;
            """,
            Error("CNN0101", "Dense 'dense_1' needs a vector but its input is 4x6x6 (an image (channels, height, width)). Add [Flatten] (or global pooling) before it."));
    }

    [Fact]
    public void CNN0101_Conv2DAfterFlattenIsReportedOnTheConv2D()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Flatten]
            [[|Conv2D(4, 3)|]]
            public partial class Net;
            """,
            Error("CNN0101", "Conv2D 'conv2d_1' needs an image (height, width, channels) but its input is 64 (a vector). A Conv2D cannot follow flatten, dense or global pooling layers; move it before them."));
    }

    [Fact]
    public void CNN0101_Conv1DOnAnImageSuggestsConv2D()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [[|Conv1D(4, 3)|]]
            public partial class Net;
            """,
            Error("CNN0101", "Conv1D 'conv1d_1' needs a sequence (length, channels) but its input is 8x8x1 (an image (height, width, channels)). Use the 2-D layer ([Conv2D]) for images."));
    }

    [Fact]
    public void CNN0101_MaxPool2DOnASequenceSuggestsMaxPool1D()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(16, 2)]
            [[|MaxPool2D(2)|]]
            public partial class Net;
            """,
            Error("CNN0101", "MaxPool2D 'max_pool2d_1' needs an image (height, width, channels) but its input is 16x2 (a sequence (length, channels)). Use the 1-D layer ([MaxPool1D]) for sequences."));
    }

    [Fact]
    public void CNN0101_GlobalPoolingOnAVectorIsReported()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(10)]
            [[|GlobalAvgPool|]]
            public partial class Net;
            """,
            Error("CNN0101", "GlobalAvgPool 'global_avg_pool_1' needs a sequence or an image but its input is 10 (a vector). Global pooling reduces spatial dimensions; put it before [Flatten] and dense layers."));
    }

    [Fact]
    public void CNN0102_CausalPaddingOnConv2DIsReportedOnThePaddingArgument()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3, [|Padding = Padding.Causal|])]
            public partial class Net;
            """,
            Error("CNN0102", "Conv2D 'conv2d_1' uses padding 'causal', which only Conv1D supports; use 'valid' or 'same'"));
    }

    [Fact]
    public void CNN0102_CausalPaddingOnPoolingIsReported()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(16, 2)]
            [AvgPool1D(2, [|Padding = Padding.Causal|])]
            public partial class Net;
            """,
            Error("CNN0102", "AvgPool1D 'avg_pool1d_1' uses padding 'causal', which only Conv1D supports; use 'valid' or 'same'"));
    }

    [Fact]
    public void CNN0103_KernelLargerThanTheInputIsReportedOnTheKernelSize()
    {
        // The example of the README and docs/diagnostics/CNN0103.md.
        DiagnosticAssert.Reports("""
            [Network]
            [Input(12, 12, 1)]
            [Conv2D(16, 3, Padding = Padding.Same)]
            [MaxPool2D(2)]
            [MaxPool2D(2)]
            [Conv2D(16, [|5|])]
            public partial class Net;
            """,
            Error("CNN0103", "Conv2D 'conv2d_2' has a 5x5 kernel but its input is 3x3x16 with padding 'valid'; the output height would be -1. Use padding 'same', a smaller kernel, or remove a pooling layer before it."));
    }

    [Fact]
    public void CNN0103_WithoutPoolingBeforeTheFixDoesNotMentionPooling()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(3, 3, 16)]
            [Conv2D(8, [|5|])]
            public partial class Net;
            """,
            Error("CNN0103", "Conv2D 'conv2d_1' has a 5x5 kernel but its input is 3x3x16 with padding 'valid'; the output height would be -1. Use padding 'same' or a smaller kernel."));
    }

    [Fact]
    public void CNN0103_TooTallRectangularKernelIsReportedOnTheKernelHeight()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(6, 6, 1)]
            [Conv2D(8, [|7|], 3)]
            public partial class Net;
            """,
            Error("CNN0103", "Conv2D 'conv2d_1' has a 7x3 kernel but its input is 6x6x1 with padding 'valid'; the output height would be 0. Use padding 'same' or a smaller kernel."));
    }

    [Fact]
    public void CNN0103_TooWideRectangularKernelIsReportedOnTheKernelWidth()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(6, 4, 1)]
            [Conv2D(8, 3, [|kernelWidth: 6|])]
            public partial class Net;
            """,
            Error("CNN0103", "Conv2D 'conv2d_1' has a 3x6 kernel but its input is 6x4x1 with padding 'valid'; the output width would be -1. Use padding 'same' or a smaller kernel."));
    }

    [Fact]
    public void CNN0103_DilatedKernelLongerThanTheSequenceShowsTheDilatedExtent()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 1)]
            [Conv1D(4, [|3|], Dilation = 4)]
            public partial class Net;
            """,
            Error("CNN0103", "Conv1D 'conv1d_1' has a length-3 (dilated to 9) kernel but its input is 8x1 with padding 'valid'; the output length would be 0. Use padding 'same' or a smaller kernel."));
    }

    [Fact]
    public void CNN0103_PoolWindowLargerThanTheInputIsReportedOnThePoolSize()
    {
        DiagnosticAssert.Reports("""
            [Network(DataFormat = DataFormat.ChannelsFirst)]
            [Input(2, 3, 3)]
            [MaxPool2D([|4|])]
            public partial class Net;
            """,
            Error("CNN0103", "MaxPool2D 'max_pool2d_1' has a 4x4 pool window but its input is 2x3x3 with padding 'valid'; the output height would be 0. Use padding 'same' or a smaller pool window."));
    }

    [Fact]
    public void CNN0104_DeclaredOutputThatDiffersIsReportedOnTheOutputAttribute()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3)]
            [[|Output(8, 8, 4)|]]
            public partial class Net;
            """,
            Error("CNN0104", "The network 'Net' declares output 8x8x4 but its layers produce 6x6x4; change the Output declaration or the layers"));
    }

    [Fact]
    public void CNN0105_HugeInputIsReportedOnTheInputAttribute()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [[|Input(100000, 100000, 3)|]]
            [Flatten]
            public partial class Net;
            """,
            Error("CNN0105", "The input of 'Net' would have 30,000,000,000 values per sample, more than the limit of 134,217,728; make the input smaller"));
    }

    [Fact]
    public void CNN0105_HugeDenseLayerIsReportedOnTheLayer()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(100, 100)]
            [Flatten]
            [[|Dense(100000)|]]
            public partial class Net;
            """,
            Error("CNN0105", "Dense 'dense_1' would have 1,000,100,000 parameters, more than the limit of 134,217,728; make the layer smaller"));
    }

    [Fact]
    public void CNN0105_KernelWhosePaddedInputOverflowsALongIsStillReportedExactly()
    {
        // A 'same' kernel of 2^31 - 1 pads each side of the 4x4 input to 2^31 + 2 cells: (2^31 + 2)^2 * 4
        // values, past long.MaxValue, so no wrap-around may sneak it under the limit (it is refused
        // before its 147,573,952,452,237,459,496 weights are).
        DiagnosticAssert.Reports("""
            [Network]
            [Input(4, 4, 4)]
            [Conv2D(8, [|int.MaxValue|], Padding = Padding.Same)]
            public partial class Net;
            """,
            Error("CNN0105", "Conv2D 'conv2d_1' would have 18,446,744,108,069,290,000 input values per sample with its padding, more than the limit of 134,217,728; use a smaller kernel or dilation, or padding 'valid'"));
    }

    [Fact]
    public void CNN0105_ConvolutionWithTooManyOutputValuesIsReported()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(4096, 4096, 1)]
            [[|Conv2D(16, 1)|]]
            public partial class Net;
            """,
            Error("CNN0105", "Conv2D 'conv2d_1' would have 268,435,456 output values per sample, more than the limit of 134,217,728; make the layer smaller"));
    }

    [Fact]
    public void CNN0105_NetworkWhoseLayersTogetherExceedTheLimitIsReportedOnTheLayerThatCrossesIt()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8000)]
            [Dense(8000)]
            [Dense(8000)]
            [[|Dense(8000)|]]
            public partial class Net;
            """,
            Error("CNN0105", "Dense 'dense_3' would have 192,024,000 parameters in the network up to it, more than the limit of 134,217,728; make the layers smaller"));
    }

    [Fact]
    public void CNN0106_ChainedNetworksWithDifferentDataFormatsAreReportedOnTheInputAttribute()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(2, 3)]
            public partial class Encoder;

            [Network(DataFormat = DataFormat.ChannelsFirst)]
            [[|Input(typeof(Encoder))|]]
            [Conv2D(2, 3)]
            public partial class Head;
            """,
            Error("CNN0106", "The network 'Head' is channels_first but its input network 'Encoder' is channels_last; chained networks must share a data format"));
    }

    [Fact]
    public void CNN0106_ChainingThroughAVectorIgnoresTheDataFormat()
    {
        var run = GeneratorHarness.Run("""
            using CnnGen;

            [Network]
            [Input(8, 8, 1)]
            [Flatten]
            public partial class Encoder;

            [Network(DataFormat = DataFormat.ChannelsFirst)]
            [Input(typeof(Encoder))]
            [Dense(2)]
            public partial class Head;
            """);
        Assert.Empty(run.CnnDiagnostics);
        Assert.Empty(run.BuildErrors);
    }
}
