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
        KernelVariants.Emit(writer, layer.AccessorName + "Forward",
            "ref float w, ref float b, ref float x, ref float y, int batch", "ref w, ref b, ref x, ref y, batch", comment,
            (variant, isa) => EmitVector(variant, layer, isa),
            body => EmitCompact(body, CompactOps.Scalar, layer));
    }

    /// <summary>Samples per block when the batch allows it.</summary>
    public static int SampleBlock(VectorIsa isa) => isa == VectorIsa.V512 ? 4 : isa == VectorIsa.V256 || isa == VectorIsa.V128 ? 3 : 1;

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
        var isa = maxIsa.ForWidth(Chunks.Split(units, maxIsa.MaxWidth)[0].Width);
        var block = SampleBlock(isa);
        var groups = ChunkGroups.Create(units, isa.MaxWidth, BlockVectors(isa, block));
        return new KernelPlan("forward", maxIsa.Suffix, KernelScheme.ChannelVectors, groups.Width, block, groups.Group.Count,
            isa.TapsPerStep(block, groups.Group.Count, layer.Input.Size));
    }

    private static void EmitVector(VariantWriter variant, LayerModel layer, VectorIsa maxIsa)
    {
        var writer = variant.Body;
        var inputs = layer.Input.Size;
        var units = layer.Output.Channels;
        var width = Chunks.Split(units, maxIsa.MaxWidth)[0].Width;
        var isa = maxIsa.ForWidth(width);
        var ops = VectorOps.ForWidth(width);
        var dimensions = new List<TapDimension> { new("i", inputs, 1, units) };
        var activation = ActivationPass.Fused(layer);

        string Kernel(int rows, IReadOnlyList<Chunk> group) => variant.Helper(HelperNames.WithVectors(HelperNames.Samples(rows), group), (helper, name) =>
        {
            var kernel = new BlockedKernel(BlockedKernel.EvenRows(rows, inputs, units), group,
                TapPlan.Create(dimensions, isa.TapsPerStep(rows, group.Count, inputs)), layer.UseBias, activation, FoldedChannels: FusedActivation.FoldedChannels(layer));
            kernel.EmitMethod(helper, name, layer.Name + ": " + kernel.Describe() + ".");
        });

        var block = SampleBlock(isa);
        var blockGroups = ChunkGroups.Create(units, isa.MaxWidth, BlockVectors(isa, block));
        var singleGroups = ChunkGroups.Create(units, isa.MaxWidth, isa.Accumulators / 2);
        writer.Line("int n = 0;");
        if (block > 1)
        {
            writer.Comment("Blocks of " + block + " samples share each kernel row.");
            using (writer.Open("for (; n + " + block + " <= batch; n += " + block + ")"))
            {
                writer.Line("ref float xb = ref " + FrameworkNames.Unsafe + ".Add(ref x, " + CompactLoops.Times("(nint)n", inputs) + ");");
                writer.Line("ref float yb = ref " + FrameworkNames.Unsafe + ".Add(ref y, " + CompactLoops.Times("(nint)n", units) + ");");
                blockGroups.EmitCalls(writer, group => Kernel(block, group), "xb", "w", "b", "yb");
            }
        }

        writer.Comment("The remaining samples one at a time.");
        using (writer.Open("for (; n < batch; n++)"))
        {
            writer.Line("ref float xb = ref " + FrameworkNames.Unsafe + ".Add(ref x, " + CompactLoops.Times("(nint)n", inputs) + ");");
            writer.Line("ref float yb = ref " + FrameworkNames.Unsafe + ".Add(ref y, " + CompactLoops.Times("(nint)n", units) + ");");
            singleGroups.EmitCalls(writer, group => Kernel(1, group), "xb", "w", "b", "yb");
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

                using (writer.Open("for (int i = 0; i < " + inputs + "; i++)"))
                {
                    writer.Line("var wv = " + ops.Load("w", CompactLoops.Sum(("i", units), ("u", 1))) + ";");
                    for (var r = 0; r < rows; r++)
                    {
                        writer.Line("a" + r + " = " + ops.MultiplyAdd(ops.Broadcast("xp", CompactLoops.Plus("i", r * inputs)), "wv", "a" + r) + ";");
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
}
