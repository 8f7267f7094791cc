using System.Collections.Generic;
using System.Linq;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// The input gradient of a convolution whose (padded) input channels are one vector (LeNet-5's
/// second layer: 6 channels in 8 lanes), one row of output gradients and one kernel row per call:
/// the sums of an input row's positions stay in registers over every filter and every tap of the
/// kernel row. Output position q's filter f, broadcast once, is multiplied by each tap's vector of
/// weights into the sums of input position q x stride + kw x dilation, and each input position's
/// sums are added into the input gradient once a call. The kernels of channel vectors take one
/// tap a call, a broadcast for every multiply-add and a load, add and store of each position for
/// every tap: with a single vector of channels, twice the loads per multiply-add.
/// The positions of a row go in segments of as many sums as the registers hold beside a kernel
/// row's weights and the broadcast; a segment's edges leave out the pairs outside the row, so
/// no multiply-add is wasted.
/// </summary>
internal static class RowGatherInputGradient
{
    /// <summary>One segment of an input row: its first position and how many.</summary>
    internal readonly record struct Segment(int First, int Count);

    /// <summary>
    /// The segments of each input row, or null when the layer's input gradient keeps the kernels of
    /// channel vectors: its channels (padded) more than one vector of the width, groups, a kernel
    /// of one column, a stride along the row (at a stride of 2 the taps that reach a position are
    /// all even or all odd, so its two sums become one chain of multiply-adds: measured 1.2-1.5x
    /// slower than the channel vectors for transposed convolutions at stride 2), taps outside the positions (a
    /// large kernel), or too few registers left for the sums of 3 positions beside a kernel row's weights.
    /// </summary>
    public static IReadOnlyList<Segment>? Segments(LayerModel layer, ChunkGroups groups, VectorIsa narrow, int padded)
    {
        if (layer.Groups != 1 || groups.Count != 1 || groups.Group.Count != 1 || groups.LastOffset >= 0 || groups.Group[0].Width != padded ||
            layer.KernelWidth < 2 || layer.StrideWidth != 1 || ConvolutionBackwardEmitter.TapsOutside(layer, padded))
        {
            return null;
        }

        // Two sums per position (even and odd taps: a chain of multiply-adds per position would be
        // as long as a kernel row's taps times the filters, and wait on the FMA's latency), a kernel
        // row's weights and the broadcast. The segments inside the row are the same code.
        var length = System.Math.Min(narrow.Accumulators, narrow.Registers - layer.KernelWidth - 1) / 2;
        if (length < 3)
        {
            return null;
        }

        var positions = RowPositions(layer);
        var segments = new List<Segment>();
        for (var first = 0; first < positions; first += length)
        {
            segments.Add(new Segment(first, System.Math.Min(length, positions - first)));
        }

        return segments;
    }

    /// <summary>
    /// The multiply-adds of a segment: the first output position whose taps reach it, and for each
    /// output position from there (relative to it) the taps that reach the segment and the sum each
    /// adds into; and whether the row's ends cut some out (an inner segment's code is the same wherever it is).
    /// </summary>
    private static (int FirstOutput, List<(int Q, List<(int Tap, int Sum)> Taps)> Pairs, bool AtAnEnd) Pairs(LayerModel layer, Segment segment)
    {
        // Tap by tap, the output positions q whose tap kw lands in the segment (q * stride + kw *
        // dilation - First in [0, Count)), so the work is taps x the segment's length, not the
        // span of a dilated kernel (a dilation of a million would loop a million times a segment).
        var reaching = new SortedDictionary<int, List<(int Tap, int Sum)>>();
        for (var kw = 0; kw < layer.KernelWidth; kw++)
        {
            var offset = (long)kw * layer.DilationWidth - segment.First;
            var firstQ = CeilingDivide(-offset, layer.StrideWidth);
            for (var q = firstQ; q * layer.StrideWidth + offset < segment.Count; q++)
            {
                if (!reaching.TryGetValue((int)q, out var taps))
                {
                    taps = new List<(int Tap, int Sum)>();
                    reaching.Add((int)q, taps);
                }

                taps.Add((kw, (int)(q * layer.StrideWidth + offset)));
            }
        }

        var all = new List<(int Q, List<(int Tap, int Sum)> Taps)>();
        var cut = false;
        foreach (var pair in reaching)
        {
            if (pair.Key < 0 || pair.Key >= layer.Output.Width)
            {
                cut = true;
                continue;
            }

            all.Add((pair.Key, pair.Value));
        }

        var first = all.Count > 0 ? all[0].Q : 0;
        return (first, all.Select(p => (p.Q - first, p.Taps)).ToList(), cut);
    }

    /// <summary>The smallest integer at least <paramref name="value"/> / <paramref name="divisor"/> (divisor positive).</summary>
    private static long CeilingDivide(long value, int divisor) => value >= 0 ? (value + divisor - 1) / divisor : -(-value / divisor);

    /// <summary>The input positions a row of output gradients reaches (from the frame's first column).</summary>
    private static int RowPositions(LayerModel layer) => (layer.Output.Width - 1) * layer.StrideWidth + (layer.KernelWidth - 1) * layer.DilationWidth + 1;

    /// <summary>The plan: rows are the sums of the longest segment, one vector of channels each, a kernel row's taps per step.</summary>
    public static KernelPlan Plan(IReadOnlyList<Segment> segments, VectorIsa isa, int lanes, LayerModel layer) =>
        new("input gradient", isa.Suffix, KernelScheme.RowGather, lanes, segments.Max(s => s.Count), 1, layer.KernelWidth);

    /// <summary>
    /// For each sample, output row and kernel row, a call per segment; the sums go into
    /// <paramref name="sums"/> (the input gradient or its padded copy) with the layout <paramref name="target"/>.
    /// </summary>
    public static void EmitDriver(VariantWriter variant, LayerModel layer, TensorLayout output, TensorLayout target, IReadOnlyList<Segment> segments,
        int padded, string sums)
    {
        var writer = variant.Body;
        var filters = layer.Output.Channels;
        writer.Comment("Each output row and kernel row: the sums of an input row's positions, " + segments.Count + (segments.Count == 1 ? " segment" : " segments") +
            ", over every filter and tap of the kernel row.");
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float dn = ref " + FrameworkNames.Unsafe + ".Add(ref d, " + CompactLoops.Times("(nint)n", output.StoredSize) + VectorOps.PlusConstant(output.InteriorOffset) + ");");
            writer.Line("ref float xn = ref " + FrameworkNames.Unsafe + ".Add(ref " + sums + ", (nint)n * " + target.StoredSize + ");");
            var oh = new CompactLoops.Loop("oh", layer.Output.Height);
            var kh = new CompactLoops.Loop("kh", layer.KernelHeight);
            string At(string r, string offset) => offset == "0" ? "ref " + r : VectorOps.Ref(r, offset);
            using (CompactLoops.Open(writer, oh, kh))
            {
                writer.Line("ref float dr = " + At("dn", CompactLoops.Sum((CompactLoops.Var(oh), output.RowStride))) + ";");
                writer.Line("ref float xr = " + At("xn", CompactLoops.Sum((CompactLoops.Var(oh), layer.StrideHeight * target.RowStride), (CompactLoops.Var(kh), layer.DilationHeight * target.RowStride))) + ";");
                writer.Line("ref float wk = " + At("wt", CompactLoops.Sum((CompactLoops.Var(kh), layer.KernelWidth * filters * padded))) + ";");
                for (var i = 0; i < segments.Count;)
                {
                    var (firstOutput, pairs, atAnEnd) = Pairs(layer, segments[i]);
                    if (pairs.Count == 0)
                    {
                        // No tap reaches these positions (a dilation longer than the output row leaves
                        // gaps between a kernel row's taps): nothing to add. Such a segment is never
                        // inside a run: the output positions past the row's ends would reach it.
                        i++;
                        continue;
                    }

                    var run = 1;
                    while (!atAnEnd && i + run < segments.Count && segments[i + run].Count == segments[i].Count && !Pairs(layer, segments[i + run]).AtAnEnd)
                    {
                        run++;
                    }

                    var kernel = EmitKernel(variant, layer, segments[i], pairs, atAnEnd, padded);
                    if (run == 1)
                    {
                        writer.Line(kernel + "(" + VectorOps.Ref("dr", firstOutput * filters) + ", ref wk, " + VectorOps.Ref("xr", segments[i].First * target.Channels) + ");");
                    }
                    else
                    {
                        // Inner segments: the same code, each a segment further on.
                        var length = segments[i].Count;
                        using (writer.Open("for (int s = 0; s < " + run + "; s++)"))
                        {
                            writer.Line(kernel + "(" + VectorOps.Ref("dr", CompactLoops.Times("s", length / layer.StrideWidth * filters) + VectorOps.PlusConstant(firstOutput * filters)) +
                                ", ref wk, " + VectorOps.Ref("xr", CompactLoops.Times("s", length * target.Channels) + VectorOps.PlusConstant(segments[i].First * target.Channels)) + ");");
                        }
                    }

                    i += run;
                }
            }
        }
    }

    /// <summary>
    /// The kernel of one segment: y[i] += the sum over f and kw of d[q, f] * w[kw, f] where
    /// q x stride + kw x dilation = first + i, the pairs outside the row left out.
    /// </summary>
    private static string EmitKernel(VariantWriter variant, LayerModel layer, Segment segment, List<(int Q, List<(int Tap, int Sum)> Taps)> pairs, bool atAnEnd,
        int padded)
    {
        var tag = HelperNames.WithVectors(atAnEnd ? HelperNames.Gather(segment.First, segment.Count) : HelperNames.Gather(segment.Count), new[] { new Chunk(0, padded) });
        return variant.Helper(tag, (helper, name) =>
        {
            var ops = VectorOps.ForWidth(padded);
            var filters = layer.Output.Channels;
            var taps = layer.KernelWidth;
            helper.Comment(layer.Name + ": " + (atAnEnd ? "input positions " + segment.First + ".." + (segment.First + segment.Count - 1) + " of a row, " : string.Empty) + segment.Count +
                " vectors of " + padded + " channels in registers (sums of even and of odd taps), summed over every filter and the " + taps + " taps of a kernel row, added into the input gradient.");
            helper.Line(FrameworkNames.AggressiveOptimization);
            using (helper.Open("private static void " + name + "(ref float d, ref float w, ref float y)"))
            {
                helper.Line(ops.Type + " " + string.Join(", ", Enumerable.Range(0, segment.Count).Select(i => "a" + i + " = " + ops.Zero)) + ";");
                helper.Line(ops.Type + " " + string.Join(", ", Enumerable.Range(0, segment.Count).Select(i => "c" + i + " = " + ops.Zero)) + ";");
                helper.Line(ops.Type + " b;");
                var used = pairs.SelectMany(p => p.Taps.Select(t => t.Tap)).Distinct().OrderBy(t => t).ToList();
                using (helper.Open("for (int f = 0; f < " + filters + "; f++)"))
                {
                    helper.Line("ref float df = ref " + FrameworkNames.Unsafe + ".Add(ref d, f);");
                    helper.Line("ref float wf = ref " + FrameworkNames.Unsafe + ".Add(ref w, " + CompactLoops.Times("f", padded) + ");");
                    foreach (var kw in used)
                    {
                        helper.Line("var w" + kw + " = " + ops.Load("wf", kw * filters * padded) + ";");
                    }

                    foreach (var (q, reached) in pairs)
                    {
                        helper.Line("b = " + ops.Broadcast("df", q * filters) + ";");
                        foreach (var (kw, sum) in reached)
                        {
                            var chain = (kw % 2 == 0 ? "a" : "c") + sum;
                            helper.Line(chain + " = " + ops.MultiplyAdd("b", "w" + kw, chain) + ";");
                        }
                    }
                }

                for (var i = 0; i < segment.Count; i++)
                {
                    helper.Line(ops.AddTo("a" + i + " + c" + i, "y", i * padded));
                }
            }
        });
    }
}
