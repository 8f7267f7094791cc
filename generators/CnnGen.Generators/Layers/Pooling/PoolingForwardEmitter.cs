using System.Collections.Generic;
using System.Linq;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// Forward code of max and average pooling (1-D and 2-D) and global pooling, vectorised over
/// channels. Max pooling reads a frame of -infinity and average pooling a frame of zeros,
/// so padded cells never count; average pooling divides by the number of real cells.
/// </summary>
internal static class PoolingForwardEmitter
{
    /// <summary>Window taps unrolled per vector of channels; larger windows loop.</summary>
    private const int UnrollBudget = 64;

    public static void Emit(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout output, DataFormat format)
    {
        var comment = LayerDescriber.Describe(layer, format) + "\n" + (layer.IsPooling
            ? input.HasFrame
                ? "The input is stored inside a frame of " + (input.FrameIsNegativeInfinity ? "-infinity" : "zeros") + " as wide as the padding, so every window is read the same way."
                : "No padding: every window lies inside the input."
            : "Reduces all " + layer.Input.Positions + " positions of each channel.");
        if (UsesCountTables(layer))
        {
            var (rows, columns) = CountTables(layer);
            writer.Comment(layer.Name + (layer.CountPadding
                ? ": cells of the window within the declared padding per output row and column (the last window of ceil mode reaches past it)."
                : ": real (unpadded) cells of the window per output row and column."));
            writer.Line("private static readonly int[] " + CountTableName(layer) + "Rows = new int[] { " + string.Join(", ", rows) + " };");
            writer.Line("private static readonly int[] " + CountTableName(layer) + "Columns = new int[] { " + string.Join(", ", columns) + " };");
            writer.Line();
        }

        KernelVariants.Emit(writer, layer.AccessorName + "Forward", "ref float x, ref float y, int batch", "ref x, ref y, batch", comment,
            (variant, isa) => EmitBody(variant.Body, layer, input, output, VectorOps.ForWidth(Plan(layer, isa).Lanes)),
            body => EmitBody(body, layer, input, output, VectorOps.Scalar));
    }

    /// <summary>The forward plan: one window (or, for global pooling, all positions) at a time, vectors of channels.</summary>
    public static KernelPlan Plan(LayerModel layer, VectorIsa isa) =>
        new("forward", isa.Suffix, KernelScheme.ChannelSweep, Chunks.Split(layer.Input.Channels, isa.MaxWidth)[0].Width, 1, 1);

    private static void EmitBody(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout output, VectorOps ops)
    {
        var isMax = LayerVocabulary.IsMaxPooling(layer.Kind);
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float xn = ref " + FrameworkNames.Unsafe + ".Add(ref x, " + CompactLoops.Times("(nint)n", input.StoredSize) + ");");
            writer.Line("ref float yn = ref " + FrameworkNames.Unsafe + ".Add(ref y, " + CompactLoops.Times("(nint)n", output.StoredSize) + VectorOps.PlusConstant(output.InteriorOffset) + ");");
            if (LayerVocabulary.IsGlobalPooling(layer.Kind))
            {
                EmitGlobal(writer, layer, ops, isMax);
                return;
            }

            var countsCells = !isMax && CountsPerWindow(layer);
            using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
            using (writer.Open("for (int ow = 0; ow < " + layer.Output.Width + "; ow++)"))
            {
                writer.Line("ref float xp = ref " + FrameworkNames.Unsafe + ".Add(ref xn, oh * " + layer.StrideHeight * input.RowStride + " + ow * " + layer.StrideWidth * layer.Input.Channels + ");");
                writer.Line("ref float yp = ref " + FrameworkNames.Unsafe + ".Add(ref yn, oh * " + output.RowStride + " + ow * " + layer.Output.Channels + ");");
                var scale = isMax ? null
                    : !countsCells ? ops.Constant(1f / (layer.KernelHeight * layer.KernelWidth))
                    : "scale";
                if (countsCells)
                {
                    writer.Line("var scale = " + ops.Broadcast("1f / " + RealCells(layer)) + ";");
                }

                var taps = new List<int>();
                for (var kh = 0; kh < layer.KernelHeight; kh++)
                {
                    for (var kw = 0; kw < layer.KernelWidth; kw++)
                    {
                        taps.Add(kh * input.RowStride + kw * layer.Input.Channels);
                    }
                }

                // One vector of channels at a time: the window's taps unrolled (or looped when the
                // window is large), the channel vectors in a loop.
                var groups = ChunkGroups.Create(layer.Input.Channels, ops.Width, 1);
                void Body(string xc, string yc)
                {
                    if (isMax && taps.Count > 1 && taps.Count <= UnrollBudget && !ops.IsScalar)
                    {
                        // The window's values once each: the hardware's max over them, NaN set where any is NaN.
                        var values = new List<string>();
                        for (var t = 0; t < taps.Count; t++)
                        {
                            writer.Line("var m" + t + " = " + ops.Load(xc, taps[t]) + ";");
                            values.Add("m" + t);
                        }

                        writer.Line(ops.Store(ops.MaxKeepingNaN(values), yc, 0));
                        return;
                    }

                    if (taps.Count <= UnrollBudget)
                    {
                        var value = ops.Load(xc, taps[0]);
                        for (var t = 1; t < taps.Count; t++)
                        {
                            var next = ops.Load(xc, taps[t]);
                            value = isMax ? ops.Max(value, next) : "(" + value + " + " + next + ")";
                        }

                        writer.Line(ops.Store(isMax ? value : value + " * " + scale, yc, 0));
                        return;
                    }

                    writer.Line("var acc = " + (isMax ? ops.Constant(float.NegativeInfinity) : ops.Zero) + ";");
                    using (writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)"))
                    using (writer.Open("for (int kw = 0; kw < " + layer.KernelWidth + "; kw++)"))
                    {
                        writer.Line("ref float xt = ref " + FrameworkNames.Unsafe + ".Add(ref " + xc + ", kh * " + input.RowStride + " + kw * " + layer.Input.Channels + ");");
                        var next = ops.Load("xt", 0);
                        writer.Line("acc = " + (isMax ? ops.Max("acc", next) : "acc + " + next) + ";");
                    }

                    writer.Line(ops.Store(isMax ? "acc" : "acc * " + scale, yc, 0));
                }

                groups.EmitChannelLoop(writer, "xp", "yp", Body);
            }
        }
    }

    /// <summary>Accumulators of a global pooling: vectors (or floats) of channels reduced together over the positions.</summary>
    private const int GlobalAccumulators = 8;

    /// <summary>
    /// Global pooling: up to eight vectors of channels accumulated over every position, the
    /// groups of vectors in a loop over the channels (the last group shifted back to end at the
    /// last channel, recomputing a few, as everywhere).
    /// </summary>
    private static void EmitGlobal(SourceWriter writer, LayerModel layer, VectorOps ops, bool isMax)
    {
        var channels = layer.Input.Channels;
        var groups = ChunkGroups.Create(channels, ops.Width, GlobalAccumulators);
        groups.EmitChannelLoop(writer, "xn", "yn", (xc, yc) =>
        {
            var group = groups.Group;
            writer.Line(ops.Type + " " + string.Join(", ", group.Select((c, i) => "a" + i + " = " + ops.Load(xc, c.Offset))) + ";");
            using (writer.Open("for (int p = 1; p < " + layer.Input.Positions + "; p++)"))
            {
                writer.Line("ref float xp = ref " + FrameworkNames.Unsafe + ".Add(ref " + xc + ", " + CompactLoops.Times("p", channels) + ");");
                for (var i = 0; i < group.Count; i++)
                {
                    var next = ops.Load("xp", group[i].Offset);
                    writer.Line("a" + i + " = " + (isMax ? ops.Max("a" + i, next) : "a" + i + " + " + next) + ";");
                }
            }

            for (var i = 0; i < group.Count; i++)
            {
                var value = isMax ? "a" + i : "a" + i + " * " + ops.Constant(1f / layer.Input.Positions);
                writer.Line(ops.Store(value, yc, group[i].Offset));
            }
        });
    }

    /// <summary>Outputs per dimension up to which the real cells of each window come from a table rather than arithmetic.</summary>
    private const int MaxCountTable = 1024;

    /// <summary>Average pooling over padding divides by the real cells of each window: from tables when the output is small.</summary>
    private static bool UsesCountTables(LayerModel layer) =>
        !LayerVocabulary.IsMaxPooling(layer.Kind) && layer.IsPooling && CountsPerWindow(layer) &&
        layer.Output.Height <= MaxCountTable && layer.Output.Width <= MaxCountTable;

    /// <summary>
    /// Whether average pooling divides each window by its own count rather than by the window's
    /// size: its real cells when the window meets padding, or with CountPadding its cells within
    /// the declared padding, which only ceil mode's last window can reach past.
    /// </summary>
    public static bool CountsPerWindow(LayerModel layer) => layer.CountPadding
        ? layer.Rows.CeilExtra + layer.Columns.CeilExtra > 0
        : layer.Padding != PaddingMode.Valid || layer.Window?.IsPadded == true;

    /// <summary>The real (unpadded) cells of the window at (oh, ow), as an int expression.</summary>
    public static string RealCells(LayerModel layer)
    {
        if (UsesCountTables(layer))
        {
            return "(" + CountTableName(layer) + "Rows[oh] * " + CountTableName(layer) + "Columns[ow])";
        }

        string Cells(string o, int stride, int pad, int window, int inputs, int padAfter) => layer.CountPadding
            ? "global::System.Math.Min(" + window + ", " + ((long)inputs + pad + padAfter) + " - " + o + " * " + stride + ")"
            : "(global::System.Math.Min(" + o + " * " + stride + " - " + pad + " + " + window + ", " + inputs + ") - global::System.Math.Max(" + o + " * " + stride + " - " + pad + ", 0))";

        return "(" + Cells("oh", layer.StrideHeight, layer.PadTop, layer.KernelHeight, layer.Input.Height, layer.Rows.DeclaredPadAfter) + " * " +
            Cells("ow", layer.StrideWidth, layer.PadLeft, layer.KernelWidth, layer.Input.Width, layer.Columns.DeclaredPadAfter) + ")";
    }

    /// <summary>The prefix of the static count tables of an average-pooling layer.</summary>
    public static string CountTableName(LayerModel layer) => "s_" + layer.AccessorName + "Count";

    /// <summary>Real (unpadded) cells of the window per output row and column.</summary>
    public static (int[] Rows, int[] Columns) CountTables(LayerModel layer) =>
        (Counts(layer.Output.Height, layer.Input.Height, layer.KernelHeight, layer.StrideHeight, layer.PadTop, layer.Rows.DeclaredPadAfter, layer.CountPadding),
         Counts(layer.Output.Width, layer.Input.Width, layer.KernelWidth, layer.StrideWidth, layer.PadLeft, layer.Columns.DeclaredPadAfter, layer.CountPadding));

    /// <summary>
    /// Cells of each window that count: the real ones, or with <paramref name="countPadding"/>
    /// those within the declared padding (PyTorch's count_include_pad, which leaves out the
    /// cells ceil mode's last window reaches past it).
    /// </summary>
    private static int[] Counts(int outputs, int inputs, int window, int stride, int padBefore, int padAfter, bool countPadding)
    {
        var counts = new int[outputs];
        for (var o = 0; o < outputs; o++)
        {
            var start = o * stride - padBefore;
            var from = countPadding ? start : System.Math.Max(start, 0);
            var to = System.Math.Min(start + window, inputs + (countPadding ? padAfter : 0));
            counts[o] = System.Math.Max(to - from, 1);
        }

        return counts;
    }
}
