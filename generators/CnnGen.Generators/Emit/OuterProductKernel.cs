using System.Collections.Generic;
using System.Linq;

namespace CnnGen.Generators.Emit;

/// <summary>One level of the loops an outer-product kernel sums over: samples, output rows, output columns.</summary>
/// <param name="Name">The loop variable.</param>
/// <param name="Count">A constant, or "batch".</param>
/// <param name="XStep">Floats the broadcast source advances per iteration.</param>
/// <param name="DStep">Floats the vector source advances per iteration.</param>
internal sealed record SumLoop(string Name, string Count, int XStep, int DStep);

/// <summary>
/// The weight-gradient micro-kernel: dW[r, f] = sum over samples and positions of
/// x[r] * d[f], with a block of rows (input channels at one kernel tap, or inputs of a dense
/// layer) times a group of output-channel vectors in registers. Each step loads the group's
/// vectors of d once and broadcasts one x per row. With no rows it sums d alone (the bias
/// gradient). The result overwrites dW, or with <paramref name="Accumulate"/> is added to it
/// where the call says so.
/// </summary>
/// <param name="Ops">The vector width.</param>
/// <param name="Rows">Broadcast rows; 0 for the bias gradient.</param>
/// <param name="RowXStride">Floats between the x of consecutive rows.</param>
/// <param name="RowWStride">Floats between the dW of consecutive rows.</param>
/// <param name="Chunks">The output-channel vectors.</param>
/// <param name="Loops">The sums, outermost first.</param>
/// <param name="Accumulate">
/// The method takes a last argument, bool add: add the sums to dW (whose chunks must not
/// overlap) when it is true, store them when it is false (the first pass over dW, which then
/// needs no clearing).
/// </param>
internal sealed record OuterProductKernel(
    VectorOps Ops,
    int Rows,
    int RowXStride,
    int RowWStride,
    IReadOnlyList<Chunk> Chunks,
    IReadOnlyList<SumLoop> Loops,
    bool Accumulate = false)
{
    /// <summary>Writes the kernel as a method (ref float x, ref float d, ref float dw, int batch[, bool add]).</summary>
    public void EmitMethod(SourceWriter writer, string name, string description)
    {
        writer.Comment(description);
        writer.Line(FrameworkNames.AggressiveOptimization);
        using (writer.Open("private static void " + name + "(ref float x, ref float d, ref float dw, int batch" + (Accumulate ? ", bool add" : string.Empty) + ")"))
        {
            var ops = Ops;
            var rows = System.Math.Max(Rows, 1);
            for (var g = 0; g < Chunks.Count; g++)
            {
                writer.Line(ops.Type + " " + string.Join(", ", Enumerable.Range(0, rows).Select(r => Accumulator(r, g) + " = " + ops.Zero)) + ";");
            }

            var x = "x";
            var d = "d";
            var closers = new List<SourceWriter.Block>();
            // Sums alone (the bias gradient) add each innermost run into partial sums first: one
            // long float32 run of similar values (a global pooling's uniform gradient) loses
            // digits in proportion to its length, two levels only to the lengths of the parts.
            var partial = Rows == 0 && Loops.Count > 1;
            foreach (var loop in Loops)
            {
                if (partial && loop == Loops[Loops.Count - 1])
                {
                    writer.Line(ops.Type + " " + string.Join(", ", Enumerable.Range(0, Chunks.Count).Select(g => Partial(g) + " = " + ops.Zero)) + ";");
                }

                closers.Add(writer.Open("for (int " + loop.Name + " = 0; " + loop.Name + " < " + loop.Count + "; " + loop.Name + "++)"));
                var index = loop.Count == "batch" ? "(nint)" + loop.Name : loop.Name;
                if (Rows > 0)
                {
                    writer.Line("ref float x" + loop.Name + " = " + VectorOps.Ref(x, CompactLoops.Times(index, loop.XStep)) + ";");
                    x = "x" + loop.Name;
                }

                writer.Line("ref float d" + loop.Name + " = " + VectorOps.Ref(d, CompactLoops.Times(index, loop.DStep)) + ";");
                d = "d" + loop.Name;
            }

            for (var g = 0; g < Chunks.Count; g++)
            {
                var load = ops.Load(d, Chunks[g].Offset);
                if (Rows == 0)
                {
                    writer.Line((partial ? Partial(g) : Accumulator(0, g)) + " += " + load + ";");
                }
                else
                {
                    writer.Line("var d" + g + " = " + load + ";");
                }
            }

            for (var r = 0; r < Rows; r++)
            {
                var input = ops.Broadcast(x, r * RowXStride);
                if (Chunks.Count > 1)
                {
                    writer.Line((r == 0 ? "var t = " : "t = ") + input + ";");
                    input = "t";
                }

                for (var g = 0; g < Chunks.Count; g++)
                {
                    writer.Line(Accumulator(r, g) + " = " + ops.MultiplyAdd(input, "d" + g, Accumulator(r, g)) + ";");
                }
            }

            for (var i = closers.Count - 1; i >= 0; i--)
            {
                closers[i].Dispose();
                if (partial && i == closers.Count - 1)
                {
                    for (var g = 0; g < Chunks.Count; g++)
                    {
                        writer.Line(Accumulator(0, g) + " += " + Partial(g) + ";");
                    }
                }
            }

            if (!Accumulate)
            {
                EmitStores(writer, rows, add: false);
                return;
            }

            using (writer.Open("if (add)"))
            {
                EmitStores(writer, rows, add: true);
            }

            using (writer.Open("else"))
            {
                EmitStores(writer, rows, add: false);
            }
        }
    }

    private void EmitStores(SourceWriter writer, int rows, bool add)
    {
        for (var r = 0; r < rows; r++)
        {
            for (var g = 0; g < Chunks.Count; g++)
            {
                var offset = r * RowWStride + Chunks[g].Offset;
                writer.Line(add ? Ops.AddTo(Accumulator(r, g), "dw", offset) : Ops.Store(Accumulator(r, g), "dw", offset));
            }
        }
    }

    public string Describe() => (Rows == 0 ? "sums" : Rows + (Rows == 1 ? " row" : " rows") + " x") + " " + Chunks.Count +
        (Chunks.Count == 1 ? " vector" : " vectors") + " of " + Ops.Width + (Ops.Width == 1 ? " channel" : " channels") + " over " +
        string.Join(", ", Loops.Select(l => l.Name)) + (Accumulate ? ", stored in dW or added to it" : string.Empty);

    private static string Accumulator(int row, int chunk) => "a" + row + "_" + chunk;

    private static string Partial(int chunk) => "p" + chunk;
}
