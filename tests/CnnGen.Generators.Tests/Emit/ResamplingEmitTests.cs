using CnnGen.Generators.Tests.Infrastructure;

namespace CnnGen.Generators.Tests.Emit;

/// <summary>Zero padding and up-sampling in the generated class: the summary, the comments above their methods, the runtime kernels they call.</summary>
public class ResamplingEmitTests
{
    [Fact]
    public void TheSummaryListsTheLayersWithTheirShapes()
    {
        var network = GeneratedNetwork.Load(GeneratorHarness.Run(SampleNetworks.Resampling), "Zoo.Resampler");
        Assert.Equal(new[] { 5, 3, 2 }, network.InputShape);
        Assert.Contains("zero_padding2d_1 (ZeroPadding2D)  6x6x2", network.Summary);
        Assert.Contains("up_sampling2d_1 (UpSampling2D)    12x18x2", network.Summary);
        Assert.Contains("up_sampling2d_2 (UpSampling2D)    24x36x4", network.Summary);
    }

    [Fact]
    public void TheCommentsDescribePadsSizesAndInterpolation()
    {
        var run = GeneratorHarness.Run(SampleNetworks.Resampling);
        var image = run.Sources["Zoo.Resampler.g.cs"];
        Assert.Contains("// zero_padding2d_1: 5x3x2 -> 6x6x2, pad top 1, bottom 0, left 2, right 1: each input row copied into the middle of its output row, zeros around.", image);
        Assert.Contains("// up_sampling2d_1: 6x6x2 -> 12x18x2, size 2x3, bilinear: each output cell interpolated between its nearest input cells, half-pixel centres (align_corners=False).", image);
        Assert.Contains("// up_sampling2d_2: 12x18x4 -> 24x36x4, size 2x2, nearest: each input cell repeated over its block of output cells.", image);
        Assert.Contains("K::ResampleKernels.ZeroPad(", image);
        Assert.Contains("K::ResampleKernels.UpSampleBilinearBackward(", image);
        Assert.Contains("PadTop = 1, PadBottom = 0, PadLeft = 2, PadRight = 1", image);
        Assert.Contains("UpSamplingHeight = 2, UpSamplingWidth = 3", image);
        Assert.Contains("Interpolation = global::CnnGen.Interpolation.Bilinear", image);

        var sequence = run.Sources["Zoo.Stretcher.g.cs"];
        Assert.Contains("// zero_padding1d_1: 3x7 -> 3x11, pad before 2, after 2", sequence);
        Assert.Contains("// up_sampling1d_1: 3x11 -> 3x33, size 3, linear", sequence);
        Assert.Contains("// zero_padding1d_2: 3x66 -> 3x67, pad before 0, after 1", sequence);
    }
}
