using CnnGen.Generators.Tests.Infrastructure;
using static CnnGen.Generators.Tests.Infrastructure.Expected;

namespace CnnGen.Generators.Tests.Diagnostics;

/// <summary>ZeroPadding1D/2D and UpSampling1D/2D in attributes: ID, severity, full message and exact span. Dsl/DslResamplingTests.cs has the same in .cnn files.</summary>
public class ResamplingDiagnosticTests
{
    [Fact]
    public void CNN0030_ANegativePadIsReportedOnItsArgument()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 3)]
            [ZeroPadding2D([|-1|])]
            [ZeroPadding2D(1, [|-2|], 0, 1, Name = "pad")]
            public partial class Net;
            """,
            Error("CNN0030", "ZeroPadding2D 'zero_padding2d_1' has pad -1, which is out of range; pad must be 0 or more (cells of zeros added on that side)"),
            Error("CNN0030", "ZeroPadding2D 'pad' has bottom -2, which is out of range; bottom must be 0 or more (cells of zeros added on that side)"));
    }

    [Fact]
    public void CNN0030_ANegativePadOfASequenceNamesItsEnd()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 3)]
            [ZeroPadding1D(2, [|-1|])]
            public partial class Net;
            """,
            Error("CNN0030", "ZeroPadding1D 'zero_padding1d_1' has after -1, which is out of range; after must be 0 or more (cells of zeros added on that side)"));
    }

    [Fact]
    public void CNN0030_ASizeBelowOneIsReportedOnItsArgument()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 3)]
            [UpSampling2D([|0|])]
            [UpSampling2D(2, [|-3|], Interpolation = Interpolation.Bilinear)]
            public partial class Net;
            """,
            Error("CNN0030", "UpSampling2D 'up_sampling2d_1' has size 0, which is out of range; size must be at least 1 (the factor by which the height and width grow), such as 2"),
            Error("CNN0030", "UpSampling2D 'up_sampling2d_2' has width -3, which is out of range; width must be at least 1 (the factor by which the width grows), such as 2"));
    }

    [Fact]
    public void CNN0030_AnUpSampling1DSizeOfZero()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 3)]
            [UpSampling1D([|0|])]
            public partial class Net;
            """,
            Error("CNN0030", "UpSampling1D 'up_sampling1d_1' has size 0, which is out of range; size must be at least 1 (the factor by which the length grows), such as 2"));
    }

    [Fact]
    public void CNN0101_TwoDimensionalLayersAfterAOneDimensionalOneSuggestTheOneDimensionalLayer()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(16, 3)]
            [Conv1D(4, 3)]
            [[|ZeroPadding2D(1)|]]
            public partial class Net;
            """,
            Error("CNN0101", "ZeroPadding2D 'zero_padding2d_1' needs an image (height, width, channels) but its input is 14x4 (a sequence (length, channels)). Use the 1-D layer ([ZeroPadding1D]) for sequences."));
        DiagnosticAssert.Reports("""
            [Network]
            [Input(16, 3)]
            [[|UpSampling2D(2)|]]
            public partial class Net;
            """,
            Error("CNN0101", "UpSampling2D 'up_sampling2d_1' needs an image (height, width, channels) but its input is 16x3 (a sequence (length, channels)). Use the 1-D layer ([UpSampling1D]) for sequences."));
    }

    [Fact]
    public void CNN0101_OneDimensionalLayersOnAVectorOrAnImage()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 3)]
            [[|UpSampling1D(2)|]]
            public partial class Net;
            """,
            Error("CNN0101", "UpSampling1D 'up_sampling1d_1' needs a sequence (length, channels) but its input is 8x8x3 (an image (height, width, channels)). Use the 2-D layer ([UpSampling2D]) for images."));
        DiagnosticAssert.Reports("""
            [Network]
            [Input(12)]
            [[|ZeroPadding1D(1)|]]
            public partial class Net;
            """,
            Error("CNN0101", "ZeroPadding1D 'zero_padding1d_1' needs a sequence (length, channels) but its input is 12 (a vector). A ZeroPadding1D cannot follow flatten, dense or global pooling layers; move it before them."));
    }

    [Fact]
    public void AnUndefinedInterpolationIsReported()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 3)]
            [UpSampling2D(2, [|Interpolation = (Interpolation)7|])]
            public partial class Net;
            """,
            Error("CNN0010", "UpSampling2D 'up_sampling2d_1' has interpolation 7, which is not a valid value; use one of: Nearest, Bilinear"));
    }

    [Fact]
    public void ZeroPadsAndSizesOfOneAreAccepted()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 3)]
            [ZeroPadding2D(0)]
            [ZeroPadding2D(0, 1, 2, 0)]
            [UpSampling2D(1)]
            [UpSampling2D(1, 3, Interpolation = Interpolation.Bilinear)]
            [Conv2D(2, 3)]
            [Flatten]
            [Dense(2)]
            public partial class Net;
            """);
    }
}
