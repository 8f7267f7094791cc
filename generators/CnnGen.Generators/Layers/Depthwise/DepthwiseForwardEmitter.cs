using System.Collections.Generic;
using System.Linq;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// Forward code of DepthwiseConv1D/2D. A depthwise convolution does few multiply-adds per
/// byte it reads (9 per input value for a 3x3 kernel), so its speed is memory's: the code reads
/// each input row once per kernel row and keeps it in registers. A block is a run of output
/// positions of one row times a vector of channels; for each kernel row it loads the input
/// columns the block's windows cover once, and every tap multiplies them with a vector of
/// weights (the Keras layout keeps a tap's channels contiguous). The input sits inside a frame
/// of zeros as wide as the padding, so borders run the same code.
/// </summary>
internal static class DepthwiseForwardEmitter
{
    /// <summary>Multiply-adds a block method unrolls; larger kernels loop over kernel rows, then over taps.</summary>
    public const int UnrollBudget = 288;

    public static void Emit(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout target, DataFormat format)
    {
        var comment = LayerDescriber.Describe(layer, format) + "\n" + ConvolutionForwardEmitter.FrameComment(layer, input) +
            "\ny[position, c * " + DepthwiseConvolutionFamily.Multiplier(layer) + " + j] = bias + the sum over taps of x[position + tap, c] * w[tap, c, j].";
        KernelVariants.Emit(writer, layer.AccessorName + "Forward",
            "ref float w, ref float b, ref float x, ref float y, int batch", "ref w, ref b, ref x, ref y, batch", comment,
            (variant, isa) => EmitVector(variant, layer, input, target, isa),
            body => EmitScalar(body, layer, input, target));
    }

    /// <summary>The forward plan at a width: rows of a block times the output vectors of a vector of input channels.</summary>
    public static KernelPlan Plan(LayerModel layer, TensorLayout input, VectorIsa isa)
    {
        if (DepthwiseRowRuns.For(layer, isa) is { } runs)
        {
            return runs.ForwardPlan(isa);
        }

        var width = DepthwiseLanes.WidthFor(layer.Input.Channels, isa.MaxWidth);
        var multiplier = DepthwiseConvolutionFamily.Multiplier(layer);
        return new KernelPlan("forward", isa.Suffix, KernelScheme.ChannelSweep, width, width == 1 ? 1 : Rows(layer, isa), multiplier);
    }

    /// <summary>
    /// Output positions per block: as many as the registers hold with the block's accumulators,
    /// the input columns of one kernel row and a weight vector per output vector.
    /// </summary>
    public static int Rows(LayerModel layer, VectorIsa isa)
    {
        var vectors = DepthwiseConvolutionFamily.Multiplier(layer);
        var most = System.Math.Min(isa.MaxWidth == 16 ? 8 : 4, layer.Output.Width);
        for (var rows = most; rows > 1; rows--)
        {
            if (rows * vectors + Columns(layer, rows).Count + vectors <= isa.Registers)
            {
                return rows;
            }
        }

        return 1;
    }

    /// <summary>The input columns (in positions from the block's first window) that a block of <paramref name="rows"/> reads in one kernel row.</summary>
    public static List<int> Columns(LayerModel layer, int rows)
    {
        var columns = new SortedSet<int>();
        for (var r = 0; r < rows; r++)
        {
            for (var kw = 0; kw < layer.KernelWidth; kw++)
            {
                columns.Add(r * layer.StrideWidth + kw * layer.DilationWidth);
            }
        }

        return columns.ToList();
    }

    private static void EmitVector(VariantWriter variant, LayerModel layer, TensorLayout input, TensorLayout target, VectorIsa isa)
    {
        if (DepthwiseRowRuns.For(layer, isa) is { } runs)
        {
            DepthwiseRowRunEmitter.EmitForward(variant.Body, layer, input, target, runs);
            return;
        }

        var width = DepthwiseLanes.WidthFor(layer.Input.Channels, isa.MaxWidth);
        if (width == 1)
        {
            // Fewer channels than the narrowest vector, and rows that are not runs: such layers run as
            // grouped convolutions (DepthwiseConvolutionFamily.GroupedConvolution), so this is not
            // reached; the scalar loops stay as the answer that is right for every shape.
            EmitScalar(variant.Body, layer, input, target);
            return;
        }

        var lanes = new DepthwiseLanes(layer, width);
        var rows = Rows(layer, isa);
        var writer = variant.Body;
        var channels = layer.Input.Channels;
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float xn = ref " + FrameworkNames.Unsafe + ".Add(ref x, " + CompactLoops.Times("(nint)n", input.StoredSize) + ");");
            writer.Line("ref float yn = ref " + FrameworkNames.Unsafe + ".Add(ref y, " + CompactLoops.Times("(nint)n", target.StoredSize) + VectorOps.PlusConstant(target.InteriorOffset) + ");");
            using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
            {
                writer.Line("ref float xr = ref " + FrameworkNames.Unsafe + ".Add(ref xn, " + CompactLoops.Times("oh", layer.StrideHeight * input.RowStride) + ");");
                writer.Line("ref float yr = ref " + FrameworkNames.Unsafe + ".Add(ref yn, " + CompactLoops.Times("oh", target.RowStride) + ");");
                var full = layer.Output.Width / rows * rows;
                if (full > 0)
                {
                    using (writer.Open("for (int ow = 0; ow < " + full + "; ow += " + rows + ")"))
                    {
                        writer.Line("ref float xp = ref " + FrameworkNames.Unsafe + ".Add(ref xr, " + CompactLoops.Times("ow", layer.StrideWidth * channels) + ");");
                        writer.Line("ref float yp = ref " + FrameworkNames.Unsafe + ".Add(ref yr, " + CompactLoops.Times("ow", lanes.Outputs) + ");");
                        EmitChannelCalls(writer, lanes, Block(variant, layer, input, lanes, rows));
                    }
                }

                if (full < layer.Output.Width)
                {
                    using (writer.Scope())
                    {
                        writer.Comment("The last " + (layer.Output.Width - full) + " positions of the row.");
                        writer.Line("ref float xp = ref " + FrameworkNames.Unsafe + ".Add(ref xr, " + full * layer.StrideWidth * channels + ");");
                        writer.Line("ref float yp = ref " + FrameworkNames.Unsafe + ".Add(ref yr, " + full * lanes.Outputs + ");");
                        EmitChannelCalls(writer, lanes, Block(variant, layer, input, lanes, layer.Output.Width - full));
                    }
                }
            }
        }
    }

    /// <summary>
    /// The block method for each vector of input channels: a loop over whole vectors, then one
    /// more vector ending at the last channel (it overlaps the one before and stores equal values).
    /// </summary>
    private static void EmitChannelCalls(SourceWriter writer, DepthwiseLanes lanes, string block)
    {
        var width = lanes.Width;
        var full = lanes.Channels / width * width;
        string Call(string c, string o) =>
            block + "(" + VectorOps.Ref("xp", c) + ", " + VectorOps.Ref("w", o) + ", " + VectorOps.Ref("b", o) + ", " + VectorOps.Ref("yp", o) + ");";

        if (full == width)
        {
            writer.Line(block + "(ref xp, ref w, ref b, ref yp);");
        }
        else
        {
            using (writer.Open("for (int c = 0; c < " + full + "; c += " + width + ")"))
            {
                writer.Line(Call("c", lanes.Multiplier == 1 ? "c" : "c * " + lanes.Multiplier));
            }
        }

        if (full < lanes.Channels)
        {
            var last = lanes.Channels - width;
            writer.Line(Call(VectorOps.Number(last), VectorOps.Number(last * lanes.Multiplier)));
        }
    }

    /// <summary>The name of the block method for <paramref name="rows"/> output positions.</summary>
    private static string Block(VariantWriter variant, LayerModel layer, TensorLayout input, DepthwiseLanes lanes, int rows) =>
        variant.Helper(HelperNames.Block(rows), (writer, name) =>
        {
            writer.Comment(rows + (rows == 1 ? " position" : " positions") + " x " + lanes.Width + " input channels (" + lanes.Vectors * lanes.Width +
                " output channels) in registers.");
            writer.Line(FrameworkNames.AggressiveOptimization);
            using (writer.Open("private static void " + name + "(ref float x, ref float w, ref float b, ref float y)"))
            {
                EmitBlock(writer, layer, input, lanes, rows);
            }
        });

    private static void EmitBlock(SourceWriter writer, LayerModel layer, TensorLayout input, DepthwiseLanes lanes, int rows)
    {
        var ops = lanes.Ops;
        var channels = layer.Input.Channels;
        var outputs = lanes.Outputs;
        var vectors = lanes.Vectors;
        for (var k = 0; k < vectors; k++)
        {
            var start = layer.UseBias ? ops.Load("b", k * lanes.Width) : ops.Zero;
            if (layer.UseBias && rows > 1)
            {
                writer.Line("var b" + k + " = " + start + ";");
                start = "b" + k;
            }

            writer.Line(ops.Type + " " + string.Join(", ", Enumerable.Range(0, rows).Select(r => Accumulator(r, k) + " = " + start)) + ";");
        }

        var fused = layer.KernelHeight * layer.KernelWidth * rows * vectors;
        if (fused <= UnrollBudget)
        {
            for (var kh = 0; kh < layer.KernelHeight; kh++)
            {
                EmitKernelRow(writer, layer, lanes, rows, "x", "w", kh * layer.DilationHeight * input.RowStride, kh * layer.KernelWidth * outputs);
            }
        }
        else if (layer.KernelWidth * rows * vectors <= UnrollBudget)
        {
            using (writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)"))
            {
                writer.Line("ref float xk = ref " + FrameworkNames.Unsafe + ".Add(ref x, " + CompactLoops.Times("kh", layer.DilationHeight * input.RowStride) + ");");
                writer.Line("ref float wk = ref " + FrameworkNames.Unsafe + ".Add(ref w, " + CompactLoops.Times("kh", layer.KernelWidth * outputs) + ");");
                EmitKernelRow(writer, layer, lanes, rows, "xk", "wk", 0, 0);
            }
        }
        else
        {
            using (writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)"))
            using (writer.Open("for (int kw = 0; kw < " + layer.KernelWidth + "; kw++)"))
            {
                writer.Line("ref float xt = ref " + FrameworkNames.Unsafe + ".Add(ref x, kh * " + layer.DilationHeight * input.RowStride + " + kw * " + layer.DilationWidth * channels + ");");
                writer.Line("ref float wt = ref " + FrameworkNames.Unsafe + ".Add(ref w, (" + CompactLoops.Sum(("kh", layer.KernelWidth), ("kw", 1)) + ") * " + outputs + ");");
                for (var k = 0; k < vectors; k++)
                {
                    writer.Line("var w" + k + " = " + ops.Load("wt", k * lanes.Width) + ";");
                }

                for (var r = 0; r < rows; r++)
                {
                    writer.Line("var x" + r + " = " + ops.Load("xt", r * layer.StrideWidth * channels) + ";");
                    for (var k = 0; k < vectors; k++)
                    {
                        writer.Line(Accumulator(r, k) + " = " + ops.MultiplyAdd(lanes.Spread("x" + r, k), "w" + k, Accumulator(r, k)) + ";");
                    }
                }
            }
        }

        for (var r = 0; r < rows; r++)
        {
            for (var k = 0; k < vectors; k++)
            {
                if (layer.FoldsNormalization)
                {
                    writer.Line(Accumulator(r, k) + " = " + FusedActivation.Normalized(Accumulator(r, k), ops, FusedActivation.FoldedChannels(layer), k * lanes.Width) + ";");
                }

                writer.Line(ops.Store(FusedActivation.Text(ActivationPass.Fused(layer), Accumulator(r, k), ops), "y", r * outputs + k * lanes.Width));
            }
        }
    }

    /// <summary>
    /// One kernel row: the input columns of the block's windows loaded once, then every tap of
    /// the row against them.
    /// </summary>
    private static void EmitKernelRow(SourceWriter writer, LayerModel layer, DepthwiseLanes lanes, int rows, string x, string w, int xOffset, int wOffset)
    {
        var ops = lanes.Ops;
        var channels = layer.Input.Channels;
        using (writer.Scope())
        {
            var columns = Columns(layer, rows);
            writer.Line(ops.Type + " " + string.Join(", ", columns.Select(col => "x" + col + " = " + ops.Load(x, xOffset + col * channels))) + ";");
            for (var kw = 0; kw < layer.KernelWidth; kw++)
            {
                for (var k = 0; k < lanes.Vectors; k++)
                {
                    var weight = "w" + kw + "_" + k;
                    writer.Line("var " + weight + " = " + ops.Load(w, wOffset + kw * lanes.Outputs + k * lanes.Width) + ";");
                    for (var r = 0; r < rows; r++)
                    {
                        var column = "x" + (r * layer.StrideWidth + kw * layer.DilationWidth);
                        writer.Line(Accumulator(r, k) + " = " + ops.MultiplyAdd(lanes.Spread(column, k), weight, Accumulator(r, k)) + ";");
                    }
                }
            }
        }
    }

    /// <summary>Plain loops, one output channel at a time: the path of machines without vectors, and of layers of fewer than 4 channels whose rows are not runs (see DepthwiseRowRuns).</summary>
    private static void EmitScalar(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout target)
    {
        var channels = layer.Input.Channels;
        var multiplier = DepthwiseConvolutionFamily.Multiplier(layer);
        var outputs = layer.Output.Channels;
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float xn = ref " + FrameworkNames.Unsafe + ".Add(ref x, " + CompactLoops.Times("(nint)n", input.StoredSize) + ");");
            writer.Line("ref float yn = ref " + FrameworkNames.Unsafe + ".Add(ref y, " + CompactLoops.Times("(nint)n", target.StoredSize) + VectorOps.PlusConstant(target.InteriorOffset) + ");");
            using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
            using (writer.Open("for (int ow = 0; ow < " + layer.Output.Width + "; ow++)"))
            {
                writer.Line("ref float xp = ref " + FrameworkNames.Unsafe + ".Add(ref xn, oh * " + layer.StrideHeight * input.RowStride + " + ow * " + layer.StrideWidth * channels + ");");
                writer.Line("ref float yp = ref " + FrameworkNames.Unsafe + ".Add(ref yn, oh * " + target.RowStride + " + ow * " + outputs + ");");
                using (writer.Open("for (int c = 0; c < " + channels + "; c++)"))
                using (writer.Open("for (int j = 0; j < " + multiplier + "; j++)"))
                {
                    writer.Line("int o = c * " + multiplier + " + j;");
                    writer.Line("float a = " + (layer.UseBias ? FrameworkNames.Unsafe + ".Add(ref b, o)" : "0f") + ";");
                    using (writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)"))
                    using (writer.Open("for (int kw = 0; kw < " + layer.KernelWidth + "; kw++)"))
                    {
                        writer.Line("a += " + FrameworkNames.Unsafe + ".Add(ref xp, kh * " + layer.DilationHeight * input.RowStride + " + kw * " + layer.DilationWidth * channels +
                            " + c) * " + FrameworkNames.Unsafe + ".Add(ref w, (" + CompactLoops.Sum(("kh", layer.KernelWidth), ("kw", 1)) + ") * " + outputs + " + o);");
                    }

                    if (layer.FoldsNormalization)
                    {
                        writer.Line("a = " + CompactOps.Scalar.Normalized("a", "b", "o", outputs) + ";");
                    }

                    writer.Line(FrameworkNames.Unsafe + ".Add(ref yp, o) = " + FusedActivation.Text(ActivationPass.Fused(layer), "a", VectorOps.Scalar) + ";");
                }
            }
        }
    }

    private static string Accumulator(int row, int vector) => "a" + row + "_" + vector;
}
