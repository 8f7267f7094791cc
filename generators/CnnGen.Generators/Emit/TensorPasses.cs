using CnnGen.Generators.Emit.Plans;

namespace CnnGen.Generators.Emit;

/// <summary>
/// Passes over whole tensors of a batch that graphs need between layers: copying or adding one
/// tensor's interior into another's (a tensor copied into another frame, and the gradients
/// summed where several layers read one tensor), and filling a frame again (the inference
/// workspace reuses memory). Memory-bound, so they call the runtime's vectorised
/// MergeKernels row by row (one call per sample when the interiors are contiguous).
/// </summary>
internal static class TensorPasses
{
    public const string Kernels = FrameworkNames.Kernels + "MergeKernels";

    /// <summary>to = from (or to += from when <paramref name="accumulate"/>) over the interiors; the layouts have the same shape, frames may differ.</summary>
    public static void EmitInterior(SourceWriter writer, TensorLayout source, TensorLayout target, string from, string to, bool accumulate)
    {
        var kernel = Kernels + (accumulate ? ".Accumulate" : ".Copy");
        if (source.StoredSize == source.Size && target.StoredSize == target.Size)
        {
            writer.Line(kernel + "(ref " + from + ", ref " + to + ", " + CompactLoops.Times("batch", source.Size) + ");");
            return;
        }

        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float sn = ref " + FrameworkNames.Unsafe + ".Add(ref " + from + ", (nint)n * " + source.StoredSize + VectorOps.PlusConstant(source.InteriorOffset) + ");");
            writer.Line("ref float tn = ref " + FrameworkNames.Unsafe + ".Add(ref " + to + ", (nint)n * " + target.StoredSize + VectorOps.PlusConstant(target.InteriorOffset) + ");");
            if (source.InteriorIsContiguous && target.InteriorIsContiguous)
            {
                writer.Line(kernel + "(ref sn, ref tn, " + source.Size + ");");
                return;
            }

            using (writer.Open("for (int r = 0; r < " + source.Height + "; r++)"))
            {
                writer.Line(kernel + "(ref " + FrameworkNames.Unsafe + ".Add(ref sn, r * " + source.RowStride + "), ref " + FrameworkNames.Unsafe + ".Add(ref tn, r * " + target.RowStride + "), " +
                    source.Width * source.Channels + ");");
            }
        }
    }

    /// <summary>Fills the frame of a tensor (zeros, or -infinity before max pooling) for the batch; the interior is left alone.</summary>
    public static void EmitFrameFill(SourceWriter writer, TensorLayout tensor, string name)
    {
        writer.Line(FrameworkNames.Kernels + "MergeKernels.FillFrame(ref " + name + ", batch, " + tensor.StoredHeight + ", " + tensor.StoredWidth + ", " +
            tensor.Channels + ", " + tensor.FrameTop + ", " + tensor.FrameBottom + ", " + tensor.FrameLeft + ", " + tensor.FrameRight + ", " +
            (tensor.FrameIsNegativeInfinity ? "float.NegativeInfinity" : "0f") + ");");
    }
}
