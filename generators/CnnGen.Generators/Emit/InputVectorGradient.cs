using System.Collections.Generic;
using System.Linq;

namespace CnnGen.Generators.Emit;

/// <summary>
/// The kernel gradient of a layer of few filters or units on many inputs (see
/// <see cref="DotProductKernel.FewOutputs"/> and <see cref="DotProductKernel.FewUnits"/>), the backward of
/// <see cref="DotProductKernel"/>: blocked over filters it would sum one float at a time, so
/// here the accumulators are vectors of consecutive inputs (a run of a window: input channels,
/// kernel columns), one per filter, and each output gradient is broadcast:
/// dW[t, f] += x[t..t+lanes] * dz[f] over samples and positions. The sums go to a transposed
/// copy, [filter][tap], on the stack (or straight into dW for one filter), cleared first, and
/// are transposed into dW at the end.
/// </summary>
internal static class InputVectorGradient
{
    /// <summary>Accumulators of a block: with the broadcasts and an input they fit 16 registers.</summary>
    private const int Budget = 12;

    /// <summary>The vector width and vectors per block for runs of <paramref name="length"/> inputs (of a layer of few outputs); null when no vector fits a run.</summary>
    public static (int Lanes, int Vectors)? Choose(VectorIsa isa, int filters, int length)
    {
        var lanes = DotProductKernel.Lanes(isa, length);
        return lanes == 0 ? null : (lanes, System.Math.Max(1, Budget / filters));
    }

    /// <summary>
    /// Writes the variant's body: the sums cleared, every run's blocks of input vectors summed
    /// over <paramref name="loops"/>, then transposed into <c>dw</c>.
    /// </summary>
    /// <param name="taps">Weights per filter.</param>
    /// <param name="runs">Loops over the runs of a window (kernel rows; columns when dilated), XStep in the input, WStep in the taps.</param>
    /// <param name="length">Consecutive inputs per run.</param>
    /// <param name="loops">The sums over samples and positions.</param>
    /// <param name="d">The ref of the output gradient's first value.</param>
    public static void Emit(VariantWriter variant, string layerName, int filters, int taps, IReadOnlyList<TapDimension> runs, int length,
        IReadOnlyList<SumLoop> loops, string d, (int Lanes, int Vectors) shape)
    {
        var writer = variant.Body;
        var (lanes, vectors) = shape;
        var ops = VectorOps.ForWidth(lanes);
        if (filters == 1)
        {
            writer.Comment("The sums are added into dw, cleared first.");
            writer.Line("global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref dw, " + taps + ").Clear();");
            writer.Line("ref float st = ref dw;");
        }
        else
        {
            writer.Comment("The sums are added into a copy of dw transposed to [filter][tap] (cleared by stackalloc), then transposed into dw.");
            StackBuffers.Declare(writer, "sums", "st", taps * filters);
        }

        var x = "x";
        var s = "st";
        var closers = new List<SourceWriter.Block>();
        var kernelLoops = loops;
        var tail = ", batch);";
        if (loops.Count > 1 && loops[0].Count == "batch")
        {
            // One sample at a time: its input stays in the cache for every block, and each sum
            // runs over one sample's positions (a run over the whole batch would be a float chain
            // of a million products), the samples added in the sums.
            var sample = loops[0];
            closers.Add(writer.Open("for (int n = 0; n < batch; n++)"));
            writer.Line("ref float xn = " + VectorOps.Ref(x, CompactLoops.Times("(nint)n", sample.XStep)) + ";");
            writer.Line("ref float dn = " + VectorOps.Ref(d, CompactLoops.Times("(nint)n", sample.DStep)) + ";");
            x = "xn";
            d = "dn";
            kernelLoops = loops.Skip(1).ToList();
            tail = ");";
        }

        // Named for the inputs only where a last vector is masked: blocks of whole vectors have the same code at every width.
        string Kernel(int inputs) => variant.Helper(HelperNames.Inputs(inputs % lanes == 0 ? null : inputs) + "_" + lanes + "x" + VectorCount(inputs, lanes), (helper, name) =>
            EmitKernel(helper, name, layerName, ops, filters, taps, inputs, kernelLoops));

        foreach (var run in runs)
        {
            closers.Add(BlockedKernel.OpenLoop(writer, run, ref x, ref s, "s"));
        }

        // Blocks of whole vectors, the last one ending at the run's end (its last vector shifted back, masked).
        var blocks = Blocks(length, lanes, vectors);
        for (var first = 0; first < blocks.Count;)
        {
            var same = first;
            while (same + 1 < blocks.Count && blocks[same + 1].Inputs == blocks[first].Inputs && blocks[first].Inputs % lanes == 0)
            {
                same++;
            }

            var (start, inputs) = blocks[first];
            if (same > first)
            {
                using (writer.Open("for (int i = " + start + "; i < " + (blocks[same].Start + inputs) + "; i += " + inputs + ")"))
                {
                    writer.Line(Kernel(inputs) + "(" + VectorOps.Ref(x, "i") + ", ref " + d + ", " + VectorOps.Ref(s, "i") + tail);
                }
            }
            else
            {
                writer.Line(Kernel(inputs) + "(" + VectorOps.Ref(x, start) + ", ref " + d + ", " + VectorOps.Ref(s, start) + tail);
            }

            first = same + 1;
        }

        for (var i = closers.Count - 1; i >= 0; i--)
        {
            closers[i].Dispose();
        }

        if (filters > 1)
        {
            writer.Line(FrameworkNames.Kernels + "MatrixTranspose.Transpose(ref st, ref dw, 1, " + filters + ", " + taps + ");");
        }
    }

    /// <summary>
    /// A run of <paramref name="length"/> inputs in blocks of at most <paramref name="vectors"/>
    /// vectors, balanced; the last block holds the rest and at least a whole vector.
    /// </summary>
    internal static List<(int Start, int Inputs)> Blocks(int length, int lanes, int vectors)
    {
        var count = VectorCount(length, lanes);
        var blocks = (count + vectors - 1) / vectors;
        var per = (count + blocks - 1) / blocks * lanes;
        var list = new List<(int Start, int Inputs)>();
        for (var b = 0; b < blocks - 1; b++)
        {
            list.Add((b * per, per));
        }

        var lastStart = (blocks - 1) * per;
        if (blocks > 1 && length - lastStart < lanes)
        {
            // Too short for a vector: the block before gives up its last vector (a block of one
            // vector gives up the block, and the last one holds a vector more than the others).
            if (per == lanes)
            {
                list.RemoveAt(blocks - 2);
            }
            else
            {
                list[blocks - 2] = (list[blocks - 2].Start, per - lanes);
            }

            lastStart -= lanes;
        }

        list.Add((lastStart, length - lastStart));
        return list;
    }

    private static int VectorCount(int inputs, int lanes) => (inputs + lanes - 1) / lanes;

    /// <summary>
    /// Sums of <paramref name="inputs"/> consecutive inputs times each filter's output gradient,
    /// added to s[f * taps + i]; a last vector shifted back to end at the last input adds only the
    /// lanes the one before did not.
    /// </summary>
    private static void EmitKernel(SourceWriter writer, string name, string layerName, VectorOps ops, int filters, int taps, int inputs, IReadOnlyList<SumLoop> loops)
    {
        var lanes = ops.Width;
        var count = VectorCount(inputs, lanes);
        var offsets = Enumerable.Range(0, count).Select(v => System.Math.Min(v * lanes, inputs - lanes)).ToList();
        writer.Comment(layerName + ": " + inputs + " inputs in " + count + (count == 1 ? " vector" : " vectors") + " of " + lanes + " x " + filters +
            (filters == 1 ? " filter" : " filters") + " over " + string.Join(", ", loops.Select(l => l.Name)) + ", added to the sums.");
        writer.Line(FrameworkNames.AggressiveOptimization);
        var batch = loops.Any(l => l.Count == "batch") ? ", int batch" : string.Empty;
        using (writer.Open("private static void " + name + "(ref float x, ref float d, ref float s" + batch + ")"))
        {
            writer.Line(ops.Type + " " + string.Join(", ", from v in Enumerable.Range(0, count) from f in Enumerable.Range(0, filters) select Accumulator(v, f) + " = " + ops.Zero) + ";");
            var x = "x";
            var dRef = "d";
            var closers = new List<SourceWriter.Block>();
            foreach (var loop in loops)
            {
                closers.Add(writer.Open("for (int " + loop.Name + " = 0; " + loop.Name + " < " + loop.Count + "; " + loop.Name + "++)"));
                var index = loop.Count == "batch" ? "(nint)" + loop.Name : loop.Name;
                writer.Line("ref float x" + loop.Name + " = " + VectorOps.Ref(x, CompactLoops.Times(index, loop.XStep)) + ";");
                writer.Line("ref float d" + loop.Name + " = " + VectorOps.Ref(dRef, CompactLoops.Times(index, loop.DStep)) + ";");
                x = "x" + loop.Name;
                dRef = "d" + loop.Name;
            }

            for (var f = 0; f < filters; f++)
            {
                writer.Line("var d" + f + " = " + ops.Broadcast(dRef, f) + ";");
            }

            for (var v = 0; v < count; v++)
            {
                writer.Line((v == 0 ? "var t = " : "t = ") + ops.Load(x, offsets[v]) + ";");
                for (var f = 0; f < filters; f++)
                {
                    writer.Line(Accumulator(v, f) + " = " + ops.MultiplyAdd("t", "d" + f, Accumulator(v, f)) + ";");
                }
            }

            for (var i = closers.Count - 1; i >= 0; i--)
            {
                closers[i].Dispose();
            }

            for (var v = 0; v < count; v++)
            {
                var overlap = v * lanes - offsets[v];
                for (var f = 0; f < filters; f++)
                {
                    var sum = overlap == 0 ? Accumulator(v, f) : ops.Select(Enumerable.Range(0, lanes).Select(l => l >= overlap), Accumulator(v, f), ops.Zero);
                    writer.Line(ops.AddTo(sum, "s", f * taps + offsets[v]));
                }
            }
        }
    }

    private static string Accumulator(int vector, int filter) => "a" + vector + "_" + filter;
}
