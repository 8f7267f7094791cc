namespace CnnGen.Generators.Tests.Emit;

// Inside the namespace, so that the generator's model types win over the runtime's.
using CnnGen.Generators.Dsl;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Layers;
using CnnGen.Generators.Model;
using CnnGen.Generators.Shapes;

/// <summary>
/// The plans each kernel makes at each vector width, read directly (the golden files only
/// confirm the text): the scheme, the lanes and the accumulator grid (rows x vectors) must
/// fit the width's register file, and the shapes that need a special scheme get it.
/// </summary>
public class KernelPlanTests
{
    private static readonly VectorIsa[] Widths = { VectorIsa.V512, VectorIsa.V256, VectorIsa.V128 };

    /// <summary>The plan of one kernel ("forward", "kernel gradient", ...) of the first layer of a one-layer network.</summary>
    private static KernelPlan Plan(string input, string layer, VectorIsa width, string kernel = "forward", string format = "channels_last")
    {
        var file = DslFile.Parse("plan.cnn", "network N(input: " + input + ", format: " + format + ") { " + layer + " }");
        Assert.Empty(file.Diagnostics);
        var analysis = NetworkCompiler.AnalyzeAll(new NetworkCatalog(file.Networks)).Single();
        Assert.True(analysis.Model.IsValid, string.Join("\n", analysis.Diagnostics.Select(d => d.Message)));
        var plan = WorkspacePlan.Create(analysis.Model);
        var emission = new LayerEmission(new SourceWriter(), analysis.Model, plan, 0);
        return LayerFamilies.Of(emission.Layer).Plans(emission, width).Single(p => p.Kernel == kernel);
    }

    private static void AssertPlan(KernelPlan plan, KernelScheme scheme, int lanes, int rows, int vectors)
    {
        Assert.True((scheme, lanes, rows, vectors) == (plan.Scheme, plan.Lanes, plan.Rows, plan.Vectors), "got " + plan);
    }

    [Fact]
    public void LeNetFirstLayerIsVectorisedOverPositionsWhereItsSixFiltersLeaveLanesEmpty()
    {
        // 28 positions a row: two vectors of 16 (starting at 0 and 12), four of 8; 6 filters each.
        AssertPlan(Plan("28x28x1", "conv2d(6, 5, padding: same)", VectorIsa.V512), KernelScheme.PositionVectors, 16, 2, 6);
        AssertPlan(Plan("28x28x1", "conv2d(6, 5, padding: same)", VectorIsa.V256), KernelScheme.PositionVectors, 8, 2, 6);
        // 6 filters fill 128-bit vectors well enough: two overlapping vectors of 4, six output positions a block.
        AssertPlan(Plan("28x28x1", "conv2d(6, 5, padding: same)", VectorIsa.V128), KernelScheme.ChannelVectors, 4, 6, 2);
    }

    [Fact]
    public void FewFiltersOnSeveralChannelsAreVectorisedOverPositionsFromPlanes()
    {
        // 6 filters on 16 channels, 28 positions a row: as LeNet's first layer, at 512 and 256 bits.
        AssertPlan(Plan("28x28x16", "conv2d(6, 5, padding: same)", VectorIsa.V512), KernelScheme.PositionVectors, 16, 2, 6);
        AssertPlan(Plan("28x28x16", "conv2d(6, 5, padding: same)", VectorIsa.V256), KernelScheme.PositionVectors, 8, 2, 6);
        Assert.Equal(KernelScheme.ChannelVectors, Plan("28x28x16", "conv2d(6, 5, padding: same)", VectorIsa.V128).Scheme);
        // 14 positions a row, shorter than a 512-bit vector: 256-bit vectors at 512 bits too.
        AssertPlan(Plan("18x18x16", "conv2d(6, 5)", VectorIsa.V512), KernelScheme.PositionVectors, 8, 2, 6);
        // 3 filters on 32 channels, 32 positions a row: two 16-position vectors would keep 6
        // accumulators, four of 8 keep 12; at 128 bits four of 4 (3 filters are under a vector).
        AssertPlan(Plan("32x32x32", "conv2d(3, 3, padding: same)", VectorIsa.V512), KernelScheme.PositionVectors, 8, 4, 3);
        AssertPlan(Plan("32x32x32", "conv2d(3, 3, padding: same)", VectorIsa.V128), KernelScheme.PositionVectors, 4, 4, 3);
        Assert.Equal(26, PositionVectorizedConvolution.BandRows(Model("64x16x32", "conv2d(5, 3, padding: same)")));
        Assert.Equal(13, PositionVectorizedConvolution.BandRows(Model("32x32x32", "conv2d(3, 3, padding: same)")));
        // Not from planes: 8 filters fill a 256-bit vector; a 1x1 kernel; 4 accumulators; groups.
        Assert.Equal(KernelScheme.ChannelVectors, Plan("128x4", "conv1d(8, 5, padding: same)", VectorIsa.V512).Scheme);
        Assert.Equal(KernelScheme.ChannelVectors, Plan("28x28x16", "conv2d(6, 1)", VectorIsa.V512).Scheme);
        Assert.NotEqual(KernelScheme.PositionVectors, Plan("8x8x2", "conv2d(4, 3, padding: same)", VectorIsa.V256).Scheme);
        Assert.NotEqual(KernelScheme.PositionVectors, Plan("28x28x16", "conv2d(4, 5, padding: same, groups: 2)", VectorIsa.V512).Scheme);
        // The kernel gradient follows, from the same planes: a row of 5 taps x 3 filters at a time
        // (15 accumulators) at 512 bits, 1 filter with 16 registers; 256-bit vectors for 32x32x32 at 512 bits.
        AssertPlan(Plan("28x28x16", "conv2d(6, 5, padding: same)", VectorIsa.V512, "kernel gradient"), KernelScheme.PositionVectors, 16, 3, 5);
        AssertPlan(Plan("28x28x16", "conv2d(6, 5, padding: same)", VectorIsa.V256, "kernel gradient"), KernelScheme.PositionVectors, 8, 1, 5);
        AssertPlan(Plan("32x32x32", "conv2d(3, 3, padding: same)", VectorIsa.V512, "kernel gradient"), KernelScheme.PositionVectors, 8, 3, 3);
        Assert.Equal(KernelScheme.OuterProducts, Plan("28x28x16", "conv2d(6, 5, padding: same)", VectorIsa.V128, "kernel gradient").Scheme);
        // 200 channels x 3 taps x 7 filters: more partial sums than the scratch holds; the forward still reads planes.
        Assert.Equal(KernelScheme.PositionVectors, Plan("64x200", "conv1d(7, 3, padding: same)", VectorIsa.V512).Scheme);
        Assert.NotEqual(KernelScheme.PositionVectors, Plan("64x200", "conv1d(7, 3, padding: same)", VectorIsa.V512, "kernel gradient").Scheme);
    }

    [Fact]
    public void FewChannelDepthwiseRowsAreRunsOfFloats()
    {
        // A 3x3 blur on RGB: rows of 64 x 3 floats in vectors of the width, blocks of 12 vectors
        // (32 registers) or 9 (16), a whole number of periods of 3 vectors (16 and 8 are not multiples of 3).
        AssertPlan(Plan("64x64x3", "depthwise_conv2d(3, padding: same)", VectorIsa.V512), KernelScheme.RowRuns, 16, 12, 3);
        AssertPlan(Plan("64x64x3", "depthwise_conv2d(3, padding: same)", VectorIsa.V256), KernelScheme.RowRuns, 8, 9, 3);
        AssertPlan(Plan("64x64x3", "depthwise_conv2d(3, padding: same)", VectorIsa.V128), KernelScheme.RowRuns, 4, 9, 3);
        AssertPlan(Plan("64x64x3", "depthwise_conv2d(3, padding: same)", VectorIsa.V256, "input gradient"), KernelScheme.RowRuns, 8, 9, 3);
        // Its kernel gradient: 9 taps x 3 phases of sums, in 2 passes of 5 and 4 taps (24 accumulators) or 3 of 3 (12).
        AssertPlan(Plan("64x64x3", "depthwise_conv2d(3, padding: same)", VectorIsa.V512, "kernel gradient"), KernelScheme.RowRuns, 16, 5, 3);
        AssertPlan(Plan("64x64x3", "depthwise_conv2d(3, padding: same)", VectorIsa.V256, "kernel gradient"), KernelScheme.RowRuns, 8, 3, 3);
        // 147 sums for a 7x7 kernel: a tap at a time.
        AssertPlan(Plan("32x32x3", "depthwise_conv2d(7, padding: same)", VectorIsa.V512, "kernel gradient"), KernelScheme.RowRuns, 16, 1, 3);
        // One or two channels: every vector starts at channel 0; a row of 5 floats takes 4 lanes.
        AssertPlan(Plan("64x64x1", "depthwise_conv2d(5, padding: same)", VectorIsa.V512), KernelScheme.RowRuns, 16, 16, 1);
        AssertPlan(Plan("64x64x1", "depthwise_conv2d(5, padding: same)", VectorIsa.V256), KernelScheme.RowRuns, 8, 12, 1);
        AssertPlan(Plan("32x40x2", "depthwise_conv2d(3, dilation: 2)", VectorIsa.V512), KernelScheme.RowRuns, 16, 16, 1);
        AssertPlan(Plan("6x5x1", "depthwise_conv2d(3, padding: same)", VectorIsa.V512), KernelScheme.RowRuns, 4, 16, 1);
        // A stride down the columns keeps rows as runs.
        Assert.Equal(KernelScheme.RowRuns, Plan("64x64x3", "depthwise_conv2d(3, strides: 2x1)", VectorIsa.V512).Scheme);

        // A stride of 2 along the row: the row at stride 1 (61 positions of 3 floats for 31 outputs), every 2nd kept.
        AssertPlan(Plan("64x64x3", "depthwise_conv2d(3, strides: 2)", VectorIsa.V512), KernelScheme.RowRuns, 16, 12, 3);
        Assert.Equal(183, DepthwiseRowRuns.For(Model("64x64x3", "depthwise_conv2d(3, strides: 2)"), VectorIsa.V512)!.Run);

        // 4 channels: vectors of channels.
        Assert.Equal(KernelScheme.ChannelSweep, Plan("64x64x4", "depthwise_conv2d(3)", VectorIsa.V512).Scheme);
        Assert.Equal(4, Plan("64x64x4", "depthwise_conv2d(3)", VectorIsa.V512).Lanes);
    }

    [Fact]
    public void FewChannelDepthwiseRowsThatAreNotRunsRunAsGroupedConvolutions()
    {
        // Rows of 3 floats, a stride of 3 along the row, a depth multiplier: the convolution of
        // one group per channel, with every kernel's plan that convolution's.
        var cases = new[]
        {
            ("6x3x1", "depthwise_conv2d(3, padding: same)", "conv2d(1, 3, padding: same)"),
            ("64x64x3", "depthwise_conv2d(3, strides: 3)", "conv2d(3, 3, strides: 3, groups: 3)"),
            ("64x64x3", "depthwise_conv2d(3, depth_multiplier: 2)", "conv2d(6, 3, groups: 3)"),
            ("64x64x1", "depthwise_conv2d(3, depth_multiplier: 8, padding: same)", "conv2d(8, 3, padding: same)"),
            ("33x31x2", "depthwise_conv2d(5, depth_multiplier: 4, strides: 2, dilation: 2, padding: same)", "conv2d(8, 5, strides: 2, dilation: 2, padding: same, groups: 2)"),
            ("500x3", "depthwise_conv1d(5, depth_multiplier: 3, padding: causal)", "conv1d(9, 5, padding: causal, groups: 3)"),
        };
        foreach (var (input, depthwise, grouped) in cases)
        {
            foreach (var width in Widths)
            {
                foreach (var kernel in new[] { "forward", "kernel gradient", "input gradient" })
                {
                    Assert.Equal(Plan(input, grouped, width, kernel), Plan(input, depthwise, width, kernel));
                }
            }
        }

        // A multiplier of 4 or more fills vectors of a group's filters, where the depthwise code had scalar loops.
        AssertPlan(Plan("64x64x3", "depthwise_conv2d(3, depth_multiplier: 8, padding: same)", VectorIsa.V256), KernelScheme.ChannelVectors, 8, 12, 1);
        Assert.Equal(4, Plan("64x64x3", "depthwise_conv2d(3, depth_multiplier: 4, strides: 2, padding: same)", VectorIsa.V128).Lanes);
        // Three or more channels whose rows are runs keep the depthwise code.
        Assert.Null(DepthwiseConvolutionFamily.GroupedConvolution(Model("64x64x3", "depthwise_conv2d(3, strides: 2)")));
        Assert.Null(DepthwiseConvolutionFamily.GroupedConvolution(Model("64x64x4", "depthwise_conv2d(3, depth_multiplier: 2)")));
    }

    [Fact]
    public void TransposedConvolutionsToFewChannelsTakeDotProductsOverEachPositionsChannels()
    {
        // A decoder's last layer to RGB: each of a tap's 3 outputs a dot product over the 32 channels.
        AssertPlan(Plan("32x32x32", "conv2d_transpose(3, 4, strides: 2, padding: same)", VectorIsa.V512), KernelScheme.DotProducts, 16, 1, 3);
        AssertPlan(Plan("32x32x32", "conv2d_transpose(3, 4, strides: 2, padding: same)", VectorIsa.V128), KernelScheme.DotProducts, 4, 1, 3);
        // 64 channels are 16 vectors of 4 at 128 bits: more than the registers hold, so vectors of channels there.
        AssertPlan(Plan("16x16x64", "conv2d_transpose(1, 3, strides: 2)", VectorIsa.V256), KernelScheme.DotProducts, 8, 1, 1);
        Assert.Equal(KernelScheme.ChannelVectors, Plan("16x16x64", "conv2d_transpose(3, 3, strides: 2)", VectorIsa.V128).Scheme);
        // 4 output channels fill a vector of channels (at a stride of 2, not gathered along the row).
        Assert.Equal(KernelScheme.ChannelVectors, Plan("16x16x32", "conv2d_transpose(4, 3, strides: 2)", VectorIsa.V512).Scheme);
        Assert.Equal(KernelScheme.RowGather, Plan("16x16x32", "conv2d_transpose(4, 3)", VectorIsa.V512).Scheme);
    }

    [Fact]
    public void FirstLayersOfFewChannelsTakeDotProductsOverEachPositionsFiltersInTheirInputGradient()
    {
        // LeNet-5's first layer: 6 filters are a vector and a shifted one of 4 at every width.
        foreach (var width in VectorIsa.All)
        {
            AssertPlan(Plan("28x28x1", "conv2d(6, 5, padding: same)", width, "input gradient"), KernelScheme.DotProducts, 4, 1, 1);
        }

        // An RGB stem of 64 filters: 16 vectors of 4 at 128 bits are too many, so vectors of channels there.
        AssertPlan(Plan("224x224x3", "conv2d(64, 7, strides: 2, padding: same)", VectorIsa.V512, "input gradient"), KernelScheme.DotProducts, 16, 1, 3);
        Assert.Equal(KernelScheme.ChannelVectors, Plan("224x224x3", "conv2d(64, 7, strides: 2, padding: same)", VectorIsa.V128, "input gradient").Scheme);
        Assert.False(FewChannelInputGradient.RunsAtEveryWidth(Model("224x224x3", "conv2d(64, 7, strides: 2, padding: same)")));
        Assert.True(FewChannelInputGradient.RunsAtEveryWidth(Model("28x28x1", "conv2d(6, 5, padding: same)")));
        // Four input channels fill a vector of channels (gathered along each input row).
        Assert.Equal(KernelScheme.RowGather, Plan("16x16x4", "conv2d(8, 3)", VectorIsa.V512, "input gradient").Scheme);
    }

    [Fact]
    public void InputGradientsOfOneVectorOfChannelsGatherEachInputRowOverAKernelRow()
    {
        // LeNet-5's second layer: 6 channels in one vector of 8; 5 positions of two sums each, 5 weights and a broadcast in 16 registers
        // (at 512 bits its 16 filters are a vector: gathered dot products, below).
        AssertPlan(Plan("14x14x6", "conv2d(16, 5)", VectorIsa.V256, "input gradient"), KernelScheme.RowGather, 8, 5, 1);
        // Two vectors of 4 at 128 bits, 8 channels at 256: the kernels of channel vectors (when the filters are not whole vectors).
        Assert.Equal(KernelScheme.ChannelVectors, Plan("14x14x6", "conv2d(18, 5)", VectorIsa.V128, "input gradient").Scheme);
        // 16 channels are one vector at 512 bits, 12 positions in 32 registers (a 3-tap row); two at 256.
        AssertPlan(Plan("32x32x16", "conv2d(32, 3, padding: same)", VectorIsa.V512, "input gradient"), KernelScheme.RowGather, 16, 12, 1);
        Assert.Equal(KernelScheme.ChannelVectors, Plan("32x32x16", "conv2d(32, 3, padding: same)", VectorIsa.V256, "input gradient").Scheme);
        // 1-D: segments of 6 positions, the ones inside the row the same code; a stride along the row keeps the channel vectors.
        AssertPlan(Plan("500x8", "conv1d(32, 3)", VectorIsa.V256, "input gradient"), KernelScheme.RowGather, 8, 6, 1);
        Assert.Equal(KernelScheme.ChannelVectors, Plan("500x8", "conv1d(32, 3, stride: 2)", VectorIsa.V256, "input gradient").Scheme);
        // One column: nothing to gather along the row.
        Assert.Equal(KernelScheme.ChannelVectors, Plan("32x32x8", "conv2d(16, 1)", VectorIsa.V256, "input gradient").Scheme);
    }

    [Fact]
    public void InputGradientsOfFewChannelsFromWholeVectorsOfFiltersGatherDotProductsAt512Bits()
    {
        // LeNet-5's second layer: 16 filters are one vector of 16; 4 positions x 6 channels of sums (24),
        // 4 output gradients and a vector of weights beside them in 32 registers.
        AssertPlan(Plan("14x14x6", "conv2d(16, 5)", VectorIsa.V512, "input gradient"), KernelScheme.GatheredDots, 16, 4, 6);
        Assert.Equal(5, Plan("14x14x6", "conv2d(16, 5)", VectorIsa.V512, "input gradient").TapsPerStep);
        // 8 channels: 3 positions (28 registers); 12 channels of a dilated 1-D layer: 2 positions; 4 channels: 6 positions (31 registers).
        AssertPlan(Plan("32x32x8", "conv2d(32, 3, padding: same)", VectorIsa.V512, "input gradient"), KernelScheme.GatheredDots, 16, 3, 8);
        AssertPlan(Plan("500x12", "conv1d(16, 5, dilation: 2, padding: same)", VectorIsa.V512, "input gradient"), KernelScheme.GatheredDots, 16, 2, 12);
        AssertPlan(Plan("20x20x4", "conv2d(48, 3)", VectorIsa.V512, "input gradient"), KernelScheme.GatheredDots, 16, 6, 4);
        // 15 channels: one position a block.
        AssertPlan(Plan("20x20x15", "conv2d(16, 3)", VectorIsa.V512, "input gradient"), KernelScheme.GatheredDots, 16, 1, 15);

        // At 128 bits 16 filters are 4 vectors of 4: 2 positions x 6 channels (12 sums) in 16 registers; 10 channels one position;
        // 15 none (no room); 8 and 12 channels fill vectors of channels (not gathered).
        AssertPlan(Plan("14x14x6", "conv2d(16, 5)", VectorIsa.V128, "input gradient"), KernelScheme.GatheredDots, 4, 2, 6);
        AssertPlan(Plan("500x10", "conv1d(16, 5, dilation: 2, padding: same)", VectorIsa.V128, "input gradient"), KernelScheme.GatheredDots, 4, 1, 10);
        Assert.NotEqual(KernelScheme.GatheredDots, Plan("20x20x15", "conv2d(16, 3)", VectorIsa.V128, "input gradient").Scheme);
        Assert.NotEqual(KernelScheme.GatheredDots, Plan("500x12", "conv1d(16, 5, dilation: 2, padding: same)", VectorIsa.V128, "input gradient").Scheme);
        Assert.NotEqual(KernelScheme.GatheredDots, Plan("32x32x8", "conv2d(32, 3, padding: same)", VectorIsa.V128, "input gradient").Scheme);

        // Not gathered: 256 bits (the row gather), filters not a whole vector, a stride, groups, 16 channels
        // (a full vector of channels), 3 channels (the first layers' dot products), a transposed convolution.
        Assert.Equal(KernelScheme.RowGather, Plan("14x14x6", "conv2d(16, 5)", VectorIsa.V256, "input gradient").Scheme);
        Assert.NotEqual(KernelScheme.GatheredDots, Plan("14x14x6", "conv2d(18, 5)", VectorIsa.V128, "input gradient").Scheme);

        Assert.Equal(KernelScheme.RowGather, Plan("16x16x6", "conv2d(24, 3)", VectorIsa.V512, "input gradient").Scheme);
        Assert.NotEqual(KernelScheme.GatheredDots, Plan("32x32x6", "conv2d(16, 3, strides: 2)", VectorIsa.V512, "input gradient").Scheme);
        Assert.NotEqual(KernelScheme.GatheredDots, Plan("32x32x8", "conv2d(32, 3, groups: 2)", VectorIsa.V512, "input gradient").Scheme);
        Assert.Equal(KernelScheme.RowGather, Plan("32x32x16", "conv2d(32, 3, padding: same)", VectorIsa.V512, "input gradient").Scheme);
        Assert.Equal(KernelScheme.DotProducts, Plan("32x32x3", "conv2d(16, 3)", VectorIsa.V512, "input gradient").Scheme);
        Assert.False(GatheredDotInputGradient.RunsAtAnyWidth(Model("16x16x32", "conv2d_transpose(6, 3)")));
        // 256 bits does not gather, so it keeps the padded copy of the row gather.
        Assert.True(GatheredDotInputGradient.RunsAtAnyWidth(Model("14x14x6", "conv2d(16, 5)")));
        Assert.False(GatheredDotInputGradient.RunsAtEveryWidth(Model("14x14x6", "conv2d(16, 5)")));
        Assert.True(ConvolutionBackwardEmitter.UsesPaddedGradient(Model("14x14x6", "conv2d(16, 5)")));
    }

    [Theory]
    [InlineData(210, 16)]
    [InlineData(20, 16)]
    [InlineData(33, 8)]
    [InlineData(32, 8)]
    [InlineData(5, 4)]
    public void TheVectorsOfARunEndAtItsEndAndCountEachElementOnce(int length, int lanes)
    {
        var runs = DepthwiseRowRuns.For(Model("4x" + length + "x1", "depthwise_conv2d(1)"), lanes == 16 ? VectorIsa.V512 : lanes == 8 ? VectorIsa.V256 : VectorIsa.V128)!;
        Assert.Equal(lanes, runs.Lanes);
        var counts = new int[length];
        var vectors = runs.Vectors(runs.BlocksEnd(length), length);
        for (var start = 0; start < runs.BlocksEnd(length); start++)
        {
            counts[start]++;
        }

        for (var v = 0; v < vectors.Count; v++)
        {
            var last = v == vectors.Count - 1 && runs.EndsShiftedBack(length);
            var lanesCounted = last ? runs.NewLanes(length).ToArray() : Enumerable.Repeat(true, lanes).ToArray();
            for (var l = 0; l < lanes; l++)
            {
                Assert.InRange(vectors[v] + l, 0, length - 1);
                counts[vectors[v] + l] += lanesCounted[l] ? 1 : 0;
            }
        }

        Assert.All(counts, count => Assert.Equal(1, count));
    }

    [Fact]
    public void FewOutputsOnManyInputsAreDotProductsOverVectorsOfInputs()
    {
        // A segmentation head, 3 filters of 1x1 on 64 channels: 4 positions x 3 filters of
        // accumulators, each a vector of channels, at every width.
        AssertPlan(Plan("64x64x64", "conv2d(3, 1)", VectorIsa.V512), KernelScheme.DotProducts, 16, 4, 3);
        AssertPlan(Plan("64x64x64", "conv2d(3, 1)", VectorIsa.V256), KernelScheme.DotProducts, 8, 4, 3);
        AssertPlan(Plan("64x64x64", "conv2d(3, 1)", VectorIsa.V128), KernelScheme.DotProducts, 4, 4, 3);
        // One filter: 12 positions would fit, 8 divide the row; one accumulator each (TapsPerStep counts the parts).
        var single = Plan("64x64x32", "conv2d(1, 1)", VectorIsa.V512);
        AssertPlan(single, KernelScheme.DotProducts, 16, 8, 1);
        Assert.Equal(1, single.TapsPerStep);
        // A strided 3x3 kernel on 5 channels: runs of 15 inputs, too short for 16 lanes.
        AssertPlan(Plan("11x12x5", "conv2d(2, 3, strides: 2, padding: same)", VectorIsa.V512), KernelScheme.DotProducts, 8, 6, 2);
        // Dense heads: blocks of 8 samples for one unit, 4 for three; a single sample splits its
        // sum over 8 accumulators; 3,528 inputs at 128 bits (882 vectors) in 2 parts of 441.
        AssertPlan(Plan("2048", "dense(1)", VectorIsa.V512), KernelScheme.DotProducts, 16, 8, 1);
        AssertPlan(Plan("37", "dense(3)", VectorIsa.V256), KernelScheme.DotProducts, 8, 4, 3);
        var longSum = Plan("3528", "dense(1)", VectorIsa.V128);
        AssertPlan(longSum, KernelScheme.DotProducts, 4, 6, 1);
        Assert.Equal(2, longSum.TapsPerStep);
        Assert.Equal(new DotProductShape(16, 1, 8), DotProductKernel.ForRows(new DotProductShape(16, 8, 1), 1, 2048, 1, 1));
        // At 512 bits dense layers take dot products up to 7 units (blocked, 5 units took two 4-float vectors):
        // 2 samples x 5 units; 1 x 7, in one part (two would pass the 12 accumulators).
        AssertPlan(Plan("2048", "dense(5)", VectorIsa.V512), KernelScheme.DotProducts, 16, 2, 5);
        var seven = Plan("100", "dense(7)", VectorIsa.V512);
        AssertPlan(seven, KernelScheme.DotProducts, 16, 1, 7);
        Assert.Equal(1, seven.TapsPerStep);
        // At 256 and 128 bits 4 to 7 units fill 4-float vectors well enough, blocked.
        Assert.Equal(KernelScheme.ChannelVectors, Plan("100", "dense(7)", VectorIsa.V256).Scheme);
        Assert.Equal(KernelScheme.OuterProducts, Plan("2048", "dense(5)", VectorIsa.V128, "kernel gradient").Scheme);
        Assert.Equal(KernelScheme.ChannelVectors, Plan("512", "dense(8)", VectorIsa.V512).Scheme);
        // Not dot products: 4 filters fill a 128-bit vector; 3 channels are under one; groups; a
        // stride-1 window on several channels reads planes.
        Assert.Equal(KernelScheme.ChannelVectors, Plan("64x64x64", "conv2d(4, 1)", VectorIsa.V512).Scheme);
        Assert.NotEqual(KernelScheme.DotProducts, Plan("9x7x3", "conv2d(1, 1)", VectorIsa.V512).Scheme);
        Assert.NotEqual(KernelScheme.DotProducts, Plan("8x8x16", "conv2d(2, 1, groups: 2)", VectorIsa.V512).Scheme);
        Assert.Equal(KernelScheme.PositionVectors, Plan("32x32x32", "conv2d(3, 3, padding: same)", VectorIsa.V512).Scheme);

        // Kernel gradients: vectors of inputs x filters, 12 accumulators a block.
        AssertPlan(Plan("64x64x64", "conv2d(3, 1)", VectorIsa.V512, "kernel gradient"), KernelScheme.InputVectors, 16, 4, 3);
        AssertPlan(Plan("2048", "dense(1)", VectorIsa.V256, "kernel gradient"), KernelScheme.InputVectors, 8, 12, 1);
        AssertPlan(Plan("20", "dense(2)", VectorIsa.V128, "kernel gradient"), KernelScheme.InputVectors, 4, 6, 2);
        Assert.Equal(KernelScheme.OuterProductsPerSample, Plan("64x64x64", "conv2d(4, 1)", VectorIsa.V512, "kernel gradient").Scheme);
    }

    [Fact]
    public void InputVectorBlocksEndAtTheRunsEndWithAtLeastAWholeVector()
    {
        // 600 inputs in vectors of 16 (37.5), at most 12 a block: 4 blocks of 10 vectors, the last 120 inputs.
        Assert.Equal(new[] { (0, 160), (160, 160), (320, 160), (480, 120) }, InputVectorGradient.Blocks(600, 16, 12));
        // 20 inputs in vectors of 4, 6 a block: one block of 5 vectors.
        Assert.Equal(new[] { (0, 20) }, InputVectorGradient.Blocks(20, 4, 6));
        // 100 inputs in vectors of 8 (12.5), 4 a block: 4 blocks of 4 vectors would leave 4 inputs, under a
        // vector, so the third block gives up its last vector.
        Assert.Equal(new[] { (0, 32), (32, 32), (64, 24), (88, 12) }, InputVectorGradient.Blocks(100, 8, 4));
        Assert.Equal(new[] { (0, 64) }, InputVectorGradient.Blocks(64, 16, 4));
        // 36 inputs, one vector of 16 a block (7 units): the rest of 4 joins the last vector in a block of 20.
        Assert.Equal(new[] { (0, 16), (16, 20) }, InputVectorGradient.Blocks(36, 16, 1));
        // Every run: blocks one after the other to its end, each a whole vector at least and at most one more than asked.
        foreach (var lanes in new[] { 4, 8, 16 })
        {
            for (var vectors = 1; vectors <= 12; vectors++)
            {
                for (var length = lanes; length <= 300; length++)
                {
                    var next = 0;
                    foreach (var (start, inputs) in InputVectorGradient.Blocks(length, lanes, vectors))
                    {
                        Assert.True(start == next && inputs >= lanes && inputs <= (vectors + 1) * lanes, $"{length} inputs, {lanes} lanes, {vectors} vectors: block ({start}, {inputs})");
                        next = start + inputs;
                    }

                    Assert.Equal(length, next);
                }
            }
        }
    }

    /// <summary>The model of the first layer of a one-layer network.</summary>
    private static LayerModel Model(string input, string layer)
    {
        var file = DslFile.Parse("plan.cnn", "network N(input: " + input + ") { " + layer + " }");
        Assert.Empty(file.Diagnostics);
        return NetworkCompiler.AnalyzeAll(new NetworkCatalog(file.Networks)).Single().Model.Layers[0];
    }

    [Fact]
    public void LeNetFirstLayerKernelGradientFollowsTheForwardScheme()
    {
        AssertPlan(Plan("28x28x1", "conv2d(6, 5, padding: same)", VectorIsa.V512, "kernel gradient"), KernelScheme.PositionVectors, 16, 3, 5);
        AssertPlan(Plan("28x28x1", "conv2d(6, 5, padding: same)", VectorIsa.V256, "kernel gradient"), KernelScheme.PositionVectors, 8, 1, 5);
        Assert.Equal(KernelScheme.OuterProducts, Plan("28x28x1", "conv2d(6, 5, padding: same)", VectorIsa.V128, "kernel gradient").Scheme);
    }

    [Fact]
    public void ShortRowsSpanSeveralOutputRowsWhereAVectorHoldsEveryFilter()
    {
        // LeNet's second convolution: 10x10 outputs, 16 filters. AVX-512 holds 16 filters in one
        // vector and takes two whole rows (20 positions) a block; narrower vectors take half a row.
        AssertPlan(Plan("14x14x6", "conv2d(16, 5)", VectorIsa.V512), KernelScheme.MultiRowBlocks, 16, 20, 1);
        AssertPlan(Plan("14x14x6", "conv2d(16, 5)", VectorIsa.V256), KernelScheme.ChannelVectors, 8, 5, 2);
        AssertPlan(Plan("14x14x6", "conv2d(16, 5)", VectorIsa.V128), KernelScheme.ChannelVectors, 4, 5, 2);
    }

    [Fact]
    public void LargeLayersKeepEveryWidthsAccumulatorsBusy()
    {
        // 56x56x64 -> 64 filters: 4 vectors of 16 at AVX-512; 2 vectors a group with 16 registers.
        AssertPlan(Plan("56x56x64", "conv2d(64, 3, padding: same)", VectorIsa.V512), KernelScheme.ChannelVectors, 16, 4, 4);
        AssertPlan(Plan("56x56x64", "conv2d(64, 3, padding: same)", VectorIsa.V256), KernelScheme.ChannelVectors, 8, 6, 2);
        AssertPlan(Plan("56x56x64", "conv2d(64, 3, padding: same)", VectorIsa.V128), KernelScheme.ChannelVectors, 4, 6, 2);
    }

    [Fact]
    public void LargeLayersSumTheirKernelGradientOneSampleAtATime()
    {
        foreach (var width in Widths)
        {
            var plan = Plan("56x56x64", "conv2d(64, 3, padding: same)", width, "kernel gradient");
            Assert.Equal(KernelScheme.OuterProductsPerSample, plan.Scheme);
            Assert.Equal(width.MaxWidth, plan.Lanes);
        }

        Assert.Equal(KernelScheme.OuterProducts, Plan("14x14x6", "conv2d(16, 5)", VectorIsa.V256, "kernel gradient").Scheme);
    }

    [Fact]
    public void KernelGradientsFillTheRegisterFileOfEachWidth()
    {
        // Rows of (kernel column, input channel) times filter vectors: 32 registers keep a row
        // free (4 x 4 of 24 accumulators); 16 registers take all 12 (6 x 2, with 2 gradient
        // vectors and a broadcast: 15 registers).
        AssertPlan(Plan("56x56x64", "conv2d(64, 3, padding: same)", VectorIsa.V512, "kernel gradient"), KernelScheme.OuterProductsPerSample, 16, 4, 4);
        AssertPlan(Plan("56x56x64", "conv2d(64, 3, padding: same)", VectorIsa.V256, "kernel gradient"), KernelScheme.OuterProductsPerSample, 8, 6, 2);
        AssertPlan(Plan("56x56x64", "conv2d(64, 3, padding: same)", VectorIsa.V128, "kernel gradient"), KernelScheme.OuterProductsPerSample, 4, 6, 2);
        AssertPlan(Plan("14x14x6", "conv2d(16, 5)", VectorIsa.V256, "kernel gradient"), KernelScheme.OuterProducts, 8, 6, 2);
    }

    [Fact]
    public void OneSampleKernelGradientsRunInChunksOfRowsThatStayInTheL2Cache()
    {
        // The budget is 192 KB of gradient and input rows. 56x56x64: 4 output rows (57 KB) and
        // their 6 framed input rows (89 KB), at every width. 28x28x128: 7 rows would take 100 +
        // 138 KB, 4 take 57 + 92. 7x7x512 (100 + 166 KB) has no divisor of 2 or more rows that
        // fits: one pass. A small layer sums over the whole batch instead.
        foreach (var width in Widths)
        {
            Assert.Equal(4, Plan("56x56x64", "conv2d(64, 3, padding: same)", width, "kernel gradient").ChunkRows);
            Assert.Equal(0, Plan("7x7x512", "conv2d(512, 3, padding: same)", width, "kernel gradient").ChunkRows);
        }

        Assert.Equal(4, Plan("28x28x128", "conv2d(128, 3, padding: same)", VectorIsa.V256, "kernel gradient").ChunkRows);
        Assert.Equal(0, Plan("14x14x6", "conv2d(16, 5)", VectorIsa.V256, "kernel gradient").ChunkRows);
    }

    [Fact]
    public void DeepLayersRunTheirInputChannelsInSlicesWhoseWeightsStayInTheCache()
    {
        // A filter group's weights for one slice fit 64 KB at AVX-512, 24 KB at 256 bits and 12 KB
        // at 128 (VectorIsa.SliceBytes): 3x3 taps x 16 channels x 64 filters (36 KB) at AVX-512;
        // x 32 channels x 16 filters (18 KB) at 256 bits; x 32 channels x 8 filters (9 KB) at 128,
        // the same slices as at 256 bits, so that the two widths' kernels are one generic method.
        AssertSlices("14x14x256", "conv2d(256, 3, padding: same)", 16, 8, 8);
        AssertSlices("7x7x512", "conv2d(512, 3, padding: same)", 32, 16, 16);
        // The 56x56x64 layer: AVX-512's group of 64 filters (147 KB in all), the 256-bit group of
        // 16 (36 KB, more than a 32 KB L1) and the 128-bit group of 8 (18 KB) are sliced.
        AssertSlices("56x56x64", "conv2d(64, 3, padding: same)", 4, 2, 2);
        // Equal slices of at least 8 channels: 40 channels of 48 filters (69 KB) take 2 of 20;
        // 40 channels of 16 filters (23 KB) fit 24 KB whole.
        AssertSlices("14x14x40", "conv2d(48, 3, padding: same)", 2, 1, 1);
        // CnnGen.Tests' sliced networks (InputChannelSliceTests): 80 filters at 512 bits are a
        // group of 48 and an overlapping last group, 9 x 48 x 4 bytes a channel: slices of 32.
        AssertSlices("6x7x256", "conv2d(80, 3, padding: same)", 8, 8, 8);
        AssertSlices("6x7x256", "conv2d(32, 3, padding: same)", 8, 8, 8);
        AssertSlices("6x7x32", "conv2d(64, 3, padding: same)", 2, 1, 1);
        AssertSlices("256x20", "conv1d(40, 5, padding: same)", 4, 4, 4, "channels_first");
        // No slices where the output is one block (the weights are read once anyway) or the kernel is small.
        AssertSlices("3x3x512", "conv2d(512, 3)", 1, 1, 1);
        AssertSlices("14x14x6", "conv2d(16, 5)", 1, 1, 1);
    }

    /// <summary>
    /// A convolution with one output position (squeeze-and-excitation's 1x1 convolutions on a
    /// pooled map) groups as many filter vectors as there are accumulators, so that each kernel
    /// row is read in a few long runs; one with more positions keeps groups of 4 or 2 vectors.
    /// </summary>
    [Fact]
    public void OneOutputPositionGroupsAsManyFiltersAsTheAccumulatorsHold()
    {
        Assert.Equal(15, Plan("1x1x960", "conv2d(240, 1)", VectorIsa.V512).Vectors); // every filter in one group
        Assert.Equal(20, Plan("1x1x240", "conv2d(960, 1)", VectorIsa.V512).Vectors); // 60 vectors: 3 groups of 20
        Assert.Equal(10, Plan("1x1x960", "conv2d(240, 1)", VectorIsa.V256).Vectors); // 30 vectors: 3 groups of 10
        Assert.Equal(12, Plan("1x1x240", "conv2d(960, 1)", VectorIsa.V128).Vectors);
        Assert.Equal(4, Plan("2x2x960", "conv2d(240, 1)", VectorIsa.V512).Vectors);
        Assert.Equal(2, Plan("2x2x960", "conv2d(240, 1)", VectorIsa.V256).Vectors);
    }

    /// <summary>
    /// What PackWeights keeps: a sliced layer's whole kernel as its forward kernel packs it (at the
    /// widest need of any width), laid out one after another in the network's packed weights.
    /// </summary>
    [Fact]
    public void PackedWeightsHoldEverySlicedKernelOnce()
    {
        // Every group's slices: 145 or 289 floats a filter for 144 or 288 weights, so a little more than the kernel.
        var deep = PackedPlan("7x7x512", "conv2d(512, 3, padding: same)");
        var kernel = 3 * 3 * 512 * 512;
        Assert.InRange(deep.PackedKernelFloats, kernel + 1, kernel + kernel / 100);
        // Each group's slices of 64 filters in turn at 512 bits (4 slices of 16): exactly the kernel.
        Assert.Equal(3 * 3 * 64 * 64, PackedPlan("56x56x64", "conv2d(64, 3, padding: same)").PackedKernelFloats);
        // Nothing sliced: nothing to keep.
        var shallow = PackedPlan("28x28x8", "conv2d(16, 3, padding: same)");
        Assert.Equal(0, shallow.PackedKernelFloats);
        Assert.Equal(-1, shallow.PackedKernelOffsets[0]);

        // Two layers: the second's kernel after the first's.
        var two = PackedPlan("7x7x512", "conv2d(512, 3, padding: same) conv2d(512, 3, padding: same)");
        Assert.Equal(new[] { 0, deep.PackedKernelFloats }, two.PackedKernelOffsets);
        Assert.Equal(2 * deep.PackedKernelFloats, two.PackedKernelFloats);
    }

    [Fact]
    public void EveryBufferOfTheWorkspaceAndThePackedWeightsStartsOnACacheLine()
    {
        // The runtime hands both out from a 64-byte boundary; sizes of 5, 7 and 10 channels and
        // odd maps would otherwise start the next tensor mid-line, and every vector in it across two.
        var graph = PackedPlan("9x9x3", "conv2d(5, 3, padding: same, activation: relu, name: a) conv2d(5, 3, padding: same, name: b) " +
            "add(a, b, activation: relu) max_pool2d(2) conv2d(7, 3) flatten() dense(10)");
        var deep = WorkspacePlan.Create(DeepModel());
        foreach (var plan in new[] { graph, deep })
        {
            Assert.All(plan.Tensors, t => Assert.Equal(0, t.Offset % 16));
            Assert.All(plan.PreActivations, z => Assert.Equal(0, (z?.Offset ?? 0) % 16));
            Assert.Equal(0, plan.ActivationFloats % 16);
            Assert.Equal(0, plan.FloatsPerSample % 16);
            Assert.All(plan.PackedKernelOffsets, o => Assert.True(o == -1 || o % 16 == 0, "packed kernel at " + o));
            if (plan.Inference is { } inference)
            {
                Assert.All(inference.TensorOffsets, o => Assert.Equal(0, o % 16));
                Assert.All(inference.PreActivationOffsets, o => Assert.True(o == -1 || o % 16 == 0, "pre-activation at " + o));
                Assert.Equal(0, inference.FloatsPerSample % 16);
            }
        }

        Assert.NotNull(graph.Inference);
        Assert.Contains(deep.PackedKernelOffsets, o => o > 0);
        Assert.Contains(graph.Tensors, t => t.StoredSize % 16 != 0);
    }

    // Two packed kernels, one after the other (the first of 601 filters, packed in groups).
    private static NetworkModel DeepModel() => NetworkCompiler.AnalyzeAll(new NetworkCatalog(
        DslFile.Parse("plan.cnn", "network N(input: 7x7x200) { conv2d(601, 3, padding: same) conv2d(256, 1) conv2d(512, 3, padding: same) }").Networks)).Single().Model;

    private static WorkspacePlan PackedPlan(string input, string layers)
    {
        var file = DslFile.Parse("plan.cnn", "network N(input: " + input + ") { " + layers + " }");
        return WorkspacePlan.Create(NetworkCompiler.AnalyzeAll(new NetworkCatalog(file.Networks)).Single().Model);
    }

    [Fact]
    public void DeepLayersPackEverySlicesWeightsOfAllFilterGroupsAtOnce()
    {
        // ResNet-18's last stages: a sample's output (98 and 196 KB) stays in the cache between
        // slices, so each slice's weights are packed for every group in one pass over the kernel rows.
        AssertEveryGroup("7x7x512", "conv2d(512, 3, padding: same)", true, true, true);
        AssertEveryGroup("14x14x256", "conv2d(256, 3, padding: same)", true, true, true);
        // 28x28x128: 392 KB of output a sample; each group packs its own slices.
        AssertEveryGroup("28x28x128", "conv2d(128, 3, padding: same)", false, false, false);
        // 80 filters: at 512 bits a group of 48 and an overlapping last group, which would add
        // its slices' sums twice; 5 and 10 groups at 256 and 128 bits.
        AssertEveryGroup("6x7x256", "conv2d(80, 3, padding: same)", false, true, true);
        // One group of every filter (32 filters at 512 bits): nothing to pack together.
        AssertEveryGroup("6x7x256", "conv2d(32, 3, padding: same)", false, true, true);
        // Rows shorter than a block: one block of all 4 positions, which reads each weight once a
        // sample; over 512 KB of kernel, it is read row by row all the same.
        AssertEveryGroup("2x2x512", "conv2d(512, 3, padding: same)", true, true, true);
        Assert.All(Widths, width => Assert.Equal(KernelScheme.MultiRowBlocks, Plan("2x2x512", "conv2d(512, 3, padding: same)", width).Scheme));
        AssertEveryGroup("2x2x64", "conv2d(128, 3, padding: same)", false, false, false); // 288 KB
        // 16 slices of 32 at 256 and 128 bits: 9 * 32 weights a filter, padded to an odd 289 so
        // that the groups' blocks do not all fall in the same cache sets.
        Assert.Equal((9 * 32 + 1) * 512, ScratchFloats("7x7x512", "conv2d(512, 3, padding: same)"));
        Assert.Equal(289, ConvolutionForwardEmitter.PackedFloatsPerFilter(9 * 32));
        Assert.Equal(321, ConvolutionForwardEmitter.PackedFloatsPerFilter(320));
        Assert.Equal(145, ConvolutionForwardEmitter.PackedFloatsPerFilter(145));
        Assert.Equal(0, ScratchFloats("28x28x128", "conv2d(128, 3, padding: same)"));
    }

    /// <summary>
    /// A kernel over 512 KB on few positions is streamed packed even where one filter group's
    /// whole kernel would fit a slice: in two slices, every group packed at once (MobileNetV3's
    /// 1x1 convolutions on 7x7x160 to 960, 614 KB; MobileNetV2's 7x7x320 to 1280, 1.6 MB).
    /// </summary>
    [Fact]
    public void LargeKernelsOnFewPositionsStreamInAtLeastTwoSlices()
    {
        AssertEveryGroup("7x7x160", "conv2d(960, 1)", true, true, true);
        AssertSlices("7x7x160", "conv2d(960, 1)", 2, 2, 2);
        AssertSlices("7x7x320", "conv2d(1280, 1)", 2, 2, 2);
        // Under 512 KB (14x14x112 to 672, 294 KB): read in place, unsliced.
        AssertEveryGroup("14x14x112", "conv2d(672, 1)", false, false, false);
        AssertSlices("14x14x112", "conv2d(672, 1)", 1, 1, 1);
        // A group's kernel over a slice's size is sliced as before (7x7x960 to 160: 240 KB for a
        // group of 64 filters at 512 bits, which packs each group in turn, since its last group
        // overlaps; 60 KB for 16 filters at 256 bits and 30 KB for 8 at 128).
        AssertEveryGroup("7x7x960", "conv2d(160, 1)", false, true, true);
        AssertSlices("7x7x960", "conv2d(160, 1)", 4, 3, 3);
    }

    /// <summary>
    /// A dense kernel that a single sample streams is kept packed in the order the stream reads
    /// it: every input's row as the aligned vectors of units plus one more, at the widest need.
    /// </summary>
    [Fact]
    public void PackedWeightsHoldStreamedDenseKernels()
    {
        // 1000 units: 62 vectors of 16 and an overlapping last one at 512 bits (1008 floats a row);
        // 125 of 8 and one more at 256 bits (1008); 250 of 4 and one more at 128 bits (1004).
        Assert.Equal(1280 * 1008, PackedPlan("1280", "dense(1000)").PackedKernelFloats);
        // 130 units: 8 vectors of 16 and one more (144 floats a row), the most of any width.
        Assert.Equal(4099 * 144, PackedPlan("4099", "dense(130)").PackedKernelFloats);
        // LeNet's 192 KB kernel stays in the cache: nothing to keep.
        Assert.Equal(0, PackedPlan("400", "dense(120)").PackedKernelFloats);
    }

    private static void AssertEveryGroup(string input, string layer, bool v512, bool v256, bool v128)
    {
        var packs = Widths.Select(width => Plan(input, layer, width)).ToArray();
        Assert.True(packs.Select(p => p.PacksEveryGroup).SequenceEqual(new[] { v512, v256, v128 }), input + " " + layer + ": " + string.Join("; ", packs.Select(p => p.ToString())));
        Assert.All(packs.Where(p => p.PacksEveryGroup), p => Assert.True(p.ChannelSlices > 1));
    }

    private static int ScratchFloats(string input, string layer)
    {
        var file = DslFile.Parse("plan.cnn", "network N(input: " + input + ") { " + layer + " }");
        var analysis = NetworkCompiler.AnalyzeAll(new NetworkCatalog(file.Networks)).Single();
        return WorkspacePlan.Create(analysis.Model).ForwardScratchFloats;
    }

    private static void AssertSlices(string input, string layer, int v512, int v256, int v128, string format = "channels_last")
    {
        var slices = Widths.Select(width => Plan(input, layer, width, format: format).ChannelSlices).ToArray();
        Assert.True(slices.SequenceEqual(new[] { v512, v256, v128 }), input + " " + layer + ": slices at 512, 256, 128 bits: " + string.Join(", ", slices));
    }

    [Fact]
    public void SmallLayersAreUnrolledWhole()
    {
        // 8x2 -> 8 filters, kernel 2: 4 taps x 7 positions fit the whole-layer budget, one call per row.
        AssertPlan(Plan("8x2", "conv1d(8, 2)", VectorIsa.V512), KernelScheme.WholeRows, 8, 7, 1);
        AssertPlan(Plan("8x2", "conv1d(8, 2)", VectorIsa.V256), KernelScheme.WholeRows, 8, 7, 1);
        // Two vectors of 4 leave room for 6 positions a block: blocks, not the whole row.
        AssertPlan(Plan("8x2", "conv1d(8, 2)", VectorIsa.V128), KernelScheme.ChannelVectors, 4, 6, 2);
    }

    [Fact]
    public void TinyImagesRunAllPositionsInOneBlock()
    {
        // 4x4x2 -> 3x3x8: all 9 positions times one vector of 8 filters fit the accumulators.
        AssertPlan(Plan("4x4x2", "conv2d(8, 2)", VectorIsa.V512), KernelScheme.MultiRowBlocks, 8, 9, 1);
        AssertPlan(Plan("4x4x2", "conv2d(8, 2)", VectorIsa.V256), KernelScheme.MultiRowBlocks, 8, 9, 1);
    }

    [Fact]
    public void OneDimensionalConvolutionsBlockOverTheSequence()
    {
        // Conv1DNet's layers: 256 x 32 filters.
        // AVX-512 takes a divisor of the 256 positions (8) rather than 12 with a tail; 16 registers keep 6.
        AssertPlan(Plan("256x8", "conv1d(32, 5, padding: same)", VectorIsa.V512), KernelScheme.ChannelVectors, 16, 8, 2);
        AssertPlan(Plan("256x8", "conv1d(32, 5, padding: same)", VectorIsa.V256), KernelScheme.ChannelVectors, 8, 6, 2);
        AssertPlan(Plan("256x8", "conv1d(32, 5, padding: same)", VectorIsa.V128), KernelScheme.ChannelVectors, 4, 6, 2);
    }

    [Fact]
    public void DenseLayersBlockSamplesAndShareEachKernelRow()
    {
        // LeNet's first dense layer: 400 inputs -> 120 units, 8 vectors of 16 in two balanced groups of 4.
        AssertPlan(Plan("400", "dense(120)", VectorIsa.V512), KernelScheme.ChannelVectors, 16, 4, 4);
        AssertPlan(Plan("400", "dense(120)", VectorIsa.V256), KernelScheme.ChannelVectors, 8, 3, 3);
        AssertPlan(Plan("400", "dense(120)", VectorIsa.V128), KernelScheme.ChannelVectors, 4, 3, 3);
        AssertPlan(Plan("400", "dense(120)", VectorIsa.V256, "kernel gradient"), KernelScheme.OuterProducts, 8, 5, 2);
    }

    [Fact]
    public void LongDenseSumsRunInSlices()
    {
        // Up to 1,024 inputs in one sum; above, slices of the largest divisor from 256 to 512,
        // else of 512 and a shorter last one (4,099 is a prime: 8 of 512 and one of 3).
        foreach (var isa in Widths)
        {
            Assert.Equal(1, Plan("1024", "dense(33)", isa).ChannelSlices);
            Assert.Equal(7, Plan("3528", "dense(33)", isa).ChannelSlices);
            Assert.Equal(9, Plan("4099", "dense(17)", isa).ChannelSlices);
        }

        Assert.Equal(504, CnnGen.Generators.Layers.DenseForwardEmitter.SliceLength(3528));
        Assert.Equal(512, CnnGen.Generators.Layers.DenseForwardEmitter.SliceLength(4099));
        Assert.Equal(1024, CnnGen.Generators.Layers.DenseForwardEmitter.SliceLength(1024));
    }

    [Fact]
    public void SingleSamplesStreamTheRowsOfDenseKernelsOverOneMegabyte()
    {
        foreach (var isa in Widths)
        {
            Assert.True(Plan("4099", "dense(130)", isa).StreamsSingleSamples); // 2.1 MB
            Assert.True(Plan("512", "dense(1000)", isa).StreamsSingleSamples); // ResNet's classifier, 2 MB
            Assert.True(Plan("900", "dense(301)", isa).StreamsSingleSamples); // 1.1 MB, one sum
            Assert.False(Plan("400", "dense(120)", isa).StreamsSingleSamples); // LeNet's, 192 KB: stays in the cache
            Assert.False(Plan("512", "dense(512)", isa).StreamsSingleSamples); // exactly 1 MB
            Assert.False(Plan("64", "dense(20000)", isa).StreamsSingleSamples); // sums too many for the stack
        }

        // Fewer units than two vectors of the width keep the register-blocked kernel.
        Assert.False(Plan("40000", "dense(31)", VectorIsa.V512).StreamsSingleSamples);
        Assert.True(Plan("40000", "dense(31)", VectorIsa.V256).StreamsSingleSamples);
    }

    [Fact]
    public void FewUnitsUseTheWidthThatFitsThem()
    {
        // 10 units: two overlapping vectors of 8 where 8 lanes exist, three of 4 otherwise.
        Assert.Equal(8, Plan("84", "dense(10)", VectorIsa.V512).Lanes);
        Assert.Equal(8, Plan("84", "dense(10)", VectorIsa.V256).Lanes);
        Assert.Equal(4, Plan("84", "dense(10)", VectorIsa.V128).Lanes);
    }

    [Fact]
    public void PoolingSweepsChannelsInTheWidestVectorTheyFill()
    {
        foreach (var (channels, lanes) in new[] { (64, new[] { 16, 8, 4 }), (6, new[] { 4, 4, 4 }), (12, new[] { 8, 8, 4 }) })
        {
            for (var i = 0; i < Widths.Length; i++)
            {
                var plan = Plan("8x8x" + channels, "max_pool2d(2)", Widths[i]);
                Assert.Equal((KernelScheme.ChannelSweep, lanes[i]), (plan.Scheme, plan.Lanes));
            }
        }
    }

    [Fact]
    public void EveryPlanFitsItsWidthsRegisters()
    {
        var layers = new (string Input, string Layer)[]
        {
            ("28x28x1", "conv2d(6, 5, padding: same)"), ("14x14x6", "conv2d(16, 5)"), ("56x56x64", "conv2d(64, 3, padding: same)"),
            ("32x32x3", "conv2d(32, 3, strides: 2x2, padding: same)"), ("256x8", "conv1d(32, 5, dilation: 2)"), ("9x9x5", "conv2d(7, 3)"),
            ("400", "dense(120)"), ("84", "dense(10)"), ("3", "dense(1000)"),
        };
        foreach (var (input, layer) in layers)
        {
            foreach (var width in Widths)
            {
                var emission = Emission(input, layer);
                foreach (var plan in LayerFamilies.Of(emission.Layer).Plans(emission, width))
                {
                    Assert.True(plan.Accumulators <= width.Accumulators && plan.Accumulators >= 1, layer + ": " + plan);
                    Assert.True(plan.Lanes <= width.MaxWidth, layer + ": " + plan);
                }
            }
        }
    }

    private static LayerEmission Emission(string input, string layer)
    {
        var file = DslFile.Parse("plan.cnn", "network N(input: " + input + ") { " + layer + " }");
        var model = NetworkCompiler.AnalyzeAll(new NetworkCatalog(file.Networks)).Single().Model;
        return new LayerEmission(new SourceWriter(), model, WorkspacePlan.Create(model), 0);
    }
}
