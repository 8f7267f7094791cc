using System.Collections.Generic;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit;

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
            body => EmitScalar(body, layer, input, target));
    }

    public static string FrameComment(LayerModel layer, TensorLayout input) => input.HasFrame
        ? "The input is stored inside a frame of zeros (top " + input.FrameTop + ", bottom " + input.FrameBottom + ", left " +
          input.FrameLeft + ", right " + input.FrameRight + "), so all " + layer.Output.Height + "x" + layer.Output.Width +
          " output positions are interior: no border code."
        : "No padding: every window lies inside the input.";

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

    private static void EmitVector(VariantWriter variant, LayerModel layer, TensorLayout input, TensorLayout target, VectorIsa maxIsa)
    {
        var writer = variant.Body;
        var filters = layer.Output.Channels;
        var groups = ChunkGroups.Create(filters, maxIsa.MaxWidth, 4);
        var isa = maxIsa.ForWidth(groups.Width);
        var ops = VectorOps.ForWidth(groups.Width);
        var maxRows = System.Math.Max(1, isa.Accumulators / groups.Group.Count);
        var dimensions = Dimensions(layer, input);
        var xStep = layer.StrideWidth * layer.Input.Channels;
        var positions = layer.Output.Height * layer.Output.Width;

        string Kernel(string tag, IReadOnlyList<BlockRow> rows, IReadOnlyList<Chunk> group) => variant.Helper(tag + "_" + Chunks.Signature(group), (helper, name) =>
        {
            var kernel = new BlockedKernel(rows, group, TapPlan.Create(dimensions, System.Math.Max(1, isa.UnrollBudget / (rows.Count * group.Count))),
                layer.UseBias, FusedActivation(layer));
            kernel.EmitMethod(helper, name, layer.Name + ": " + kernel.Describe() + ".");
        });

        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float xn = ref Unsafe.Add(ref x, (nint)n * " + input.StoredSize + ");");
            writer.Line("ref float yn = ref Unsafe.Add(ref y, (nint)n * " + target.StoredSize + " + " + target.InteriorOffset + ");");
            if (positions <= maxRows && layer.Output.Height > 1)
            {
                // A small output: every position in one block, unrolled whole.
                var rows = new List<BlockRow>();
                for (var oh = 0; oh < layer.Output.Height; oh++)
                {
                    for (var ow = 0; ow < layer.Output.Width; ow++)
                    {
                        rows.Add(new BlockRow(oh * layer.StrideHeight * input.RowStride + ow * xStep, oh * target.RowStride + ow * filters));
                    }
                }

                writer.Comment("All " + positions + " output positions in one block.");
                groups.EmitCalls(writer, group => Kernel("All", rows, group), "xn", "w", "b", "yn");
                return;
            }

            var block = VectorIsa.PickBlock(layer.Output.Width, maxRows);
            using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
            {
                writer.Line("ref float xr = ref Unsafe.Add(ref xn, oh * " + layer.StrideHeight * input.RowStride + ");");
                writer.Line("ref float yr = ref Unsafe.Add(ref yn, oh * " + target.RowStride + ");");
                var full = layer.Output.Width / block * block;
                if (full == block)
                {
                    groups.EmitCalls(writer, group => Kernel("Row" + block, BlockedKernel.EvenRows(block, xStep, filters), group), "xr", "w", "b", "yr");
                }
                else if (full > 0)
                {
                    writer.Comment("Output columns 0.." + (full - 1) + " in blocks of " + block + ".");
                    using (writer.Open("for (int ow = 0; ow < " + full + "; ow += " + block + ")"))
                    {
                        writer.Line("ref float xb = ref Unsafe.Add(ref xr, ow * " + xStep + ");");
                        writer.Line("ref float yb = ref Unsafe.Add(ref yr, ow * " + filters + ");");
                        groups.EmitCalls(writer, group => Kernel("Row" + block, BlockedKernel.EvenRows(block, xStep, filters), group), "xb", "w", "b", "yb");
                    }
                }

                var rest = layer.Output.Width - full;
                if (rest > 0)
                {
                    writer.Comment("Output columns " + full + ".." + (layer.Output.Width - 1) + ".");
                    writer.Line("ref float xt = ref Unsafe.Add(ref xr, " + full * xStep + ");");
                    writer.Line("ref float yt = ref Unsafe.Add(ref yr, " + full * filters + ");");
                    groups.EmitCalls(writer, group => Kernel("Row" + rest, BlockedKernel.EvenRows(rest, xStep, filters), group), "xt", "w", "b", "yt");
                }
            }
        }
    }

    /// <summary>Plain loops over the same layout: the path for machines without SIMD.</summary>
    private static void EmitScalar(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout target)
    {
        var channels = layer.Input.Channels;
        var filters = layer.Output.Channels;
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float xn = ref Unsafe.Add(ref x, (nint)n * " + input.StoredSize + ");");
            writer.Line("ref float yn = ref Unsafe.Add(ref y, (nint)n * " + target.StoredSize + " + " + target.InteriorOffset + ");");
            using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
            using (writer.Open("for (int ow = 0; ow < " + layer.Output.Width + "; ow++)"))
            {
                writer.Line("ref float xp = ref Unsafe.Add(ref xn, oh * " + layer.StrideHeight * input.RowStride + " + ow * " + layer.StrideWidth * channels + ");");
                writer.Line("ref float yp = ref Unsafe.Add(ref yn, oh * " + target.RowStride + " + ow * " + filters + ");");
                using (writer.Open("for (int f = 0; f < " + filters + "; f++)"))
                {
                    writer.Line("float sum = " + (layer.UseBias ? "Unsafe.Add(ref b, f)" : "0f") + ";");
                    using (writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)"))
                    using (writer.Open("for (int kw = 0; kw < " + layer.KernelWidth + "; kw++)"))
                    using (writer.Open("for (int c = 0; c < " + channels + "; c++)"))
                    {
                        writer.Line("sum += Unsafe.Add(ref xp, kh * " + layer.DilationHeight * input.RowStride + " + kw * " +
                            layer.DilationWidth * channels + " + c) * Unsafe.Add(ref w, ((kh * " + layer.KernelWidth + " + kw) * " +
                            channels + " + c) * " + filters + " + f);");
                    }

                    writer.Line("Unsafe.Add(ref yp, f) = " + ScalarActivation.Fused(FusedActivation(layer), "sum") + ";");
                }
            }
        }
    }

    /// <summary>The activation applied in registers; others run in a separate pass over the pre-activation.</summary>
    public static ActivationKind FusedActivation(LayerModel layer) =>
        ActivationPlan.IsFused(layer.Activation) ? layer.Activation : ActivationKind.Linear;
}
