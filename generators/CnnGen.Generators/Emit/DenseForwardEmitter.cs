using System.Collections.Generic;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit;

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
            (body, isa) => EmitVector(body, layer, isa),
            body => EmitScalar(body, layer));
    }

    /// <summary>Samples per block when the batch allows it.</summary>
    public static int SampleBlock(VectorIsa isa) => isa.Accumulators >= 24 ? 4 : 3;

    private static void EmitVector(VariantWriter variant, LayerModel layer, VectorIsa maxIsa)
    {
        var writer = variant.Body;
        var inputs = layer.Input.Size;
        var units = layer.Output.Channels;
        var width = Chunks.Split(units, maxIsa.MaxWidth)[0].Width;
        var isa = maxIsa.ForWidth(width);
        var ops = VectorOps.ForWidth(width);
        var dimensions = new List<TapDimension> { new("i", inputs, 1, units) };
        var activation = ConvolutionForwardEmitter.FusedActivation(layer);

        string Kernel(int rows, IReadOnlyList<Chunk> group) => variant.Helper("Samples" + rows + "_" + Chunks.Signature(group), (helper, name) =>
        {
            var kernel = new BlockedKernel(BlockedKernel.EvenRows(rows, inputs, units), group,
                TapPlan.Create(dimensions, System.Math.Max(1, isa.UnrollBudget / (rows * group.Count))), layer.UseBias, activation);
            kernel.EmitMethod(helper, name, layer.Name + ": " + kernel.Describe() + ".");
        });

        var block = SampleBlock(isa);
        var blockGroups = ChunkGroups.Create(units, isa.MaxWidth, isa.Accumulators / block);
        var singleGroups = ChunkGroups.Create(units, isa.MaxWidth, isa.Accumulators / 2);
        writer.Line("int n = 0;");
        writer.Comment("Blocks of " + block + " samples share each kernel row.");
        using (writer.Open("for (; n + " + block + " <= batch; n += " + block + ")"))
        {
            writer.Line("ref float xb = ref Unsafe.Add(ref x, (nint)n * " + inputs + ");");
            writer.Line("ref float yb = ref Unsafe.Add(ref y, (nint)n * " + units + ");");
            blockGroups.EmitCalls(writer, group => Kernel(block, group), "xb", "w", "b", "yb");
        }

        writer.Comment("The remaining samples one at a time.");
        using (writer.Open("for (; n < batch; n++)"))
        {
            writer.Line("ref float xb = ref Unsafe.Add(ref x, (nint)n * " + inputs + ");");
            writer.Line("ref float yb = ref Unsafe.Add(ref y, (nint)n * " + units + ");");
            singleGroups.EmitCalls(writer, group => Kernel(1, group), "xb", "w", "b", "yb");
        }
    }

    private static void EmitScalar(SourceWriter writer, LayerModel layer)
    {
        var inputs = layer.Input.Size;
        var units = layer.Output.Channels;
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float xn = ref Unsafe.Add(ref x, (nint)n * " + inputs + ");");
            writer.Line("ref float yn = ref Unsafe.Add(ref y, (nint)n * " + units + ");");
            using (writer.Open("for (int u = 0; u < " + units + "; u++)"))
            {
                writer.Line("float sum = " + (layer.UseBias ? "Unsafe.Add(ref b, u)" : "0f") + ";");
                using (writer.Open("for (int i = 0; i < " + inputs + "; i++)"))
                {
                    writer.Line("sum += Unsafe.Add(ref xn, i) * Unsafe.Add(ref w, i * " + units + " + u);");
                }

                writer.Line("Unsafe.Add(ref yn, u) = " + ScalarActivation.Fused(ConvolutionForwardEmitter.FusedActivation(layer), "sum") + ";");
            }
        }
    }
}
