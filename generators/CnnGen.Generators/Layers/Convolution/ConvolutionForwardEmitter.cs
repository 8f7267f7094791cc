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
    public static void Emit(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout target, DataFormat format)
    {
        var comment = LayerDescriber.Describe(layer, format) + "\n" + FrameComment(layer, input);
        KernelVariants.Emit(writer, layer.AccessorName + "Forward",
            "ref float w, ref float b, ref float x, ref float y, int batch", "ref w, ref b, ref x, ref y, batch", comment,
            (variant, isa) => EmitVector(variant, layer, input, target, isa),
            body => EmitCompact(body, CompactOps.Scalar, layer, input, target));
    }

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

    /// <summary>The reduction of one output value: kernel rows, kernel columns, input channels.</summary>
    public static List<TapDimension> Dimensions(LayerModel layer, TensorLayout input)
    {
        var channels = layer.Input.Channels;
        var filters = layer.Output.Channels;
        var dimensions = new List<TapDimension>();
        if (layer.KernelHeight > 1)
        {
            dimensions.Add(new TapDimension("kh", layer.KernelHeight, layer.DilationHeight * input.RowStride, layer.KernelWidth * channels * filters));
        }

        if (layer.KernelWidth > 1)
        {
            dimensions.Add(new TapDimension("kw", layer.KernelWidth, layer.DilationWidth * channels, channels * filters));
        }

        dimensions.Add(new TapDimension("c", channels, 1, filters));
        return dimensions;
    }

    /// <summary>The forward kernel's plan at a width: its scheme and register blocking.</summary>
    public static KernelPlan Plan(LayerModel layer, TensorLayout input, VectorIsa maxIsa)
    {
        var filters = layer.Output.Channels;
        if (PositionVectorizedConvolution.Applies(layer, maxIsa))
        {
            var vectors = PositionVectorizedConvolution.VectorsPerBlock(layer, maxIsa);
            return new KernelPlan("forward", maxIsa.Suffix, KernelScheme.PositionVectors, maxIsa.MaxWidth, vectors, filters);
        }

        var groups = ChunkGroups.Create(filters, maxIsa.MaxWidth, maxIsa.MaxGroupVectors);
        var isa = maxIsa.ForWidth(groups.Width);
        var maxRows = System.Math.Max(1, isa.Accumulators / groups.Group.Count);
        var taps = TotalTaps(Dimensions(layer, input));
        KernelPlan Blocks(KernelScheme scheme, int rows) =>
            new("forward", maxIsa.Suffix, scheme, groups.Width, rows, groups.Group.Count, isa.TapsPerStep(rows, groups.Group.Count, taps));

        if (layer.Output.Width * 2 <= maxRows && layer.Output.Height > 1)
        {
            // Short rows: a block spans several whole output rows, so that the registers fill.
            return Blocks(KernelScheme.MultiRowBlocks, VectorIsa.PickBlock(layer.Output.Height, maxRows / layer.Output.Width) * layer.Output.Width);
        }

        var block = isa.PickRows(layer.Output.Width, maxRows);
        var whole = block == layer.Output.Width && groups.Count == 1 && groups.LastOffset < 0 && layer.Output.Height <= 16 &&
            (long)taps * block * groups.Group.Count <= VectorIsa.WholeLayerBudget;
        return Blocks(whole ? KernelScheme.WholeRows : KernelScheme.ChannelVectors, block);
    }

    private static void EmitVector(VariantWriter variant, LayerModel layer, TensorLayout input, TensorLayout target, VectorIsa maxIsa)
    {
        var plan = Plan(layer, input, maxIsa);
        if (plan.Scheme == KernelScheme.PositionVectors)
        {
            PositionVectorizedConvolution.Emit(variant, layer, input, target, plan);
            return;
        }

        var writer = variant.Body;
        var filters = layer.Output.Channels;
        var groups = ChunkGroups.Create(filters, maxIsa.MaxWidth, maxIsa.MaxGroupVectors);
        var isa = maxIsa.ForWidth(groups.Width);
        var dimensions = Dimensions(layer, input);
        var xStep = layer.StrideWidth * layer.Input.Channels;
        var positions = layer.Output.Height * layer.Output.Width;

        string Kernel(string tag, IReadOnlyList<BlockRow> rows, IReadOnlyList<Chunk> group) => variant.Helper(HelperNames.WithVectors(tag, group), (helper, name) =>
        {
            var kernel = new BlockedKernel(rows, group, TapPlan.Create(dimensions, isa.TapsPerStep(rows.Count, group.Count, TotalTaps(dimensions))),
                layer.UseBias, ActivationPass.Fused(layer));
            kernel.EmitMethod(helper, name, layer.Name + ": " + kernel.Describe() + ".");
        });

        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float xn = ref " + FrameworkNames.Unsafe + ".Add(ref x, " + CompactLoops.Times("(nint)n", input.StoredSize) + ");");
            writer.Line("ref float yn = ref " + FrameworkNames.Unsafe + ".Add(ref y, " + CompactLoops.Times("(nint)n", target.StoredSize) + VectorOps.PlusConstant(target.InteriorOffset) + ");");
            if (plan.Scheme == KernelScheme.MultiRowBlocks)
            {
                var height = plan.Rows / layer.Output.Width;
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
                    writer.Comment("All " + positions + " output positions in one block.");
                    groups.EmitCalls(writer, group => Kernel(HelperNames.All, Rows(height), group), "xn", "w", "b", "yn");
                    return;
                }

                writer.Comment("Output rows " + height + " at a time.");
                using (writer.Open("for (int oh = 0; oh < " + wholeRows + "; oh += " + height + ")"))
                {
                    writer.Line("ref float xr = ref " + FrameworkNames.Unsafe + ".Add(ref xn, " + CompactLoops.Times("oh", layer.StrideHeight * input.RowStride) + ");");
                    writer.Line("ref float yr = ref " + FrameworkNames.Unsafe + ".Add(ref yn, " + CompactLoops.Times("oh", target.RowStride) + ");");
                    groups.EmitCalls(writer, group => Kernel(HelperNames.OutputRows(height, layer.Output.Width), Rows(height), group), "xr", "w", "b", "yr");
                }

                var restRows = layer.Output.Height - wholeRows;
                if (restRows > 0)
                {
                    writer.Line("ref float xt = ref " + FrameworkNames.Unsafe + ".Add(ref xn, " + wholeRows * layer.StrideHeight * input.RowStride + ");");
                    writer.Line("ref float yt = ref " + FrameworkNames.Unsafe + ".Add(ref yn, " + wholeRows * target.RowStride + ");");
                    groups.EmitCalls(writer, group => Kernel(HelperNames.OutputRows(restRows, layer.Output.Width), Rows(restRows), group), "xt", "w", "b", "yt");
                }

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
                    writer.Line(name + "(" + VectorOps.Ref("xn", oh * layer.StrideHeight * input.RowStride) + ", ref w, ref b, " + VectorOps.Ref("yn", oh * target.RowStride) + ");");
                }

                return;
            }

            var columns = RestColumns(layer, block);
            using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
            {
                writer.Line("ref float xr = ref " + FrameworkNames.Unsafe + ".Add(ref xn, " + CompactLoops.Times("oh", layer.StrideHeight * input.RowStride) + ");");
                writer.Line("ref float yr = ref " + FrameworkNames.Unsafe + ".Add(ref yn, " + CompactLoops.Times("oh", target.RowStride) + ");");
                var full = layer.Output.Width / block * block;
                if (full == block)
                {
                    groups.EmitCalls(writer, group => Kernel(HelperNames.Row(block), BlockedKernel.EvenRows(block, xStep, filters), group), "xr", "w", "b", "yr");
                }
                else if (full > 0)
                {
                    writer.Comment("Output columns 0.." + (full - 1) + " in blocks of " + block + ".");
                    using (writer.Open("for (int ow = 0; ow < " + full + "; ow += " + block + ")"))
                    {
                        writer.Line("ref float xb = ref " + FrameworkNames.Unsafe + ".Add(ref xr, " + CompactLoops.Times("ow", xStep) + ");");
                        writer.Line("ref float yb = ref " + FrameworkNames.Unsafe + ".Add(ref yr, " + CompactLoops.Times("ow", filters) + ");");
                        groups.EmitCalls(writer, group => Kernel(HelperNames.Row(block), BlockedKernel.EvenRows(block, xStep, filters), group), "xb", "w", "b", "yb");
                    }
                }

                var rest = layer.Output.Width - full;
                if (rest > 0 && columns is null)
                {
                    writer.Comment("Output columns " + full + ".." + (layer.Output.Width - 1) + ".");
                    writer.Line("ref float xt = ref " + FrameworkNames.Unsafe + ".Add(ref xr, " + full * xStep + ");");
                    writer.Line("ref float yt = ref " + FrameworkNames.Unsafe + ".Add(ref yr, " + full * filters + ");");
                    groups.EmitCalls(writer, group => Kernel(HelperNames.Row(rest), BlockedKernel.EvenRows(rest, xStep, filters), group), "xt", "w", "b", "yt");
                }
            }

            if (columns is { } tall)
            {
                EmitRestColumns(writer, layer, input, target, groups, block, tall, xStep, filters, Kernel);
            }
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
    private static void EmitRestColumns(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout target, ChunkGroups groups, int block, int tall,
        int xStep, int filters, System.Func<string, IReadOnlyList<BlockRow>, IReadOnlyList<Chunk>, string> kernel)
    {
        var full = layer.Output.Width / block * block;
        var rest = layer.Output.Width - full;
        List<BlockRow> Columns(int rows) => ColumnBlock(rows, full, rest, (layer.StrideHeight * input.RowStride, xStep), (target.RowStride, filters));

        var whole = layer.Output.Height / tall * tall;
        writer.Comment("Output columns " + full + ".." + (layer.Output.Width - 1) + ", " + tall + " rows at a time.");
        if (whole == tall)
        {
            groups.EmitCalls(writer, group => kernel(HelperNames.OutputRows(tall, rest), Columns(tall), group), "xn", "w", "b", "yn");
        }
        else
        {
            using var loop = writer.Open("for (int oh = 0; oh < " + whole + "; oh += " + tall + ")");
            writer.Line("ref float xr = ref " + FrameworkNames.Unsafe + ".Add(ref xn, " + CompactLoops.Times("oh", layer.StrideHeight * input.RowStride) + ");");
            writer.Line("ref float yr = ref " + FrameworkNames.Unsafe + ".Add(ref yn, " + CompactLoops.Times("oh", target.RowStride) + ");");
            groups.EmitCalls(writer, group => kernel(HelperNames.OutputRows(tall, rest), Columns(tall), group), "xr", "w", "b", "yr");
        }

        var left = layer.Output.Height - whole;
        if (left > 0)
        {
            writer.Line("ref float xt = ref " + FrameworkNames.Unsafe + ".Add(ref xn, " + whole * layer.StrideHeight * input.RowStride + ");");
            writer.Line("ref float yt = ref " + FrameworkNames.Unsafe + ".Add(ref yn, " + whole * target.RowStride + ");");
            groups.EmitCalls(writer, group => kernel(HelperNames.OutputRows(left, rest), Columns(left), group), "xt", "w", "b", "yt");
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
        var c = new CompactLoops.Loop("c", channels);
        var xStep = layer.StrideWidth * channels;
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
        {
            writer.Line("ref float xr = ref " + FrameworkNames.Unsafe + ".Add(ref x, (nint)n * " + input.StoredSize + " + oh * " + layer.StrideHeight * input.RowStride + ");");
            writer.Line("ref float yr = ref " + FrameworkNames.Unsafe + ".Add(ref y, (nint)n * " + target.StoredSize + VectorOps.PlusConstant(target.InteriorOffset) + " + oh * " + target.RowStride + ");");
            CompactLoops.Rows(writer, "ow", layer.Output.Width.ToString(System.Globalization.CultureInfo.InvariantCulture), ops.Rows, rows =>
            {
                writer.Line("ref float xp = ref " + FrameworkNames.Unsafe + ".Add(ref xr, " + CompactLoops.Times("ow", xStep) + ");");
                writer.Line("ref float yp = ref " + FrameworkNames.Unsafe + ".Add(ref yr, " + CompactLoops.Times("ow", filters) + ");");
                using (ops.OpenChannelLoop(writer, "f", filters))
                {
                    for (var r = 0; r < rows; r++)
                    {
                        writer.Line("var a" + r + " = " + (layer.UseBias ? ops.Load("b", "f") : ops.Zero) + ";");
                    }

                    using (CompactLoops.Open(writer, kh, kw, c))
                    {
                        var tap = CompactLoops.Sum((CompactLoops.Var(kh), layer.DilationHeight * input.RowStride), (CompactLoops.Var(kw), layer.DilationWidth * channels), (CompactLoops.Var(c), 1));
                        var weight = "(" + CompactLoops.Sum((CompactLoops.Var(kh), layer.KernelWidth * channels), (CompactLoops.Var(kw), channels), (CompactLoops.Var(c), 1)) + ") * " + filters + " + f";
                        writer.Line("var wv = " + ops.Load("w", weight) + ";");
                        for (var r = 0; r < rows; r++)
                        {
                            writer.Line("a" + r + " = " + ops.MultiplyAdd(ops.Broadcast("xp", CompactLoops.Plus(tap, r * xStep)), "wv", "a" + r) + ";");
                        }
                    }

                    for (var r = 0; r < rows; r++)
                    {
                        writer.Line(ops.Store(ops.Activate(ActivationPass.Fused(layer), "a" + r), "yp", CompactLoops.Plus("f", r * filters)));
                    }
                }
            });
        }
    }
}
