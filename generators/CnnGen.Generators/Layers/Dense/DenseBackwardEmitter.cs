using System.Collections.Generic;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// Backward code of Dense, from dL/d(pre-activation) dz: the bias gradient (sum of dz over
/// the batch), the kernel gradient (dz vectors times broadcast inputs, summed over the
/// batch) and the input gradient (the forward kernel with the kernel transposed).
/// </summary>
internal static class DenseBackwardEmitter
{
    public static void Emit(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout output, DataFormat format, bool inputGradient)
    {
        var describe = LayerDescriber.Describe(layer, format);
        var inputs = layer.Input.Size;
        var units = layer.Output.Channels;
        if (layer.UseBias)
        {
            var loops = new List<SumLoop> { new("n", "batch", 0, units) };
            KernelVariants.Emit(writer, layer.AccessorName + "BiasGradient", "ref float d, ref float db, int batch", "ref d, ref db, batch",
                describe + "\ndL/d(bias) = the sum of dz over the batch.",
                (variant, isa) => ConvolutionBackwardEmitter.EmitBiasGradient(variant, units, output, isa, loops),
                body => ConvolutionBackwardEmitter.EmitCompactBiasGradient(body, CompactOps.Scalar, units, output, loops));
        }

        KernelVariants.Emit(writer, layer.AccessorName + "KernelGradient", "ref float x, ref float d, ref float dw, int batch", "ref x, ref d, ref dw, batch",
            describe + "\ndL/d(kernel)[i, u] = the sum over the batch of input[i] * dz[u].",
            (variant, isa) => EmitKernelGradient(variant, layer, isa),
            body => EmitCompactKernelGradient(body, CompactOps.Scalar, layer));

        if (!inputGradient)
        {
            return;
        }

        writer.Comment(layer.Name + ": the kernel transposed, wt[u, i] = w[i, u], so that inputs are contiguous.");
        using (writer.Open("private static void " + layer.AccessorName + "TransposeKernel(ref float w, ref float wt)"))
        {
            writer.Line(FrameworkNames.Kernels + "MatrixTranspose.Transpose(ref w, ref wt, 1, " + inputs + ", " + units + ");");
        }

        writer.Line();
        KernelVariants.Emit(writer, layer.AccessorName + "InputGradient", "ref float d, ref float wt, ref float dx, int batch", "ref d, ref wt, ref dx, batch",
            describe + "\ndL/d(input)[i] = the sum over units of dz[u] * kernel[i, u].",
            (variant, isa) => EmitInputGradient(variant, layer, isa),
            body => EmitCompactInputGradient(body, CompactOps.Scalar, layer));
    }

    /// <summary>
    /// The kernel gradient's plan: for few units (1 to 3; to 7 at 512 bits) vectors of inputs times each unit's gradient
    /// (with several units, for batches of at least <see cref="InputVectorsBatch"/>); otherwise
    /// rows of inputs broadcast times vectors of units, summed over the batch.
    /// </summary>
    public static KernelPlan KernelGradientPlan(LayerModel layer, VectorIsa isa)
    {
        if (InputVectors(layer, isa) is { } inputVectors)
        {
            return new KernelPlan("kernel gradient", isa.Suffix, KernelScheme.InputVectors, inputVectors.Lanes, inputVectors.Vectors, layer.Output.Channels);
        }

        return OuterProductsPlan(layer, isa);
    }

    /// <summary>Rows of inputs broadcast times vectors of units (of several units, smaller batches of several units too).</summary>
    private static KernelPlan OuterProductsPlan(LayerModel layer, VectorIsa isa)
    {
        var groups = ChunkGroups.Create(layer.Output.Channels, isa.MaxWidth, isa.MaxGroupVectors);
        var narrow = isa.ForWidth(groups.Width);
        var block = VectorIsa.PickBlock(layer.Input.Size, System.Math.Max(1, narrow.Accumulators / groups.Group.Count - 1));
        return new KernelPlan("kernel gradient", isa.Suffix, KernelScheme.OuterProducts, groups.Width, block, groups.Group.Count);
    }

    /// <summary>The input gradient's plan: the forward's blocks of samples, over vectors of inputs.</summary>
    public static KernelPlan InputGradientPlan(LayerModel layer, VectorIsa maxIsa)
    {
        var inputs = layer.Input.Size;
        var isa = maxIsa.ForWidth(Chunks.Split(inputs, maxIsa.MaxWidth)[0].Width);
        var block = DenseForwardEmitter.SampleBlock(isa);
        var groups = ChunkGroups.Create(inputs, isa.MaxWidth, DenseForwardEmitter.BlockVectors(isa, block));
        return new KernelPlan("input gradient", maxIsa.Suffix, KernelScheme.ChannelVectors, groups.Width, block, groups.Group.Count,
            isa.TapsPerStep(block, groups.Group.Count));
    }

    /// <summary>
    /// The kernel gradient of few units (<see cref="DotProductKernel.FewUnits"/>, <see cref="InputVectorGradient"/>): vectors of inputs;
    /// null for more units, fewer inputs than a vector, or a kernel too large to transpose on the stack.
    /// </summary>
    private static (int Lanes, int Vectors)? InputVectors(LayerModel layer, VectorIsa isa)
    {
        var units = layer.Output.Channels;
        return !DotProductKernel.FewUnits(units, isa) || !DotProductKernel.Transposable(layer.Input.Size, units)
            ? null
            : InputVectorGradient.Choose(isa, units, layer.Input.Size);
    }

    /// <summary>
    /// The smallest batch whose kernel gradient of several units runs in vectors of inputs: the
    /// transposition of the sums at the end costs about a sample's products for 2 or 3 units, a
    /// few samples' for 4 to 7 (2,048 inputs to 5 units: the forward and backward took 1.18x the
    /// time at batch 4, 0.71x at 8, 0.24x at 32).
    /// </summary>
    internal static int InputVectorsBatch(int units) => units <= 3 ? 4 : 8;

    private static void EmitKernelGradient(VariantWriter variant, LayerModel layer, VectorIsa isa)
    {
        var writer = variant.Body;
        var inputs = layer.Input.Size;
        var units = layer.Output.Channels;
        var plan = KernelGradientPlan(layer, isa);
        if (plan.Scheme == KernelScheme.InputVectors)
        {
            void InputVectors() => InputVectorGradient.Emit(variant, layer.Name, units, inputs, new TapDimension[0], inputs, new List<SumLoop> { new("n", "batch", inputs, units) }, "d",
                (plan.Lanes, plan.Rows));
            if (units == 1)
            {
                InputVectors();
                return;
            }

            // With several units the sums are transposed into dw at the end, which costs about as
            // much as a sample's products (and as a few samples' for 4 to 7 units): smaller batches
            // keep the kernel blocked over units.
            writer.Comment("Batches of at least " + InputVectorsBatch(units) + " samples: vectors of inputs (the sums transposed into dw at the end).");
            using (writer.Open("if (batch >= " + InputVectorsBatch(units) + ")"))
            {
                InputVectors();
                writer.Line("return;");
            }
        }

        var groups = ChunkGroups.Create(units, isa.MaxWidth, isa.MaxGroupVectors);
        var ops = VectorOps.ForWidth(groups.Width);
        var block = OuterProductsPlan(layer, isa).Rows;
        var loops = new List<SumLoop> { new("n", "batch", inputs, units) };

        string Kernel(int rows, IReadOnlyList<Chunk> group) => variant.Helper(HelperNames.WithVectors(HelperNames.KernelRows(rows), group), (helper, name) =>
        {
            var kernel = new OuterProductKernel(ops, rows, 1, units, group, loops);
            kernel.EmitMethod(helper, name, layer.Name + ": " + kernel.Describe() + ".");
        });

        var full = inputs / block * block;
        if (full == block)
        {
            groups.EmitSumCalls(writer, group => Kernel(block, group), "x", "d", "dw");
        }
        else if (full > 0)
        {
            using (writer.Open("for (int i = 0; i < " + full + "; i += " + block + ")"))
            {
                writer.Line("ref float xi = ref " + FrameworkNames.Unsafe + ".Add(ref x, i);");
                writer.Line("ref float wi = ref " + FrameworkNames.Unsafe + ".Add(ref dw, " + CompactLoops.Times("i", units) + ");");
                groups.EmitSumCalls(writer, group => Kernel(block, group), "xi", "d", "wi");
            }
        }

        var rest = inputs - full;
        if (rest > 0)
        {
            writer.Line("ref float xr = ref " + FrameworkNames.Unsafe + ".Add(ref x, " + full + ");");
            writer.Line("ref float wr = ref " + FrameworkNames.Unsafe + ".Add(ref dw, " + full * units + ");");
            groups.EmitSumCalls(writer, group => Kernel(rest, group), "xr", "d", "wr");
        }
    }

    /// <summary>The compact dL/d(kernel): a few inputs x a step of units, summed over the batch.</summary>
    private static void EmitCompactKernelGradient(SourceWriter writer, CompactOps ops, LayerModel layer)
    {
        var inputs = layer.Input.Size;
        var units = layer.Output.Channels;
        CompactLoops.Rows(writer, "i", inputs.ToString(System.Globalization.CultureInfo.InvariantCulture), ops.Rows, rows =>
        {
            using (ops.OpenChannelLoop(writer, "u", units))
            {
                for (var r = 0; r < rows; r++)
                {
                    writer.Line("var a" + r + " = " + ops.Zero + ";");
                }

                using (writer.Open("for (int n = 0; n < batch; n++)"))
                {
                    writer.Line("var dv = " + ops.Load("d", CompactLoops.Sum(("(nint)n", units), ("u", 1))) + ";");
                    for (var r = 0; r < rows; r++)
                    {
                        writer.Line("a" + r + " = " + ops.MultiplyAdd(ops.Broadcast("x", CompactLoops.Plus(CompactLoops.Sum(("(nint)n", inputs), ("i", 1)), r)), "dv", "a" + r) + ";");
                    }
                }

                for (var r = 0; r < rows; r++)
                {
                    writer.Line(ops.Store("a" + r, "dw", CompactLoops.Sum((CompactLoops.Plus("i", r), units), ("u", 1))));
                }
            }
        });
    }

    private static void EmitInputGradient(VariantWriter variant, LayerModel layer, VectorIsa maxIsa)
    {
        var writer = variant.Body;
        var inputs = layer.Input.Size;
        var units = layer.Output.Channels;
        var width = Chunks.Split(inputs, maxIsa.MaxWidth)[0].Width;
        var isa = maxIsa.ForWidth(width);
        var dimensions = new List<TapDimension> { new("u", units, 1, inputs) };

        string Kernel(int rows, IReadOnlyList<Chunk> group) => variant.Helper(HelperNames.WithVectors(HelperNames.Samples(rows), group), (helper, name) =>
        {
            var kernel = new BlockedKernel(BlockedKernel.EvenRows(rows, units, inputs), group,
                TapPlan.Create(dimensions, isa.TapsPerStep(rows, group.Count)), false, ActivationKind.Linear);
            kernel.EmitMethod(helper, name, layer.Name + ": " + kernel.Describe() + ".");
        });

        var block = DenseForwardEmitter.SampleBlock(isa);
        var blockGroups = ChunkGroups.Create(inputs, isa.MaxWidth, DenseForwardEmitter.BlockVectors(isa, block));
        var singleGroups = ChunkGroups.Create(inputs, isa.MaxWidth, isa.Accumulators / 2);
        writer.Line("int n = 0;");
        if (block > 1)
        {
            using (writer.Open("for (; n + " + block + " <= batch; n += " + block + ")"))
            {
                writer.Line("ref float db = ref " + FrameworkNames.Unsafe + ".Add(ref d, " + CompactLoops.Times("(nint)n", units) + ");");
                writer.Line("ref float xb = ref " + FrameworkNames.Unsafe + ".Add(ref dx, " + CompactLoops.Times("(nint)n", inputs) + ");");
                blockGroups.EmitCalls(writer, group => Kernel(block, group), "db", "wt", "wt", "xb");
            }
        }

        using (writer.Open("for (; n < batch; n++)"))
        {
            writer.Line("ref float db = ref " + FrameworkNames.Unsafe + ".Add(ref d, " + CompactLoops.Times("(nint)n", units) + ");");
            writer.Line("ref float xb = ref " + FrameworkNames.Unsafe + ".Add(ref dx, " + CompactLoops.Times("(nint)n", inputs) + ");");
            singleGroups.EmitCalls(writer, group => Kernel(1, group), "db", "wt", "wt", "xb");
        }
    }

    /// <summary>The compact dL/d(input): a few samples x a step of inputs, summed over the units.</summary>
    private static void EmitCompactInputGradient(SourceWriter writer, CompactOps ops, LayerModel layer)
    {
        var inputs = layer.Input.Size;
        var units = layer.Output.Channels;
        CompactLoops.Rows(writer, "n", "batch", ops.Rows, rows =>
        {
            writer.Line("ref float dp = ref " + FrameworkNames.Unsafe + ".Add(ref d, " + CompactLoops.Times("(nint)n", units) + ");");
            writer.Line("ref float xp = ref " + FrameworkNames.Unsafe + ".Add(ref dx, " + CompactLoops.Times("(nint)n", inputs) + ");");
            using (ops.OpenChannelLoop(writer, "i", inputs))
            {
                for (var r = 0; r < rows; r++)
                {
                    writer.Line("var a" + r + " = " + ops.Zero + ";");
                }

                using (writer.Open("for (int u = 0; u < " + units + "; u++)"))
                {
                    writer.Line("var wv = " + ops.Load("wt", CompactLoops.Sum(("u", inputs), ("i", 1))) + ";");
                    for (var r = 0; r < rows; r++)
                    {
                        writer.Line("a" + r + " = " + ops.MultiplyAdd(ops.Broadcast("dp", CompactLoops.Plus("u", r * units)), "wv", "a" + r) + ";");
                    }
                }

                for (var r = 0; r < rows; r++)
                {
                    writer.Line(ops.Store("a" + r, "xp", CompactLoops.Plus("i", r * inputs)));
                }
            }
        });
    }
}
