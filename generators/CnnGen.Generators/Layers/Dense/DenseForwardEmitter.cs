using System.Collections.Generic;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// Forward code of Dense: a block of samples times a group of unit vectors accumulate in
/// registers over the inputs (broadcast an input, multiply a row of the kernel). The same
/// micro-kernel as a convolution, with samples for positions and inputs for taps.
/// </summary>
internal static class DenseForwardEmitter
{
    public static void Emit(SourceWriter writer, LayerModel layer, DataFormat format)
    {
        var comment = LayerDescriber.Describe(layer, format) +
            "\nBlocks of samples x unit vectors accumulate in registers; each input is broadcast and multiplied by a kernel row.";
        var packed = PackedKernelFloats(layer) > 0;
        KernelVariants.Emit(writer, layer.AccessorName + "Forward",
            "ref float w, ref float b, ref float x, ref float y, " + (packed ? "ref float pw, bool prepacked, " : string.Empty) + "int batch",
            "ref w, ref b, ref x, ref y, " + (packed ? "ref pw, prepacked, " : string.Empty) + "batch", comment,
            (variant, isa) => EmitVector(variant, layer, isa, packed),
            body => EmitCompact(body, CompactOps.Scalar, layer));
    }

    /// <summary>
    /// Floats of the kernel packed for a single sample's row stream, which PackWeights keeps, at
    /// the widest need of any width that streams (0 when none does: a kernel of 1 MB or less).
    /// </summary>
    public static int PackedKernelFloats(LayerModel layer)
    {
        long floats = 0;
        foreach (var isa in VectorIsa.All)
        {
            var plan = Plan(layer, isa);
            if (plan.StreamsSingleSamples)
            {
                floats = System.Math.Max(floats, DenseRowStreamEmitter.PackedFloats(layer, plan.Lanes));
            }
        }

        return (int)floats;
    }

    /// <summary>
    /// Inputs per slice of the reduction: all of them up to 1,024; above, the largest divisor of
    /// the inputs from 256 to 512, else 512 (and a shorter last slice). One float accumulator
    /// summing thousands of products loses accuracy with the length of the sum (3,528 inputs
    /// were 1.75e-6 off the float64 value, past the 1e-6 the tests allow, where ONNX Runtime,
    /// whose GEMM adds blocks of 256, was 2.3e-7 off); each slice starts from zero and is added
    /// to the total, as GEMMs do.
    /// </summary>
    public static int SliceLength(int inputs)
    {
        if (inputs <= 1024)
        {
            return inputs;
        }

        for (var length = 512; length >= 256; length--)
        {
            if (inputs % length == 0)
            {
                return length;
            }
        }

        return 512;
    }

    /// <summary>The slices of a layer's inputs, or null when it sums them whole.</summary>
    public static ReductionSlices? Slices(int inputs, int units) => SliceLength(inputs) is var length && length < inputs
        ? new ReductionSlices(inputs / length, length, units, inputs % length)
        : null;

    /// <summary>
    /// Samples per block when the batch allows it: 4 with 32 registers (the 512-bit variant,
    /// also where it takes 4-float vectors for 4 to 7 channels, which ran a sample at a time
    /// before: 2,048 inputs to 5 units at batch 4 in 0.39x the time of the dot products), 3 with 16.
    /// </summary>
    public static int SampleBlock(VectorIsa isa) => isa == VectorIsa.V512 || isa.MaxWidth == 4 && isa.Registers > 16 ? 4 : isa == VectorIsa.V256 || isa == VectorIsa.V128 ? 3 : 1;

    /// <summary>
    /// The smallest batch whose forward takes the dot products for several units (their kernel
    /// transposed once a call): 16 for 4 to 7 units, whose blocked kernel with blocks of 4 samples
    /// was faster up to batch 8 (0.33-0.68x) and slower at 32 (1.13-1.27x); a block and at least 2 for fewer.
    /// </summary>
    internal static int DotProductBatch(int units, int rows) => units >= 4 ? 16 : System.Math.Max(2, rows);

    /// <summary>
    /// Unit vectors per group for a block of samples: the accumulators shared out, and few
    /// enough that they, the group's weights and one broadcast fit the register file.
    /// </summary>
    public static int BlockVectors(VectorIsa isa, int block) =>
        System.Math.Max(1, System.Math.Min(isa.Accumulators / block, (isa.Registers - 1) / (block + 1)));

    /// <summary>The forward plan: blocks of samples times vectors of units (a single sample per block when the batch runs out).</summary>
    public static KernelPlan Plan(LayerModel layer, VectorIsa maxIsa)
    {
        var units = layer.Output.Channels;
        if (DotProducts(layer, maxIsa) is { } dot)
        {
            return new KernelPlan("forward", maxIsa.Suffix, KernelScheme.DotProducts, dot.Lanes, dot.Rows, units, dot.Parts);
        }

        var isa = maxIsa.ForWidth(Chunks.Split(units, maxIsa.MaxWidth)[0].Width);
        var block = SampleBlock(isa);
        var groups = ChunkGroups.Create(units, isa.MaxWidth, BlockVectors(isa, block));
        var slice = SliceLength(layer.Input.Size);
        return new KernelPlan("forward", maxIsa.Suffix, KernelScheme.ChannelVectors, groups.Width, block, groups.Group.Count,
            isa.TapsPerStep(block, groups.Group.Count, slice), (layer.Input.Size + slice - 1) / slice,
            StreamsSingleSamples: DenseRowStreamEmitter.StreamsRows(layer, groups.Width));
    }

    /// <summary>
    /// The dot-product shape of a layer of few units (<see cref="DotProductKernel.FewUnits"/>) at a
    /// width: blocks of 8 samples for one unit, of as many as 12 accumulators hold (at most 4)
    /// for more; null for more units, fewer
    /// inputs than a vector, or a kernel of several units too large to transpose on the stack.
    /// </summary>
    internal static DotProductShape? DotProducts(LayerModel layer, VectorIsa isa)
    {
        var units = layer.Output.Channels;
        var inputs = layer.Input.Size;
        return !DotProductKernel.FewUnits(units, isa) || !DotProductKernel.Transposable(inputs, units)
            ? null
            : DotProductKernel.Choose(isa, units, inputs, 1, units == 1 ? 8 : 4);
    }

    /// <summary>
    /// Few units on many inputs: blocks of samples, then single samples, each unit's sum a dot
    /// product; declares <c>n</c>. With several units the kernel is transposed on the stack
    /// first, which costs about as much as one sample's products, so batches under
    /// <see cref="DotProductBatch"/> return false: they go on to the kernel blocked over units.
    /// </summary>
    private static bool EmitDotProducts(VariantWriter variant, LayerModel layer, KernelPlan plan)
    {
        var writer = variant.Body;
        var inputs = layer.Input.Size;
        var units = layer.Output.Channels;
        var shape = new DotProductShape(plan.Lanes, plan.Rows, plan.TapsPerStep);
        string Kernel(int rows) => variant.Helper(HelperNames.Samples(rows) + "_" + HelperNames.Dot(plan.Lanes, units), (helper, name) =>
        {
            var kernel = new DotProductKernel(rows, inputs, units, new TapDimension[0], inputs, inputs, DotProductKernel.ForRows(shape, units, inputs, 1, rows),
                layer.UseBias, ActivationPass.Fused(layer), FusedActivation.FoldedChannels(layer));
            kernel.EmitMethod(helper, name, layer.Name + ": " + kernel.Describe() + ".");
        });

        void Blocks(int rows, string weights)
        {
            using (writer.Open("for (; n " + (rows == 1 ? "< batch" : "+ " + rows + " <= batch") + "; " + (rows == 1 ? "n++" : "n += " + rows) + ")"))
            {
                writer.Line("ref float xb = ref " + FrameworkNames.Unsafe + ".Add(ref x, " + CompactLoops.Times("(nint)n", inputs) + ");");
                writer.Line("ref float yb = ref " + FrameworkNames.Unsafe + ".Add(ref y, " + CompactLoops.Times("(nint)n", units) + ");");
                writer.Line(Kernel(rows) + "(ref xb, ref " + weights + ", ref b, ref yb);");
            }
        }

        writer.Line("int n = 0;");
        if (units == 1)
        {
            writer.Comment("Blocks of " + plan.Rows + " samples, then the rest one at a time.");
            Blocks(plan.Rows, "w");
            Blocks(1, "w");
            return true;
        }

        using (writer.Open("if (batch >= " + DotProductBatch(units, plan.Rows) + ")"))
        {
            var weights = DotProductKernel.EmitTransposedWeights(writer, inputs, units);
            if (plan.Rows > 1)
            {
                writer.Comment("Blocks of " + plan.Rows + " samples, then the rest one at a time.");
                Blocks(plan.Rows, weights);
            }

            Blocks(1, weights);
            writer.Line("return;");
        }

        writer.Comment("Smaller batches: blocked over the units, with the kernel as it is.");
        return false;
    }

    private static void EmitVector(VariantWriter variant, LayerModel layer, VectorIsa maxIsa, bool packed)
    {
        var writer = variant.Body;
        var inputs = layer.Input.Size;
        var units = layer.Output.Channels;
        var width = Chunks.Split(units, maxIsa.MaxWidth)[0].Width;
        var isa = maxIsa.ForWidth(width);
        var ops = VectorOps.ForWidth(width);
        var slices = Slices(inputs, units);
        var activation = ActivationPass.Fused(layer);

        // A kernel over `length` inputs: all of them, or a slice (the last one may be shorter, named for its length).
        string KernelOf(int rows, IReadOnlyList<Chunk> group, int length)
        {
            var tag = HelperNames.Samples(rows) + (slices is null || length == slices.Value.Length ? string.Empty : "_Last" + length);
            return variant.Helper(HelperNames.WithVectors(tag, group), (helper, name) =>
            {
                var dimensions = new List<TapDimension> { new("i", length, 1, units) };
                var kernel = new BlockedKernel(BlockedKernel.EvenRows(rows, inputs, units), group,
                    TapPlan.Create(dimensions, isa.TapsPerStep(rows, group.Count, length)), layer.UseBias, activation, Sliced: slices is not null,
                    FoldedChannels: FusedActivation.FoldedChannels(layer));
                kernel.EmitMethod(helper, name, layer.Name + ": " + kernel.Describe() + (slices is null ? string.Empty : ", " + length + " of the " + inputs + " inputs") + ".");
            });
        }

        var slice = slices?.Length ?? inputs;
        string Kernel(int rows, IReadOnlyList<Chunk> group) => KernelOf(rows, group, slice);
        (ReductionSlices, System.Func<IReadOnlyList<Chunk>, string>)? Sliced(int rows) =>
            slices is { } s ? (s, group => KernelOf(rows, group, s.Remainder)) : null;

        var block = SampleBlock(isa);
        var blockGroups = ChunkGroups.Create(units, isa.MaxWidth, BlockVectors(isa, block));
        var singleGroups = ChunkGroups.Create(units, isa.MaxWidth, isa.Accumulators / 2);
        var plan = Plan(layer, maxIsa);
        if (plan.Scheme != KernelScheme.DotProducts)
        {
            writer.Line("int n = 0;");
        }
        else if (EmitDotProducts(variant, layer, plan))
        {
            return;
        }

        // Under the dot products' batch, 1 to 3 units keep single samples only (a batch of 2 or 3: a few
        // kernels more for a few samples); 4 to 7 take blocks (batches up to 15).
        if (block > 1 && (plan.Scheme != KernelScheme.DotProducts || units >= 4))
        {
            writer.Comment("Blocks of " + block + " samples share each kernel row; each group of units (and slice) runs every block before the next, " +
                "so the kernel is read once, not once a block.");
            writer.Line("int blocked = batch / " + block + " * " + block + ";");
            EmitSliceComment(writer, inputs, slice);
            blockGroups.EmitCalls(writer, group => Kernel(block, group), "xb", "w", "b", "yb", Sliced(block), call =>
            {
                using (writer.Open("for (n = 0; n < blocked; n += " + block + ")"))
                {
                    writer.Line("ref float xb = ref " + FrameworkNames.Unsafe + ".Add(ref x, " + CompactLoops.Times("(nint)n", inputs) + ");");
                    writer.Line("ref float yb = ref " + FrameworkNames.Unsafe + ".Add(ref y, " + CompactLoops.Times("(nint)n", units) + ");");
                    call();
                }
            });
            writer.Line("n = blocked;");
        }

        if (plan.StreamsSingleSamples)
        {
            DenseRowStreamEmitter.Emit(writer, layer, width, slices, activation, packed);
            return;
        }

        writer.Comment("The remaining samples one at a time.");
        using (writer.Open("for (; n < batch; n++)"))
        {
            writer.Line("ref float xb = ref " + FrameworkNames.Unsafe + ".Add(ref x, " + CompactLoops.Times("(nint)n", inputs) + ");");
            writer.Line("ref float yb = ref " + FrameworkNames.Unsafe + ".Add(ref y, " + CompactLoops.Times("(nint)n", units) + ");");
            EmitSliceComment(writer, inputs, slice);
            singleGroups.EmitCalls(writer, group => Kernel(1, group), "xb", "w", "b", "yb", Sliced(1));
        }
    }

    private static void EmitSliceComment(SourceWriter writer, int inputs, int slice)
    {
        if (slice < inputs)
        {
            writer.Comment("Each group of units sums the inputs in slices of " + slice + (inputs % slice == 0 ? string.Empty : " (the last " + inputs % slice + ")") +
                ", each from zero, added to the total (see SliceLength).");
        }
    }

    /// <summary>The compact path: a few samples at a time, a step of units, a loop over the inputs.</summary>
    private static void EmitCompact(SourceWriter writer, CompactOps ops, LayerModel layer)
    {
        var inputs = layer.Input.Size;
        var units = layer.Output.Channels;
        CompactLoops.Rows(writer, "n", "batch", ops.Rows, rows =>
        {
            writer.Line("ref float xp = ref " + FrameworkNames.Unsafe + ".Add(ref x, " + CompactLoops.Times("(nint)n", inputs) + ");");
            writer.Line("ref float yp = ref " + FrameworkNames.Unsafe + ".Add(ref y, " + CompactLoops.Times("(nint)n", units) + ");");
            using (ops.OpenChannelLoop(writer, "u", units))
            {
                for (var r = 0; r < rows; r++)
                {
                    writer.Line("var a" + r + " = " + (layer.UseBias ? ops.Load("b", "u") : ops.Zero) + ";");
                }

                if (Slices(inputs, units) is not { } slices)
                {
                    EmitCompactSums(writer, ops, "0", inputs, inputs, units, rows, "a");
                }
                else
                {
                    // Slices summed from zero, then added to the total (see SliceLength).
                    var full = slices.Count * slices.Length;
                    using (writer.Open("for (int s = 0; s < " + full + "; s += " + slices.Length + ")"))
                    {
                        EmitCompactSlice(writer, ops, "s", "s + " + slices.Length, inputs, units, rows);
                    }

                    if (slices.Remainder > 0)
                    {
                        using (writer.Scope())
                        {
                            EmitCompactSlice(writer, ops, full.ToString(System.Globalization.CultureInfo.InvariantCulture), inputs, inputs, units, rows);
                        }
                    }
                }

                for (var r = 0; r < rows; r++)
                {
                    if (layer.FoldsNormalization)
                    {
                        writer.Line("a" + r + " = " + ops.Normalized("a" + r, "b", "u", FusedActivation.FoldedChannels(layer)) + ";");
                    }

                    writer.Line(ops.Store(ops.Activate(ActivationPass.Fused(layer), "a" + r), "yp", CompactLoops.Plus("u", r * units)));
                }
            }
        });
    }

    /// <summary>sum += x[i] * w[i] over inputs from <paramref name="from"/> to <paramref name="to"/>, into accumulators named <paramref name="sum"/>0, 1...</summary>
    private static void EmitCompactSums(SourceWriter writer, CompactOps ops, string from, object to, int inputs, int units, int rows, string sum)
    {
        using (writer.Open("for (int i = " + from + "; i < " + to + "; i++)"))
        {
            writer.Line("var wv = " + ops.Load("w", CompactLoops.Sum(("i", units), ("u", 1))) + ";");
            for (var r = 0; r < rows; r++)
            {
                writer.Line(sum + r + " = " + ops.MultiplyAdd(ops.Broadcast("xp", CompactLoops.Plus("i", r * inputs)), "wv", sum + r) + ";");
            }
        }
    }

    /// <summary>One slice of the compact path: partial sums from zero over the slice, added to the accumulators.</summary>
    private static void EmitCompactSlice(SourceWriter writer, CompactOps ops, string from, object to, int inputs, int units, int rows)
    {
        for (var r = 0; r < rows; r++)
        {
            writer.Line("var s" + r + " = " + ops.Zero + ";");
        }

        EmitCompactSums(writer, ops, from, to, inputs, units, rows, "s");
        for (var r = 0; r < rows; r++)
        {
            writer.Line("a" + r + " += s" + r + ";");
        }
    }
}
