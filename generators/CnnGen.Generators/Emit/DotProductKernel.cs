using System.Collections.Generic;
using System.Linq;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit;

/// <summary>
/// The block shape of a dot-product kernel at one width: vectors of <see cref="Lanes"/> inputs,
/// <see cref="Rows"/> rows (output positions or samples) per block, and each output's sum split
/// into <see cref="Parts"/> accumulators over alternate vectors.
/// </summary>
internal readonly record struct DotProductShape(int Lanes, int Rows, int Parts);

/// <summary>
/// The micro-kernel of a layer of few outputs on many inputs (<see cref="FewOutputs"/>,
/// <see cref="FewUnits"/>): a segmentation head's 1x1 convolution, a binary classifier's last
/// dense layer. Blocked over outputs those would run one float (or a quarter of a vector) at a time; here each accumulator
/// is a vector of consecutive inputs (input channels, kernel columns) holding one output's
/// partial products, and the lanes are summed four accumulators at a time at the end
/// (<c>K::V256.Sum4</c>). The weights are read transposed, [filter][tap], so that a filter's taps
/// are consecutive: as the kernel is for one filter, else a copy on the stack.
/// </summary>
/// <param name="Rows">Rows of the block: row p reads at p * <paramref name="RowXStride"/> and writes its filters at p * filters.</param>
/// <param name="Filters">Outputs per row (1 to 3), consecutive in the output.</param>
/// <param name="Segments">Loops over the runs of consecutive inputs (kernel rows; kernel columns when dilated), outermost first.</param>
/// <param name="Length">Consecutive inputs per run, at least <see cref="DotProductShape.Lanes"/>.</param>
/// <param name="FilterStride">Floats from one filter's transposed weights to the next.</param>
/// <param name="FoldedChannels">As in <see cref="BlockedKernel"/>: the output channels of a layer that folds a batch normalisation, else 0.</param>
internal sealed record DotProductKernel(
    int Rows,
    int RowXStride,
    int Filters,
    IReadOnlyList<TapDimension> Segments,
    int Length,
    int FilterStride,
    DotProductShape Shape,
    bool HasBias,
    ActivationKind Activation,
    int FoldedChannels)
{
    /// <summary>Fewest independent accumulators that keep the FMA units busy (two per cycle, four cycles each).</summary>
    private const int MinAccumulators = 8;

    /// <summary>Accumulators a block keeps: 12 leave room for the weights and an input in 16 registers.</summary>
    private const int Budget = 12;

    /// <summary>
    /// Most vectors one accumulator sums: a longer chain of float additions loses accuracy with
    /// its length (see DenseForwardEmitter.SliceLength); longer reductions take more parts.
    /// </summary>
    private const int MaxChain = 512;

    /// <summary>Floats of transposed weights a kernel of several filters may copy onto the stack.</summary>
    public const int MaxTransposedFloats = 16 * 1024;

    /// <summary>Whether the kernel of <paramref name="taps"/> x <paramref name="filters"/> is read as it is (one filter) or fits the stack transposed.</summary>
    public static bool Transposable(long taps, int filters) => filters == 1 || taps * filters <= MaxTransposedFloats;

    /// <summary>
    /// Whether a convolution of <paramref name="filters"/> filters takes dot products rather than
    /// vectors of filters: 1 to 3 (blocked, 4 to 7 fill 128-bit vectors, and 1x1 layers of them
    /// ran faster than ONNX Runtime already).
    /// </summary>
    public static bool FewOutputs(int filters) => filters is >= 1 and <= 3;

    /// <summary>
    /// Whether a dense layer of <paramref name="units"/> units takes dot products at a width: 1 to
    /// 3, and at 512 bits 4 to 7. Blocked at 512 bits, 4 to 7 units took two 4-float vectors, a
    /// quarter of the width, a sample at a time (2,048 inputs to 5 units at batch 32: 3x ONNX
    /// Runtime's time); at 256 and 128 bits the blocked kernel was as fast at batch 32 and faster
    /// below, where the dot products' transposed kernel costs more than they save.
    /// </summary>
    public static bool FewUnits(int units, VectorIsa isa) => units is >= 1 and <= 3 || units is >= 4 and <= 7 && isa.MaxWidth == 16;

    /// <summary>
    /// The widest vector a run of <paramref name="length"/> inputs fills, and the most rows a
    /// block holds; null when no vector fits a run.
    /// </summary>
    public static DotProductShape? Choose(VectorIsa isa, int filters, int length, int runs, int availableRows)
    {
        var lanes = Lanes(isa, length);
        if (lanes == 0)
        {
            return null;
        }

        var steps = (long)runs * ((length + lanes - 1) / lanes);
        var minParts = (int)((steps + MaxChain - 1) / MaxChain);
        var rows = System.Math.Max(1, System.Math.Min(System.Math.Min(availableRows, Budget / filters), Budget / (filters * minParts)));
        var parts = PartsFor(rows, filters, steps);
        return steps > (long)parts * 2 * MaxChain ? null : new DotProductShape(lanes, rows, parts);
    }

    /// <summary>The widest vector of the width that a run of <paramref name="length"/> inputs fills; 0 when none does.</summary>
    public static int Lanes(VectorIsa isa, int length) => new[] { 16, 8, 4 }.FirstOrDefault(l => l <= isa.MaxWidth && l <= length);

    /// <summary>The shape for a block of <paramref name="rows"/> rows (a block's rest), with the parts that fill the FMA units.</summary>
    public static DotProductShape ForRows(DotProductShape shape, int filters, int length, int runs, int rows) =>
        shape with { Rows = rows, Parts = PartsFor(rows, filters, (long)runs * ((length + shape.Lanes - 1) / shape.Lanes)) };

    private static int PartsFor(int rows, int filters, long steps)
    {
        var accumulators = rows * filters;
        var wanted = System.Math.Max((int)((steps + MaxChain - 1) / MaxChain), (MinAccumulators + accumulators - 1) / accumulators);
        return (int)System.Math.Max(1, System.Math.Min(System.Math.Min(wanted, System.Math.Max(1, Budget / accumulators)), steps));
    }

    /// <summary>
    /// The ref of the kernel of <paramref name="taps"/> x <paramref name="filters"/> read as
    /// [filter][tap]: <c>w</c> itself for one filter, else <c>wt</c>, a copy transposed on the stack
    /// (at most <see cref="MaxTransposedFloats"/>), declared here.
    /// </summary>
    public static string EmitTransposedWeights(SourceWriter writer, int taps, int filters)
    {
        if (filters == 1)
        {
            return "w";
        }

        writer.Comment("The kernel transposed to [output][input], so that each output's weights are consecutive.");
        StackBuffers.Declare(writer, "transposed", "wt", taps * filters);
        writer.Line(FrameworkNames.Kernels + "MatrixTranspose.Transpose(ref w, ref wt, 1, " + taps + ", " + filters + ");");
        return "wt";
    }

    /// <summary>"8 rows x 3 filters, vectors of 16 inputs, 2 parts".</summary>
    public string Describe() =>
        Rows + (Rows == 1 ? " row x " : " rows x ") + Filters + (Filters == 1 ? " filter" : " filters") + ", each a dot product over vectors of " + Shape.Lanes + " inputs" +
        (Shape.Parts > 1 ? " in " + Shape.Parts + " accumulators" : string.Empty) + ", lanes summed at the end";

    public void EmitMethod(SourceWriter writer, string name, string description)
    {
        writer.Comment(description);
        writer.Line(FrameworkNames.AggressiveOptimization);
        using (writer.Open("private static void " + name + "(ref float x, ref float w, ref float b, ref float y)"))
        {
            var ops = VectorOps.ForWidth(Shape.Lanes);
            writer.Line(ops.Type + " " + string.Join(", ", AllAccumulators().Select(a => a + " = " + ops.Zero)) + ";");
            writer.Line(ops.Type + " " + string.Join(", ", Enumerable.Range(0, Filters).Select(f => "w" + f)) + ", t;");
            EmitReduction(writer, ops);
            EmitEnd(writer, ops);
        }
    }

    private IEnumerable<string> AllAccumulators()
    {
        for (var p = 0; p < Rows; p++)
        {
            for (var f = 0; f < Filters; f++)
            {
                for (var part = 0; part < Shape.Parts; part++)
                {
                    yield return Accumulator(p, f, part);
                }
            }
        }
    }

    private void EmitReduction(SourceWriter writer, VectorOps ops)
    {
        var x = "x";
        var w = "w";
        var closers = new List<SourceWriter.Block>();
        foreach (var loop in Segments)
        {
            closers.Add(BlockedKernel.OpenLoop(writer, loop, ref x, ref w));
        }

        var lanes = Shape.Lanes;
        var parts = Shape.Parts;
        var steps = Length / lanes;
        var groups = steps / parts;
        if (groups > 1)
        {
            var stride = parts * lanes;
            using (writer.Open("for (int i = 0; i < " + groups * stride + "; i += " + stride + ")"))
            {
                writer.Line("ref float xi = " + VectorOps.Ref(x, "i") + ";");
                writer.Line("ref float wi = " + VectorOps.Ref(w, "i") + ";");
                for (var part = 0; part < parts; part++)
                {
                    EmitStep(writer, ops, "xi", "wi", part * lanes, part, null);
                }
            }
        }

        // Steps outside the loop: a single group, the steps that do not fill one, and the last
        // vector, shifted back to end at the run's end with the lanes counted before masked out.
        var first = groups > 1 ? groups * parts : 0;
        for (var step = first; step < steps; step++)
        {
            EmitStep(writer, ops, x, w, step * lanes, step % parts, null);
        }

        var rest = Length % lanes;
        if (rest > 0)
        {
            EmitStep(writer, ops, x, w, Length - lanes, steps % parts, Enumerable.Range(0, lanes).Select(l => l >= lanes - rest));
        }

        for (var i = closers.Count - 1; i >= 0; i--)
        {
            closers[i].Dispose();
        }
    }

    private void EmitStep(SourceWriter writer, VectorOps ops, string x, string w, int offset, int part, IEnumerable<bool>? mask)
    {
        for (var f = 0; f < Filters; f++)
        {
            var load = ops.Load(w, offset + f * FilterStride);
            writer.Line("w" + f + " = " + (mask is null ? load : ops.Select(mask, load, ops.Zero)) + ";");
        }

        for (var p = 0; p < Rows; p++)
        {
            writer.Line("t = " + ops.Load(x, offset + p * RowXStride) + ";");
            for (var f = 0; f < Filters; f++)
            {
                var accumulator = Accumulator(p, f, part);
                writer.Line(accumulator + " = " + ops.MultiplyAdd("t", "w" + f, accumulator) + ";");
            }
        }
    }

    /// <summary>
    /// The parts added, then the sums of every four consecutive outputs in one 128-bit vector,
    /// biased, normalised and activated there and stored at once; the last one to three outputs
    /// of a block summed one at a time.
    /// </summary>
    private void EmitEnd(SourceWriter writer, VectorOps ops)
    {
        for (var p = 0; p < Rows; p++)
        {
            for (var f = 0; f < Filters; f++)
            {
                for (var part = 1; part < Shape.Parts; part++)
                {
                    writer.Line(Accumulator(p, f, 0) + " += " + Accumulator(p, f, part) + ";");
                }
            }
        }

        var outputs = Rows * Filters;
        var quads = outputs / 4;
        var folded = FoldedChannels > 0;
        var constants = new List<(string Name, int Offset)>();
        if (HasBias)
        {
            constants.Add(("b", 0));
        }

        if (folded)
        {
            constants.Add(("g", FoldedChannels));
            constants.Add(("h", 2 * FoldedChannels));
        }

        foreach (var (constant, offset) in constants)
        {
            writer.Line("float " + string.Join(", ", Enumerable.Range(0, Filters).Select(f => constant + f + " = " + VectorOps.Element("b", offset + f))) + ";");
        }

        var v128 = VectorOps.V128;
        var phases = new SortedSet<int>(Enumerable.Range(0, quads).Select(q => q * 4 % Filters));
        foreach (var phase in phases)
        {
            foreach (var (constant, _) in constants)
            {
                writer.Line("var " + constant + "q" + phase + " = " + (Filters == 1 ? v128.Broadcast(constant + "0") : FrameworkNames.Intrinsics + "Vector128.Create(" +
                    string.Join(", ", Enumerable.Range(0, 4).Select(j => constant + (phase + j) % Filters)) + ")") + ";");
            }
        }

        string Output(int k) => Accumulator(k / Filters, k % Filters, 0);
        for (var q = 0; q < quads; q++)
        {
            var phase = q * 4 % Filters;
            var sum = ops.Helpers + ".Sum4(" + string.Join(", ", Enumerable.Range(q * 4, 4).Select(Output)) + ")";
            var value = "s" + q;
            writer.Line("var " + value + " = " + (HasBias ? sum + " + bq" + phase : sum) + ";");
            if (folded)
            {
                writer.Line(value + " = " + v128.MultiplyAdd(value, "gq" + phase, "hq" + phase) + ";");
            }

            writer.Line(v128.Store(FusedActivation.Text(Activation, value, v128), "y", q * 4));
        }

        for (var k = quads * 4; k < outputs; k++)
        {
            var f = k % Filters;
            var value = "r" + k;
            writer.Line("float " + value + " = " + ops.Sum(Output(k)) + (HasBias ? " + b" + f : string.Empty) + ";");
            if (folded)
            {
                writer.Line(value + " = " + value + " * g" + f + " + h" + f + ";");
            }

            writer.Line(VectorOps.Scalar.Store(FusedActivation.Text(Activation, value, VectorOps.Scalar), "y", k));
        }
    }

    private string Accumulator(int row, int filter, int part) => "a" + row + "_" + filter + (Shape.Parts > 1 ? "_" + part : string.Empty);
}
