using System.Collections.Generic;
using System.Linq;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// The input gradient of a convolution of 1 to 3 input channels from 4 or more filters: a
/// first layer's on a grey or RGB image, and the forward pass of a transposed convolution to 1
/// to 3 channels (a decoder's last layer, to RGB: its adjoint convolution's input gradient).
/// Each output position's filters times the kernel are added at position x stride + tap.
/// Vectors over those few input channels would be mostly empty (1 or 3 of 4 lanes, one filter
/// broadcast per multiply-add), so each sum of a tap is a dot product over vectors of the
/// position's filters instead: the kernel (kh, kw, input channels, filters) holds each sum's
/// weights contiguous, so it is read as it is (no transposition). Four sums at a time are added
/// across by the runtime's <c>Sum4</c> and added into the input gradient: as one 128-bit vector
/// where they are four consecutive floats (an undilated kernel row's taps), else a float at a
/// time (a vector of a tap's 1 to 3 channels would add into the next position's). The input
/// gradient has the input's frame, so the taps over the padding add into the frame.
/// </summary>
internal static class FewChannelInputGradient
{
    /// <summary>
    /// Whether <paramref name="layer"/>'s input gradient takes both kernels (this one's and the
    /// transposed one of the kernels of channel vectors): at most 3 input channels, at least 4
    /// filters, no groups. Each width then picks with <see cref="Runs"/>.
    /// </summary>
    public static bool Applies(LayerModel layer) => layer.Kind is LayerKind.Conv1D or LayerKind.Conv2D && layer.Groups == 1 && layer.Input.Channels <= 3 && layer.Output.Channels >= 4;

    /// <summary>
    /// Whether the width runs the dot products: the position's channels in at most 8 vectors (which
    /// stay in registers beside the sums; at 128 bits 64 channels in 16 vectors ran 2x slower than
    /// the kernels of channel vectors), and a kernel row's multiply-adds within the unrolling budget.
    /// </summary>
    public static bool Runs(LayerModel layer, VectorIsa isa)
    {
        if (!Applies(layer))
        {
            return false;
        }

        var vectors = Vectors(layer.Output.Channels, Lanes(layer, isa));
        return vectors <= MaxVectors && (long)layer.KernelWidth * layer.Input.Channels * vectors <= UnrollBudget;
    }

    /// <summary>Whether every width runs the dot products (the narrowest has the most vectors), so no width needs the kernels of channel vectors' padded sums.</summary>
    public static bool RunsAtEveryWidth(LayerModel layer) => VectorIsa.All.All(isa => Runs(layer, isa));

    /// <summary>The most vectors of a position's channels (see <see cref="Runs"/>).</summary>
    public const int MaxVectors = 8;

    /// <summary>
    /// Multiply-adds unrolled in one method: every tap's, or a kernel row's in a loop over the
    /// rows (more would pass the JIT's inlining budget).
    /// </summary>
    public const int UnrollBudget = 384;

    private static int Vectors(int filters, int lanes) => (filters + lanes - 1) / lanes;

    /// <summary>Floats per vector of input channels: the widest of 16, 8 and 4 that the variant has and the channels fill.</summary>
    public static int Lanes(LayerModel layer, VectorIsa isa) => new[] { 16, 8, 4 }.First(l => l <= isa.MaxWidth && l <= layer.Output.Channels);

    /// <summary>Rows: one input position at a time; vectors: the outputs of a tap (its channels).</summary>
    public static KernelPlan Plan(LayerModel layer, VectorIsa isa) =>
        new("input gradient", isa.Suffix, KernelScheme.DotProducts, Lanes(layer, isa), 1, layer.Input.Channels, 1);

    public static void EmitVector(VariantWriter variant, LayerModel layer, TensorLayout target, TensorLayout output, VectorIsa isa)
    {
        var writer = variant.Body;
        var lanes = Lanes(layer, isa);
        var ops = VectorOps.ForWidth(lanes);
        var filters = layer.Output.Channels;
        var channels = layer.Input.Channels;
        var starts = new List<int>();
        for (var start = 0; start + lanes <= filters; start += lanes)
        {
            starts.Add(start);
        }

        var shifted = filters % lanes != 0;
        if (shifted)
        {
            starts.Add(filters - lanes);
        }

        writer.Comment("Each output of a tap (" + channels + (channels == 1 ? " channel" : " channels") + ") a dot product over " + starts.Count + (starts.Count == 1 ? " vector" : " vectors") +
            " of the position's " + filters + " channels; four sums at a time added across.");
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float dn = ref " + FrameworkNames.Unsafe + ".Add(ref d, " + CompactLoops.Times("(nint)n", output.StoredSize) + VectorOps.PlusConstant(output.InteriorOffset) + ");");
            writer.Line("ref float zn = ref " + FrameworkNames.Unsafe + ".Add(ref dx, (nint)n * " + target.StoredSize + ");");
            using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
            using (writer.Open("for (int ow = 0; ow < " + layer.Output.Width + "; ow++)"))
            {
                writer.Line("ref float dp = ref " + FrameworkNames.Unsafe + ".Add(ref dn, " + CompactLoops.Sum(("oh", output.RowStride), ("ow", filters)) + ");");
                writer.Line("ref float zp = ref " + FrameworkNames.Unsafe + ".Add(ref zn, " + CompactLoops.Sum(("oh", layer.StrideHeight * target.RowStride), ("ow", layer.StrideWidth * channels)) + ");");
                for (var v = 0; v < starts.Count; v++)
                {
                    var load = ops.Load("dp", starts[v]);
                    var last = shifted && v == starts.Count - 1;
                    var counted = last ? starts[v - 1] + lanes - starts[v] : 0;
                    writer.Line("var x" + v + " = " + (last ? ops.Select(Enumerable.Range(0, lanes).Select(l => l >= counted), load, ops.Zero) : load) + ";");
                }

                var wholeKernel = (long)layer.KernelHeight * layer.KernelWidth * channels * starts.Count <= UnrollBudget;
                var zRef = "zp";
                var wRef = "w";
                SourceWriter.Block? loop = wholeKernel ? null : writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)");
                if (!wholeKernel)
                {
                    writer.Line("ref float zk = ref " + FrameworkNames.Unsafe + ".Add(ref zp, " + CompactLoops.Times("kh", layer.DilationHeight * target.RowStride) + ");");
                    writer.Line("ref float wk = ref " + FrameworkNames.Unsafe + ".Add(ref w, " + CompactLoops.Times("kh", layer.KernelWidth * channels * filters) + ");");
                    (zRef, wRef) = ("zk", "wk");
                }

                foreach (var quad in Quads(layer, target, wholeKernel ? layer.KernelHeight : 1))
                {
                    using (writer.Scope())
                    {
                        for (var j = 0; j < quad.Count; j++)
                        {
                            var sum = ops.Zero;
                            for (var v = 0; v < starts.Count; v++)
                            {
                                sum = ops.MultiplyAdd("x" + v, ops.Load(wRef, quad[j].W + starts[v]), sum);
                            }

                            writer.Line("var a" + j + " = " + sum + ";");
                        }

                        SumsAcross.AddQuad(writer, ops, quad.Select((q, j) => ("a" + j, q.Z)).ToList(), zRef, scoped: true);
                    }
                }

                loop?.Dispose();
            }
        }
    }

    /// <summary>
    /// The (tap, channel) outputs of an input position four at a time, as (offset in the sums,
    /// offset of the weights) of the first <paramref name="kernelRows"/> kernel rows: along each row first, where an undilated row's outputs are
    /// consecutive floats (one vector added at once), then the rows' rests together.
    /// </summary>
    private static List<List<(int Z, int W)>> Quads(LayerModel layer, TensorLayout target, int kernelRows)
    {
        var channels = layer.Input.Channels;
        var filters = layer.Output.Channels;
        var quads = new List<List<(int Z, int W)>>();
        var rests = new List<(int Z, int W)>();
        for (var kh = 0; kh < kernelRows; kh++)
        {
            var row = new List<(int Z, int W)>();
            for (var kw = 0; kw < layer.KernelWidth; kw++)
            {
                for (var c = 0; c < channels; c++)
                {
                    row.Add((kh * layer.DilationHeight * target.RowStride + kw * layer.DilationWidth * channels + c, ((kh * layer.KernelWidth + kw) * channels + c) * filters));
                }
            }

            var whole = row.Count / 4 * 4;
            for (var first = 0; first < whole; first += 4)
            {
                quads.Add(row.GetRange(first, 4));
            }

            rests.AddRange(row.Skip(whole));
        }

        for (var first = 0; first < rests.Count; first += 4)
        {
            quads.Add(rests.Skip(first).Take(4).ToList());
        }

        return quads;
    }

    /// <summary>Plain loops over the same kernel layout: machines without vectors.</summary>
    public static void EmitScalar(SourceWriter writer, LayerModel layer, TensorLayout target, TensorLayout output)
    {
        var filters = layer.Output.Channels;
        var channels = layer.Input.Channels;
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float dn = ref " + FrameworkNames.Unsafe + ".Add(ref d, " + CompactLoops.Times("(nint)n", output.StoredSize) + VectorOps.PlusConstant(output.InteriorOffset) + ");");
            writer.Line("ref float zn = ref " + FrameworkNames.Unsafe + ".Add(ref dx, (nint)n * " + target.StoredSize + ");");
            using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
            using (writer.Open("for (int ow = 0; ow < " + layer.Output.Width + "; ow++)"))
            using (writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)"))
            using (writer.Open("for (int kw = 0; kw < " + layer.KernelWidth + "; kw++)"))
            using (writer.Open("for (int c = 0; c < " + channels + "; c++)"))
            {
                writer.Line("ref float dp = ref " + FrameworkNames.Unsafe + ".Add(ref dn, " + CompactLoops.Sum(("oh", output.RowStride), ("ow", filters)) + ");");
                writer.Line("ref float wc = ref " + FrameworkNames.Unsafe + ".Add(ref w, (" + CompactLoops.Sum(("kh", layer.KernelWidth * channels), ("kw", channels), ("c", 1)) + ") * " + filters + ");");
                writer.Line("float a = 0f;");
                using (writer.Open("for (int f = 0; f < " + filters + "; f++)"))
                {
                    writer.Line("a += " + VectorOps.Element("dp", "f") + " * " + VectorOps.Element("wc", "f") + ";");
                }

                writer.Line(VectorOps.Element("zn", CompactLoops.Sum(
                    (CompactLoops.Sum(("oh", layer.StrideHeight), ("kh", layer.DilationHeight)), target.RowStride),
                    (CompactLoops.Sum(("ow", layer.StrideWidth), ("kw", layer.DilationWidth)), channels), ("c", 1))) + " += a;");
            }
        }
    }
}
