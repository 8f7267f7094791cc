using CnnGen.Generators.Emit;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// Forward code of a single sample through a dense layer whose kernel is too large for the L2
/// cache: the kernel read row by row, in memory order, each row multiplied into the sums of
/// every unit, which live in a buffer on the stack. The register-blocked kernel reads it one
/// group of units at a time instead, a few cache lines of every row, a pattern the hardware
/// does not prefetch even from L3: 1.5 to 2.7 times as long (docs/benchmarks.md). Each unit's
/// sums are the same chain of fused multiply-adds in the same order, slice by slice, so the
/// outputs are bit-identical to the register-blocked kernel's (a sample gives the same output
/// whatever batch it is in).
/// </summary>
internal static class DenseRowStreamEmitter
{
    /// <summary>Kernels above this size stream their rows for a single sample.</summary>
    internal const long StreamedKernelBytes = 1024 * 1024;

    /// <summary>The most units whose sums fit the stack buffer (64 KB).</summary>
    internal const int MaxStreamedUnits = 16 * 1024;

    /// <summary>Kernel rows multiplied into the sums per pass over them.</summary>
    private const int RowsPerPass = 4;

    /// <summary>Whether a single sample streams the kernel's rows at this vector width.</summary>
    public static bool StreamsRows(LayerModel layer, int width) =>
        (long)layer.Input.Size * layer.Output.Channels * sizeof(float) > StreamedKernelBytes &&
        layer.Output.Channels >= 2 * width && layer.Output.Channels <= MaxStreamedUnits;

    /// <summary>
    /// The loop over the samples from n to batch. The sums: the aligned vectors of units from 0,
    /// then one more vector for the last <paramref name="width"/> units at the buffer's end
    /// (overlapping the one before when the units are not a multiple, as the last group of the
    /// register-blocked kernel does), so no vector adds into another's units.
    /// </summary>
    /// <param name="packed">
    /// Whether the kernel takes the packed weights PackWeights keeps (<c>pw</c>, <c>prepacked</c>):
    /// the stream then reads them, laid out as it reads (<see cref="PackedFloats"/>).
    /// </param>
    public static void Emit(SourceWriter writer, LayerModel layer, int width, ReductionSlices? slices, ActivationKind activation, bool packed)
    {
        var inputs = layer.Input.Size;
        var units = layer.Output.Channels;
        var ops = VectorOps.ForWidth(width);
        var aligned = units / width * width;
        writer.Comment("One sample at a time: the kernel (" + ((long)inputs * units * sizeof(float) + 1023) / 1024 + " KB) is read row by row, in order, " +
            "each row multiplied into the sums of all " + units + " units on the stack; the same sums in the same order as the blocks of samples.");
        if (packed)
        {
            writer.Comment("After PackWeights (pw not null) the stream reads the kernel packed in the order it reads it, one run through memory instead of " +
                RowsPerPass + " runs a row apart: the pass that packs it writes it there (prepacked false), later ones only read it.");
            writer.Line("if (!prepacked && !" + FrameworkNames.Unsafe + ".IsNullRef(ref pw)) " + FrameworkNames.Kernels + "PackedWeights.DenseRows(ref w, ref pw, " +
                inputs + ", " + units + ", " + width + ", " + (slices?.Length ?? inputs) + ", " + RowsPerPass + ");");
        }

        StackBuffers.Declare(writer, "sumSpan", "q", (aligned + width));
        using (writer.Open("for (; n < batch; n++)"))
        {
            writer.Line("ref float xb = ref " + FrameworkNames.Unsafe + ".Add(ref x, " + CompactLoops.Times("(nint)n", inputs) + ");");
            writer.Line("ref float yb = ref " + FrameworkNames.Unsafe + ".Add(ref y, " + CompactLoops.Times("(nint)n", units) + ");");
            if (slices is not { } s)
            {
                EmitSlice(writer, layer, ops, aligned, "0", inputs, "true", "true", activation, packed);
                return;
            }

            writer.Comment("The inputs in slices of " + s.Length + (s.Remainder == 0 ? string.Empty : " (the last " + s.Remainder + ")") +
                ", each summed from zero and added to the total (see SliceLength).");
            var full = s.Count * s.Length;
            using (writer.Open("for (int s = 0; s < " + full + "; s += " + s.Length + ")"))
            {
                EmitSlice(writer, layer, ops, aligned, "s", s.Length, "s == 0", s.Remainder > 0 ? "false" : "s == " + (full - s.Length), activation, packed);
            }

            if (s.Remainder > 0)
            {
                using (writer.Scope())
                {
                    EmitSlice(writer, layer, ops, aligned, VectorOps.Number(full), s.Remainder, "false", "true", activation, packed);
                }
            }
        }
    }

    /// <summary>One slice of <paramref name="length"/> inputs from <paramref name="start"/>: start the sums, add the rows, fold them into the outputs.</summary>
    private static void EmitSlice(SourceWriter writer, LayerModel layer, VectorOps ops, int aligned, string start, int length, string first, string last,
        ActivationKind activation, bool packed)
    {
        var units = layer.Output.Channels;
        var width = ops.Width;

        // The sums start from the bias in the first slice and from zero in the others.
        var fromBias = layer.UseBias && first != "false";
        var from = !fromBias ? ops.Zero : first == "true" ? ops.Load("bj", 0) : first + " ? " + ops.Load("bj", 0) + " : " + ops.Zero;
        EachVector(writer, aligned, units, width, (j, qj) =>
        {
            if (fromBias)
            {
                writer.Line("ref float bj = ref " + FrameworkNames.Unsafe + ".Add(ref b, " + j + ");");
            }

            writer.Line(ops.Store(from, qj, 0));
        });

        // Rows RowsPerPass at a time, then one at a time: from the kernel, or from its packed copy.
        var passes = length / RowsPerPass * RowsPerPass;
        void Rows(bool fromPacked)
        {
            EmitRows(writer, ops, aligned, units, start, passes, RowsPerPass, fromPacked);
            if (passes < length)
            {
                EmitRows(writer, ops, aligned, units, start + " + " + passes, length - passes, 1, fromPacked);
            }
        }

        if (!packed)
        {
            Rows(fromPacked: false);
        }
        else
        {
            using (writer.Open("if (" + FrameworkNames.Unsafe + ".IsNullRef(ref pw))"))
            {
                Rows(fromPacked: false);
            }

            using (writer.Open("else"))
            {
                Rows(fromPacked: true);
            }
        }

        // Add the total so far, and finish in the last slice (folded batch norm, fused activation).
        var folded = FusedActivation.FoldedChannels(layer);
        string OnLast(string finished, string value) => last == "true" ? finished : "(" + last + " ? " + finished + " : " + value + ")";

        var finishes = activation != ActivationKind.Linear || folded > 0;
        void Store(string j, string qj, string total)
        {
            if (!finishes || last == "false")
            {
                writer.Line(ops.Store(total, "yj", 0));
                return;
            }

            writer.Line("ref float bj = ref " + FrameworkNames.Unsafe + ".Add(ref b, " + j + ");");
            writer.Line("var t = " + total + ";");
            if (folded > 0)
            {
                writer.Line("t = " + OnLast(FusedActivation.Normalized("t", ops, folded, 0, bias: "bj"), "t") + ";");
            }

            writer.Line(ops.Store(activation == ActivationKind.Linear ? "t" : OnLast(FusedActivation.Text(activation, "t", ops), "t"), "yj", 0));
        }

        string Total(string qj)
        {
            var added = ops.Load(qj, 0) + " + " + ops.Load("yj", 0);
            return first == "true" ? ops.Load(qj, 0) : first == "false" ? added : "(" + first + " ? " + ops.Load(qj, 0) + " : " + added + ")";
        }

        // The last vector's total first, kept in its sums: the aligned stores below overwrite the outputs it shares with them.
        var tail = VectorOps.Number(units - width);
        if (first != "true")
        {
            using (writer.Scope())
            {
                writer.Line("ref float qj = ref " + FrameworkNames.Unsafe + ".Add(ref q, " + aligned + ");");
                writer.Line("ref float yj = ref " + FrameworkNames.Unsafe + ".Add(ref yb, " + tail + ");");
                writer.Line(ops.Store(Total("qj"), "qj", 0));
            }
        }

        // Then every vector's total (the last one's already summed) into the outputs.
        EachVector(writer, aligned, units, width, (j, qj) =>
        {
            writer.Line("ref float yj = ref " + FrameworkNames.Unsafe + ".Add(ref yb, " + j + ");");
            Store(j, qj, j == tail ? ops.Load(qj, 0) : Total(qj));
        });
    }

    /// <summary>
    /// Rows from <paramref name="start"/>, <paramref name="count"/> of them, <paramref name="step"/>
    /// per pass: each pass broadcasts its inputs and adds their products into every vector of sums.
    /// </summary>
    /// <param name="fromPacked">
    /// Read the packed copy (pw, <see cref="PackedFloats"/>): the pass from row i at
    /// i * (aligned + width), each vector's rows one after another.
    /// </param>
    private static void EmitRows(SourceWriter writer, VectorOps ops, int aligned, int units, string start, int count, int step, bool fromPacked)
    {
        if (count == 0)
        {
            return;
        }

        var width = ops.Width;
        using (writer.Open("for (int i = " + start + "; i < " + start + " + " + count + "; i += " + step + ")"))
        {
            writer.Line(fromPacked
                ? "ref float wi = ref " + FrameworkNames.Unsafe + ".Add(ref pw, (nint)i * " + (aligned + width) + ");"
                : "ref float wi = ref " + FrameworkNames.Unsafe + ".Add(ref w, (nint)i * " + units + ");");
            for (var r = 0; r < step; r++)
            {
                writer.Line("var x" + r + " = " + ops.Broadcast(FrameworkNames.Unsafe + ".Add(ref xb, i" + (r == 0 ? string.Empty : " + " + r) + ")") + ";");
            }

            EachVector(writer, aligned, units, width, (j, qj) =>
            {
                // Packed, the vector at unit j (the last one after the aligned ones) starts its rows at j * step.
                var at = !fromPacked ? j : j == "j" ? CompactLoops.Times("j", step) : VectorOps.Number(aligned * step);
                writer.Line("ref float wj = ref " + FrameworkNames.Unsafe + ".Add(ref wi, " + at + ");");
                var sum = ops.Load(qj, 0);
                for (var r = 0; r < step; r++)
                {
                    sum = ops.MultiplyAdd("x" + r, ops.Load("wj", r * (fromPacked ? width : units)), sum);
                }

                writer.Line(ops.Store(sum, qj, 0));
            });
        }
    }

    /// <summary>
    /// Floats of the kernel packed for the row stream at a width (<c>K::PackedWeights.DenseRows</c>):
    /// every input's row as aligned vectors of units plus one more vector for the last units.
    /// </summary>
    public static long PackedFloats(LayerModel layer, int width) => (long)layer.Input.Size * (layer.Output.Channels / width * width + width);

    /// <summary>
    /// Code for every vector of sums: a loop over the aligned ones (j, and qj at j in the buffer),
    /// then the last <paramref name="width"/> units (j = units - width, qj at the buffer's end).
    /// </summary>
    private static void EachVector(SourceWriter writer, int aligned, int units, int width, System.Action<string, string> body)
    {
        using (writer.Open("for (int j = 0; j < " + aligned + "; j += " + width + ")"))
        {
            writer.Line("ref float qj = ref " + FrameworkNames.Unsafe + ".Add(ref q, j);");
            body("j", "qj");
        }

        using (writer.Scope())
        {
            writer.Line("ref float qj = ref " + FrameworkNames.Unsafe + ".Add(ref q, " + aligned + ");");
            body(VectorOps.Number(units - width), "qj");
        }
    }
}
