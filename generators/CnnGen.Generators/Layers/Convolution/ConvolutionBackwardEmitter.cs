using System.Collections.Generic;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// Backward code of Conv1D and Conv2D, from dL/d(pre-activation) dz:
/// the bias gradient (sum of dz), the kernel gradient (for each tap and block of input
/// channels, dz vectors times broadcast inputs summed over samples and positions) and the
/// input gradient (the forward kernel with roles swapped: dz broadcast, the kernel transposed
/// so that input channels are contiguous, added into the framed input gradient).
/// </summary>
internal static class ConvolutionBackwardEmitter
{
    public static void Emit(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout output, DataFormat format, bool inputGradient)
    {
        var describe = LayerDescriber.Describe(layer, format);
        if (layer.UseBias)
        {
            EmitBiasGradientMethod(writer, layer, input, output, describe);
        }

        EmitKernelGradientMethod(writer, layer, input, output, describe);
        if (inputGradient)
        {
            EmitInputGradientMethods(writer, layer, input, output, describe);
        }
    }

    /// <summary>BiasGradient(d, db, batch): the sum of dz over samples and positions.</summary>
    public static void EmitBiasGradientMethod(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout output, string describe) =>
        KernelVariants.Emit(writer, layer.AccessorName + "BiasGradient", "ref float d, ref float db, int batch", "ref d, ref db, batch",
            describe + "\ndL/d(bias) = the sum of dz over samples and positions.",
            (variant, isa) => EmitBiasGradient(variant, layer.Output.Channels, output, isa, SumLoops(layer, input, output, withX: false)),
            body => EmitCompactBiasGradient(body, CompactOps.Scalar, layer.Output.Channels, output, SumLoops(layer, input, output, withX: false)));

    /// <summary>KernelGradient(x, d, dw[, scratch], batch): dL/d(kernel), added into dw.</summary>
    public static void EmitKernelGradientMethod(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout output, string describe)
    {
        var positions = PositionVectorizedKernelGradient.AppliesAtAnyWidth(layer);
        KernelVariants.Emit(writer, layer.AccessorName + "KernelGradient",
            "ref float x, ref float d, ref float dw" + (positions ? ", ref float scratch" : string.Empty) + ", int batch",
            "ref x, ref d, ref dw" + (positions ? ", ref scratch" : string.Empty) + ", batch",
            describe + "\ndL/d(kernel)[kh, kw, c, f] = the sum over samples and positions of input[position + tap, c] * dz[position, f].",
            (variant, isa) =>
            {
                if (KernelGradientPlan(layer, input, output, isa).Scheme == KernelScheme.PositionVectors)
                {
                    PositionVectorizedKernelGradient.Emit(variant, layer, input, output);
                }
                else
                {
                    EmitKernelGradient(variant, layer, input, output, isa);
                }
            },
            body => EmitCompactKernelGradient(body, CompactOps.Scalar, layer, input, output));
    }

    /// <summary>TransposeKernel(w, wt) and InputGradient(d, [w, ]wt, dx[, padded], batch): dL/d(input), added into a zeroed dx.</summary>
    public static void EmitInputGradientMethods(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout output, string describe)
    {
        EmitTranspose(writer, layer);
        var padded = UsesPaddedGradient(layer);
        var paddedParameter = padded ? ", ref float padded" : string.Empty;
        var paddedArgument = padded ? ", ref padded" : string.Empty;
        if (InputGradientTakesKernel(layer))
        {
            // Both kernels: each width takes dot products over the filters of w (a first layer's
            // scattered, or gathered per input position) or the channel vectors over wt.
            KernelVariants.Emit(writer, layer.AccessorName + "InputGradient",
                "ref float d, ref float w, ref float wt, ref float dx" + paddedParameter + ", int batch", "ref d, ref w, ref wt, ref dx" + paddedArgument + ", batch",
                describe + "\ndL/d(input)[position + tap, c] += the sum over f of dz[position, f] * kernel[tap, c, f], added into dx (with the input's frame).",
                (variant, isa) =>
                {
                    if (FewChannelInputGradient.Runs(layer, isa))
                    {
                        FewChannelInputGradient.EmitVector(variant, layer, input, output, isa);
                    }
                    else if (GatheredDotInputGradient.Runs(layer, isa))
                    {
                        GatheredDotInputGradient.EmitVector(variant, layer, input, output, isa);
                    }
                    else
                    {
                        EmitInputGradient(variant, layer, input, output, isa);
                    }
                },
                body =>
                {
                    if (FewChannelInputGradient.Applies(layer))
                    {
                        FewChannelInputGradient.EmitScalar(body, layer, input, output);
                    }
                    else
                    {
                        EmitCompactInputGradient(body, CompactOps.Scalar, layer, input, output);
                    }
                });
            return;
        }

        KernelVariants.Emit(writer, layer.AccessorName + "InputGradient",
            "ref float d, ref float wt, ref float dx" + paddedParameter + ", int batch", "ref d, ref wt, ref dx" + paddedArgument + ", batch",
            describe + "\ndL/d(input)[position + tap, c] += dz[position, f] * kernel[tap, c, f], into a zeroed input gradient with the input's frame.",
            (variant, isa) => EmitInputGradient(variant, layer, input, output, isa),
            body => EmitCompactInputGradient(body, CompactOps.Scalar, layer, input, output));
    }

    /// <summary>The sums over samples, output rows and output columns, as the loops of an outer-product kernel.</summary>
    public static List<SumLoop> SumLoops(LayerModel layer, TensorLayout input, TensorLayout output, bool withX)
    {
        var channels = layer.Input.Channels;
        var loops = new List<SumLoop> { new("n", "batch", withX ? input.StoredSize : 0, output.StoredSize) };
        if (layer.Output.Height > 1)
        {
            loops.Add(new SumLoop("oh", layer.Output.Height.ToString(System.Globalization.CultureInfo.InvariantCulture),
                withX ? layer.StrideHeight * input.RowStride : 0, output.RowStride));
        }

        if (layer.Output.Width > 1)
        {
            loops.Add(new SumLoop("ow", layer.Output.Width.ToString(System.Globalization.CultureInfo.InvariantCulture),
                withX ? layer.StrideWidth * channels : 0, layer.Output.Channels));
        }

        return loops;
    }

    /// <summary>The bias gradient's plan: vectors of channels summed over samples and positions, as many as the accumulators hold.</summary>
    public static KernelPlan BiasGradientPlan(int channels, VectorIsa isa)
    {
        var groups = BiasGroups(channels, isa);
        return new KernelPlan("bias gradient", isa.Suffix, KernelScheme.OuterProducts, groups.Width, 1, groups.Group.Count);
    }

    private static ChunkGroups BiasGroups(int channels, VectorIsa isa) => ChunkGroups.Create(channels, isa.MaxWidth, isa.Accumulators);

    /// <summary>dL/d(bias): also used by dense layers (one position per sample).</summary>
    public static void EmitBiasGradient(VariantWriter variant, int channels, TensorLayout output, VectorIsa isa, List<SumLoop> loops)
    {
        var groups = BiasGroups(channels, isa);
        var ops = VectorOps.ForWidth(groups.Width);
        string Kernel(IReadOnlyList<Chunk> group) => variant.Helper(HelperNames.WithVectors(HelperNames.Sum, group), (helper, name) =>
        {
            var kernel = new OuterProductKernel(ops, 0, 0, 0, group, loops);
            kernel.EmitMethod(helper, name, kernel.Describe() + ".");
        });

        variant.Body.Line("ref float dn = ref " + FrameworkNames.Unsafe + ".Add(ref d, " + output.InteriorOffset + ");");
        groups.EmitSumCalls(variant.Body, Kernel, "dn", "dn", "db");
    }

    /// <summary>The compact dL/d(bias): a channel step at a time, summed over the loops.</summary>
    public static void EmitCompactBiasGradient(SourceWriter writer, CompactOps ops, int channels, TensorLayout output, List<SumLoop> loops)
    {
        using (ops.OpenChannelLoop(writer, "f", channels))
        {
            writer.Line("var a = " + ops.Zero + ";");
            var closers = new List<SourceWriter.Block>();
            var index = new List<(string, int)> { ("f", 1) };
            // Partial sums per innermost run, as the vector kernels (OuterProductKernel): float32 keeps more digits.
            var partial = loops.Count > 1;
            foreach (var loop in loops)
            {
                if (partial && loop == loops[loops.Count - 1])
                {
                    writer.Line("var p = " + ops.Zero + ";");
                }

                closers.Add(writer.Open("for (int " + loop.Name + " = 0; " + loop.Name + " < " + loop.Count + "; " + loop.Name + "++)"));
                index.Add(((loop.Count == "batch" ? "(nint)" : string.Empty) + loop.Name, loop.DStep));
            }

            writer.Line((partial ? "p" : "a") + " += " + ops.Load("d", CompactLoops.Plus(CompactLoops.Sum(index.ToArray()), output.InteriorOffset)) + ";");
            for (var i = closers.Count - 1; i >= 0; i--)
            {
                closers[i].Dispose();
                if (partial && i == closers.Count - 1)
                {
                    writer.Line("a += p;");
                }
            }

            writer.Line(ops.Store("a", "db", "f"));
        }
    }

    /// <summary>
    /// Floats of input and output gradient per sample from which the kernel gradient sums one
    /// sample at a time: summing the whole batch inside each tap's micro-kernel would stream
    /// every sample from memory once per tap block instead of keeping one in the cache.
    /// </summary>
    private const int SampleAtATimeFloats = 64 * 1024;

    /// <summary>
    /// The kernel gradient's plan: position vectors for the forward's position-vectorised
    /// layers; otherwise rows of (kernel column, input channel) broadcast times vectors of
    /// filters, summed over the batch, or one sample at a time for large layers.
    /// </summary>
    public static KernelPlan KernelGradientPlan(LayerModel layer, TensorLayout input, TensorLayout output, VectorIsa isa)
    {
        if (PositionVectorizedKernelGradient.Applies(layer, isa))
        {
            return new KernelPlan("kernel gradient", isa.Suffix, KernelScheme.PositionVectors, PositionVectorizedConvolution.KernelIsa(layer, isa).MaxWidth,
                PositionVectorizedKernelGradient.FiltersPerGroup(layer, isa), layer.KernelWidth);
        }

        if (InputVectors(layer, isa) is { } inputVectors)
        {
            return new KernelPlan("kernel gradient", isa.Suffix, KernelScheme.InputVectors, inputVectors.Lanes, inputVectors.Vectors, layer.Output.Channels);
        }

        var groups = KernelGradientGroups(layer, isa);
        // Adding into dw needs groups that do not overlap: whole vectors, no shifted last group.
        var sampleAtATime = input.StoredSize + output.StoredSize >= SampleAtATimeFloats &&
            layer.GroupFilters % groups.Width == 0 && groups.LastOffset < 0;
        var narrow = isa.ForWidth(groups.Width);
        // With 16 registers (AVX2, SSE) every accumulator counts against the FMA latency: 6 rows
        // x 2 vectors plus 2 gradient vectors and a broadcast fit, and ran the 3x3 layers' kernel
        // gradient 5-20% faster than 4 rows did on Zen 4. With 32 (AVX-512) a row is left free.
        var maxRows = System.Math.Max(1, narrow.Accumulators / groups.Group.Count - (narrow.Registers > 16 ? 1 : 0));
        return new KernelPlan("kernel gradient", isa.Suffix, sampleAtATime ? KernelScheme.OuterProductsPerSample : KernelScheme.OuterProducts,
            groups.Width, VectorIsa.PickBlock(RowsPerTap(layer), maxRows), groups.Group.Count, ChunkRows: sampleAtATime ? RowsPerChunk(layer, input, output) : 0);
    }

    /// <summary>
    /// The shape of the kernel gradient of a layer of 1 to 3 filters (<see cref="InputVectorGradient"/>):
    /// vectors over each run of a window's inputs; null where the forward's rules for dot products
    /// rule it out (groups, runs shorter than a vector, a kernel too large to transpose on the stack).
    /// </summary>
    private static (int Lanes, int Vectors)? InputVectors(LayerModel layer, VectorIsa isa)
    {
        var filters = layer.Output.Channels;
        var taps = (long)layer.KernelHeight * layer.KernelWidth * layer.Input.Channels;
        return !DotProductKernel.FewOutputs(filters) || layer.Groups > 1 || !DotProductKernel.Transposable(taps, filters)
            ? null
            : InputVectorGradient.Choose(isa, filters, ConvolutionForwardEmitter.DotRuns(layer).Length);
    }

    private static ChunkGroups KernelGradientGroups(LayerModel layer, VectorIsa isa) =>
        ChunkGroups.Create(layer.GroupFilters, isa.MaxWidth, isa.MaxGroupVectors);

    /// <summary>
    /// Rows of a kernel tap: without horizontal dilation the (kernel column, input channel)
    /// pairs of a kernel row are consecutive both in the input (kw * channels + c) and in the
    /// kernel, so they are one row dimension and even a single input channel fills the registers.
    /// With groups, a group's channels are not consecutive across kernel columns in the input.
    /// </summary>
    private static bool MergesKernelColumns(LayerModel layer) => layer.DilationWidth == 1 && layer.Groups == 1;

    private static int RowsPerTap(LayerModel layer) => MergesKernelColumns(layer) ? layer.KernelWidth * layer.Input.Channels : layer.GroupChannels;

    private static void EmitKernelGradient(VariantWriter variant, LayerModel layer, TensorLayout input, TensorLayout output, VectorIsa isa)
    {
        var plan = KernelGradientPlan(layer, input, output, isa);
        if (plan.Scheme == KernelScheme.InputVectors)
        {
            variant.Body.Line("ref float dz = ref " + (output.InteriorOffset == 0 ? "d" : FrameworkNames.Unsafe + ".Add(ref d, " + output.InteriorOffset + ")") + ";");
            InputVectorGradient.Emit(variant, layer.Name, layer.Output.Channels, layer.KernelHeight * layer.KernelWidth * layer.Input.Channels,
                ConvolutionForwardEmitter.DotSegments(layer, input), ConvolutionForwardEmitter.DotRuns(layer).Length, SumLoops(layer, input, output, withX: true), "dz",
                (plan.Lanes, plan.Rows));
            return;
        }

        var groups = KernelGradientGroups(layer, isa);
        if (plan.Scheme == KernelScheme.OuterProducts)
        {
            EmitKernelGradientSums(variant, variant.Body, layer, input, output, plan, groups, accumulate: false);
            return;
        }

        var writer = variant.Body;
        var chunk = plan.ChunkRows;
        var sample = variant.Helper(HelperNames.Sample, (helper, name) =>
        {
            helper.Comment(layer.Name + ": the kernel gradient of one sample, stored in dw (the first) or added to it" + (chunk > 0
                ? ", in chunks of " + chunk + " output rows: each tap block streams a chunk's input and gradient from the L2 cache, not the whole sample's from L3."
                : "."));
            helper.Line(FrameworkNames.AggressiveOptimization);
            using (helper.Open("private static void " + name + "(ref float x, ref float d, ref float dw, bool first)"))
            {
                helper.Line("const int batch = 1;");
                if (chunk == 0)
                {
                    helper.Line("bool add = !first;");
                    EmitKernelGradientSums(variant, helper, layer, input, output, plan, groups, accumulate: true);
                    return;
                }

                using (helper.Open("for (int oh0 = 0; oh0 < " + layer.Output.Height + "; oh0 += " + chunk + ")"))
                {
                    helper.Line("bool add = !first || oh0 > 0;");
                    helper.Line("ref float xs = ref " + FrameworkNames.Unsafe + ".Add(ref x, oh0 * " + layer.StrideHeight * input.RowStride + ");");
                    helper.Line("ref float ds = ref " + FrameworkNames.Unsafe + ".Add(ref d, oh0 * " + output.RowStride + ");");
                    EmitKernelGradientSums(variant, helper, layer, input, output, plan, groups, accumulate: true, chunk, ("xs", "ds"));
                }
            }
        });
        writer.Comment("One sample at a time (" + (input.StoredSize + output.StoredSize) + " floats of input and gradient), so that it stays in the cache for every tap; " +
            "the first sample's sums are stored, so dw needs no clearing.");
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line(sample + "(ref " + FrameworkNames.Unsafe + ".Add(ref x, (nint)n * " + input.StoredSize + "), ref " + FrameworkNames.Unsafe + ".Add(ref d, (nint)n * " + output.StoredSize + "), ref dw, n == 0);");
        }
    }

    /// <summary>
    /// Output rows of a chunk of the one-sample kernel gradient: the most rows, dividing the
    /// output's height, whose input and output gradient fit <see cref="KernelGradientChunkBytes"/>;
    /// 0 (one pass over the sample) when the sample fits, or when no divisor of at least 2 rows does.
    /// </summary>
    private static int RowsPerChunk(LayerModel layer, TensorLayout input, TensorLayout output)
    {
        long Bytes(int rows) => sizeof(float) * ((long)rows * output.RowStride +
            (long)((rows - 1) * layer.StrideHeight + (layer.KernelHeight - 1) * layer.DilationHeight + 1) * input.RowStride);

        var height = layer.Output.Height;
        if (Bytes(height) <= KernelGradientChunkBytes)
        {
            return 0;
        }

        for (var rows = height / 2; rows >= 2; rows--)
        {
            if (height % rows == 0 && Bytes(rows) <= KernelGradientChunkBytes)
            {
                return rows;
            }
        }

        return 0;
    }

    /// <summary>
    /// Bytes of input and output gradient one chunk of the one-sample kernel gradient streams
    /// once per tap block: they stay in a 512 KB L2 cache beside the rest.
    /// </summary>
    internal const int KernelGradientChunkBytes = 192 * 1024;

    private static void EmitKernelGradientSums(VariantWriter variant, SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout output, KernelPlan plan,
        ChunkGroups groups, bool accumulate, int? chunkRows = null, (string X, string D)? sources = null)
    {
        var channels = layer.Input.Channels;
        var filters = layer.Output.Channels;
        var ops = VectorOps.ForWidth(groups.Width);
        var merged = MergesKernelColumns(layer);
        var rowsPerTap = RowsPerTap(layer);
        var reduced = layer.GroupChannels;
        var block = plan.Rows;
        var loops = SumLoops(layer, input, output, withX: true);
        if (chunkRows is { } rows && layer.Output.Height > 1)
        {
            // Loop 1 is oh (SumLoops): a chunk's rows instead of the output's height.
            loops[1] = loops[1] with { Count = rows.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        }

        var (sourceX, sourceD) = sources ?? ("x", "d");
        var tail = accumulate ? "batch, add" : "batch";

        string Kernel(int rows, IReadOnlyList<Chunk> group) => variant.Helper(HelperNames.WithVectors(HelperNames.KernelRows(rows), group), (helper, name) =>
        {
            var kernel = new OuterProductKernel(ops, rows, 1, filters, group, loops, accumulate);
            kernel.EmitMethod(helper, name, layer.Name + ": " + kernel.Describe() + ".");
        });

        var (x, dn, dw) = layer.Groups > 1 ? ("xq", "dq", "dwq") : (sourceX, "dn", "dw");
        writer.Line("ref float dn = ref " + (output.InteriorOffset == 0 ? sourceD : FrameworkNames.Unsafe + ".Add(ref " + sourceD + ", " + output.InteriorOffset + ")") + ";");
        using (OpenGroupLoop(writer, layer, sourceX))
        using (writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)"))
        using (merged ? (System.IDisposable?)null : writer.Open("for (int kw = 0; kw < " + layer.KernelWidth + "; kw++)"))
        {
            if (merged)
            {
                writer.Line("ref float xk = ref " + FrameworkNames.Unsafe + ".Add(ref " + x + ", " + CompactLoops.Times("kh", layer.DilationHeight * input.RowStride) + ");");
                writer.Line("ref float wk = ref " + FrameworkNames.Unsafe + ".Add(ref " + dw + ", " + CompactLoops.Times("kh", layer.KernelWidth * channels * filters) + ");");
            }
            else
            {
                writer.Line("ref float xk = ref " + FrameworkNames.Unsafe + ".Add(ref " + x + ", kh * " + layer.DilationHeight * input.RowStride + " + kw * " + layer.DilationWidth * channels + ");");
                writer.Line("ref float wk = ref " + FrameworkNames.Unsafe + ".Add(ref " + dw + ", (" + CompactLoops.Sum(("kh", layer.KernelWidth), ("kw", 1)) + ") * " + reduced * filters + ");");
            }

            var full = rowsPerTap / block * block;
            if (full == block)
            {
                groups.EmitSumCalls(writer, group => Kernel(block, group), "xk", dn, "wk", tail);
            }
            else if (full > 0)
            {
                using (writer.Open("for (int c = 0; c < " + full + "; c += " + block + ")"))
                {
                    writer.Line("ref float xc = ref " + FrameworkNames.Unsafe + ".Add(ref xk, c);");
                    writer.Line("ref float wc = ref " + FrameworkNames.Unsafe + ".Add(ref wk, " + CompactLoops.Times("c", filters) + ");");
                    groups.EmitSumCalls(writer, group => Kernel(block, group), "xc", dn, "wc", tail);
                }
            }

            var rest = rowsPerTap - full;
            if (rest > 0)
            {
                writer.Line("ref float xr = ref " + FrameworkNames.Unsafe + ".Add(ref xk, " + full + ");");
                writer.Line("ref float wr = ref " + FrameworkNames.Unsafe + ".Add(ref wk, " + full * filters + ");");
                groups.EmitSumCalls(writer, group => Kernel(rest, group), "xr", dn, "wr", tail);
            }
        }
    }

    /// <summary>
    /// With groups, a loop over them (q) with refs to the group's first input channel (xq), its
    /// filters' output gradient (dq, from dn) and kernel gradient (dwq). Null without groups.
    /// </summary>
    private static SourceWriter.Block? OpenGroupLoop(SourceWriter writer, LayerModel layer, string x = "x")
    {
        if (layer.Groups == 1)
        {
            return null;
        }

        var loop = writer.Open("for (int q = 0; q < " + layer.Groups + "; q++)");
        writer.Line("ref float xq = ref " + FrameworkNames.Unsafe + ".Add(ref " + x + ", " + CompactLoops.Times("q", layer.GroupChannels) + ");");
        writer.Line("ref float dq = ref " + FrameworkNames.Unsafe + ".Add(ref dn, " + CompactLoops.Times("q", layer.GroupFilters) + ");");
        writer.Line("ref float dwq = ref " + FrameworkNames.Unsafe + ".Add(ref dw, " + CompactLoops.Times("q", layer.GroupFilters) + ");");
        return loop;
    }

    /// <summary>The compact dL/d(kernel): per tap, a few input channels x a step of filters, summed over samples and positions.</summary>
    private static void EmitCompactKernelGradient(SourceWriter writer, CompactOps ops, LayerModel layer, TensorLayout input, TensorLayout output)
    {
        var channels = layer.Input.Channels;
        var reduced = layer.GroupChannels;
        var filters = layer.Output.Channels;
        var (x, d, dw) = layer.Groups > 1 ? ("xq", "dq", "dwq") : ("x", "d", "dw");
        if (layer.Groups > 1)
        {
            // The group loop's dq starts from dn: here the interior offset is added per element.
            writer.Line("ref float dn = ref d;");
        }

        using (OpenGroupLoop(writer, layer))
        using (CompactLoops.Open(writer, new CompactLoops.Loop("kh", layer.KernelHeight), new CompactLoops.Loop("kw", layer.KernelWidth)))
        {
            var kh = layer.KernelHeight > 1 ? "kh" : "0";
            var kw = layer.KernelWidth > 1 ? "kw" : "0";
            writer.Line("ref float xk = ref " + FrameworkNames.Unsafe + ".Add(ref " + x + ", " + CompactLoops.Sum((kh, layer.DilationHeight * input.RowStride), (kw, layer.DilationWidth * channels)) + ");");
            writer.Line("ref float wk = ref " + FrameworkNames.Unsafe + ".Add(ref " + dw + ", " + CompactLoops.Sum((kh, layer.KernelWidth * reduced * filters), (kw, reduced * filters)) + ");");
            CompactLoops.Rows(writer, "c", reduced.ToString(System.Globalization.CultureInfo.InvariantCulture), ops.Rows, rows =>
            {
                using (ops.OpenChannelLoop(writer, "f", layer.GroupFilters))
                {
                    for (var r = 0; r < rows; r++)
                    {
                        writer.Line("var a" + r + " = " + ops.Zero + ";");
                    }

                    using (writer.Open("for (int n = 0; n < batch; n++)"))
                    using (CompactLoops.Open(writer, new CompactLoops.Loop("oh", layer.Output.Height), new CompactLoops.Loop("ow", layer.Output.Width)))
                    {
                        var oh = layer.Output.Height > 1 ? "oh" : "0";
                        var ow = layer.Output.Width > 1 ? "ow" : "0";
                        writer.Line("var dv = " + ops.Load(d, "(nint)n * " + output.StoredSize + " + " +
                            CompactLoops.Plus(CompactLoops.Sum((oh, output.RowStride), (ow, filters)), output.InteriorOffset) + " + f") + ";");
                        var position = "(nint)n * " + input.StoredSize + " + " + CompactLoops.Sum((oh, layer.StrideHeight * input.RowStride), (ow, layer.StrideWidth * channels), ("c", 1));
                        for (var r = 0; r < rows; r++)
                        {
                            writer.Line("a" + r + " = " + ops.MultiplyAdd(ops.Broadcast("xk", CompactLoops.Plus(position, r)), "dv", "a" + r) + ";");
                        }
                    }

                    for (var r = 0; r < rows; r++)
                    {
                        writer.Line(ops.Store("a" + r, "wk", CompactLoops.Sum((CompactLoops.Plus("c", r), filters), ("f", 1))));
                    }
                }
            });
        }
    }

    /// <summary>
    /// The input channels of the transposed kernel, rounded up to a whole vector (4, 8, then
    /// multiples of 16): the extra lanes hold zero weights, so the AVX-512 input-gradient kernel
    /// adds zero past the last channel instead of splitting into narrow vectors and single floats.
    /// </summary>
    /// <summary>Whether the AVX-512 input gradient adds into a padded copy first (channels not a whole vector).</summary>
    public static bool UsesPaddedGradient(LayerModel layer) =>
        layer.IsConvolution && layer.Groups == 1 && PaddedChannels(layer) != layer.Input.Channels && !FewChannelInputGradient.RunsAtEveryWidth(layer) &&
        !GatheredDotInputGradient.RunsAtEveryWidth(layer);

    /// <summary>
    /// Whether the input gradient takes the kernel as it is (beside the transposed one): some width
    /// runs dot products over its filters (<see cref="FewChannelInputGradient"/>, <see cref="GatheredDotInputGradient"/>).
    /// </summary>
    public static bool InputGradientTakesKernel(LayerModel layer) => FewChannelInputGradient.Applies(layer) || GatheredDotInputGradient.RunsAtAnyWidth(layer);

    /// <summary>The transposed kernel's input channels: padded as above, or exactly a group's channels or an adjoint's (their vectors split exactly instead).</summary>
    public static int PaddedChannels(LayerModel layer)
    {
        if (layer.Groups > 1 || layer.IsAdjoint)
        {
            return layer.GroupChannels;
        }

        var channels = layer.Input.Channels;
        var width = channels <= 4 ? 4 : channels <= 8 ? 8 : 16;
        return (channels + width - 1) / width * width;
    }

    /// <summary>wt[kh, kw, f, c] = w[kh, kw, c, f]: input channels contiguous for the input gradient.</summary>
    private static void EmitTranspose(SourceWriter writer, LayerModel layer)
    {
        var channels = layer.GroupChannels;
        var filters = layer.Output.Channels;
        writer.Comment(layer.Name + ": the kernel with input channels contiguous, wt[tap, f, c] = w[tap, c, f]" +
            (layer.Groups > 1 ? " (c: the channels of f's group)." : "."));
        using (writer.Open("private static void " + layer.AccessorName + "TransposeKernel(ref float w, ref float wt)"))
        {
            writer.Line(FrameworkNames.Kernels + "MatrixTranspose.Transpose(ref w, ref wt, " + layer.KernelHeight * layer.KernelWidth + ", " + channels + ", " + filters +
                ", " + PaddedChannels(layer) + ");");
        }

        writer.Line();
    }

    /// <summary>
    /// The input gradient's plan: the forward kernel with roles swapped, blocks of output
    /// positions times vectors of (padded) input channels, dz broadcast per row and filter.
    /// </summary>
    public static KernelPlan InputGradientPlan(LayerModel layer, VectorIsa isa)
    {
        if (FewChannelInputGradient.Runs(layer, isa))
        {
            return FewChannelInputGradient.Plan(layer, isa);
        }

        if (GatheredDotInputGradient.Runs(layer, isa))
        {
            return GatheredDotInputGradient.Plan(layer, isa);
        }

        var groups = InputGradientGroups(layer, isa);
        var narrow = isa.ForWidth(groups.Width);
        if (RowGatherInputGradient.Segments(layer, groups, narrow, PaddedChannels(layer)) is { } segments)
        {
            return RowGatherInputGradient.Plan(segments, isa, groups.Width, layer);
        }

        var maxRows = System.Math.Max(1, narrow.Accumulators / groups.Group.Count);
        var rows = narrow.PickRows(layer.Output.Width, maxRows);
        return new KernelPlan("input gradient", isa.Suffix, KernelScheme.ChannelVectors, groups.Width, rows, groups.Group.Count,
            narrow.TapsPerStep(rows, groups.Group.Count));
    }

    /// <summary>
    /// Groups that never overlap: the input-gradient kernels add into their output, and a last
    /// group shifted back over the one before (as the forward pass's stores may) would add the
    /// shared channels twice (80 padded channels at 512 bits were 0..47 and 32..79).
    /// </summary>
    private static ChunkGroups InputGradientGroups(LayerModel layer, VectorIsa isa) => ChunkGroups.CreateExact(PaddedChannels(layer), isa.MaxWidth, isa.MaxGroupVectors);

    /// <summary>
    /// The last columns of every output row, <paramref name="tall"/> rows per call, as the
    /// forward pass blocks them (ConvolutionForwardEmitter.RestColumns): for each tap, the sums
    /// of those positions go into distinct input positions, so one call can add them all.
    /// </summary>
    private static void EmitInputGradientRestColumns(SourceWriter writer, LayerModel layer, TensorLayout output, TensorLayout target, ChunkGroups groups,
        int block, int tall, int xStep, int filters, int padded, System.Func<string, IReadOnlyList<BlockRow>, IReadOnlyList<Chunk>, string> kernel)
    {
        var full = layer.Output.Width / block * block;
        var rest = layer.Output.Width - full;
        List<BlockRow> Columns(int rows) => ConvolutionForwardEmitter.ColumnBlock(rows, full, rest, (output.RowStride, filters), (layer.StrideHeight * target.RowStride, xStep));

        void Taps(string firstRow, int rows)
        {
            using (writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)"))
            using (writer.Open("for (int kw = 0; kw < " + layer.KernelWidth + "; kw++)"))
            {
                writer.Line("ref float dr = ref " + FrameworkNames.Unsafe + ".Add(ref dn, " + CompactLoops.Times(firstRow, output.RowStride) + ");");
                writer.Line("ref float xr = ref " + FrameworkNames.Unsafe + ".Add(ref xn, " +
                    CompactLoops.Sum((CompactLoops.Sum((firstRow, layer.StrideHeight), ("kh", layer.DilationHeight)), target.RowStride), ("kw", layer.DilationWidth * target.Channels)) + ");");
                writer.Line("ref float wk = ref " + FrameworkNames.Unsafe + ".Add(ref " + (layer.Groups > 1 ? "wq" : "wt") + ", (" + CompactLoops.Sum(("kh", layer.KernelWidth), ("kw", 1)) + ") * " + filters * padded + ");");
                groups.EmitCalls(writer, group => kernel(HelperNames.OutputRows(rows, rest), Columns(rows), group), "dr", "wk", "wk", "xr");
            }
        }

        var whole = layer.Output.Height / tall * tall;
        writer.Comment("Output columns " + full + ".." + (layer.Output.Width - 1) + ", " + tall + " rows at a time.");
        using (writer.Open("for (int oh = 0; oh < " + whole + "; oh += " + tall + ")"))
        {
            Taps("oh", tall);
        }

        var left = layer.Output.Height - whole;
        if (left > 0)
        {
            using (writer.Scope())
            {
                writer.Line("const int oh = " + whole + ";");
                Taps("oh", left);
            }
        }
    }

    private static void EmitInputGradient(VariantWriter variant, LayerModel layer, TensorLayout input, TensorLayout output, VectorIsa isa)
    {
        var writer = variant.Body;
        var channels = layer.Input.Channels;
        var filters = layer.Output.Channels;

        // Whole vectors over the padded channels: the lanes past the last channel have zero
        // weights. When the channels are not a whole vector, the sums go into a copy of the
        // input gradient with padded channels, so that one position's vector never overlaps the
        // next one's (overlapping adds would wait on each other's stores), then are copied out.
        var plan = InputGradientPlan(layer, isa);
        var padded = PaddedChannels(layer);
        var usesPadded = UsesPaddedGradient(layer);
        var target = usesPadded ? WorkspacePlan.PaddedGradientLayout(input, padded) : input;
        var groups = InputGradientGroups(layer, isa);
        var narrow = isa.ForWidth(groups.Width);
        var dimensions = new List<TapDimension> { new("f", layer.GroupFilters, 1, padded) };
        var xStep = layer.StrideWidth * target.Channels;

        string Kernel(int rows, IReadOnlyList<Chunk> group) => Blocked(HelperNames.Row(rows), BlockedKernel.EvenRows(rows, filters, xStep), group);

        string Blocked(string tag, IReadOnlyList<BlockRow> rows, IReadOnlyList<Chunk> group) => variant.Helper(HelperNames.WithVectors(tag, group), (helper, name) =>
        {
            var kernel = new BlockedKernel(rows, group,
                TapPlan.Create(dimensions, narrow.TapsPerStep(rows.Count, group.Count)), false, ActivationKind.Linear, Accumulate: true);
            kernel.EmitMethod(helper, name, layer.Name + ": " + kernel.Describe() + ", added into the input gradient.");
        });

        var sums = usesPadded ? "padded" : "dx";
        if (usesPadded)
        {
            writer.Line("global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref padded, batch * " + target.StoredSize + ").Clear();");
        }

        var block = plan.Rows;
        var tall = ConvolutionForwardEmitter.RestColumns(layer, block);
        if (RowGatherInputGradient.Segments(layer, groups, narrow, padded) is { } segments)
        {
            RowGatherInputGradient.EmitDriver(variant, layer, output, target, segments, padded, sums);
        }
        else if (TapsOutside(layer, padded))
        {
            EmitTapsOutside(writer, layer, output, target, groups, block, tall, xStep, filters, padded, sums, Blocked);
        }
        else
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        using (layer.Groups > 1 ? writer.Open("for (int q = 0; q < " + layer.Groups + "; q++)") : (System.IDisposable?)null)
        {
            var (dGroup, xGroup) = layer.Groups > 1
                ? (" + " + CompactLoops.Times("q", layer.GroupFilters), " + " + CompactLoops.Times("q", layer.GroupChannels))
                : (string.Empty, string.Empty);
            writer.Line("ref float dn = ref " + FrameworkNames.Unsafe + ".Add(ref d, " + CompactLoops.Times("(nint)n", output.StoredSize) + VectorOps.PlusConstant(output.InteriorOffset) + dGroup + ");");
            writer.Line("ref float xn = ref " + FrameworkNames.Unsafe + ".Add(ref " + sums + ", (nint)n * " + target.StoredSize + xGroup + ");");
            if (layer.Groups > 1)
            {
                writer.Line("ref float wq = ref " + FrameworkNames.Unsafe + ".Add(ref wt, " + CompactLoops.Times("q", layer.GroupFilters * padded) + ");");
            }

            if (tall is { } columnRows)
            {
                EmitInputGradientRestColumns(writer, layer, output, target, groups, block, columnRows, xStep, filters, padded, Blocked);
            }

            using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
            using (writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)"))
            using (writer.Open("for (int kw = 0; kw < " + layer.KernelWidth + "; kw++)"))
            {
                writer.Line("ref float dr = ref " + FrameworkNames.Unsafe + ".Add(ref dn, " + CompactLoops.Times("oh", output.RowStride) + ");");
                writer.Line("ref float xr = ref " + FrameworkNames.Unsafe + ".Add(ref xn, " +
                    CompactLoops.Sum((CompactLoops.Sum(("oh", layer.StrideHeight), ("kh", layer.DilationHeight)), target.RowStride), ("kw", layer.DilationWidth * target.Channels)) + ");");
                writer.Line("ref float wk = ref " + FrameworkNames.Unsafe + ".Add(ref " + (layer.Groups > 1 ? "wq" : "wt") + ", (" + CompactLoops.Sum(("kh", layer.KernelWidth), ("kw", 1)) + ") * " + filters * padded + ");");
                var full = layer.Output.Width / block * block;
                if (full == block)
                {
                    groups.EmitCalls(writer, group => Kernel(block, group), "dr", "wk", "wk", "xr");
                }
                else if (full > 0)
                {
                    using (writer.Open("for (int ow = 0; ow < " + full + "; ow += " + block + ")"))
                    {
                        writer.Line("ref float db = ref " + FrameworkNames.Unsafe + ".Add(ref dr, " + CompactLoops.Times("ow", filters) + ");");
                        writer.Line("ref float xb = ref " + FrameworkNames.Unsafe + ".Add(ref xr, " + CompactLoops.Times("ow", xStep) + ");");
                        groups.EmitCalls(writer, group => Kernel(block, group), "db", "wk", "wk", "xb");
                    }
                }

                var rest = layer.Output.Width - full;
                if (rest > 0 && tall is null)
                {
                    writer.Line("ref float dt = ref " + FrameworkNames.Unsafe + ".Add(ref dr, " + full * filters + ");");
                    writer.Line("ref float xt = ref " + FrameworkNames.Unsafe + ".Add(ref xr, " + full * xStep + ");");
                    groups.EmitCalls(writer, group => Kernel(rest, group), "dt", "wk", "wk", "xt");
                }
            }
        }

        if (!usesPadded)
        {
            return;
        }

        writer.Comment("The inside of the padded sums, " + channels + " of every " + padded + " floats, into the input gradient.");
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        using (writer.Open("for (int r = 0; r < " + input.Height + "; r++)"))
        {
            writer.Line("ref float from = ref " + FrameworkNames.Unsafe + ".Add(ref padded, (nint)n * " + target.StoredSize + VectorOps.PlusConstant(target.InteriorOffset) + " + r * " + target.RowStride + ");");
            writer.Line("ref float to = ref " + FrameworkNames.Unsafe + ".Add(ref dx, (nint)n * " + input.StoredSize + VectorOps.PlusConstant(input.InteriorOffset) + " + r * " + input.RowStride + ");");
            using (writer.Open("for (int p = 0; p < " + input.Width + "; p++)"))
            using (writer.Open("for (int c = 0; c < " + channels + "; c++)"))
            {
                writer.Line(VectorOps.Element("to", CompactLoops.Sum(("p", channels), ("c", 1))) + " = " + VectorOps.Element("from", CompactLoops.Sum(("p", padded), ("c", 1))) + ";");
            }
        }
    }

    /// <summary>
    /// Kernels larger than this (bytes) run their input gradient tap by tap: one channel group's
    /// weights of one tap (filters x the group's channels) then serve every position and sample
    /// from the L1 or L2 cache, where position by position every tap's weights stream past.
    /// </summary>
    private const int TapsOutsideKernelBytes = 256 * 1024;

    /// <summary>Whether the input gradient loops over channel groups and taps outside the positions (see <see cref="TapsOutsideKernelBytes"/>).</summary>
    internal static bool TapsOutside(LayerModel layer, int padded) =>
        layer.Groups == 1 && (long)layer.KernelHeight * layer.KernelWidth * layer.Output.Channels * padded * sizeof(float) > TapsOutsideKernelBytes;

    /// <summary>
    /// The input gradient of a large kernel: for each channel group (a loop over the whole
    /// groups, then the exact rest) and tap, every sample's positions in the blocks of the
    /// position-by-position order, the tap's offset folded into the input gradient's ref.
    /// </summary>
    private static void EmitTapsOutside(SourceWriter writer, LayerModel layer, TensorLayout output, TensorLayout target, ChunkGroups groups, int block,
        int? tall, int xStep, int filters, int padded, string sums, System.Func<string, IReadOnlyList<BlockRow>, IReadOnlyList<Chunk>, string> kernel)
    {
        writer.Comment("Channel group by channel group and tap by tap: one tap's weights for a group serve every position and sample.");
        void Group(string g, IReadOnlyList<Chunk> chunks)
        {
            var single = ChunkGroups.Single(chunks);
            using (writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)"))
            using (writer.Open("for (int kw = 0; kw < " + layer.KernelWidth + "; kw++)"))
            {
                writer.Line("ref float wk = ref " + FrameworkNames.Unsafe + ".Add(ref wt, (" + CompactLoops.Sum(("kh", layer.KernelWidth), ("kw", 1)) + ") * " + filters * padded +
                    (g.Length == 0 ? string.Empty : " + " + g) + ");");
                using (writer.Open("for (int n = 0; n < batch; n++)"))
                {
                    writer.Line("ref float dn = ref " + FrameworkNames.Unsafe + ".Add(ref d, " + CompactLoops.Times("(nint)n", output.StoredSize) + VectorOps.PlusConstant(output.InteriorOffset) + ");");
                    writer.Line("ref float xn = ref " + FrameworkNames.Unsafe + ".Add(ref " + sums + ", (nint)n * " + target.StoredSize + " + " +
                        CompactLoops.Sum(("kh", layer.DilationHeight * target.RowStride), ("kw", layer.DilationWidth * target.Channels)) + (g.Length == 0 ? string.Empty : " + " + g) + ");");
                    var full = layer.Output.Width / block * block;
                    var rest = layer.Output.Width - full;
                    if (tall is { } columnRows)
                    {
                        List<BlockRow> Columns(int rows) => ConvolutionForwardEmitter.ColumnBlock(rows, full, rest, (output.RowStride, filters),
                            (layer.StrideHeight * target.RowStride, xStep));
                        var whole = layer.Output.Height / columnRows * columnRows;
                        writer.Comment("Output columns " + full + ".." + (layer.Output.Width - 1) + ", " + columnRows + " rows at a time.");
                        using (writer.Open("for (int oh = 0; oh < " + whole + "; oh += " + columnRows + ")"))
                        {
                            writer.Line("ref float dr = ref " + FrameworkNames.Unsafe + ".Add(ref dn, " + CompactLoops.Times("oh", output.RowStride) + ");");
                            writer.Line("ref float xr = ref " + FrameworkNames.Unsafe + ".Add(ref xn, " + CompactLoops.Times("oh", layer.StrideHeight * target.RowStride) + ");");
                            single.EmitCalls(writer, group => kernel(HelperNames.OutputRows(columnRows, rest), Columns(columnRows), group), "dr", "wk", "wk", "xr");
                        }

                        if (whole < layer.Output.Height)
                        {
                            var left = layer.Output.Height - whole;
                            writer.Line("ref float dl = ref " + FrameworkNames.Unsafe + ".Add(ref dn, " + whole * output.RowStride + ");");
                            writer.Line("ref float xl = ref " + FrameworkNames.Unsafe + ".Add(ref xn, " + whole * layer.StrideHeight * target.RowStride + ");");
                            single.EmitCalls(writer, group => kernel(HelperNames.OutputRows(left, rest), Columns(left), group), "dl", "wk", "wk", "xl");
                        }
                    }

                    using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
                    {
                        writer.Line("ref float dr = ref " + FrameworkNames.Unsafe + ".Add(ref dn, " + CompactLoops.Times("oh", output.RowStride) + ");");
                        writer.Line("ref float xr = ref " + FrameworkNames.Unsafe + ".Add(ref xn, " + CompactLoops.Times("oh", layer.StrideHeight * target.RowStride) + ");");
                        if (full == block)
                        {
                            single.EmitCalls(writer, group => kernel(HelperNames.Row(block), BlockedKernel.EvenRows(block, filters, xStep), group), "dr", "wk", "wk", "xr");
                        }
                        else if (full > 0)
                        {
                            using (writer.Open("for (int ow = 0; ow < " + full + "; ow += " + block + ")"))
                            {
                                writer.Line("ref float db = ref " + FrameworkNames.Unsafe + ".Add(ref dr, " + CompactLoops.Times("ow", filters) + ");");
                                writer.Line("ref float xb = ref " + FrameworkNames.Unsafe + ".Add(ref xr, " + CompactLoops.Times("ow", xStep) + ");");
                                single.EmitCalls(writer, group => kernel(HelperNames.Row(block), BlockedKernel.EvenRows(block, filters, xStep), group), "db", "wk", "wk", "xb");
                            }
                        }

                        if (rest > 0 && tall is null)
                        {
                            writer.Line("ref float dt = ref " + FrameworkNames.Unsafe + ".Add(ref dr, " + full * filters + ");");
                            writer.Line("ref float xt = ref " + FrameworkNames.Unsafe + ".Add(ref xr, " + full * xStep + ");");
                            single.EmitCalls(writer, group => kernel(HelperNames.Row(rest), BlockedKernel.EvenRows(rest, filters, xStep), group), "dt", "wk", "wk", "xt");
                        }
                    }
                }
            }
        }

        if (groups.Count == 1)
        {
            Group(string.Empty, groups.Group);
        }
        else if (groups.Count > 1)
        {
            using (writer.Open("for (int g = 0; g < " + groups.Count * groups.Stride + "; g += " + groups.Stride + ")"))
            {
                Group("g", groups.Group);
            }
        }

        if (groups.LastOffset >= 0)
        {
            using (writer.Scope())
            {
                Group(groups.LastOffset.ToString(System.Globalization.CultureInfo.InvariantCulture), groups.LastGroup);
            }
        }
    }

    /// <summary>The compact dL/d(input): for each position, tap and input channel, the sum over the filters.</summary>
    private static void EmitCompactInputGradient(SourceWriter writer, CompactOps ops, LayerModel layer, TensorLayout input, TensorLayout output)
    {
        var channels = layer.Input.Channels;
        var filters = layer.Output.Channels;
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        using (CompactLoops.Open(writer, new CompactLoops.Loop("oh", layer.Output.Height), new CompactLoops.Loop("ow", layer.Output.Width),
            new CompactLoops.Loop("kh", layer.KernelHeight), new CompactLoops.Loop("kw", layer.KernelWidth)))
        {
            var oh = layer.Output.Height > 1 ? "oh" : "0";
            var ow = layer.Output.Width > 1 ? "ow" : "0";
            var kh = layer.KernelHeight > 1 ? "kh" : "0";
            var kw = layer.KernelWidth > 1 ? "kw" : "0";
            writer.Line("ref float dp = ref " + FrameworkNames.Unsafe + ".Add(ref d, (nint)n * " + output.StoredSize + " + " + CompactLoops.Plus(CompactLoops.Sum((oh, output.RowStride), (ow, filters)), output.InteriorOffset) + ");");
            writer.Line("ref float xp = ref " + FrameworkNames.Unsafe + ".Add(ref dx, (nint)n * " + input.StoredSize + " + " + CompactLoops.Sum((oh, layer.StrideHeight * input.RowStride),
                (kh, layer.DilationHeight * input.RowStride), (ow, layer.StrideWidth * channels), (kw, layer.DilationWidth * channels)) + ");");
            var padded = PaddedChannels(layer);
            writer.Line("ref float wp = ref " + FrameworkNames.Unsafe + ".Add(ref wt, " + CompactLoops.Sum((kh, layer.KernelWidth * filters * padded), (kw, filters * padded)) + ");");
            if (layer.Groups > 1)
            {
                // Input channel q * cg + c sums over the filters of group q: wt[tap, f, c] holds f's group's channels.
                using (writer.Open("for (int q = 0; q < " + layer.Groups + "; q++)"))
                using (writer.Open("for (int c = 0; c < " + layer.GroupChannels + "; c++)"))
                {
                    writer.Line("float a = 0f;");
                    using (writer.Open("for (int f = " + CompactLoops.Times("q", layer.GroupFilters) + "; f < " + CompactLoops.Times("q", layer.GroupFilters) + " + " +
                        layer.GroupFilters + "; f++)"))
                    {
                        writer.Line("a += " + FrameworkNames.Unsafe + ".Add(ref dp, f) * " + FrameworkNames.Unsafe + ".Add(ref wp, f * " + padded + " + c);");
                    }

                    writer.Line(FrameworkNames.Unsafe + ".Add(ref xp, " + CompactLoops.Times("q", layer.GroupChannels) + " + c) += a;");
                }

                return;
            }

            writer.Line("int c = 0;");
            using (writer.Open("for (; c < " + channels + "; c++)"))
            {
                writer.Line("float a = 0f;");
                using (writer.Open("for (int f = 0; f < " + filters + "; f++)"))
                {
                    writer.Line("a += " + FrameworkNames.Unsafe + ".Add(ref dp, f) * " + FrameworkNames.Unsafe + ".Add(ref wp, f * " + padded + " + c);");
                }

                writer.Line(FrameworkNames.Unsafe + ".Add(ref xp, c) += a;");
            }
        }
    }
}
