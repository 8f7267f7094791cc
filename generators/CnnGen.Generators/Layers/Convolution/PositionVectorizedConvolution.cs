using System.Collections.Generic;
using System.Linq;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// The forward kernel for convolutions with one input channel and fewer filters than a
/// vector has lanes (the first layer of a grey-image network, such as LeNet-5's 6 filters):
/// vectorised over output positions instead of the filters, whose vectors would be mostly
/// empty lanes. With one input channel, consecutive output positions read consecutive
/// inputs, so each tap is one vector load and one broadcast weight per filter. The filters'
/// vectors are then interleaved in registers into the channels-last layout, so the output is
/// stored with full vectors like any other layer. Written for every width: AVX-512 merges
/// with two-source permutes, the narrower widths with one-source shuffles and blends.
/// <para>
/// With several input channels (few filters on a multi-channel input: an autoencoder's or a
/// super-resolution network's last layer, LeNet-5's input gradient shape) each sample's window
/// is first copied into one plane per channel (K::LayoutKernels.ToPlanes), so consecutive
/// positions are consecutive floats again, and the kernel loops over the channels around its
/// taps. Blocked over the filters instead, such a layer filled a vector of 16 lanes with 6
/// filters (or 4 lanes with 2 vectors) and ran at a tenth of the FMA peak.
/// </para>
/// </summary>
internal static class PositionVectorizedConvolution
{
    private const string Avx512F = FrameworkNames.X86 + "Avx512F";

    /// <summary>The widest kernel row this kernel unrolls (each column is a line per filter and position vector).</summary>
    private const int MaxKernelWidth = 32;

    /// <summary>
    /// Unit horizontal stride, fewer filters than a vector, rows of at least a vector; one input
    /// channel, or several read from planes (see <see cref="UsesPlanes"/>), where the vector may be
    /// narrower than the width's own (see <see cref="KernelIsa"/>).
    /// </summary>
    public static bool Applies(LayerModel layer, VectorIsa isa)
    {
        if (layer.StrideWidth != 1 || layer.KernelWidth > MaxKernelWidth)
        {
            return false;
        }

        if (layer.Input.Channels == 1)
        {
            return layer.Output.Channels < isa.MaxWidth && layer.Output.Width >= isa.MaxWidth;
        }

        return UsesPlanes(layer) && Fits(layer, KernelIsa(layer, isa));
    }

    /// <summary>
    /// The vectors the kernel runs at a width: the width's own, except that a layer read from
    /// planes takes 256-bit vectors at 512 bits where a row of 16-position vectors would not
    /// fill 8 accumulators (3 filters on a 32-wide row: 2 vectors, 6 accumulators) or the row is
    /// shorter than one (14 positions), as the width's kernels of few channels take narrower ones.
    /// </summary>
    public static VectorIsa KernelIsa(LayerModel layer, VectorIsa isa) =>
        layer.Input.Channels > 1 && isa.MaxWidth > 8 && !Fits(layer, isa) ? isa.ForWidth(8) : isa;

    private static bool Fits(LayerModel layer, VectorIsa isa) =>
        layer.Output.Channels < isa.MaxWidth && layer.Output.Width >= isa.MaxWidth && FillsAccumulators(layer, isa);

    /// <summary>
    /// Whether a block from planes keeps at least 8 accumulators, enough to cover the FMA's
    /// latency (4 cycles at 2 a cycle): a row of 8 positions and 4 filters would keep 4 and wait
    /// on them, with the copy into planes on top; the filter-blocked kernel then stays.
    /// </summary>
    private static bool FillsAccumulators(LayerModel layer, VectorIsa isa) =>
        System.Math.Min(VectorStarts(layer, isa.MaxWidth).Count, isa.Accumulators / layer.Output.Channels) * layer.Output.Channels >= 8;

    /// <summary>
    /// Whether the kernel reads the input from planes: several input channels, no groups, fewer
    /// than 8 filters (8 fill a 256-bit vector, which the filter-blocked kernel then uses whole:
    /// a Conv1D of 8 filters on 128x4 took 1.25x its time from planes at 512 bits), a kernel of
    /// more than one tap (a 1x1 convolution would copy each input once for a few multiply-adds),
    /// and bands of at least <see cref="MinBandRows"/> output rows (or the whole output) whose
    /// planes fit <see cref="MaxPlaneFloats"/>.
    /// </summary>
    public static bool UsesPlanes(LayerModel layer) =>
        layer.Input.Channels > 1 && layer.Output.Channels < 8 && layer.Groups == 1 && layer.KernelHeight * layer.KernelWidth > 1 && layer.StrideWidth == 1 &&
        BandRows(layer) >= System.Math.Min(MinBandRows, layer.Output.Height);

    /// <summary>The planes live on the stack of the forward call: 64 KB.</summary>
    private const int MaxPlaneFloats = 16 * 1024;

    /// <summary>
    /// Fewer output rows per band would copy the rows that bands share (a kernel's height less
    /// the stride) too often: with 4 rows of a 3x3 kernel, a third of the copies are repeats.
    /// </summary>
    private const int MinBandRows = 4;

    /// <summary>
    /// Output rows per band of planes: all of them when the sample's window fits
    /// <see cref="MaxPlaneFloats"/>, else the most that fit (0 when not even one does). Each band
    /// copies the input rows its windows read, so large inputs go through the stack buffer a band
    /// at a time.
    /// </summary>
    public static int BandRows(LayerModel layer)
    {
        var perRow = (long)layer.Input.Channels * PlaneColumns(layer);
        for (var rows = layer.Output.Height; rows > 0; rows--)
        {
            if (perRow * InputRows(layer, rows) <= MaxPlaneFloats)
            {
                return rows;
            }
        }

        return 0;
    }

    /// <summary>Input rows that <paramref name="outputRows"/> output rows' windows read.</summary>
    public static int InputRows(LayerModel layer, int outputRows) =>
        (outputRows - 1) * layer.StrideHeight + (layer.KernelHeight - 1) * layer.DilationHeight + 1;

    /// <summary>Input rows a band's planes hold (its windows' rows).</summary>
    public static int PlaneRows(LayerModel layer) => InputRows(layer, BandRows(layer));

    /// <summary>Input columns the output's windows read (unit horizontal stride).</summary>
    public static int PlaneColumns(LayerModel layer) => layer.Output.Width + (layer.KernelWidth - 1) * layer.DilationWidth;

    /// <summary>Position vectors per block: as many as the accumulators hold for every filter, at most a row's.</summary>
    public static int VectorsPerBlock(LayerModel layer, VectorIsa isa)
    {
        var kernel = KernelIsa(layer, isa);
        return System.Math.Max(1, System.Math.Min(VectorStarts(layer, kernel.MaxWidth).Count, kernel.Accumulators / layer.Output.Channels));
    }

    public static void Emit(VariantWriter variant, LayerModel layer, TensorLayout input, TensorLayout target, KernelPlan plan)
    {
        var writer = variant.Body;
        var isa = KernelIsa(layer, variant.Isa);
        var filters = layer.Output.Channels;
        var starts = VectorStarts(layer, isa.MaxWidth);
        var vectors = plan.Rows;

        var interleave = variant.Helper(HelperNames.Interleave, (helper, name) => EmitInterleave(helper, name, layer, isa.Ops));
        string Kernel(IReadOnlyList<int> blockStarts) => variant.Helper(HelperNames.Positions(blockStarts), (helper, name) =>
            EmitKernel(helper, name, layer, input, blockStarts, interleave, isa));

        void Row(string x, string outputRow)
        {
            writer.Line("ref float xr = ref " + FrameworkNames.Unsafe + ".Add(ref " + x + ");");
            writer.Line("ref float yr = ref " + FrameworkNames.Unsafe + ".Add(ref y, (nint)n * " + target.StoredSize + VectorOps.PlusConstant(target.InteriorOffset) +
                " + " + outputRow + " * " + target.RowStride + ");");
            // Wide rows (long sequences) loop over their whole blocks: unrolled, the calls would grow with the row.
            var wholeBlocks = RegularVectors(starts, isa.MaxWidth) / vectors;
            var looped = wholeBlocks > MaxUnrolledBlocks ? wholeBlocks * vectors : 0;
            if (looped > 0)
            {
                var step = vectors * isa.MaxWidth;
                using (writer.Open("for (int p = 0; p < " + looped * isa.MaxWidth + "; p += " + step + ")"))
                {
                    writer.Line(Kernel(starts.Take(vectors).ToList()) + "(ref " + FrameworkNames.Unsafe + ".Add(ref xr, p), ref w, ref b, ref " + FrameworkNames.Unsafe +
                        ".Add(ref yr, " + CompactLoops.Times("p", filters) + "));");
                }
            }

            for (var first = looped; first < starts.Count; first += vectors)
            {
                var block = starts.Skip(first).Take(vectors).ToList();
                writer.Line(Kernel(block.Select(s => s - block[0]).ToList()) + "(" + VectorOps.Ref("xr", block[0]) + ", ref w, ref b, " +
                    VectorOps.Ref("yr", block[0] * filters) + ");");
            }
        }

        if (!UsesPlanes(layer))
        {
            using (writer.Open("for (int n = 0; n < batch; n++)"))
            using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
            {
                Row("x, (nint)n * " + input.StoredSize + " + oh * " + layer.StrideHeight * input.RowStride, "oh");
            }

            return;
        }

        var band = BandRows(layer);
        var columns = PlaneColumns(layer);
        var plane = PlaneRows(layer) * columns;
        var channels = layer.Input.Channels;
        writer.Comment(band == layer.Output.Height
            ? "Each sample's window in " + channels + " planes of " + PlaneRows(layer) + "x" + columns + " inputs, so that consecutive output positions read consecutive floats."
            : "Each band of " + band + " output rows reads its windows from " + channels + " planes of " + PlaneRows(layer) + "x" + columns +
              " inputs, so that consecutive output positions read consecutive floats.");
        StackBuffers.Declare(writer, "planes", "xp", channels * plane);

        void Band(string first, int rows)
        {
            var origin = first == "0" ? string.Empty : " + " + CompactLoops.Times(first, layer.StrideHeight * input.RowStride);
            writer.Line(FrameworkNames.Kernels + "LayoutKernels.ToPlanes(ref " + FrameworkNames.Unsafe + ".Add(ref x, (nint)n * " + input.StoredSize + origin + "), ref xp, " +
                InputRows(layer, rows) + ", " + columns + ", " + channels + ", " + input.RowStride + ", " + plane + ");");
            using (writer.Open("for (int oh = 0; oh < " + rows + "; oh++)"))
            {
                Row("xp, " + CompactLoops.Times("oh", layer.StrideHeight * columns), first == "0" ? "oh" : "(" + first + " + oh)");
            }
        }

        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            EmitBands(writer, layer, band, Band);
        }
    }

    /// <summary>
    /// The bands of <paramref name="band"/> output rows: the one whole band, or a loop over the
    /// whole ones (<c>oh0</c>), then a shorter last one (<c>last</c>), each in its own scope;
    /// <paramref name="emit"/> writes a band from its first row (an expression) and its rows.
    /// </summary>
    public static void EmitBands(SourceWriter writer, LayerModel layer, int band, System.Action<string, int> emit)
    {
        var height = layer.Output.Height;
        var whole = height / band * band;
        if (whole == band)
        {
            using (whole < height ? writer.Scope() : (System.IDisposable?)null)
            {
                emit("0", band);
            }
        }
        else
        {
            using (writer.Open("for (int oh0 = 0; oh0 < " + whole + "; oh0 += " + band + ")"))
            {
                emit("oh0", band);
            }
        }

        if (whole < height)
        {
            using (writer.Scope())
            {
                writer.Line("const int last = " + whole + ";");
                emit("last", height - whole);
            }
        }
    }

    /// <summary>Blocks of a row written out as calls; a row with more whole blocks loops over them.</summary>
    private const int MaxUnrolledBlocks = 2;

    /// <summary>Position vectors a row unrolls at most in the kernel gradient; a longer row loops over its whole vectors.</summary>
    public const int MaxUnrolledVectors = 16;

    /// <summary>The vectors of <see cref="VectorStarts"/> at v * lanes (all but a last one moved back).</summary>
    public static int RegularVectors(IReadOnlyList<int> starts, int lanes)
    {
        var count = 0;
        while (count < starts.Count && starts[count] == count * lanes)
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// Where each vector of <paramref name="lanes"/> output positions starts in an output row:
    /// every vector, the last one moved back to end at the row's end (overlapping the one before).
    /// </summary>
    public static List<int> VectorStarts(LayerModel layer, int lanes)
    {
        var starts = new List<int>();
        for (var v = 0; v < (layer.Output.Width + lanes - 1) / lanes; v++)
        {
            starts.Add(System.Math.Min(v * lanes, layer.Output.Width - lanes));
        }

        return starts;
    }

    /// <summary>A block of position vectors starting at <paramref name="starts"/> (relative to the block) in one output row.</summary>
    private static void EmitKernel(SourceWriter writer, string name, LayerModel layer, TensorLayout input, IReadOnlyList<int> starts, string interleave,
        VectorIsa isa)
    {
        var ops = isa.Ops;
        var lanes = ops.Width;
        var filters = layer.Output.Channels;
        writer.Comment(layer.Name + ": " + starts.Count + " x " + lanes + " output positions x " + filters + " filters in registers; each tap loads " + starts.Count * lanes +
            " inputs and broadcasts one weight per filter" + (UsesPlanes(layer) ? ", for each of the " + layer.Input.Channels + " input planes." : "."));
        writer.Line(FrameworkNames.AggressiveOptimization);
        using (writer.Open("private static void " + name + "(ref float x, ref float w, ref float b, ref float y)"))
        {
            for (var f = 0; f < filters; f++)
            {
                var start = layer.UseBias ? ops.Broadcast("b", f) : ops.Zero;
                writer.Line(ops.Type + " " + string.Join(", ", Enumerable.Range(0, starts.Count).Select(v => Accumulator(v, f) + " = " + start)) + ";");
            }

            // With several position vectors, a tap loads them all and broadcasts each weight once for all
            // of them: written the other way round, the JIT keeps every broadcast for the next vector and,
            // with 16 registers, spills them. The inputs and the broadcast must fit beside the accumulators.
            var inputsFirst = starts.Count > 1 && starts.Count * (filters + 1) + 1 <= isa.Registers;
            writer.Line(ops.Type + " " + (inputsFirst ? string.Join(", ", Enumerable.Range(0, starts.Count).Select(v => "t" + v)) + ", s" : "t") + ";");
            var taps = layer.KernelHeight * layer.KernelWidth;
            var loopRows = (long)taps * starts.Count * filters > VectorIsa.WholeLayerBudget;
            var x = "x";
            var w = "w";
            // From planes: the input rows are the window's columns long, and each tap's weights
            // hold every channel's filters (w[kh, kw, c, f]); a loop over the channels is outermost.
            var planes = UsesPlanes(layer);
            var rowStride = planes ? PlaneColumns(layer) : input.RowStride;
            var tapFloats = layer.Input.Channels * filters;
            var channelLoop = (System.IDisposable?)null;
            if (planes)
            {
                channelLoop = writer.Open("for (int c = 0; c < " + layer.Input.Channels + "; c++)");
                writer.Line("ref float xc = ref " + FrameworkNames.Unsafe + ".Add(ref x, " + CompactLoops.Times("c", PlaneRows(layer) * rowStride) + ");");
                writer.Line("ref float wc = ref " + FrameworkNames.Unsafe + ".Add(ref w, " + CompactLoops.Times("c", filters) + ");");
                x = "xc";
                w = "wc";
            }

            var closer = (System.IDisposable?)null;
            if (loopRows && layer.KernelHeight > 1)
            {
                closer = writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)");
                writer.Line("ref float xkh = ref " + FrameworkNames.Unsafe + ".Add(ref " + x + ", " + CompactLoops.Times("kh", layer.DilationHeight * rowStride) + ");");
                writer.Line("ref float wkh = ref " + FrameworkNames.Unsafe + ".Add(ref " + w + ", " + CompactLoops.Times("kh", layer.KernelWidth * tapFloats) + ");");
                x = "xkh";
                w = "wkh";
            }

            for (var kh = 0; kh < (closer is null ? layer.KernelHeight : 1); kh++)
            {
                for (var kw = 0; kw < layer.KernelWidth; kw++)
                {
                    var tapInput = kh * layer.DilationHeight * rowStride + kw * layer.DilationWidth;
                    var tapWeight = (kh * layer.KernelWidth + kw) * tapFloats;
                    if (inputsFirst)
                    {
                        for (var v = 0; v < starts.Count; v++)
                        {
                            writer.Line("t" + v + " = " + ops.Load(x, tapInput + starts[v]) + ";");
                        }

                        for (var f = 0; f < filters; f++)
                        {
                            writer.Line("s = " + ops.Broadcast(w, tapWeight + f) + ";");
                            for (var v = 0; v < starts.Count; v++)
                            {
                                writer.Line(Accumulator(v, f) + " = " + ops.MultiplyAdd("t" + v, "s", Accumulator(v, f)) + ";");
                            }
                        }

                        continue;
                    }

                    for (var v = 0; v < starts.Count; v++)
                    {
                        writer.Line("t = " + ops.Load(x, tapInput + starts[v]) + ";");
                        for (var f = 0; f < filters; f++)
                        {
                            writer.Line(Accumulator(v, f) + " = " + ops.MultiplyAdd("t", ops.Broadcast(w, tapWeight + f), Accumulator(v, f)) + ";");
                        }
                    }
                }
            }

            closer?.Dispose();
            channelLoop?.Dispose();
            for (var v = 0; v < starts.Count; v++)
            {
                EmitActivation(writer, layer, v, ops);
                writer.Line(interleave + "(" + VectorOps.Ref("y", starts[v] * filters) + ", " +
                    string.Join(", ", Enumerable.Range(0, filters).Select(f => Accumulator(v, f))) + ");");
            }
        }
    }

    private static void EmitActivation(SourceWriter writer, LayerModel layer, int v, VectorOps ops)
    {
        var activation = ActivationPass.Fused(layer);
        for (var f = 0; f < layer.Output.Channels; f++)
        {
            var folded = FusedActivation.FoldedChannels(layer);
            if (folded > 0)
            {
                writer.Line(Accumulator(v, f) + " = " + FusedActivation.NormalizedBroadcast(Accumulator(v, f), ops, folded, f) + ";");
            }

            if (activation != ActivationKind.Linear)
            {
                writer.Line(Accumulator(v, f) + " = " + FusedActivation.Text(activation, Accumulator(v, f), ops) + ";");
            }
        }
    }

    /// <summary>
    /// A helper that stores W positions x F filters, one vector per filter, as F vectors of
    /// the channels-last layout (position-major): output lane j of vector k is filter
    /// (Wk + j) % F of position (Wk + j) / F.
    /// </summary>
    private static void EmitInterleave(SourceWriter writer, string name, LayerModel layer, VectorOps ops)
    {
        var filters = layer.Output.Channels;
        var lanes = ops.Width;
        writer.Comment(layer.Name + ": " + lanes + " positions x " + filters + " filters, one vector per filter (f0.." + Filter(filters - 1) +
            "), stored channels-last: lane j of vector k holds filter (" + lanes + "k + j) % " + filters + " of position (" + lanes + "k + j) / " + filters + ".");
        writer.Line(FrameworkNames.AggressiveInlining);
        var parameters = string.Join(", ", Enumerable.Range(0, filters).Select(f => ops.Type + " " + Filter(f)));
        using (writer.Open("private static void " + name + "(ref float y, " + parameters + ")"))
        {
            if (PairedLaneTranspose.Applies(ops, filters))
            {
                PairedLaneTranspose.EmitInterleave(writer, ops, filters, Filter);
                return;
            }

            writer.Line(ops.Type + " v;");
            for (var k = 0; k < filters; k++)
            {
                EmitGather(writer, ops, Enumerable.Range(k * lanes, lanes).Select(index => (index % filters, index / filters)).ToList(), Filter);
                writer.Line(ops.Store("v", "y", k * lanes));
            }
        }
    }

    /// <summary>
    /// <c>v = </c> the vector whose lane j is lane <c>lanes[j].Lane</c> of source
    /// <c>lanes[j].Source</c>. With AVX-512 the sources merge one two-source permute at a
    /// time: lanes already placed keep their place (index j), lanes of the next source come
    /// from the second operand (16 + its lane). Narrower widths shuffle each source into place
    /// and blend it in under a constant mask.
    /// </summary>
    public static void EmitGather(SourceWriter writer, VectorOps ops, IReadOnlyList<(int Source, int Lane)> lanes, System.Func<int, string> source)
    {
        var width = ops.Width;
        var order = lanes.Select(s => s.Source).Distinct().ToList();
        if (width != 16)
        {
            writer.Line("v = " + ops.Shuffle(source(order[0]), lanes.Select(s => s.Source == order[0] ? s.Lane : 0)) + ";");
            for (var s = 1; s < order.Count; s++)
            {
                var next = order[s];
                writer.Line("v = " + ops.Select(lanes.Select(l => l.Source == next), ops.Shuffle(source(next), lanes.Select(l => l.Source == next ? l.Lane : 0)), "v") + ";");
            }

            return;
        }

        if (order.Count == 1)
        {
            writer.Line("v = " + Avx512F + ".PermuteVar16x32(" + source(order[0]) + ", " + Indices(lanes.Select(s => s.Lane)) + ");");
            return;
        }

        var first = lanes.Select(s => s.Source == order[0] ? s.Lane : s.Source == order[1] ? width + s.Lane : 0);
        writer.Line("v = " + Avx512F + ".PermuteVar16x32x2(" + source(order[0]) + ", " + Indices(first) + ", " + source(order[1]) + ");");
        for (var s = 2; s < order.Count; s++)
        {
            var next = order[s];
            var step = Enumerable.Range(0, width).Select(j => lanes[j].Source == next ? width + lanes[j].Lane : j);
            writer.Line("v = " + Avx512F + ".PermuteVar16x32x2(v, " + Indices(step) + ", " + source(next) + ");");
        }
    }

    private static string Indices(IEnumerable<int> lanes) => VectorOps.V512.ClassName + ".Create(" + string.Join(", ", lanes) + ")";

    private static string Accumulator(int vector, int filter) => "a" + vector + "_" + filter;

    private static string Filter(int filter) => "f" + filter;
}
