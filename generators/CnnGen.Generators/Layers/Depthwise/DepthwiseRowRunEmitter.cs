using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// The forward, kernel-gradient and input-gradient code of a depthwise layer of few channels,
/// swept as runs of floats (see <see cref="DepthwiseRowRuns"/>). The input sits in its frame of
/// zeros as in the other depthwise kernels, so a row's windows start at its first stored column.
/// </summary>
internal static class DepthwiseRowRunEmitter
{
    // ---- forward -------------------------------------------------------------------------------

    public static void EmitForward(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout target, DepthwiseRowRuns runs)
    {
        writer.Comment("Fewer channels than a vector: each output row is one run of " + runs.Run + " floats, swept in vectors of " + runs.Lanes + ".");
        runs.EmitTiles(writer, layer, withBias: true);
        var y = "yr";
        if (runs.Strided)
        {
            writer.Comment("A stride of " + runs.Stride + " along the row: the row at stride 1 on the stack, every " + runs.Stride + "nd position kept.");
            StackBuffers.Declare(writer, "full", "fr", runs.Run);
            y = "fr";
        }

        var step = runs.Block * runs.Lanes;
        var blocksEnd = runs.BlocksEnd(runs.Run);
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float xn = ref " + FrameworkNames.Unsafe + ".Add(ref x, " + CompactLoops.Times("(nint)n", input.StoredSize) + ");");
            writer.Line("ref float yn = ref " + FrameworkNames.Unsafe + ".Add(ref y, " + CompactLoops.Times("(nint)n", target.StoredSize) + VectorOps.PlusConstant(target.InteriorOffset) + ");");
            using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
            {
                writer.Line("ref float xr = ref " + FrameworkNames.Unsafe + ".Add(ref xn, " + CompactLoops.Times("oh", layer.StrideHeight * input.RowStride) + ");");
                writer.Line("ref float yr = ref " + FrameworkNames.Unsafe + ".Add(ref yn, " + CompactLoops.Times("oh", target.RowStride) + ");");
                EachBlock(writer, blocksEnd, step, new[] { ("xr", "xp"), (y, "yp") }, refs =>
                    EmitForwardVectors(writer, layer, input, runs, refs[0], refs[1], Enumerable.Range(0, runs.Block).Select(i => i * runs.Lanes).ToList()));

                var rest = runs.Vectors(blocksEnd, runs.Run);
                if (rest.Count > 0)
                {
                    using (writer.Scope())
                    {
                        writer.Comment(runs.EndsShiftedBack(runs.Run)
                            ? "The rest of the row; its last vector ends at the row's end, over the one before (it stores equal values)."
                            : "The rest of the row.");
                        EmitForwardVectors(writer, layer, input, runs, "xr", y, rest);
                    }
                }

                if (runs.Strided)
                {
                    runs.EmitSpread(writer, "yr", "fr", toRun: false);
                }
            }
        }
    }

    /// <summary>Vectors of one run at the given offsets (from element 0 of the period) in registers over every tap.</summary>
    private static void EmitForwardVectors(SourceWriter writer, LayerModel layer, TensorLayout input, DepthwiseRowRuns runs, string x, string y, List<int> offsets)
    {
        var ops = runs.Ops;
        var phases = offsets.Select(o => o % runs.Channels).ToList();
        writer.Line(ops.Type + " " + string.Join(", ", offsets.Select((_, i) => "a" + i + " = " + (layer.UseBias ? ops.Load("bt", phases[i]) : ops.Zero))) + ";");
        EachTap(writer, layer, input, runs, offsets.Count, x, (xr, wr, xOffset, wOffset) =>
        {
            foreach (var phase in phases.Distinct())
            {
                writer.Line("var w" + phase + " = " + ops.Load(wr, wOffset + phase) + ";");
            }

            for (var i = 0; i < offsets.Count; i++)
            {
                writer.Line("a" + i + " = " + ops.MultiplyAdd(ops.Load(xr, xOffset + offsets[i]), "w" + phases[i], "a" + i) + ";");
            }
        });

        for (var i = 0; i < offsets.Count; i++)
        {
            var value = "a" + i;
            if (layer.FoldsNormalization)
            {
                writer.Line(value + " = " + FusedActivation.Normalized(value, ops, runs.Tile, phases[i], "bt") + ";");
            }

            writer.Line(ops.Store(FusedActivation.Text(ActivationPass.Fused(layer), value, ops), y, offsets[i]));
        }
    }

    /// <summary>
    /// Every tap of the kernel, unrolled while <paramref name="vectors"/> times the taps fit the
    /// unroll budget, else kernel rows (then taps) in loops; <paramref name="tap"/> writes one tap
    /// given the input ref, the tiled weights' ref and their offsets.
    /// </summary>
    private static void EachTap(SourceWriter writer, LayerModel layer, TensorLayout input, DepthwiseRowRuns runs, int vectors, string x, Action<string, string, int, int> tap)
    {
        var rowStride = layer.DilationHeight * input.RowStride;
        if (runs.Taps * vectors <= DepthwiseForwardEmitter.UnrollBudget)
        {
            for (var kh = 0; kh < layer.KernelHeight; kh++)
            {
                for (var kw = 0; kw < layer.KernelWidth; kw++)
                {
                    using (writer.Scope())
                    {
                        tap(x, "wt", kh * rowStride + kw * runs.Shift, (kh * layer.KernelWidth + kw) * runs.Tile);
                    }
                }
            }
        }
        else if (layer.KernelWidth * vectors <= DepthwiseForwardEmitter.UnrollBudget)
        {
            using (writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)"))
            {
                writer.Line("ref float xk = ref " + FrameworkNames.Unsafe + ".Add(ref " + x + ", " + CompactLoops.Times("kh", rowStride) + ");");
                writer.Line("ref float wk = ref " + FrameworkNames.Unsafe + ".Add(ref wt, " + CompactLoops.Times("kh", layer.KernelWidth * runs.Tile) + ");");
                for (var kw = 0; kw < layer.KernelWidth; kw++)
                {
                    using (writer.Scope())
                    {
                        tap("xk", "wk", kw * runs.Shift, kw * runs.Tile);
                    }
                }
            }
        }
        else
        {
            var kh = new CompactLoops.Loop("kh", layer.KernelHeight);
            var kw = new CompactLoops.Loop("kw", layer.KernelWidth);
            using (CompactLoops.Open(writer, kh, kw))
            {
                writer.Line("ref float xk = ref " + FrameworkNames.Unsafe + ".Add(ref " + x + ", " + CompactLoops.Sum((CompactLoops.Var(kh), rowStride), (CompactLoops.Var(kw), runs.Shift)) + ");");
                writer.Line("ref float wk = ref " + FrameworkNames.Unsafe + ".Add(ref wt, " + CompactLoops.Times(CompactLoops.Sum((CompactLoops.Var(kh), layer.KernelWidth), (CompactLoops.Var(kw), 1)), runs.Tile) + ");");
                tap("xk", "wk", 0, 0);
            }
        }
    }

    /// <summary>
    /// Whole blocks of <paramref name="step"/> floats up to <paramref name="end"/>: a loop whose
    /// refs move with the block, or, for a single block, the rows' refs themselves.
    /// </summary>
    private static void EachBlock(SourceWriter writer, int end, int step, (string Row, string Block)[] refs, Action<string[]> body)
    {
        if (end == 0)
        {
            return;
        }

        if (end == step)
        {
            using (writer.Scope())
            {
                body(refs.Select(r => r.Row).ToArray());
            }

            return;
        }

        using (writer.Open("for (int e = 0; e < " + end + "; e += " + step + ")"))
        {
            foreach (var (row, block) in refs)
            {
                writer.Line("ref float " + block + " = ref " + FrameworkNames.Unsafe + ".Add(ref " + row + ", e);");
            }

            body(refs.Select(r => r.Block).ToArray());
        }
    }

    // ---- dL/d(kernel) --------------------------------------------------------------------------

    /// <summary>
    /// Sums of x[run + tap] x dz[run] kept along the runs (a vector of sums per tap and phase),
    /// folded into channels at the end (<c>K::PeriodicRuns.Fold</c>).
    /// </summary>
    public static void EmitKernelGradient(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout output, DepthwiseRowRuns runs)
    {
        var group = runs.Period * runs.Lanes;
        writer.Comment("Fewer channels than a vector: each row is one run of " + runs.Run + " floats; the sums of each tap kept along " + group +
            " floats of it (element j is channel j mod " + runs.Channels + "), then folded into channels.");
        StackBuffers.Declare(writer, "sums", "s", System.Math.Max(1, runs.TapsPerPass) * group);
        if (runs.Strided)
        {
            writer.Comment("A stride of " + runs.Stride + " along the row: each row of output gradients spread over the row at stride 1, zeros between.");
            StackBuffers.Declare(writer, "spread", "er", runs.Run);
            writer.Line("spread.Clear();");
        }

        DepthwiseBackwardEmitter.EmitTapPasses(writer, layer, input, runs.Shift, runs.Channels, runs.TapsPerPass,
            (taps, x, dw) => EmitKernelGradientPass(writer, layer, input, output, runs, taps, x, dw));
    }

    private static void EmitKernelGradientPass(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout output, DepthwiseRowRuns runs,
        List<(int X, int Index)> taps, string x, string dw)
    {
        var ops = runs.Ops;
        var group = runs.Period * runs.Lanes;
        string Sum(int t, int i) => "s" + t + "_" + i;
        writer.Line(ops.Type + " " + string.Join(", ", taps.SelectMany((_, t) => Enumerable.Range(0, runs.Period).Select(i => Sum(t, i) + " = " + ops.Zero))) + ";");

        // Vector k of a run (from a whole number of periods) adds to the sums of phase k mod the period.
        void Vector(string xRef, string dRef, int offset, int index, IEnumerable<bool>? newLanes)
        {
            var load = ops.Load(dRef, offset);
            writer.Line("var g" + index + " = " + (newLanes is null ? load : ops.Select(newLanes, load, ops.Zero)) + ";");
            for (var t = 0; t < taps.Count; t++)
            {
                writer.Line(Sum(t, index) + " = " + ops.MultiplyAdd(ops.Load(xRef, taps[t].X + offset), "g" + index, Sum(t, index)) + ";");
            }
        }

        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float xn = ref " + FrameworkNames.Unsafe + ".Add(ref " + x + ", (nint)n * " + input.StoredSize + ");");
            writer.Line("ref float dn = ref " + FrameworkNames.Unsafe + ".Add(ref d, " + CompactLoops.Times("(nint)n", output.StoredSize) + VectorOps.PlusConstant(output.InteriorOffset) + ");");
            using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
            {
                writer.Line("ref float xr = ref " + FrameworkNames.Unsafe + ".Add(ref xn, " + CompactLoops.Times("oh", layer.StrideHeight * input.RowStride) + ");");
                writer.Line("ref float dr = ref " + FrameworkNames.Unsafe + ".Add(ref dn, " + CompactLoops.Times("oh", output.RowStride) + ");");
                var d = "dr";
                if (runs.Strided)
                {
                    runs.EmitSpread(writer, "dr", "er", toRun: true);
                    d = "er";
                }

                var groupsEnd = runs.Run / group * group;
                EachBlock(writer, groupsEnd, group, new[] { ("xr", "xp"), (d, "dp") }, refs =>
                {
                    for (var i = 0; i < runs.Period; i++)
                    {
                        Vector(refs[0], refs[1], i * runs.Lanes, i, null);
                    }
                });

                var rest = runs.Vectors(groupsEnd, runs.Run);
                if (rest.Count > 0)
                {
                    using (writer.Scope())
                    {
                        for (var k = 0; k < rest.Count; k++)
                        {
                            var last = k == rest.Count - 1 && runs.EndsShiftedBack(runs.Run);
                            if (last)
                            {
                                writer.Comment("The last vector ends at the row's end: the lanes the vector before counted are left out.");
                            }

                            // A whole vector k after the groups has phase k; the shifted-back last one ends a period.
                            Vector("xr", d, rest[k], last ? runs.Period - 1 : k, last ? runs.NewLanes(runs.Run) : null);
                        }
                    }
                }
            }
        }

        for (var t = 0; t < taps.Count; t++)
        {
            for (var i = 0; i < runs.Period; i++)
            {
                writer.Line(ops.Store(Sum(t, i), "s", (t * runs.Period + i) * runs.Lanes));
            }
        }

        writer.Line(FrameworkNames.Kernels + "PeriodicRuns.Fold(ref s, " + VectorOps.Ref(dw, taps[0].Index * runs.Channels) + ", " + taps.Count + ", " + runs.Channels + ", " + group + ");");
    }

    // ---- dL/d(input) ---------------------------------------------------------------------------

    /// <summary>
    /// Row by row of output gradients, copied into a run with <see cref="DepthwiseRowRuns.Pad"/>
    /// zeros each side: input-gradient row kh of the window gets, at element j, the sum over kw
    /// of dz[j - kw x shift] x w[kh, kw, j mod C]. Each vector is loaded, added to and stored
    /// once per kernel row.
    /// </summary>
    public static void EmitInputGradient(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout output, DepthwiseRowRuns runs)
    {
        var span = runs.Run + runs.Pad;
        writer.Comment("Fewer channels than a vector: each input-gradient row is one run of " + span + " floats, swept in vectors of " + runs.Lanes + ".");
        runs.EmitTiles(writer, layer, withBias: false);
        var g = "dr";
        if (runs.Pad > 0 || runs.Strided)
        {
            writer.Comment("A row of output gradients with " + runs.Pad + " zeros each side, so that every tap reads within it" +
                (runs.Strided ? ", spread over the row at stride 1 (zeros between)." : "."));
            StackBuffers.Declare(writer, "padded", "gp", (runs.Run + 2 * runs.Pad));
            writer.Line("padded.Clear();");
            g = "gp";
        }

        var step = runs.Block * runs.Lanes;
        var blocksEnd = runs.BlocksEnd(span);
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float dxn = ref " + FrameworkNames.Unsafe + ".Add(ref dx, " + CompactLoops.Times("(nint)n", input.StoredSize) + ");");
            writer.Line("ref float dn = ref " + FrameworkNames.Unsafe + ".Add(ref d, " + CompactLoops.Times("(nint)n", output.StoredSize) + VectorOps.PlusConstant(output.InteriorOffset) + ");");
            using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
            {
                writer.Line("ref float dxr = ref " + FrameworkNames.Unsafe + ".Add(ref dxn, " + CompactLoops.Times("oh", layer.StrideHeight * input.RowStride) + ");");
                writer.Line("ref float dr = ref " + FrameworkNames.Unsafe + ".Add(ref dn, " + CompactLoops.Times("oh", output.RowStride) + ");");
                if (runs.Strided)
                {
                    // Every stride-th position of the padded run: the others stay zero.
                    writer.Line("ref float gr = ref " + FrameworkNames.Unsafe + ".Add(ref gp, " + runs.Pad + ");");
                    runs.EmitSpread(writer, "dr", "gr", toRun: true);
                }
                else if (runs.Pad > 0)
                {
                    writer.Line("global::System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref dr, " + runs.Run + ").CopyTo(global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref " +
                        FrameworkNames.Unsafe + ".Add(ref gp, " + runs.Pad + "), " + runs.Run + "));");
                }

                EachBlock(writer, blocksEnd, step, new[] { ("dxr", "dxp"), (g, "gq") }, refs =>
                    EmitInputGradientVectors(writer, layer, input, runs, refs[0], refs[1], Enumerable.Range(0, runs.Block).Select(i => i * runs.Lanes).ToList(), null));

                var rest = runs.Vectors(blocksEnd, span);
                if (rest.Count > 0)
                {
                    using (writer.Scope())
                    {
                        var shifted = runs.EndsShiftedBack(span);
                        writer.Comment(shifted
                            ? "The rest of the row; its last vector ends at the row's end and keeps the lanes the vector before added to."
                            : "The rest of the row.");
                        EmitInputGradientVectors(writer, layer, input, runs, "dxr", g, rest, shifted ? runs.NewLanes(span) : null);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Vectors of one input-gradient run, loaded, added to over each kernel row and stored; with
    /// <paramref name="lastNewLanes"/> the last vector stores only those lanes' sums.
    /// </summary>
    private static void EmitInputGradientVectors(SourceWriter writer, LayerModel layer, TensorLayout input, DepthwiseRowRuns runs, string dx, string g,
        List<int> offsets, IEnumerable<bool>? lastNewLanes)
    {
        var ops = runs.Ops;
        var rowStride = layer.DilationHeight * input.RowStride;
        var last = offsets.Count - 1;
        void KernelRow(string dxRef, string wRef, int dxOffset, int wOffset)
        {
            writer.Line(ops.Type + " " + string.Join(", ", offsets.Select((offset, i) => "o" + i + " = " + ops.Load(dxRef, dxOffset + offset))) + ";");
            void Tap(string gRef, string wTap, int gOffset, int wTapOffset)
            {
                for (var i = 0; i < offsets.Count; i++)
                {
                    var phase = offsets[i] % runs.Channels;
                    writer.Line("o" + i + " = " + ops.MultiplyAdd(ops.Load(gRef, gOffset + offsets[i]), ops.Load(wTap, wTapOffset + phase), "o" + i) + ";");
                }
            }

            if ((long)layer.KernelWidth * offsets.Count <= DepthwiseForwardEmitter.UnrollBudget)
            {
                for (var kw = 0; kw < layer.KernelWidth; kw++)
                {
                    Tap(g, wRef, runs.Pad - kw * runs.Shift, wOffset + kw * runs.Tile);
                }
            }
            else
            {
                using (writer.Open("for (int kw = 0; kw < " + layer.KernelWidth + "; kw++)"))
                {
                    writer.Line("ref float gk = ref " + FrameworkNames.Unsafe + ".Add(ref " + g + ", " + runs.Pad + " - " + CompactLoops.Times("kw", runs.Shift) + ");");
                    writer.Line("ref float wk = ref " + FrameworkNames.Unsafe + ".Add(ref " + wRef + ", " + CompactLoops.Plus(CompactLoops.Times("kw", runs.Tile), wOffset) + ");");
                    Tap("gk", "wk", 0, 0);
                }
            }

            for (var i = 0; i < offsets.Count; i++)
            {
                var sum = "o" + i;
                // The last vector's other lanes as the vectors before stored them.
                writer.Line(ops.Store(i == last && lastNewLanes is not null ? ops.Select(lastNewLanes, sum, ops.Load(dxRef, dxOffset + offsets[i])) : sum, dxRef, dxOffset + offsets[i]));
            }
        }

        if ((long)runs.Taps * offsets.Count <= DepthwiseForwardEmitter.UnrollBudget || layer.KernelHeight == 1)
        {
            for (var kh = 0; kh < layer.KernelHeight; kh++)
            {
                using (writer.Scope())
                {
                    KernelRow(dx, "wt", kh * rowStride, kh * layer.KernelWidth * runs.Tile);
                }
            }
        }
        else
        {
            using (writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)"))
            {
                writer.Line("ref float dxk = ref " + FrameworkNames.Unsafe + ".Add(ref " + dx + ", " + CompactLoops.Times("kh", rowStride) + ");");
                writer.Line("ref float wk = ref " + FrameworkNames.Unsafe + ".Add(ref wt, " + CompactLoops.Times("kh", layer.KernelWidth * runs.Tile) + ");");
                KernelRow("dxk", "wk", 0, 0);
            }
        }
    }
}
