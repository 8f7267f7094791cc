using System.Collections.Generic;
using System.Linq;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit;

/// <summary>Where one row of a block reads its input and writes its output, relative to the block's refs.</summary>
internal readonly record struct BlockRow(int X, int Y);

/// <summary>
/// The register-blocked micro-kernel shared by convolutions and dense layers: a block of
/// rows (output positions or samples) times a group of channel vectors accumulate in
/// registers; each tap broadcasts one input value per row and multiplies a vector of
/// weights holding the group's output channels (the Keras kernel layout keeps them
/// contiguous). Every offset is a constant.
/// </summary>
/// <param name="Rows">The block's rows.</param>
/// <param name="Chunks">The group's channel vectors, offsets relative to the group's first channel.</param>
/// <param name="Taps">The reduction.</param>
/// <param name="HasBias">Start from the bias instead of zero.</param>
/// <param name="Activation">A fused activation (see <see cref="ActivationPlan.IsFused"/>), applied before the store.</param>
/// <param name="Accumulate">Add to the output instead of overwriting it.</param>
/// <param name="Sliced">
/// One slice of the input channels: the method takes two more arguments, first and last. The
/// first slice starts from the bias and overwrites the output; later ones add their partial
/// sums to it, and the last one applies the activation to the total. The branches sit outside
/// the reduction, so one method serves every slice.
/// </param>
/// <param name="FoldedChannels">
/// The output channels of a layer that folds a batch normalisation, else 0: each sum is scaled
/// and shifted (<see cref="FusedActivation.Normalized"/>) before the activation.
/// </param>
/// <param name="PrefetchDivisor">
/// 0, or the method takes one more argument, pf (the next packed block of weights), and each tap
/// prefetches <paramref name="PrefetchLinesPerTap"/> cache lines from pf + (the tap's weight
/// offset) / PrefetchDivisor. A tap reads <see cref="PrefetchLines"/> lines of the block; with
/// PrefetchDivisor x PrefetchLinesPerTap equal to that, PrefetchDivisor calls on pf, pf + a
/// block / PrefetchDivisor... prefetch the whole block, each line once (see CnnGen.Kernels.Prefetch).
/// </param>
/// <param name="PrefetchLinesPerTap">Lines each tap prefetches (see PrefetchDivisor).</param>
internal sealed record BlockedKernel(
    IReadOnlyList<BlockRow> Rows,
    IReadOnlyList<Chunk> Chunks,
    TapPlan Taps,
    bool HasBias,
    ActivationKind Activation,
    bool Accumulate = false,
    bool Sliced = false,
    int FoldedChannels = 0,
    int PrefetchDivisor = 0,
    int PrefetchLinesPerTap = 1)
{
    /// <summary>
    /// Cache lines a tap's weights span when a group of <paramref name="floats"/> channels is
    /// packed contiguously, as the prefetch divides them: one for groups under 16 floats or not a
    /// whole number of lines (each tap then prefetches the line its own weights start at).
    /// </summary>
    public static int PrefetchLines(int floats) => floats % 16 == 0 ? floats / 16 : 1;

    /// <summary>Rows spaced evenly: row p reads at p * xStride and writes at p * yStride.</summary>
    public static IReadOnlyList<BlockRow> EvenRows(int count, int xStride, int yStride) =>
        Enumerable.Range(0, count).Select(p => new BlockRow(p * xStride, p * yStride)).ToList();

    /// <summary>Writes the kernel as a method taking refs to the block's input, weights, bias and output.</summary>
    public void EmitMethod(SourceWriter writer, string name, string description)
    {
        writer.Comment(description);
        writer.Line(FrameworkNames.AggressiveOptimization);
        using (writer.Open("private static void " + name + "(ref float x, ref float w, ref float b, ref float y" + (Sliced ? ", bool first, bool last" : string.Empty) +
            (PrefetchDivisor > 0 ? ", ref float pf" : string.Empty) + ")"))
        {
            EmitBody(writer);
        }
    }

    /// <summary>"6 rows x 4 vectors of 16 channels, 9 taps unrolled per step".</summary>
    public string Describe() =>
        Rows.Count + (Rows.Count == 1 ? " row x " : " rows x ") + Chunks.Count + (Chunks.Count == 1 ? " vector" : " vectors") +
        " of " + string.Join("+", Chunks.Select(c => c.Width).Distinct()) + (Chunks[0].Width == 1 ? " channel" : " channels") + " in registers, " +
        (Taps.IsFullyUnrolled ? "all " + Taps.Body.Count + " taps unrolled" : Taps.Body.Count + " taps unrolled per step");

    private VectorOps OpsOf(int chunk) => VectorOps.ForWidth(Chunks[chunk].Width);

    private void EmitBody(SourceWriter writer)
    {
        for (var g = 0; g < Chunks.Count; g++)
        {
            var ops = OpsOf(g);
            var start = HasBias ? ops.Load("b", Chunks[g].Offset) : ops.Zero;
            if (HasBias && Sliced)
            {
                start = "first ? " + start + " : " + ops.Zero;
            }

            if (HasBias && (Rows.Count > 1 || Sliced))
            {
                writer.Line("var b" + g + " = " + start + ";");
                start = "b" + g;
            }

            writer.Line(ops.Type + " " + string.Join(", ", Enumerable.Range(0, Rows.Count).Select(p => Accumulator(p, g) + " = " + start)) + ";");
        }

        if (UsesWeightRegisters)
        {
            foreach (var width in Chunks.Select(c => c.Width).Distinct())
            {
                writer.Line(VectorOps.ForWidth(width).Type + " " + string.Join(", ", Enumerable.Range(0, Chunks.Count).Where(g => Chunks[g].Width == width).Select(g => "w" + g)) + ";");
            }
        }

        if (Chunks.Count > 1)
        {
            foreach (var width in Chunks.Select(c => c.Width).Distinct())
            {
                writer.Line(VectorOps.ForWidth(width).Type + " " + Temp(width) + ";");
            }
        }

        EmitReduction(writer);
        if (Sliced)
        {
            EmitSliceEnd(writer);
            return;
        }

        for (var p = 0; p < Rows.Count; p++)
        {
            for (var g = 0; g < Chunks.Count; g++)
            {
                var ops = OpsOf(g);
                var offset = Rows[p].Y + Chunks[g].Offset;
                if (FoldedChannels > 0)
                {
                    writer.Line(Accumulator(p, g) + " = " + FusedActivation.Normalized(Accumulator(p, g), ops, FoldedChannels, Chunks[g].Offset) + ";");
                }

                var value = Activate(Accumulator(p, g), ops);
                writer.Line(Accumulate ? ops.AddTo(value, "y", offset) : ops.Store(value, "y", offset));
            }
        }
    }

    /// <summary>A slice's stores: the partial sums so far added unless it is the first, the activation if it is the last.</summary>
    private void EmitSliceEnd(SourceWriter writer)
    {
        void ForEach(System.Func<int, int, VectorOps, string> line)
        {
            for (var p = 0; p < Rows.Count; p++)
            {
                for (var g = 0; g < Chunks.Count; g++)
                {
                    writer.Line(line(p, g, OpsOf(g)));
                }
            }
        }

        using (writer.Open("if (!first)"))
        {
            ForEach((p, g, ops) => Accumulator(p, g) + " += " + ops.Load("y", Rows[p].Y + Chunks[g].Offset) + ";");
        }

        if (Activation != ActivationKind.Linear || FoldedChannels > 0)
        {
            using (writer.Open("if (last)"))
            {
                if (FoldedChannels > 0)
                {
                    ForEach((p, g, ops) => Accumulator(p, g) + " = " + FusedActivation.Normalized(Accumulator(p, g), ops, FoldedChannels, Chunks[g].Offset) + ";");
                }

                if (Activation != ActivationKind.Linear)
                {
                    ForEach((p, g, ops) => Accumulator(p, g) + " = " + Activate(Accumulator(p, g), ops) + ";");
                }
            }
        }

        ForEach((p, g, ops) => ops.Store(Accumulator(p, g), "y", Rows[p].Y + Chunks[g].Offset));
    }

    private void EmitReduction(SourceWriter writer)
    {
        var x = "x";
        var w = "w";
        var pf = "pf";
        var closers = new List<SourceWriter.Block>();
        foreach (var loop in Taps.Loops)
        {
            closers.Add(OpenLoop(writer, loop, ref x, ref w));
            pf = MovePrefetch(writer, loop, pf);
        }

        if (Taps.SplitLoop is { } split)
        {
            var outerX = x;
            var outerW = w;
            var outerPf = pf;
            using (OpenLoop(writer, split, ref x, ref w))
            {
                EmitTaps(writer, Taps.Body, x, w, MovePrefetch(writer, split, pf));
            }

            EmitTaps(writer, Taps.Tail, outerX, outerW, outerPf);
        }
        else
        {
            EmitTaps(writer, Taps.Body, x, w, pf);
        }

        for (var i = closers.Count - 1; i >= 0; i--)
        {
            closers[i].Dispose();
        }
    }

    /// <summary>
    /// Opens the loop of one reduction dimension and declares the refs it moves: x by XStep, the
    /// weights (named <paramref name="wPrefix"/> + the variable) by WStep; returns the loop to close.
    /// </summary>
    internal static SourceWriter.Block OpenLoop(SourceWriter writer, TapDimension loop, ref string x, ref string w, string wPrefix = "w")
    {
        var variable = loop.Name;
        var block = writer.Open("for (int " + variable + " = 0; " + variable + " < " + loop.Count + "; " + variable + "++)");
        var newX = "x" + variable;
        var newW = wPrefix + variable;
        writer.Line("ref float " + newX + " = " + VectorOps.Ref(x, CompactLoops.Times(variable, loop.XStep)) + ";");
        writer.Line("ref float " + newW + " = " + VectorOps.Ref(w, CompactLoops.Times(variable, loop.WStep)) + ";");
        x = newX;
        w = newW;
        return block;
    }

    /// <summary>Declares the prefetch ref of a loop, moved as the weights are, divided; returns its name (pf unchanged without prefetch).</summary>
    private string MovePrefetch(SourceWriter writer, TapDimension loop, string pf)
    {
        if (PrefetchDivisor == 0)
        {
            return pf;
        }

        var moved = "pf" + loop.Name;
        writer.Line("ref float " + moved + " = " + VectorOps.Ref(pf, CompactLoops.Times(loop.Name, PrefetchOffset(loop.WStep))) + ";");
        return moved;
    }

    /// <summary>A weight offset scaled to the prefetch: exact for packed groups, whose offsets are whole rows of the group (a multiple of <see cref="PrefetchLines"/>); a hint either way.</summary>
    private int PrefetchOffset(int weightOffset) => weightOffset / PrefetchDivisor;

    /// <summary>Weights are loaded into registers once per tap unless a single FMA uses them.</summary>
    private bool UsesWeightRegisters => Rows.Count > 1 || Chunks.Count > 1;

    private void EmitTaps(SourceWriter writer, IReadOnlyList<Tap> taps, string x, string w, string pf)
    {
        foreach (var tap in taps)
        {
            for (var line = 0; PrefetchDivisor > 0 && line < PrefetchLinesPerTap; line++)
            {
                writer.Line(FrameworkNames.Kernels + "Prefetch.IntoL2(" + VectorOps.Ref(pf, PrefetchOffset(tap.W) + 16 * line) + ");");
            }

            if (UsesWeightRegisters)
            {
                for (var g = 0; g < Chunks.Count; g++)
                {
                    writer.Line("w" + g + " = " + OpsOf(g).Load(w, tap.W + Chunks[g].Offset) + ";");
                }
            }

            for (var p = 0; p < Rows.Count; p++)
            {
                var inputs = new Dictionary<int, string>();
                foreach (var width in Chunks.Select(c => c.Width).Distinct())
                {
                    var input = VectorOps.ForWidth(width).Broadcast(x, tap.X + Rows[p].X);
                    if (Chunks.Count > 1)
                    {
                        // One broadcast feeds every vector of the group.
                        writer.Line(Temp(width) + " = " + input + ";");
                        input = Temp(width);
                    }

                    inputs[width] = input;
                }

                for (var g = 0; g < Chunks.Count; g++)
                {
                    var ops = OpsOf(g);
                    var weight = UsesWeightRegisters ? "w" + g : ops.Load(w, tap.W + Chunks[g].Offset);
                    var accumulator = Accumulator(p, g);
                    writer.Line(accumulator + " = " + ops.MultiplyAdd(inputs[Chunks[g].Width], weight, accumulator) + ";");
                }
            }
        }
    }

    private static string Temp(int width) => width == 1 ? "t1" : "t" + width;

    private string Activate(string value, VectorOps ops) => FusedActivation.Text(Activation, value, ops);

    private static string Accumulator(int row, int chunk) => "a" + row + "_" + chunk;
}
