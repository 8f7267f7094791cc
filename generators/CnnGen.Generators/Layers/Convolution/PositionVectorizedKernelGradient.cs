using System.Linq;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// The kernel gradient of the convolutions <see cref="PositionVectorizedConvolution"/> runs
/// forward (one input channel, or several read from planes, few filters): vectorised over output
/// positions, as the forward pass is, instead of over the filters, whose vectors would be mostly
/// empty lanes (3 filters at 512 bits were summed one float at a time). With planes, each
/// sample's window (or band) is copied as the forward copies it and every input channel's plane
/// runs the one-channel taps into its own partial sums. One
/// sample at a time, dz is turned planar (one vector of positions per filter, overlapping
/// positions zeroed) into the backward scratch, where it stays in the L1 cache for every kernel
/// row that reads it; dL/d(kernel)[kh, kw, f] is, for each tap, the lanes of
/// input[position + tap] * dz[position, f], added into one vector of partial sums per tap and
/// filter kept next to it (so the planar rows of the whole batch are never streamed from memory
/// once per kernel row), and the lanes summed once at the end.
/// </summary>
internal static class PositionVectorizedKernelGradient
{
    /// <summary>
    /// A convolution of the forward's case at this width (one input channel, or several read
    /// from planes), with a kernel row that fits the accumulators for one filter.
    /// </summary>
    public static bool Applies(LayerModel layer, VectorIsa isa) =>
        layer.IsConvolution && PositionVectorizedConvolution.Applies(layer, isa) &&
        layer.KernelWidth <= MaxKernelWidth(PositionVectorizedConvolution.KernelIsa(layer, isa)) &&
        (long)layer.Input.Channels * layer.KernelHeight * layer.KernelWidth * layer.Output.Channels <= MaxTaps;

    /// <summary>Input channels x kernel taps x filters whose partial-sum vectors the scratch holds (a tall kernel, or one of many channels, takes the general path).</summary>
    private const int MaxTaps = 4096;

    /// <summary>True when some width runs this kernel (and so needs its scratch and argument).</summary>
    public static bool AppliesAtAnyWidth(LayerModel layer) => VectorIsa.All.Any(isa => Applies(layer, isa));

    /// <summary>
    /// Scratch floats, independent of the batch: the partial sums (a vector per kernel tap
    /// and filter) and one sample's planar dz (rows x position vectors x filters x lanes), for
    /// the width that needs most.
    /// </summary>
    public static int ScratchFloats(LayerModel layer) => VectorIsa.All.Where(isa => Applies(layer, isa))
        .Select(isa => PositionVectorizedConvolution.KernelIsa(layer, isa).MaxWidth)
        .Select(lanes => PartialSumFloats(layer, lanes) + PlanarFloats(layer, lanes))
        .DefaultIfEmpty(0).Max();

    /// <summary>A vector per (input channel, kernel tap, filter).</summary>
    private static int PartialSumFloats(LayerModel layer, int lanes) => layer.Input.Channels * layer.KernelHeight * layer.KernelWidth * layer.Output.Channels * lanes;

    private static int PlanarFloats(LayerModel layer, int lanes) =>
        layer.Output.Height * PositionVectorizedConvolution.VectorStarts(layer, lanes).Count * layer.Output.Channels * lanes;

    /// <summary>
    /// Accumulators of one kernel row (filters x kernel columns): 18 of AVX-512's 32 registers;
    /// with 16 registers, what the columns' inputs and one dz vector leave.
    /// </summary>
    private static int AccumulatorBudget(VectorIsa isa, int kernelWidth) => isa == VectorIsa.V512 ? 18 : isa.Registers - kernelWidth - 2;

    /// <summary>The widest kernel row whose accumulators for one filter fit.</summary>
    private static int MaxKernelWidth(VectorIsa isa) => isa == VectorIsa.V512 ? 12 : (isa.Registers - 2) / 2;

    /// <summary>Filters in groups whose accumulators (group x kernel columns) fit the registers, the groups balanced.</summary>
    public static int FiltersPerGroup(LayerModel layer, VectorIsa isa)
    {
        isa = PositionVectorizedConvolution.KernelIsa(layer, isa);
        var filters = layer.Output.Channels;
        var perGroup = System.Math.Max(1, System.Math.Min(filters, AccumulatorBudget(isa, layer.KernelWidth) / layer.KernelWidth));
        var groups = (filters + perGroup - 1) / perGroup;
        return (filters + groups - 1) / groups;
    }

    public static void Emit(VariantWriter variant, LayerModel layer, TensorLayout input, TensorLayout output)
    {
        var isa = PositionVectorizedConvolution.KernelIsa(layer, variant.Isa);
        var ops = isa.Ops;
        var lanes = ops.Width;
        var writer = variant.Body;
        var filters = layer.Output.Channels;
        var channels = layer.Input.Channels;
        var kernelWidth = layer.KernelWidth;
        var starts = PositionVectorizedConvolution.VectorStarts(layer, lanes);
        var rowFloats = starts.Count * filters * lanes;
        var partialFloats = PartialSumFloats(layer, lanes);
        var tapFloats = kernelWidth * filters * lanes;
        var planes = PositionVectorizedConvolution.UsesPlanes(layer);

        writer.Comment("Partial sums: a vector per (" + (planes ? "input channel, " : string.Empty) + "kernel row, filter, kernel column), then one sample's planar dz.");
        writer.Line("ref float partial = ref scratch;");
        writer.Line("ref float planar = ref " + FrameworkNames.Unsafe + ".Add(ref scratch, " + partialFloats + ");");
        writer.Line("global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref partial, " + partialFloats + ").Clear();");
        var band = planes ? PositionVectorizedConvolution.BandRows(layer) : layer.Output.Height;
        var columns = PositionVectorizedConvolution.PlaneColumns(layer);
        var plane = PositionVectorizedConvolution.PlaneRows(layer) * columns;
        if (planes)
        {
            writer.Comment("The input as the forward pass reads it: " + channels + " planes of " + PositionVectorizedConvolution.PlaneRows(layer) + "x" + columns +
                (band < layer.Output.Height ? ", a band of " + band + " output rows at a time." : "."));
            StackBuffers.Declare(writer, "planes", "xp", channels * plane);
        }

        var planarHelper = variant.Helper(HelperNames.Planar, (helper, helperName) => EmitPlanar(helper, helperName, layer, isa));
        var perGroup = FiltersPerGroup(layer, isa);

        // One band of output rows (all of them without planes): for each input channel and kernel row, every filter group's taps.
        void Taps(string firstRow, int rows)
        {
            var rowStride = planes ? columns : input.RowStride;
            if (planes)
            {
                var origin = firstRow == "0" ? string.Empty : " + " + CompactLoops.Times(firstRow, layer.StrideHeight * input.RowStride);
                writer.Line(FrameworkNames.Kernels + "LayoutKernels.ToPlanes(ref " + FrameworkNames.Unsafe + ".Add(ref x, (nint)n * " + input.StoredSize + origin + "), ref xp, " +
                    PositionVectorizedConvolution.InputRows(layer, rows) + ", " + columns + ", " + channels + ", " + input.RowStride + ", " + plane + ");");
                writer.Line("ref float sb = ref " + FrameworkNames.Unsafe + ".Add(ref planar, " + (firstRow == "0" ? "0" : CompactLoops.Times(firstRow, rowFloats)) + ");");
            }

            using (planes ? writer.Open("for (int c = 0; c < " + channels + "; c++)") : (System.IDisposable?)null)
            using (writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)"))
            {
                writer.Line(planes
                    ? "ref float xk = ref " + FrameworkNames.Unsafe + ".Add(ref xp, " + CompactLoops.Times("c", plane) + " + " + CompactLoops.Times("kh", layer.DilationHeight * rowStride) + ");"
                    : "ref float xk = ref " + FrameworkNames.Unsafe + ".Add(ref x, (nint)n * " + input.StoredSize + " + kh * " + layer.DilationHeight * input.RowStride + ");");
                writer.Line("ref float pk = ref " + FrameworkNames.Unsafe + ".Add(ref partial, " +
                    (planes ? "(" + CompactLoops.Sum(("c", layer.KernelHeight), ("kh", 1)) + ") * " + tapFloats : CompactLoops.Times("kh", tapFloats)) + ");");
                for (var first = 0; first < filters; first += perGroup)
                {
                    var count = System.Math.Min(perGroup, filters - first);
                    var tag = rows == layer.Output.Height ? HelperNames.TapsOf(count) : HelperNames.TapsOf(count) + "_" + HelperNames.OutputRows(rows, layer.Output.Width);
                    var name = variant.Helper(tag, (helper, helperName) => EmitTaps(helper, helperName, layer, rows, rowStride, count, ops));
                    writer.Line(name + "(ref xk, " + VectorOps.Ref(planes ? "sb" : "planar", first * lanes) + ", " + VectorOps.Ref("pk", first * kernelWidth * lanes) + ");");
                }
            }
        }

        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Comment("dz planar: for each output row, " + starts.Count + " vector(s) of " + lanes + " positions per filter, positions counted twice zeroed.");
            using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
            {
                writer.Line("ref float dr = ref " + FrameworkNames.Unsafe + ".Add(ref d, (nint)n * " + output.StoredSize + VectorOps.PlusConstant(output.InteriorOffset) + " + oh * " + output.RowStride + ");");
                writer.Line("ref float sr = ref " + FrameworkNames.Unsafe + ".Add(ref planar, " + CompactLoops.Times("oh", rowFloats) + ");");
                var looped = starts.Count > PositionVectorizedConvolution.MaxUnrolledVectors ? PositionVectorizedConvolution.RegularVectors(starts, lanes) : 0;
                if (looped > 0)
                {
                    using (writer.Open("for (int v = 0; v < " + looped + "; v++)"))
                    {
                        writer.Line(planarHelper + "(ref " + FrameworkNames.Unsafe + ".Add(ref dr, " + CompactLoops.Times("v", lanes * filters) + "), ref " + FrameworkNames.Unsafe +
                            ".Add(ref sr, " + CompactLoops.Times("v", filters * lanes) + "), " + ops.AllBitsSet + ");");
                    }
                }

                for (var v = looped; v < starts.Count; v++)
                {
                    var counted = v == 0 ? 0 : starts[v - 1] + lanes - starts[v];
                    var keep = counted > 0 ? ops.Mask(Enumerable.Range(0, lanes).Select(j => j >= counted)) : ops.AllBitsSet;
                    writer.Line(planarHelper + "(" + VectorOps.Ref("dr", starts[v] * filters) + ", " + VectorOps.Ref("sr", v * filters * lanes) + ", " + keep + ");");
                }
            }

            PositionVectorizedConvolution.EmitBands(writer, layer, band, Taps);
        }

        writer.Comment("The lanes of each partial sum: dL/d(kernel)[kh, kw, " + (planes ? "c, " : string.Empty) + "f].");
        using (planes ? writer.Open("for (int c = 0; c < " + channels + "; c++)") : (System.IDisposable?)null)
        using (writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)"))
        {
            writer.Line("ref float pk = ref " + FrameworkNames.Unsafe + ".Add(ref partial, " +
                (planes ? "(" + CompactLoops.Sum(("c", layer.KernelHeight), ("kh", 1)) + ") * " + tapFloats : CompactLoops.Times("kh", tapFloats)) + ");");
            writer.Line("ref float wk = ref " + FrameworkNames.Unsafe + ".Add(ref dw, " +
                (planes ? CompactLoops.Times("kh", kernelWidth * channels * filters) + " + " + CompactLoops.Times("c", filters) : CompactLoops.Times("kh", kernelWidth * filters)) + ");");
            for (var f = 0; f < filters; f++)
            {
                for (var kw = 0; kw < kernelWidth; kw++)
                {
                    writer.Line(VectorOps.Element("wk", kw * channels * filters + f) + " = " + ops.Sum(ops.Load("pk", (f * kernelWidth + kw) * lanes)) + ";");
                }
            }
        }
    }

    /// <summary>
    /// W positions x F channels of dz (channels-last, contiguous) as F vectors of W positions,
    /// one per filter, stored one after the other, with the lanes of <c>keep</c> (positions the
    /// previous vector already holds are zero in it).
    /// </summary>
    private static void EmitPlanar(SourceWriter writer, string name, LayerModel layer, VectorIsa isa)
    {
        var ops = isa.Ops;
        var filters = layer.Output.Channels;
        var lanes = ops.Width;
        writer.Comment(layer.Name + ": " + lanes + " positions x " + filters + " filters of dz as one vector per filter; lanes not in keep are zeroed.");
        // Inlined into the row loop, the JIT hoists every shuffle index and blend mask out of it: with 16
        // registers most of them spill, so there the helper stays a call and loads its constants where used.
        writer.Line(isa.Registers > 16 ? FrameworkNames.AggressiveInlining : FrameworkNames.AggressiveOptimization);
        using (writer.Open("private static void " + name + "(ref float d, ref float s, " + ops.Type + " keep)"))
        {
            if (PairedLaneTranspose.Applies(ops, filters))
            {
                PairedLaneTranspose.EmitPlanar(writer, ops, filters);
                return;
            }

            for (var k = 0; k < filters; k++)
            {
                writer.Line("var d" + k + " = " + ops.Load("d", k * lanes) + ";");
            }

            writer.Line(ops.Type + " v;");
            for (var f = 0; f < filters; f++)
            {
                // Lane j of filter f's vector is element j * F + f of the W x F block.
                PositionVectorizedConvolution.EmitGather(writer, ops,
                    Enumerable.Range(0, lanes).Select(j => ((j * filters + f) / lanes, (j * filters + f) % lanes)).ToList(), k => "d" + k);
                writer.Line(ops.Store("v & keep", "s", f * lanes));
            }
        }
    }

    /// <summary>
    /// One kernel row of <paramref name="count"/> filters for one sample: accumulators per
    /// (filter, kernel column), loaded from the partial sums, summed over the rows and position
    /// vectors, and stored back.
    /// </summary>
    private static void EmitTaps(SourceWriter writer, string name, LayerModel layer, int rows, int rowStride, int count, VectorOps ops)
    {
        var filters = layer.Output.Channels;
        var lanes = ops.Width;
        var starts = PositionVectorizedConvolution.VectorStarts(layer, lanes);
        var kernelWidth = layer.KernelWidth;
        writer.Comment(layer.Name + ": one kernel row of " + count + " filter(s) x " + kernelWidth + " column(s) for one sample, " + lanes +
            " positions per lane vector, summed over oh and the row's position vectors into the partial sums.");
        writer.Line(FrameworkNames.AggressiveOptimization);
        using (writer.Open("private static void " + name + "(ref float x, ref float s, ref float partial)"))
        {
            for (var f = 0; f < count; f++)
            {
                for (var kw = 0; kw < kernelWidth; kw++)
                {
                    writer.Line("var " + Accumulator(f, kw) + " = " + ops.Load("partial", (f * kernelWidth + kw) * lanes) + ";");
                }
            }

            using (writer.Open("for (int oh = 0; oh < " + rows + "; oh++)"))
            {
                writer.Line("ref float xr = ref " + FrameworkNames.Unsafe + ".Add(ref x, " + CompactLoops.Times("oh", layer.StrideHeight * rowStride) + ");");
                writer.Line("ref float sr = ref " + FrameworkNames.Unsafe + ".Add(ref s, " + CompactLoops.Times("oh", starts.Count * filters * lanes) + ");");
                // A long row loops over its whole vectors (each iteration declares its own locals); the rest are unrolled.
                var looped = starts.Count > PositionVectorizedConvolution.MaxUnrolledVectors ? PositionVectorizedConvolution.RegularVectors(starts, lanes) : 0;
                if (looped > 0)
                {
                    using (writer.Open("for (int v = 0; v < " + looped + "; v++)"))
                    {
                        writer.Line("ref float xv = ref " + FrameworkNames.Unsafe + ".Add(ref xr, " + CompactLoops.Times("v", lanes) + ");");
                        writer.Line("ref float sv = ref " + FrameworkNames.Unsafe + ".Add(ref sr, " + CompactLoops.Times("v", filters * lanes) + ");");
                        EmitVector("xv", 0, "sv", 0, declare: true);
                    }
                }

                using (looped > 0 && looped < starts.Count ? writer.Scope() : (System.IDisposable?)null)
                {
                    for (var v = looped; v < starts.Count; v++)
                    {
                        EmitVector("xr", starts[v], "sr", v * filters * lanes, declare: v == looped);
                    }
                }

                void EmitVector(string xBase, int xOffset, string sBase, int sOffset, bool declare)
                {
                    for (var kw = 0; kw < kernelWidth; kw++)
                    {
                        writer.Line((declare ? "var " : string.Empty) + "x" + kw + " = " + ops.Load(xBase, xOffset + kw * layer.DilationWidth) + ";");
                    }

                    for (var f = 0; f < count; f++)
                    {
                        writer.Line((declare && f == 0 ? "var " : string.Empty) + "d = " + ops.Load(sBase, sOffset + f * lanes) + ";");
                        for (var kw = 0; kw < kernelWidth; kw++)
                        {
                            writer.Line(Accumulator(f, kw) + " = " + ops.MultiplyAdd("x" + kw, "d", Accumulator(f, kw)) + ";");
                        }
                    }
                }
            }

            for (var f = 0; f < count; f++)
            {
                for (var kw = 0; kw < kernelWidth; kw++)
                {
                    writer.Line(ops.Store(Accumulator(f, kw), "partial", (f * kernelWidth + kw) * lanes));
                }
            }
        }
    }

    private static string Accumulator(int filter, int column) => "a" + filter + "_" + column;
}
