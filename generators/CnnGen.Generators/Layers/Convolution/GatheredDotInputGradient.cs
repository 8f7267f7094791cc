using System.Collections.Generic;
using System.Linq;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// The input gradient of a convolution of 4 to 15 input channels whose filters are whole vectors
/// (LeNet-5's second layer: 6 channels from 16 filters), gathered: each input position's sum for
/// a channel is a dot product, over vectors of the filters, of the output gradients that reach the
/// position and the kernel's weights of that channel (the kernel holds them contiguous, so it is
/// read as it is). The sums of a block of positions stay in registers over every kernel row and
/// tap that reaches the block, then four at a time are added across (the runtime's <c>Sum4</c>)
/// and added into the input gradient once. Vectors of input channels would leave lanes empty
/// (6 channels fill 6 of 16, or of 8 in a padded copy), and the kernels of channel vectors add
/// into memory a kernel row or a tap at a time; here every lane holds a filter and each sum
/// waits on memory once. Only the input's real positions are summed (taps over the padding
/// are never computed) and only the pairs of a position and tap that exist: a block at a row's
/// end leaves out the taps past it.
/// </summary>
internal static class GatheredDotInputGradient
{
    /// <summary>
    /// Whether the width runs the gathered dot products: a convolution (not the adjoint of a
    /// transposed one) without groups and with a stride of 1, 4 to 15 input channels (fewer go to
    /// <see cref="FewChannelInputGradient"/>; 16 or more fill vectors of channels) that are not a
    /// whole number of the width's vectors (8 channels at 128 bits fill two: nothing to gain),
    /// filters a whole number of vectors, and a kernel row's multiply-adds of a block within the
    /// unrolling budget.
    /// Measured on LeNet-5's second layer (Intel Xeon with AVX-512, training step at batch 32):
    /// 0.81-0.83 of the step's time at 512 bits, where the row gather used 6 of 8 lanes of
    /// 256-bit vectors; 0.90-0.94 at 128 bits (16 filters in 4 vectors), where the channel vectors
    /// used 6 of 8 lanes; at 256 bits 0.96-0.99 (the row gather wastes 2 lanes of 8 and keeps each
    /// sum in registers over a kernel row), so that width keeps the row gather.
    /// </summary>
    public static bool Runs(LayerModel layer, VectorIsa isa)
    {
        if (!Shaped(layer) || isa == VectorIsa.V256 || layer.Output.Channels % isa.MaxWidth != 0 || layer.Input.Channels % isa.MaxWidth == 0)
        {
            return false;
        }

        var positions = Positions(layer, isa);
        return positions >= 1 && (long)layer.KernelWidth * positions * layer.Input.Channels <= FewChannelInputGradient.UnrollBudget;
    }

    /// <summary>Whether some width runs the gathered dot products (the input gradient then takes the kernel as it is).</summary>
    public static bool RunsAtAnyWidth(LayerModel layer) => VectorIsa.All.Any(isa => Runs(layer, isa));

    /// <summary>Whether every width does (none then needs the padded copy of the row gather).</summary>
    public static bool RunsAtEveryWidth(LayerModel layer) => VectorIsa.All.All(isa => Runs(layer, isa));

    private static bool Shaped(LayerModel layer) =>
        layer.Kind is LayerKind.Conv1D or LayerKind.Conv2D && !layer.IsAdjoint && layer.Groups == 1 && layer.StrideHeight == 1 && layer.StrideWidth == 1 &&
        layer.Input.Channels >= 4 && layer.Input.Channels < 16 && !FewChannelInputGradient.Applies(layer);

    /// <summary>
    /// Input positions per block: their sums (positions x channels) within the accumulators, and
    /// beside them each position's output gradient and one vector of weights in the registers.
    /// </summary>
    public static int Positions(LayerModel layer, VectorIsa isa)
    {
        var channels = layer.Input.Channels;
        return System.Math.Min(isa.Accumulators / channels, (isa.Registers - 1) / (channels + 1));
    }

    /// <summary>Rows: the positions of a block; vectors: the sums of a position (its channels); a kernel row's taps per step.</summary>
    public static KernelPlan Plan(LayerModel layer, VectorIsa isa) =>
        new("input gradient", isa.Suffix, KernelScheme.GatheredDots, isa.MaxWidth, Positions(layer, isa), layer.Input.Channels, layer.KernelWidth);

    /// <summary>One block of an input row: its first position, how many, and the (position, tap, output column) pairs that reach it.</summary>
    private sealed record Block(int First, int Count, IReadOnlyList<(int P, int Tap, int Column)> Pairs)
    {
        /// <summary>The first output column the block reads (0 when no tap reaches it).</summary>
        public int FirstColumn { get; } = Pairs.Count == 0 ? 0 : Pairs.Min(p => p.Column);

        /// <summary>
        /// The pairs with columns relative to <see cref="FirstColumn"/>: equal for blocks whose code is
        /// the same. Made once: a long row's blocks are compared with their neighbours one by one.
        /// </summary>
        public string Key { get; } = KeyOf(Count, Pairs);

        private static string KeyOf(int count, IReadOnlyList<(int P, int Tap, int Column)> pairs)
        {
            var first = pairs.Count == 0 ? 0 : pairs.Min(p => p.Column);
            return count + ":" + string.Join(",", pairs.Select(p => p.P + "/" + p.Tap + "/" + (p.Column - first)));
        }
    }

    /// <summary>The blocks of an input row and, for each, the output columns whose taps reach its positions.</summary>
    private static List<Block> Blocks(LayerModel layer, int positions)
    {
        var blocks = new List<Block>();
        for (var first = 0; first < layer.Input.Width; first += positions)
        {
            var count = System.Math.Min(positions, layer.Input.Width - first);
            var pairs = new List<(int P, int Tap, int Column)>();
            for (var kw = 0; kw < layer.KernelWidth; kw++)
            {
                for (var p = 0; p < count; p++)
                {
                    var column = (long)first + p + layer.PadLeft - (long)kw * layer.DilationWidth;
                    if (column >= 0 && column < layer.Output.Width)
                    {
                        pairs.Add((p, kw, (int)column));
                    }
                }
            }

            blocks.Add(new Block(first, count, pairs));
        }

        return blocks;
    }

    public static void EmitVector(VariantWriter variant, LayerModel layer, TensorLayout input, TensorLayout output, VectorIsa isa)
    {
        var writer = variant.Body;
        var filters = layer.Output.Channels;
        var channels = layer.Input.Channels;
        var positions = Positions(layer, isa);
        var blocks = Blocks(layer, positions);
        var unsafeClass = FrameworkNames.Unsafe;

        // The kernel rows that reach input row i: output row i + pad - kh x dilation in [0, output height).
        var pad = layer.PadTop;
        var dilation = layer.DilationHeight;
        var lowest = dilation == 1
            ? "i" + VectorOps.PlusSigned(pad - layer.Output.Height + 1)
            : "(i" + VectorOps.PlusSigned(pad - layer.Output.Height + dilation) + ") / " + dilation;
        var highest = dilation == 1 ? "i" + VectorOps.PlusSigned(pad) : "(i" + VectorOps.PlusSigned(pad) + ") / " + dilation;

        writer.Comment("Each input position's " + channels + " sums, dot products over the " + filters + " filters (" + filters / isa.MaxWidth +
            (filters == isa.MaxWidth ? " vector" : " vectors") + ") of every output gradient that reaches it, in blocks of " + positions + " positions of a row; four sums at a time added across.");
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float dn = ref " + unsafeClass + ".Add(ref d, " + CompactLoops.Times("(nint)n", output.StoredSize) + VectorOps.PlusConstant(output.InteriorOffset) + ");");
            writer.Line("ref float xn = ref " + unsafeClass + ".Add(ref dx, " + CompactLoops.Times("(nint)n", input.StoredSize) + VectorOps.PlusConstant(input.InteriorOffset) + ");");
            using (writer.Open("for (int i = 0; i < " + layer.Input.Height + "; i++)"))
            {
                writer.Line("int kh0 = global::System.Math.Max(0, " + lowest + "), kh1 = global::System.Math.Min(" + (layer.KernelHeight - 1) + ", " + highest + ");");
                using (writer.Open("if (kh0 <= kh1)"))
                {
                    writer.Line("ref float dr = ref " + unsafeClass + ".Add(ref dn, (i" + VectorOps.PlusSigned(pad) + " - kh0" + (dilation == 1 ? string.Empty : " * " + dilation) + ") * " + output.RowStride + ");");
                    writer.Line("ref float wr = ref " + unsafeClass + ".Add(ref w, kh0 * " + layer.KernelWidth * channels * filters + ");");
                    writer.Line("ref float xr = ref " + unsafeClass + ".Add(ref xn, " + CompactLoops.Times("i", input.RowStride) + ");");
                    for (var b = 0; b < blocks.Count;)
                    {
                        var block = blocks[b];
                        if (block.Pairs.Count == 0)
                        {
                            // No tap reaches these positions (a dilated kernel's gaps): nothing to add.
                            b++;
                            continue;
                        }

                        var run = 1;
                        while (b + run < blocks.Count && blocks[b + run].Pairs.Count > 0 && blocks[b + run].Key == block.Key)
                        {
                            run++;
                        }

                        var inside = block.Pairs.Count == layer.KernelWidth * block.Count;
                        var kernel = EmitKernel(variant, layer, input, output, isa, block, inside);
                        if (run == 1)
                        {
                            writer.Line(kernel + "(" + VectorOps.Ref("dr", block.FirstColumn * filters) + ", ref wr, " + VectorOps.Ref("xr", block.First * input.Channels) + ", kh1 - kh0 + 1);");
                        }
                        else
                        {
                            // Blocks inside the row: the same code, each a block further on.
                            using (writer.Open("for (int s = 0; s < " + run + "; s++)"))
                            {
                                writer.Line(kernel + "(" + VectorOps.Ref("dr", CompactLoops.Times("s", positions * filters) + VectorOps.PlusConstant(block.FirstColumn * filters)) +
                                    ", ref wr, " + VectorOps.Ref("xr", CompactLoops.Times("s", positions * input.Channels) + VectorOps.PlusConstant(block.First * input.Channels)) +
                                    ", kh1 - kh0 + 1);");
                            }
                        }

                        b += run;
                    }
                }
            }
        }
    }

    /// <summary>
    /// The kernel of one block: for <c>rows</c> kernel rows from the first that reaches it (the
    /// output gradient one output row back for each), y[p, c] += the sum over taps and filters of
    /// d[column, f] * w[tap, c, f], for the block's (position, tap, column) pairs.
    /// </summary>
    private static string EmitKernel(VariantWriter variant, LayerModel layer, TensorLayout input, TensorLayout output, VectorIsa isa, Block block, bool inside)
    {
        var tag = inside ? HelperNames.Dots(block.Count) : HelperNames.Dots(block.First, block.Count);
        return variant.Helper(tag, (helper, name) =>
        {
            var ops = isa.Ops;
            var lanes = isa.MaxWidth;
            var filters = layer.Output.Channels;
            var channels = layer.Input.Channels;
            var vectors = filters / lanes;
            helper.Comment(layer.Name + ": " + (inside ? string.Empty : "input positions " + block.First + ".." + (block.First + block.Count - 1) + " of a row, ") +
                block.Count + " x " + channels + " sums in registers, each a dot product over vectors of the " + filters + " filters, summed over the kernel rows and taps that reach them, added into the input gradient.");
            helper.Line(FrameworkNames.AggressiveOptimization);
            using (helper.Open("private static void " + name + "(ref float d, ref float w, ref float y, int rows)"))
            {
                for (var p = 0; p < block.Count; p++)
                {
                    helper.Line(ops.Type + " " + string.Join(", ", Enumerable.Range(0, channels).Select(c => Sum(p, c) + " = " + ops.Zero)) + ";");
                }

                using (helper.Open("for (int r = 0; r < rows; r++)"))
                {
                    helper.Line("ref float dr = ref " + FrameworkNames.Unsafe + ".Subtract(ref d, " + CompactLoops.Times("r", layer.DilationHeight * output.RowStride) + ");");
                    helper.Line("ref float wr = ref " + FrameworkNames.Unsafe + ".Add(ref w, " + CompactLoops.Times("r", layer.KernelWidth * channels * filters) + ");");
                    var (dRef, wRef) = ("dr", "wr");
                    SourceWriter.Block? loop = null;
                    if (vectors > 1)
                    {
                        loop = helper.Open("for (int v = 0; v < " + filters + "; v += " + lanes + ")");
                        helper.Line("ref float dv = ref " + FrameworkNames.Unsafe + ".Add(ref dr, v);");
                        helper.Line("ref float wv = ref " + FrameworkNames.Unsafe + ".Add(ref wr, v);");
                        (dRef, wRef) = ("dv", "wv");
                    }

                    // With the filters one vector, consecutive taps that reach the same positions run as a
                    // loop (an inner block's whole kernel row): the output gradient one column back and the
                    // weights one tap on each time, counted from the run's last tap so that every reference
                    // stays inside. Inside a loop over vectors of filters the taps stay unrolled: a third
                    // loop around a tap's few multiply-adds cost 128 bits a third of the gain on LeNet-5.
                    var first = block.FirstColumn;
                    var taps = block.Pairs.GroupBy(pair => pair.Tap).Select(tap => (Tap: tap.Key, Pairs: tap.ToList())).ToList();
                    for (var t = 0; t < taps.Count;)
                    {
                        var run = 1;
                        while (vectors == 1 && t + run < taps.Count && taps[t + run].Tap == taps[t].Tap + run &&
                            taps[t + run].Pairs.Select(pair => pair.P).SequenceEqual(taps[t].Pairs.Select(pair => pair.P)))
                        {
                            run++;
                        }

                        var last = taps[t + run - 1].Tap;
                        if (run == 1)
                        {
                            using (helper.Scope())
                            {
                                EmitTap(helper, ops, dRef, wRef, taps[t].Pairs, first, taps[t].Tap, channels, filters);
                            }
                        }
                        else
                        {
                            using (helper.Open("for (int kw = " + taps[t].Tap + "; kw <= " + last + "; kw++)"))
                            {
                                helper.Line("ref float dk = ref " + FrameworkNames.Unsafe + ".Add(ref " + dRef + ", (" + last + " - kw) * " + layer.DilationWidth * filters + ");");
                                helper.Line("ref float wk = ref " + FrameworkNames.Unsafe + ".Add(ref " + wRef + ", " + CompactLoops.Times("kw", channels * filters) + ");");
                                EmitTap(helper, ops, "dk", "wk", taps[t + run - 1].Pairs, first, 0, channels, filters);
                            }
                        }

                        t += run;
                    }

                    loop?.Dispose();
                }

                // The sums in memory order (position, channel): four at a time added across and into y.
                var sums = Enumerable.Range(0, block.Count).SelectMany(p => Enumerable.Range(0, channels).Select(c => (Name: Sum(p, c), At: p * input.Channels + c))).ToList();
                for (var q = 0; q < sums.Count; q += 4)
                {
                    SumsAcross.AddQuad(helper, ops, sums.Skip(q).Take(4).ToList(), "y", scoped: false);
                }
            }
        });
    }

    /// <summary>
    /// One tap's multiply-adds: the output gradient of each position it reaches (column relative to
    /// <paramref name="first"/>), then each channel's weights (tap <paramref name="tap"/> from <paramref name="w"/>) into that position's sum.
    /// </summary>
    private static void EmitTap(SourceWriter helper, VectorOps ops, string d, string w, IReadOnlyList<(int P, int Tap, int Column)> pairs, int first, int tap, int channels, int filters)
    {
        foreach (var (p, _, column) in pairs)
        {
            helper.Line("var g" + p + " = " + ops.Load(d, (column - first) * filters) + ";");
        }

        for (var c = 0; c < channels; c++)
        {
            helper.Line("var w" + c + " = " + ops.Load(w, (tap * channels + c) * filters) + ";");
            foreach (var (p, _, _) in pairs)
            {
                helper.Line(Sum(p, c) + " = " + ops.MultiplyAdd("g" + p, "w" + c, Sum(p, c)) + ";");
            }
        }
    }

    private static string Sum(int position, int channel) => "a" + position + "_" + channel;
}
