using System.Collections.Generic;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// Forward code of Conv1D and Conv2D (1-D is 2-D with height 1). The input sits inside a
/// frame of zeros as wide as the padding, so every output position, border or not, runs the
/// same register-blocked kernel with constant offsets: no per-element branch.
/// </summary>
internal static class ConvolutionForwardEmitter
{
    /// <param name="scratch">
    /// Whether the kernel may pack weights into the forward scratch (a <c>ref float s</c>
    /// parameter, given when <see cref="ScratchFloats"/> is not 0).
    /// </param>
    public static void Emit(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout target, DataFormat format, bool scratch)
    {
        var comment = LayerDescriber.Describe(layer, format) + "\n" + FrameComment(layer, input);
        var s = scratch && ScratchFloats(layer) > 0;
        var keeps = scratch && PackedKernelFloats(layer) > 0;
        KernelVariants.Emit(writer, layer.AccessorName + "Forward",
            "ref float w, ref float b, ref float x, ref float y, " + (s ? "ref float s, " : string.Empty) + (keeps ? "ref float pw, bool prepacked, " : string.Empty) + "int batch",
            "ref w, ref b, ref x, ref y, " + (s ? "ref s, " : string.Empty) + (keeps ? "ref pw, prepacked, " : string.Empty) + "batch", comment,
            (variant, isa) => EmitVector(variant, layer, input, target, isa, scratch),
            body => EmitCompact(body, CompactOps.Scalar, layer, input, target));
    }

    /// <summary>
    /// Floats of forward scratch the layer's kernel packs its weights into, one input-channel
    /// slice at a time, at the widest need of any width (0 when no width packs every filter group at once).
    /// </summary>
    public static int ScratchFloats(LayerModel layer) => MostFloats(layer, slices: false);

    /// <summary>
    /// Floats of the layer's whole kernel packed as its forward kernel packs it, which
    /// <c>PackWeights</c> keeps so that Forward skips the packing: every slice one after another,
    /// each laid out as in the scratch, when every filter group's slice is packed at once; each
    /// group's slices one after another, each as on the stack, when a group's are. At the widest
    /// need of any width; 0 when no width slices the input channels.
    /// </summary>
    public static int PackedKernelFloats(LayerModel layer) => MostFloats(layer, slices: true);

    private static int MostFloats(LayerModel layer, bool slices)
    {
        var floats = 0;
        foreach (var isa in VectorIsa.All)
        {
            var plan = Plan(layer, isa, scratch: true);
            if (plan.PacksEveryGroup)
            {
                floats = System.Math.Max(floats, SliceFloats(layer, plan) * (slices ? plan.ChannelSlices : 1));
            }
            else if (slices && plan.ChannelSlices > 1 && plan.Scheme != KernelScheme.PositionVectors)
            {
                var groups = FilterGroups(layer, isa);
                floats = System.Math.Max(floats, GroupCount(groups) * plan.ChannelSlices * GroupSliceFloats(layer, plan, groups));
            }
        }

        return floats;
    }

    /// <summary>Filter groups the per-group slices run (<see cref="EmitSliceLoops"/>): one of every filter, the groups, or the groups and an overlapping last one.</summary>
    private static int GroupCount(ChunkGroups groups) => groups.Stride == 0 ? 1 : groups.Count + (groups.LastOffset >= 0 ? 1 : 0);

    /// <summary>Floats of one filter group's slice packed on the stack: [tap][input channel of the slice][filter of the group].</summary>
    private static int GroupSliceFloats(LayerModel layer, KernelPlan plan, ChunkGroups groups) =>
        layer.KernelHeight * layer.KernelWidth * (layer.Input.Channels / plan.ChannelSlices) * groups.Channels;

    /// <summary>Floats of one input-channel slice of the kernel packed for every filter group: a block of <see cref="PackedFloatsPerFilter"/> per filter.</summary>
    private static int SliceFloats(LayerModel layer, KernelPlan plan) =>
        PackedFloatsPerFilter(layer.KernelHeight * layer.KernelWidth * (layer.Input.Channels / plan.ChannelSlices)) * layer.Output.Channels;

    /// <summary>
    /// Floats per filter of a filter group's block in the scratch of <see cref="EmitEveryGroupSliced"/>:
    /// the slice's <paramref name="reduced"/> weights, plus one when that number is even. The
    /// packing writes the same row of every group's block in turn; blocks a multiple of 4 KB
    /// apart (20 KB for 320 channels of 16 filters) all map to the same sets of the L1 cache,
    /// whose 8 ways cannot hold 20 of them, and every store missed: measured on an AVX2
    /// machine, a 1x1 layer from 960 to 320 channels on a 2x2 map took 117 us, and 67 us with
    /// 321 floats a filter. An odd number leaves in the blocks' distance no factor of 2 beyond
    /// that of the group's filters, so the blocks fall in different sets. The same number at
    /// every width, so the 256- and 128-bit kernels stay one method.
    /// </summary>
    internal static int PackedFloatsPerFilter(int reduced) => reduced | 1;

    public static string FrameComment(LayerModel layer, TensorLayout input) => input.HasFrame
        ? "The input is stored inside a frame of zeros (top " + input.FrameTop + ", bottom " + input.FrameBottom + ", left " +
          input.FrameLeft + ", right " + input.FrameRight + "), so all " + layer.Output.Height + "x" + layer.Output.Width +
          " output positions are interior: no border code."
        : "No padding: every window lies inside the input.";

    public static int TotalTaps(IReadOnlyList<TapDimension> dimensions)
    {
        var taps = 1;
        foreach (var dimension in dimensions)
        {
            taps *= dimension.Count;
        }

        return taps;
    }

    /// <summary>The reduction of one output value: kernel rows, kernel columns, input channels (of the filter's group).</summary>
    public static List<TapDimension> Dimensions(LayerModel layer, TensorLayout input)
    {
        var channels = layer.Input.Channels;
        var reduced = layer.GroupChannels;
        var filters = layer.Output.Channels;
        var dimensions = new List<TapDimension>();
        if (layer.KernelHeight > 1)
        {
            dimensions.Add(new TapDimension("kh", layer.KernelHeight, layer.DilationHeight * input.RowStride, layer.KernelWidth * reduced * filters));
        }

        if (layer.KernelWidth > 1)
        {
            dimensions.Add(new TapDimension("kw", layer.KernelWidth, layer.DilationWidth * channels, reduced * filters));
        }

        dimensions.Add(new TapDimension("c", reduced, 1, filters));
        return dimensions;
    }

    /// <summary>
    /// The filter groups of the forward kernel at a width: at most <see cref="VectorIsa.MaxGroupVectors"/>
    /// vectors, so that a block holds several positions; but as many as there are accumulators
    /// when the output is a single position (a squeeze-and-excitation's 1x1 convolutions on a
    /// pooled map), where a block is one position anyway: each group then reads its part of every
    /// kernel row in one long run, which the hardware prefetches, not in pieces of 64 filters.
    /// </summary>
    internal static ChunkGroups FilterGroups(LayerModel layer, VectorIsa isa) => ChunkGroups.Create(layer.GroupFilters, isa.MaxWidth,
        layer.Output.Height * layer.Output.Width == 1 ? isa.Accumulators : isa.MaxGroupVectors);

    /// <summary>The forward kernel's plan at a width: its scheme and register blocking.</summary>
    /// <param name="scratch">Whether the kernel may pack weights into the forward scratch.</param>
    public static KernelPlan Plan(LayerModel layer, VectorIsa maxIsa, bool scratch = true)
    {
        var filters = layer.Output.Channels;
        if (PositionVectorizedConvolution.Applies(layer, maxIsa))
        {
            var vectors = PositionVectorizedConvolution.VectorsPerBlock(layer, maxIsa);
            return new KernelPlan("forward", maxIsa.Suffix, KernelScheme.PositionVectors, PositionVectorizedConvolution.KernelIsa(layer, maxIsa).MaxWidth, vectors, filters);
        }

        if (DotProducts(layer, maxIsa) is { } dot)
        {
            return new KernelPlan("forward", maxIsa.Suffix, KernelScheme.DotProducts, dot.Lanes, dot.Rows, filters, dot.Parts);
        }

        var groups = FilterGroups(layer, maxIsa);
        var isa = maxIsa.ForWidth(groups.Width);
        var maxRows = System.Math.Max(1, isa.Accumulators / groups.Group.Count);
        var taps = layer.KernelHeight * layer.KernelWidth * layer.GroupChannels;
        KernelPlan Blocks(KernelScheme scheme, int rows) =>
            new("forward", maxIsa.Suffix, scheme, groups.Width, rows, groups.Group.Count, isa.TapsPerStep(rows, groups.Group.Count, taps));

        if (layer.Output.Width * 2 <= maxRows && layer.Output.Height > 1)
        {
            // Short rows: a block spans several whole output rows, so that the registers fill.
            var rows = VectorIsa.PickBlock(layer.Output.Height, maxRows / layer.Output.Width) * layer.Output.Width;
            var rowSlices = Streams(layer, groups, scratch) ? StreamedSlices(layer, groups.Channels, 0, maxIsa.SliceBytes) : 1;
            return rowSlices == 1
                ? Blocks(KernelScheme.MultiRowBlocks, rows)
                : new("forward", maxIsa.Suffix, KernelScheme.MultiRowBlocks, groups.Width, rows, groups.Group.Count,
                    isa.TapsPerStep(rows, groups.Group.Count, taps / rowSlices), rowSlices, PacksEveryGroup: true);
        }

        var block = isa.PickRows(layer.Output.Width, maxRows);
        var whole = block == layer.Output.Width && groups.Count == 1 && groups.LastOffset < 0 && layer.Output.Height <= 16 &&
            (long)taps * block * groups.Group.Count <= VectorIsa.WholeLayerBudget;
        if (whole)
        {
            return Blocks(KernelScheme.WholeRows, block);
        }

        var slices = Streams(layer, groups, scratch)
            ? StreamedSlices(layer, groups.Channels, block, maxIsa.SliceBytes)
            : ChannelSlices(layer, groups.Channels, block, maxIsa.SliceBytes);
        return slices == 1
            ? Blocks(KernelScheme.ChannelVectors, block)
            : new("forward", maxIsa.Suffix, KernelScheme.ChannelVectors, groups.Width, block, groups.Group.Count,
                isa.TapsPerStep(block, groups.Group.Count, taps / slices), slices, scratch && PacksEveryGroup(layer, groups));
    }

    /// <summary>
    /// Whether a sliced layer packs a slice's weights for every filter group at once, reading each
    /// row of the kernel (all filters of one tap and input channel) from start to end, then runs
    /// every group on that slice: when a sample's whole output, the partial sums of every group,
    /// stays in the cache from one slice to the next (deep layers with few positions, whose
    /// weights are large and used by few positions). One group at a time instead reads 16 or 64
    /// filters of each row, a few cache lines out of every 2 KB, which the hardware does not
    /// prefetch: measured on an AVX2 machine, a 9.4 MB kernel read that way from memory took
    /// 2.5-3.8 ms, and row by row 0.9-1.1 ms.
    /// </summary>
    private static bool PacksEveryGroup(LayerModel layer, ChunkGroups groups) =>
        groups.Count > 1 && groups.Stride > 0 && groups.LastOffset < 0 &&
        (long)layer.Output.Height * layer.Output.Width * layer.Output.Channels * sizeof(float) <= SampleBlockBytes;

    /// <summary>
    /// Kernels larger than this (bytes) on few positions (rows shorter than a block) run in
    /// slices packed for every filter group at once (<see cref="PacksEveryGroup"/>), although
    /// their few positions use each weight once a sample: not to keep the weights in the cache,
    /// but to read them from memory row by row. Read a filter group at a time, in place, a
    /// 2x2x512 layer's 9.4 MB kernel took 2.3-2.4 ms a sample from memory on an AVX2 machine.
    /// </summary>
    internal const int StreamedKernelBytes = 512 * 1024;

    /// <summary>
    /// Whether the layer's kernel is streamed from memory row by row (<see cref="StreamedKernelBytes"/>):
    /// large, and its filter groups packed at once into the forward scratch.
    /// </summary>
    private static bool Streams(LayerModel layer, ChunkGroups groups, bool scratch) =>
        scratch && (long)layer.KernelLength * sizeof(float) > StreamedKernelBytes && PacksEveryGroup(layer, groups);

    /// <summary>
    /// Slices of a streamed kernel: as <see cref="ChannelSlices"/>, but at least two when the
    /// input channels divide, even where one filter group's whole kernel fits a slice (7x7x160 to
    /// 960, 614 KB): only the sliced path packs, and packed, the kernel is read in one run per
    /// slice instead of 256 bytes of every 3.8 KB row. Read from memory that way a 1x1
    /// convolution on 7x7x160 to 960 took 0.82 of the time (AVX-512, Zen 4); two slices rather
    /// than one also keep a group's slice (20 KB) in the L1 cache. One block of all the positions
    /// (a squeeze-and-excitation's single position) stays unsliced, as in ChannelSlices.
    /// </summary>
    private static int StreamedSlices(LayerModel layer, int packedFilters, int block, int sliceBytes)
    {
        var slices = ChannelSlices(layer, packedFilters, block, sliceBytes);
        if (slices > 1 || layer.Groups > 1 || layer.Output.Height * layer.Output.Width <= block)
        {
            return slices;
        }

        var channels = layer.Input.Channels;
        return channels % 2 == 0 && channels / 2 >= MinSliceChannels ? 2 : 1;
    }

    /// <summary>Fewer channels per slice would make the loads and stores of the partial sums count.</summary>
    private const int MinSliceChannels = 8;

    /// <summary>
    /// How many slices the input channels run in (1: no slicing): the fewest equal slices whose
    /// weights for one filter group fit <paramref name="sliceBytes"/> (<see cref="VectorIsa.SliceBytes"/>), when the group's whole kernel
    /// does not and the output has more than one block.
    /// </summary>
    internal static int ChannelSlices(LayerModel layer, int packedFilters, int block, int sliceBytes)
    {
        var channels = layer.Input.Channels;
        var perChannel = (long)layer.KernelHeight * layer.KernelWidth * packedFilters * sizeof(float);
        if (layer.Groups > 1 || perChannel * channels <= sliceBytes || layer.Output.Height * layer.Output.Width <= block)
        {
            return 1;
        }

        for (var slices = 2; channels / slices >= MinSliceChannels; slices++)
        {
            if (channels % slices == 0 && perChannel * (channels / slices) <= sliceBytes)
            {
                return slices;
            }
        }

        return 1;
    }

    /// <summary>
    /// The dot-product shape of a layer of 1 to 3 filters (<see cref="DotProductKernel"/>) at a
    /// width, with the rows of a block dividing the output row where a divisor is near; null when
    /// the layer has more filters, groups, runs of inputs shorter than a vector, or a kernel too
    /// large to transpose on the stack.
    /// </summary>
    internal static DotProductShape? DotProducts(LayerModel layer, VectorIsa isa)
    {
        var filters = layer.Output.Channels;
        var taps = (long)layer.KernelHeight * layer.KernelWidth * layer.Input.Channels;
        if (!DotProductKernel.FewOutputs(filters) || layer.Groups > 1 || !DotProductKernel.Transposable(taps, filters))
        {
            return null;
        }

        var (runs, length) = DotRuns(layer);
        if (DotProductKernel.Choose(isa, filters, length, runs, layer.Output.Width) is not { } shape)
        {
            return null;
        }

        return DotProductKernel.ForRows(shape, filters, length, runs, VectorIsa.PickBlock(layer.Output.Width, shape.Rows));
    }

    /// <summary>
    /// The runs of consecutive inputs of a window: a kernel row (its columns' channels follow each
    /// other), or, with a dilated row, each tap's channels.
    /// </summary>
    internal static (int Runs, int Length) DotRuns(LayerModel layer) => layer.DilationWidth == 1 || layer.KernelWidth == 1
        ? (layer.KernelHeight, layer.KernelWidth * layer.Input.Channels)
        : (layer.KernelHeight * layer.KernelWidth, layer.Input.Channels);

    /// <summary>The loops over a window's runs (<see cref="DotRuns"/>), in the input and in the transposed kernel.</summary>
    internal static List<TapDimension> DotSegments(LayerModel layer, TensorLayout input)
    {
        var channels = layer.Input.Channels;
        var segments = new List<TapDimension>();
        if (layer.KernelHeight > 1)
        {
            segments.Add(new TapDimension("kh", layer.KernelHeight, layer.DilationHeight * input.RowStride, layer.KernelWidth * channels));
        }

        if (layer.DilationWidth > 1 && layer.KernelWidth > 1)
        {
            segments.Add(new TapDimension("kw", layer.KernelWidth, layer.DilationWidth * channels, channels));
        }

        return segments;
    }

    /// <summary>
    /// Few filters on many inputs: the kernel transposed once per call, then every output
    /// position's filters as dot products over its window, blocks of positions along each row.
    /// </summary>
    private static void EmitDotProducts(VariantWriter variant, LayerModel layer, TensorLayout input, TensorLayout target, KernelPlan plan)
    {
        var writer = variant.Body;
        var filters = layer.Output.Channels;
        var taps = layer.KernelHeight * layer.KernelWidth * layer.Input.Channels;
        var (runs, length) = DotRuns(layer);
        var segments = DotSegments(layer, input);
        var shape = new DotProductShape(plan.Lanes, plan.Rows, plan.TapsPerStep);
        var xStep = layer.StrideWidth * layer.Input.Channels;
        string Kernel(string tag, int rows) => variant.Helper(tag + "_" + HelperNames.Dot(plan.Lanes, filters), (helper, name) =>
        {
            var kernel = new DotProductKernel(rows, xStep, filters, segments, length, taps, DotProductKernel.ForRows(shape, filters, length, runs, rows),
                layer.UseBias, ActivationPass.Fused(layer), FusedActivation.FoldedChannels(layer));
            kernel.EmitMethod(helper, name, layer.Name + ": " + kernel.Describe() + ".");
        });

        var weights = DotProductKernel.EmitTransposedWeights(writer, taps, filters);
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float xn = ref " + FrameworkNames.Unsafe + ".Add(ref x, " + CompactLoops.Times("(nint)n", input.StoredSize) + ");");
            writer.Line("ref float yn = ref " + FrameworkNames.Unsafe + ".Add(ref y, " + CompactLoops.Times("(nint)n", target.StoredSize) + VectorOps.PlusConstant(target.InteriorOffset) + ");");
            EmitPositionPass(writer, layer, input, target, plan.Rows, null, "xn", "yn",
                (tag, rows, x, y) => writer.Line(Kernel(tag, rows.Count) + "(ref " + x + ", ref " + weights + ", ref b, ref " + y + ");"));
        }
    }

    private static void EmitVector(VariantWriter variant, LayerModel layer, TensorLayout input, TensorLayout target, VectorIsa maxIsa, bool scratch)
    {
        var plan = Plan(layer, maxIsa, scratch);
        if (plan.Scheme == KernelScheme.PositionVectors)
        {
            PositionVectorizedConvolution.Emit(variant, layer, input, target, plan);
            return;
        }

        if (plan.Scheme == KernelScheme.DotProducts)
        {
            EmitDotProducts(variant, layer, input, target, plan);
            return;
        }

        var writer = variant.Body;
        var filters = layer.Output.Channels;
        var groups = FilterGroups(layer, maxIsa);
        var isa = maxIsa.ForWidth(groups.Width);
        var dimensions = Dimensions(layer, input);
        var (w, b) = layer.Groups > 1 ? ("wq", "bq") : ("w", "b");
        var xStep = layer.StrideWidth * layer.Input.Channels;
        var positions = layer.Output.Height * layer.Output.Width;

        var sliceChannels = layer.Input.Channels / plan.ChannelSlices;
        var packedFilters = groups.Channels;
        if (plan.ChannelSlices > 1)
        {
            dimensions = PackedSliceDimensions(dimensions, layer, sliceChannels, packedFilters);
        }

        var prefetch = plan.PacksEveryGroup
            ? SlicePrefetch.For(layer, plan, packedFilters, layer.KernelHeight * layer.KernelWidth * sliceChannels * packedFilters)
            : (SlicePrefetch?)null;
        string Kernel(string tag, IReadOnlyList<BlockRow> rows, IReadOnlyList<Chunk> group) =>
            variant.Helper(HelperNames.WithVectors(plan.ChannelSlices > 1 ? tag + "_" + HelperNames.Slice(sliceChannels) : tag, group), (helper, name) =>
            {
                var kernel = new BlockedKernel(rows, group, TapPlan.Create(dimensions, isa.TapsPerStep(rows.Count, group.Count, TotalTaps(dimensions))),
                    layer.UseBias, ActivationPass.Fused(layer), Sliced: plan.ChannelSlices > 1, FoldedChannels: FusedActivation.FoldedChannels(layer),
                    PrefetchDivisor: prefetch?.Parts ?? 0, PrefetchLinesPerTap: prefetch?.LinesPerTap ?? 1);
                kernel.EmitMethod(helper, name, layer.Name + ": " + kernel.Describe() +
                    (plan.ChannelSlices > 1 ? ", " + sliceChannels + " of the " + layer.Input.Channels + " input channels" : string.Empty) + ".");
            });

        if (plan.ChannelSlices > 1)
        {
            EmitSliced(writer, layer, input, target, plan, groups, Kernel, keeps: scratch && PackedKernelFloats(layer) > 0, prefetch);
            return;
        }

        using (writer.Open("for (int n = 0; n < batch; n++)"))
        using (OpenGroupLoop(writer, layer))
        {
            var group = layer.Groups > 1 ? " + " + CompactLoops.Times("q", layer.GroupChannels) : string.Empty;
            writer.Line("ref float xn = ref " + FrameworkNames.Unsafe + ".Add(ref x, " + CompactLoops.Times("(nint)n", input.StoredSize) + group + ");");
            writer.Line("ref float yn = ref " + FrameworkNames.Unsafe + ".Add(ref y, " + CompactLoops.Times("(nint)n", target.StoredSize) + VectorOps.PlusConstant(target.InteriorOffset) +
                (layer.Groups > 1 ? " + " + CompactLoops.Times("q", layer.GroupFilters) : string.Empty) + ");");
            if (plan.Scheme == KernelScheme.MultiRowBlocks)
            {
                EmitMultiRowPass(writer, layer, input, target, plan.Rows, "xn", "yn",
                    (tag, rows, x, y) => groups.EmitCalls(writer, group => Kernel(tag, rows, group), x, w, b, y));
                return;
            }

            var block = plan.Rows;
            if (plan.Scheme == KernelScheme.WholeRows)
            {
                // A small layer, unrolled whole: one call per output row.
                var name = Kernel(HelperNames.Row(block), BlockedKernel.EvenRows(block, xStep, filters), groups.Group);
                writer.Comment("Each of the " + layer.Output.Height + " output rows in one call.");
                for (var oh = 0; oh < layer.Output.Height; oh++)
                {
                    writer.Line(name + "(" + VectorOps.Ref("xn", oh * layer.StrideHeight * input.RowStride) + ", ref " + w + ", ref " + b + ", " + VectorOps.Ref("yn", oh * target.RowStride) + ");");
                }

                return;
            }

            var columns = RestColumns(layer, block);
            EmitPositionPass(writer, layer, input, target, block, columns, "xn", "yn",
                (tag, rows, x, y) => groups.EmitCalls(writer, group => Kernel(tag, rows, group), x, w, b, y));
        }
    }

    /// <summary>
    /// With groups, a loop over them (q) that declares refs to the group's weights (wq) and
    /// biases (bq); the caller offsets the input by q * channels per group and the output by
    /// q * filters per group. Null without groups. bq stays at b where nothing is read from it
    /// (no bias, nothing folded: b may be the end of the parameters), but a folded normalisation's
    /// scales and shifts are read after it even without a bias, so they need the group's offset.
    /// </summary>
    private static SourceWriter.Block? OpenGroupLoop(SourceWriter writer, LayerModel layer)
    {
        if (layer.Groups == 1)
        {
            return null;
        }

        var loop = writer.Open("for (int q = 0; q < " + layer.Groups + "; q++)");
        writer.Line("ref float wq = ref " + FrameworkNames.Unsafe + ".Add(ref w, " + CompactLoops.Times("q", layer.GroupFilters) + ");");
        writer.Line("ref float bq = ref " + FrameworkNames.Unsafe + ".Add(ref b, " + (layer.UseBias || layer.FoldsNormalization ? CompactLoops.Times("q", layer.GroupFilters) : "0") + ");");
        return loop;
    }

    /// <summary>
    /// The reduction of each filter group in slices of the input channels: the slice's weights
    /// are copied into a contiguous block on the stack (in the Keras layout a group's weights lie
    /// a whole row of filters apart, so few cache sets would hold them), then every sample of a
    /// block and every output position runs through that block, which stays in the L1 and L2
    /// caches; the output keeps the partial sums from one slice to the next, and a sample block
    /// is small enough for them to stay in the cache too (<see cref="SampleBlock"/>).
    /// </summary>
    /// <param name="keeps">Whether the kernel takes the packed weights PackWeights keeps (<c>pw</c>, <c>prepacked</c>).</param>
    private static void EmitSliced(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout target, KernelPlan plan, ChunkGroups groups,
        System.Func<string, IReadOnlyList<BlockRow>, IReadOnlyList<Chunk>, string> kernel, bool keeps, SlicePrefetch? prefetch)
    {
        var slice = layer.Input.Channels / plan.ChannelSlices;
        var packedFilters = groups.Channels;
        var taps = layer.KernelHeight * layer.KernelWidth;
        var packed = taps * slice * packedFilters;
        var columns = RestColumns(layer, plan.Rows);
        if (plan.PacksEveryGroup)
        {
            EmitEveryGroupSliced(writer, layer, input, target, plan, groups, kernel, slice, taps, columns, prefetch!.Value);
            return;
        }

        writer.Comment("Input channels in " + plan.ChannelSlices + " slices of " + slice + ", each filter group's weights for a slice packed into " +
            (packed * sizeof(float) + 1023) / 1024 + " KB: [tap][input channel][" + packedFilters + " filters].");
        StackBuffers.Declare(writer, "packed", "p", packed);
        var block = SampleBlock(layer, packedFilters);
        writer.Comment("Samples in blocks of " + block + ": one block's partial sums for a filter group (" +
            ((long)block * layer.Output.Height * layer.Output.Width * packedFilters * sizeof(float) + 1023) / 1024 +
            " KB) stay in the cache from one slice to the next; each block packs the weights again.");
        using (writer.Open("for (int n0 = 0; n0 < batch; n0 += " + block + ")"))
        {
            writer.Line("int n1 = global::System.Math.Min(batch, n0 + " + block + ");");
            EmitSliceLoops(writer, layer, input, target, plan, groups, kernel, slice, taps, columns, keeps);
        }
    }

    /// <summary>
    /// The reduction in slices of the input channels, every filter group on one slice before the
    /// next (<see cref="KernelPlan.PacksEveryGroup"/>): the slice's weights of every group are
    /// packed into the forward scratch (s) in one pass over the kernel rows, each group's
    /// contiguous ([tap][input channel][filters of the group]); the output keeps the partial sums
    /// of every group from one slice to the next, for a block of samples.
    /// </summary>
    private static void EmitEveryGroupSliced(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout target, KernelPlan plan, ChunkGroups groups,
        System.Func<string, IReadOnlyList<BlockRow>, IReadOnlyList<Chunk>, string> kernel, int slice, int taps, int? columns, SlicePrefetch prefetch)
    {
        var channels = layer.Input.Channels;
        var filters = layer.Output.Channels;
        var packedFilters = groups.Channels;
        var perFilter = PackedFloatsPerFilter(taps * slice);
        var perGroup = taps * slice * packedFilters;
        writer.Comment("Input channels in " + plan.ChannelSlices + " slices of " + slice + ". Each slice's weights of all " + groups.Count + " filter groups are packed at once " +
            "into the scratch, reading each row of the kernel in order, " + (perGroup * sizeof(float) + 1023) / 1024 + " KB per group: [tap][input channel][" +
            packedFilters + " filters]" + (perFilter == taps * slice ? "." : ", each group's block " + perFilter + " floats a filter apart (odd, so that the packing's stores spread over the cache sets)."));
        var block = SampleBlock(layer, filters, EveryGroupSampleBlockBytes);
        writer.Comment("Samples in blocks of " + block + ": one block's partial sums of every filter (" +
            ((long)block * layer.Output.Height * layer.Output.Width * filters * sizeof(float) + 1023) / 1024 +
            " KB) stay in the cache from one slice to the next; each block packs the weights again.");
        writer.Comment("After PackWeights (pw not null) every slice is kept packed, one after another: the pass that packs them writes them there (prepacked false), later ones only read them.");
        using (writer.Open("for (int n0 = 0; n0 < batch; n0 += " + block + ")"))
        {
            writer.Line("int n1 = global::System.Math.Min(batch, n0 + " + block + ");");
            using (writer.Open("for (int k = 0; k < " + channels + "; k += " + slice + ")"))
            {
                writer.Line("ref float sk = ref (" + FrameworkNames.Unsafe + ".IsNullRef(ref pw) ? ref s : ref " + FrameworkNames.Unsafe + ".Add(ref pw, k / " + slice + " * " +
                    VectorOps.Number(perFilter * filters) + "));");
                using (writer.Open("if (!prepacked)"))
                {
                    using (writer.Open("for (int t = 0; t < " + taps + "; t++)"))
                    {
                        writer.Line("ref float wt = ref " + FrameworkNames.Unsafe + ".Add(ref w, (t * " + channels + " + k) * " + filters + ");");
                        writer.Line("ref float st = ref " + FrameworkNames.Unsafe + ".Add(ref sk, t * " + slice * packedFilters + ");");
                        using (writer.Open("for (int c = 0; c < " + slice + "; c++)"))
                        {
                            writer.Line("ref float wc = ref " + FrameworkNames.Unsafe + ".Add(ref wt, c * " + filters + ");");
                            writer.Line("ref float sc = ref " + FrameworkNames.Unsafe + ".Add(ref st, c * " + packedFilters + ");");
                            using (writer.Open("for (int g = 0; g < " + filters + "; g += " + packedFilters + ")"))
                            {
                                writer.Line("ref float wg = ref " + FrameworkNames.Unsafe + ".Add(ref wc, g);");
                                writer.Line("ref float sg = ref " + FrameworkNames.Unsafe + ".Add(ref sc, g * " + perFilter + ");");
                                EmitChunkCopies(writer, groups, "wg", "sg");
                            }
                        }
                    }
                }

                writer.Line("bool first = k == 0, last = k == " + (channels - slice) + ";");
                using (writer.Open("for (int g = 0; g < " + filters + "; g += " + packedFilters + ")"))
                {
                    writer.Line("ref float p = ref " + FrameworkNames.Unsafe + ".Add(ref sk, g * " + perFilter + ");");
                    writer.Line("ref float bg = ref " + FrameworkNames.Unsafe + ".Add(ref b, g);");
                    var who = prefetch.Parts == 1 ? "the first call prefetches" : "the first " + prefetch.Parts + " calls prefetch, " +
                        (prefetch.Parts == 2 ? "half" : prefetch.Parts == 4 ? "a quarter" : "1/" + prefetch.Parts) + " each,";
                    var pace = prefetch.LinesPerTap == 1 ? " a line per tap" : " " + prefetch.LinesPerTap + " lines per tap";
                    writer.Comment("Packed by PackWeights, the next block of weights (the next group's, or the next slice's first), " +
                        "which " + who + pace + " into the L2 cache: read only when its turn came, its first row would wait on L3 or memory. " +
                        "(A slice packed into the scratch is in the L2 cache already: each call prefetches its own block then.)");
                    writer.Line("ref float next = ref (prepacked && (g + " + packedFilters + " < " + filters + " || k + " + slice + " < " + channels + ") ? ref " +
                        FrameworkNames.Unsafe + ".Add(ref p, " + VectorOps.Number(perFilter * packedFilters) + ") : ref p);");
                    EmitSliceSamples(writer, layer, input, target, plan, groups, kernel, columns, prefetch: prefetch);
                }
            }
        }
    }

    /// <summary>Output bytes of a sample block of <see cref="EmitEveryGroupSliced"/>, at most: partial sums of every filter, which may live in the L3 cache (each slice's work is large beside them).</summary>
    internal const int EveryGroupSampleBlockBytes = 1024 * 1024;

    /// <summary>Output floats of one sample block's filter group, at most: partial sums that stay in a 512 KB L2 cache with room for the input.</summary>
    internal const int SampleBlockBytes = 256 * 1024;

    /// <summary>
    /// Samples per block of the sliced reduction: as many as keep the partial sums of
    /// <paramref name="filters"/> filters within <paramref name="budgetBytes"/> (at least one):
    /// one group's and <see cref="SampleBlockBytes"/>, or every filter's and
    /// <see cref="EveryGroupSampleBlockBytes"/>. Slicing outside the samples would stream every
    /// sample's partial sums from memory once per slice.
    /// </summary>
    internal static int SampleBlock(LayerModel layer, int filters, int budgetBytes = SampleBlockBytes)
    {
        var bytes = (long)layer.Output.Height * layer.Output.Width * filters * sizeof(float);
        return (int)System.Math.Max(1, System.Math.Min(1024, budgetBytes / System.Math.Max(1, bytes)));
    }

    private static void EmitSliceLoops(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout target, KernelPlan plan, ChunkGroups groups,
        System.Func<string, IReadOnlyList<BlockRow>, IReadOnlyList<Chunk>, string> kernel, int slice, int taps, int? columns, bool keeps)
    {
        var channels = layer.Input.Channels;
        var filters = layer.Output.Channels;
        var packedFilters = groups.Channels;
        var lastGroup = groups.LastOffset >= 0;
        using (writer.Open(lastGroup ? "for (int gi = 0; gi <= " + groups.Count + "; gi++)"
            : groups.Stride == 0 ? "for (int g = 0; g < 1; g++)" // one group of every filter
            : "for (int g = 0; g < " + groups.Count * groups.Stride + "; g += " + groups.Stride + ")"))
        {
            if (lastGroup)
            {
                writer.Line("int g = gi < " + groups.Count + " ? gi * " + groups.Stride + " : " + groups.LastOffset + ";");
            }

            writer.Line("ref float bg = ref " + FrameworkNames.Unsafe + ".Add(ref b, g);");
            using (writer.Open("for (int k = 0; k < " + channels + "; k += " + slice + ")"))
            {
                var packed = "p";
                if (keeps)
                {
                    // After PackWeights each group's slices lie one after another, [group][slice], as the stack would hold them.
                    var group = lastGroup ? "gi" : groups.Stride == 0 ? null : "g / " + groups.Stride;
                    var index = group is null ? "k / " + slice : "(" + group + " * " + plan.ChannelSlices + " + k / " + slice + ")";
                    var perSlice = taps * slice * packedFilters;
                    writer.Line("ref float ps = ref (" + FrameworkNames.Unsafe + ".IsNullRef(ref pw) ? ref p : ref " + FrameworkNames.Unsafe + ".Add(ref pw, " + index + " * " +
                        VectorOps.Number(perSlice) + "));");
                    packed = "ps";
                }

                using (keeps ? writer.Open("if (!prepacked)") : (SourceWriter.Block?)null)
                {
                    using (writer.Open("for (int t = 0; t < " + taps + "; t++)"))
                    {
                        writer.Line("ref float wt = ref " + FrameworkNames.Unsafe + ".Add(ref w, (t * " + channels + " + k) * " + filters + " + g);");
                        writer.Line("ref float pt = ref " + FrameworkNames.Unsafe + ".Add(ref " + packed + ", t * " + slice * packedFilters + ");");
                        using (writer.Open("for (int c = 0; c < " + slice + "; c++)"))
                        {
                            writer.Line("ref float wc = ref " + FrameworkNames.Unsafe + ".Add(ref wt, c * " + filters + ");");
                            writer.Line("ref float pc = ref " + FrameworkNames.Unsafe + ".Add(ref pt, c * " + packedFilters + ");");
                            EmitChunkCopies(writer, groups, "wc", "pc");
                        }
                    }
                }

                writer.Line("bool first = k == 0, last = k == " + (channels - slice) + ";");
                EmitSliceSamples(writer, layer, input, target, plan, groups, kernel, columns, packed);
            }
        }
    }

    /// <summary>
    /// Every sample of the block (n0 to n1) and every output position through the packed slice
    /// (p) of the filter group at g, for input channels from k: the kernel calls with the
    /// slice's <c>first</c> and <c>last</c> flags.
    /// </summary>
    private static void EmitSliceSamples(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout target, KernelPlan plan, ChunkGroups groups,
        System.Func<string, IReadOnlyList<BlockRow>, IReadOnlyList<Chunk>, string> kernel, int? columns, string packed = "p", SlicePrefetch? prefetch = null)
    {
        // The prefetch argument of a call: the first rows of blocks prefetch a part of the next block each, the other calls their own block (lines in L1).
        string PrefetchArgument(string tag)
        {
            if (prefetch is not { } ahead)
            {
                return string.Empty;
            }

            var height = ahead.RowsPerCall;
            var main = plan.Scheme == KernelScheme.MultiRowBlocks ? HelperNames.OutputRows(height, layer.Output.Width) : HelperNames.Row(plan.Rows);
            if (tag == HelperNames.All)
            {
                return ", ref next";
            }

            if (tag != main)
            {
                return ", ref " + packed;
            }

            var index = height == 1 ? "oh" : "oh / " + height;
            var part = ahead.Parts == 1 ? "ref next" : "ref " + FrameworkNames.Unsafe + ".Add(ref next, " + CompactLoops.Times(index, ahead.PartFloats) + ")";
            return ", ref (" + (ahead.Parts == 1 ? "oh == 0" : "oh < " + ahead.Parts * height) + " ? " + part + " : ref " + packed + ")";
        }

        using (writer.Open("for (int n = n0; n < n1; n++)"))
        {
            writer.Line("ref float xk = ref " + FrameworkNames.Unsafe + ".Add(ref x, " + CompactLoops.Times("(nint)n", input.StoredSize) + " + k);");
            writer.Line("ref float yg = ref " + FrameworkNames.Unsafe + ".Add(ref y, " + CompactLoops.Times("(nint)n", target.StoredSize) +
                VectorOps.PlusConstant(target.InteriorOffset) + " + g);");
            void Call(string tag, IReadOnlyList<BlockRow> rows, string xRef, string yRef) =>
                writer.Line(kernel(tag, rows, groups.Group) + "(ref " + xRef + ", ref " + packed + ", ref bg, ref " + yRef + ", first, last" + PrefetchArgument(tag) + ");");
            if (plan.Scheme == KernelScheme.MultiRowBlocks)
            {
                EmitMultiRowPass(writer, layer, input, target, plan.Rows, "xk", "yg", Call);
            }
            else
            {
                EmitPositionPass(writer, layer, input, target, plan.Rows, columns, "xk", "yg", Call);
            }
        }
    }

    /// <summary>Copies a group's chunks of filters from the kernel row at <paramref name="from"/> to the packed row at <paramref name="to"/>.</summary>
    private static void EmitChunkCopies(SourceWriter writer, ChunkGroups groups, string from, string to)
    {
        foreach (var chunk in groups.Group)
        {
            var ops = VectorOps.ForWidth(chunk.Width);
            writer.Line(ops.Store(ops.Load(from, chunk.Offset), to, chunk.Offset));
        }
    }

    /// <summary>The reduction over a packed slice: the same taps, weights at [tap][channel of the slice][filter of the group].</summary>
    private static List<TapDimension> PackedSliceDimensions(List<TapDimension> dimensions, LayerModel layer, int slice, int packedFilters)
    {
        var packed = new List<TapDimension>();
        foreach (var dimension in dimensions)
        {
            packed.Add(dimension.Name switch
            {
                "kh" => dimension with { WStep = layer.KernelWidth * slice * packedFilters },
                "kw" => dimension with { WStep = slice * packedFilters },
                _ => dimension with { Count = slice, WStep = packedFilters },
            });
        }

        return packed;
    }

    /// <summary>
    /// One pass over every output position of a sample in blocks of <paramref name="block"/>
    /// columns (and the last columns <paramref name="columns"/> rows at a time, when set):
    /// <paramref name="call"/> writes the calls for a block from its rows and refs to its input
    /// and output, relative to <paramref name="xn"/> and <paramref name="yn"/>.
    /// </summary>
    private static void EmitPositionPass(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout target, int block, int? columns,
        string xn, string yn, System.Action<string, IReadOnlyList<BlockRow>, string, string> call)
    {
        var filters = layer.Output.Channels;
        var xStep = layer.StrideWidth * layer.Input.Channels;
        using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
        {
            writer.Line("ref float xr = ref " + FrameworkNames.Unsafe + ".Add(ref " + xn + ", " + CompactLoops.Times("oh", layer.StrideHeight * input.RowStride) + ");");
            writer.Line("ref float yr = ref " + FrameworkNames.Unsafe + ".Add(ref " + yn + ", " + CompactLoops.Times("oh", target.RowStride) + ");");
            var full = layer.Output.Width / block * block;
            if (full == block)
            {
                call(HelperNames.Row(block), BlockedKernel.EvenRows(block, xStep, filters), "xr", "yr");
            }
            else if (full > 0)
            {
                writer.Comment("Output columns 0.." + (full - 1) + " in blocks of " + block + ".");
                using (writer.Open("for (int ow = 0; ow < " + full + "; ow += " + block + ")"))
                {
                    writer.Line("ref float xb = ref " + FrameworkNames.Unsafe + ".Add(ref xr, " + CompactLoops.Times("ow", xStep) + ");");
                    writer.Line("ref float yb = ref " + FrameworkNames.Unsafe + ".Add(ref yr, " + CompactLoops.Times("ow", filters) + ");");
                    call(HelperNames.Row(block), BlockedKernel.EvenRows(block, xStep, filters), "xb", "yb");
                }
            }

            var rest = layer.Output.Width - full;
            if (rest > 0 && columns is null)
            {
                writer.Comment("Output columns " + full + ".." + (layer.Output.Width - 1) + ".");
                writer.Line("ref float xt = ref " + FrameworkNames.Unsafe + ".Add(ref xr, " + full * xStep + ");");
                writer.Line("ref float yt = ref " + FrameworkNames.Unsafe + ".Add(ref yr, " + full * filters + ");");
                call(HelperNames.Row(rest), BlockedKernel.EvenRows(rest, xStep, filters), "xt", "yt");
            }
        }

        if (columns is { } tall)
        {
            EmitRestColumns(writer, layer, input, target, block, tall, xn, yn, call);
        }
    }

    /// <summary>
    /// One pass over every output position of a sample whose rows are short, in blocks of
    /// whole rows (<paramref name="block"/> positions): all of them in one block, or rows a few
    /// at a time and the rows left over. <paramref name="call"/> writes the calls of a block.
    /// </summary>
    private static void EmitMultiRowPass(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout target, int block,
        string xn, string yn, System.Action<string, IReadOnlyList<BlockRow>, string, string> call)
    {
        var filters = layer.Output.Channels;
        var xStep = layer.StrideWidth * layer.Input.Channels;
        var height = block / layer.Output.Width;
        List<BlockRow> Rows(int count)
        {
            var rows = new List<BlockRow>();
            for (var r = 0; r < count; r++)
            {
                for (var ow = 0; ow < layer.Output.Width; ow++)
                {
                    rows.Add(new BlockRow(r * layer.StrideHeight * input.RowStride + ow * xStep, r * target.RowStride + ow * filters));
                }
            }

            return rows;
        }

        var wholeRows = layer.Output.Height / height * height;
        if (wholeRows == layer.Output.Height && height == layer.Output.Height)
        {
            writer.Comment("All " + layer.Output.Height * layer.Output.Width + " output positions in one block.");
            call(HelperNames.All, Rows(height), xn, yn);
            return;
        }

        writer.Comment("Output rows " + height + " at a time.");
        using (writer.Open("for (int oh = 0; oh < " + wholeRows + "; oh += " + height + ")"))
        {
            writer.Line("ref float xr = ref " + FrameworkNames.Unsafe + ".Add(ref " + xn + ", " + CompactLoops.Times("oh", layer.StrideHeight * input.RowStride) + ");");
            writer.Line("ref float yr = ref " + FrameworkNames.Unsafe + ".Add(ref " + yn + ", " + CompactLoops.Times("oh", target.RowStride) + ");");
            call(HelperNames.OutputRows(height, layer.Output.Width), Rows(height), "xr", "yr");
        }

        var restRows = layer.Output.Height - wholeRows;
        if (restRows > 0)
        {
            writer.Line("ref float xt = ref " + FrameworkNames.Unsafe + ".Add(ref " + xn + ", " + wholeRows * layer.StrideHeight * input.RowStride + ");");
            writer.Line("ref float yt = ref " + FrameworkNames.Unsafe + ".Add(ref " + yn + ", " + wholeRows * target.RowStride + ");");
            call(HelperNames.OutputRows(restRows, layer.Output.Width), Rows(restRows), "xt", "yt");
        }
    }

    /// <summary>
    /// Kernels at least this large (bytes) are read from beyond the L1 cache, so a block of one
    /// or two positions, which loads as many weights as a full block, waits on them.
    /// </summary>
    private const int RestColumnsKernelBytes = 32 * 1024;

    /// <summary>
    /// The rows of a block of the last columns when a row's positions do not divide into blocks:
    /// those columns of several output rows together (7 = 6 + 1 wide: column 6 of six rows in
    /// one call), so that each weight load still serves a full block instead of one or two
    /// positions, which would make the kernel wait on the weights. Null for kernels small
    /// enough for the L1 cache (the extra kernels would only grow the file) and when a block of
    /// them would hold one row only.
    /// </summary>
    internal static int? RestColumns(LayerModel layer, int block)
    {
        var rest = layer.Output.Width % block;
        if (rest == 0 || layer.Output.Width < block || (long)layer.KernelLength * sizeof(float) < RestColumnsKernelBytes)
        {
            return null;
        }

        var rows = System.Math.Min(block / rest, layer.Output.Height);
        return rows >= 2 ? rows : null;
    }

    /// <summary>
    /// The rows of a block of columns <paramref name="full"/>.. of <paramref name="rows"/> output
    /// rows: for each, the offsets of its two operands from (row step, column step) pairs.
    /// </summary>
    internal static List<BlockRow> ColumnBlock(int rows, int full, int rest, (int Row, int Column) first, (int Row, int Column) second)
    {
        var list = new List<BlockRow>();
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < rest; c++)
            {
                list.Add(new BlockRow(r * first.Row + (full + c) * first.Column, r * second.Row + (full + c) * second.Column));
            }
        }

        return list;
    }

    /// <summary>The last columns of every output row, <paramref name="tall"/> rows per call (and the rows left over).</summary>
    private static void EmitRestColumns(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout target, int block, int tall,
        string xn, string yn, System.Action<string, IReadOnlyList<BlockRow>, string, string> call)
    {
        var filters = layer.Output.Channels;
        var xStep = layer.StrideWidth * layer.Input.Channels;
        var full = layer.Output.Width / block * block;
        var rest = layer.Output.Width - full;
        List<BlockRow> Columns(int rows) => ColumnBlock(rows, full, rest, (layer.StrideHeight * input.RowStride, xStep), (target.RowStride, filters));

        var whole = layer.Output.Height / tall * tall;
        writer.Comment("Output columns " + full + ".." + (layer.Output.Width - 1) + ", " + tall + " rows at a time.");
        if (whole == tall)
        {
            call(HelperNames.OutputRows(tall, rest), Columns(tall), xn, yn);
        }
        else
        {
            using var loop = writer.Open("for (int oh = 0; oh < " + whole + "; oh += " + tall + ")");
            writer.Line("ref float xr = ref " + FrameworkNames.Unsafe + ".Add(ref " + xn + ", " + CompactLoops.Times("oh", layer.StrideHeight * input.RowStride) + ");");
            writer.Line("ref float yr = ref " + FrameworkNames.Unsafe + ".Add(ref " + yn + ", " + CompactLoops.Times("oh", target.RowStride) + ");");
            call(HelperNames.OutputRows(tall, rest), Columns(tall), "xr", "yr");
        }

        var left = layer.Output.Height - whole;
        if (left > 0)
        {
            writer.Line("ref float xt = ref " + FrameworkNames.Unsafe + ".Add(ref " + xn + ", " + whole * layer.StrideHeight * input.RowStride + ");");
            writer.Line("ref float yt = ref " + FrameworkNames.Unsafe + ".Add(ref " + yn + ", " + whole * target.RowStride + ");");
            call(HelperNames.OutputRows(left, rest), Columns(left), "xt", "yt");
        }
    }

    /// <summary>
    /// The compact path: loops over output positions (a few rows at a time), channel steps and
    /// the window, with constant bounds.
    /// </summary>
    private static void EmitCompact(SourceWriter writer, CompactOps ops, LayerModel layer, TensorLayout input, TensorLayout target)
    {
        var channels = layer.Input.Channels;
        var filters = layer.Output.Channels;
        var kh = new CompactLoops.Loop("kh", layer.KernelHeight);
        var kw = new CompactLoops.Loop("kw", layer.KernelWidth);
        var c = new CompactLoops.Loop("c", layer.GroupChannels);
        var xStep = layer.StrideWidth * channels;
        var (w, b) = layer.Groups > 1 ? ("wq", "bq") : ("w", "b");
        var xGroup = layer.Groups > 1 ? " + " + CompactLoops.Times("q", layer.GroupChannels) : string.Empty;
        var yGroup = layer.Groups > 1 ? " + " + CompactLoops.Times("q", layer.GroupFilters) : string.Empty;
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        using (OpenGroupLoop(writer, layer))
        using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
        {
            writer.Line("ref float xr = ref " + FrameworkNames.Unsafe + ".Add(ref x, (nint)n * " + input.StoredSize + " + oh * " + layer.StrideHeight * input.RowStride + xGroup + ");");
            writer.Line("ref float yr = ref " + FrameworkNames.Unsafe + ".Add(ref y, (nint)n * " + target.StoredSize + VectorOps.PlusConstant(target.InteriorOffset) + " + oh * " + target.RowStride + yGroup + ");");
            CompactLoops.Rows(writer, "ow", layer.Output.Width.ToString(System.Globalization.CultureInfo.InvariantCulture), ops.Rows, rows =>
            {
                writer.Line("ref float xp = ref " + FrameworkNames.Unsafe + ".Add(ref xr, " + CompactLoops.Times("ow", xStep) + ");");
                writer.Line("ref float yp = ref " + FrameworkNames.Unsafe + ".Add(ref yr, " + CompactLoops.Times("ow", filters) + ");");
                using (ops.OpenChannelLoop(writer, "f", layer.GroupFilters))
                {
                    for (var r = 0; r < rows; r++)
                    {
                        writer.Line("var a" + r + " = " + (layer.UseBias ? ops.Load(b, "f") : ops.Zero) + ";");
                    }

                    using (CompactLoops.Open(writer, kh, kw, c))
                    {
                        var tap = CompactLoops.Sum((CompactLoops.Var(kh), layer.DilationHeight * input.RowStride), (CompactLoops.Var(kw), layer.DilationWidth * channels), (CompactLoops.Var(c), 1));
                        var weight = "(" + CompactLoops.Sum((CompactLoops.Var(kh), layer.KernelWidth * layer.GroupChannels), (CompactLoops.Var(kw), layer.GroupChannels),
                            (CompactLoops.Var(c), 1)) + ") * " + filters + " + f";
                        writer.Line("var wv = " + ops.Load(w, weight) + ";");
                        for (var r = 0; r < rows; r++)
                        {
                            writer.Line("a" + r + " = " + ops.MultiplyAdd(ops.Broadcast("xp", CompactLoops.Plus(tap, r * xStep)), "wv", "a" + r) + ";");
                        }
                    }

                    for (var r = 0; r < rows; r++)
                    {
                        if (layer.FoldsNormalization)
                        {
                            writer.Line("a" + r + " = " + ops.Normalized("a" + r, b, "f", FusedActivation.FoldedChannels(layer)) + ";");
                        }

                        writer.Line(ops.Store(ops.Activate(ActivationPass.Fused(layer), "a" + r), "yp", CompactLoops.Plus("f", r * filters)));
                    }
                }
            });
        }
    }
}
