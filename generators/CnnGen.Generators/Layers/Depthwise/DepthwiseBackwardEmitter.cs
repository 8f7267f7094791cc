using System.Collections.Generic;
using System.Linq;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// Backward code of DepthwiseConv1D/2D: dL/d(bias) (the convolution's kernel), dL/d(kernel)
/// with every tap of a vector of channels accumulating in registers over all positions, and
/// dL/d(input) added into the zeroed input gradient (stored in the input's frame) window by
/// window, each input column of a kernel row loaded and stored once per block.
/// </summary>
internal static class DepthwiseBackwardEmitter
{
    /// <summary>Taps times output vectors of the kernel gradient unrolled; more loop over taps.</summary>
    private const int KernelGradientBudget = 256;

    public static void Emit(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout output, DataFormat format)
    {
        var describe = LayerDescriber.Describe(layer, format);
        var loops = ConvolutionBackwardEmitter.SumLoops(layer, input, output, withX: false);
        if (layer.UseBias)
        {
            KernelVariants.Emit(writer, layer.AccessorName + "BiasGradient", "ref float d, ref float db, int batch", "ref d, ref db, batch",
                describe + "\ndL/d(bias) = the sum of dz over samples and positions.",
                (variant, isa) => ConvolutionBackwardEmitter.EmitBiasGradient(variant, layer.Output.Channels, output, isa, loops),
                body => ConvolutionBackwardEmitter.EmitCompactBiasGradient(body, CompactOps.Scalar, layer.Output.Channels, output, loops));
        }

        var multiplier = DepthwiseConvolutionFamily.Multiplier(layer);
        KernelVariants.Emit(writer, layer.AccessorName + "KernelGradient", "ref float x, ref float d, ref float dw, int batch", "ref x, ref d, ref dw, batch",
            describe + "\ndL/d(kernel)[tap, c, j] = the sum over samples and positions of x[position + tap, c] * dz[position, c * " + multiplier + " + j].",
            (variant, isa) => EmitKernelGradient(variant, layer, input, output, isa),
            body => EmitScalarKernelGradient(body, layer, input, output));

        KernelVariants.Emit(writer, layer.AccessorName + "InputGradient", "ref float d, ref float w, ref float dx, int batch", "ref d, ref w, ref dx, batch",
            describe + "\ndL/d(input)[position + tap, c] += the sum over j of dz[position, c * " + multiplier + " + j] * w[tap, c, j], into the zeroed gradient with the input's frame.",
            (variant, isa) => EmitInputGradient(variant, layer, input, output, isa),
            body => EmitScalarInputGradient(body, layer, input, output));
    }

    public static KernelPlan KernelGradientPlan(LayerModel layer, VectorIsa isa)
    {
        if (DepthwiseRowRuns.For(layer, isa) is { } runs)
        {
            return runs.KernelGradientPlan(isa);
        }

        var width = DepthwiseLanes.WidthFor(layer.Input.Channels, isa.MaxWidth);
        var vectors = DepthwiseConvolutionFamily.Multiplier(layer);
        return new KernelPlan("kernel gradient", isa.Suffix, KernelScheme.ChannelSweep, width, TapsPerPass(layer, isa), vectors);
    }

    public static KernelPlan InputGradientPlan(LayerModel layer, TensorLayout input, VectorIsa isa)
    {
        if (DepthwiseRowRuns.For(layer, isa) is { } runs)
        {
            return runs.InputGradientPlan(isa);
        }

        var width = DepthwiseLanes.WidthFor(layer.Input.Channels, isa.MaxWidth);
        return new KernelPlan("input gradient", isa.Suffix, KernelScheme.ChannelSweep, width, width == 1 ? 1 : DepthwiseForwardEmitter.Rows(layer, isa),
            DepthwiseConvolutionFamily.Multiplier(layer));
    }

    /// <summary>Taps whose accumulators fit the registers in one pass over the positions (0: a loop over taps).</summary>
    private static int TapsPerPass(LayerModel layer, VectorIsa isa)
    {
        var vectors = DepthwiseConvolutionFamily.Multiplier(layer);
        var taps = layer.KernelHeight * layer.KernelWidth;
        return taps * vectors > KernelGradientBudget ? 0 : System.Math.Max(1, System.Math.Min(taps, isa.Accumulators / vectors));
    }

    // ---- dL/d(kernel) --------------------------------------------------------------------------

    private static void EmitKernelGradient(VariantWriter variant, LayerModel layer, TensorLayout input, TensorLayout output, VectorIsa isa)
    {
        if (DepthwiseRowRuns.For(layer, isa) is { } runs)
        {
            DepthwiseRowRunEmitter.EmitKernelGradient(variant.Body, layer, input, output, runs);
            return;
        }

        var width = DepthwiseLanes.WidthFor(layer.Input.Channels, isa.MaxWidth);
        if (width == 1)
        {
            // Not reached (see DepthwiseForwardEmitter): few channels whose rows are not runs run as grouped convolutions.
            EmitScalarKernelGradient(variant.Body, layer, input, output);
            return;
        }

        var lanes = new DepthwiseLanes(layer, width);
        var perPass = TapsPerPass(layer, isa);
        var name = variant.Helper(HelperNames.Taps, (writer, method) =>
        {
            writer.Comment("Every tap of " + width + " input channels (" + lanes.Vectors * width + " output channels), summed over the batch.");
            writer.Line(FrameworkNames.AggressiveOptimization);
            using (writer.Open("private static void " + method + "(ref float x, ref float d, ref float dw, int batch)"))
            {
                EmitTapSums(writer, layer, input, output, lanes, perPass);
            }
        });

        var writer = variant.Body;
        var full = lanes.Channels / width * width;
        string Call(string c, string o) => name + "(" + VectorOps.Ref("x", c) + ", " + VectorOps.Ref("d", o) + ", " + VectorOps.Ref("dw", o) + ", batch);";
        if (full == width)
        {
            writer.Line(name + "(ref x, ref d, ref dw, batch);");
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
            // Overlaps the vector before: it stores the same sums again.
            var last = lanes.Channels - width;
            writer.Line(Call(VectorOps.Number(last), VectorOps.Number(last * lanes.Multiplier)));
        }
    }

    private static void EmitTapSums(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout output, DepthwiseLanes lanes, int perPass) =>
        EmitTapPasses(writer, layer, input, layer.DilationWidth * lanes.Channels, lanes.Outputs, perPass,
            (taps, x, dw) => EmitPass(writer, layer, input, output, lanes, taps.Select(t => (t.X, t.Index * lanes.Outputs)).ToList(), x, dw));

    /// <summary>
    /// The kernel gradient's passes over the positions: <paramref name="perPass"/> taps at a time
    /// (unrolled, offsets constant), or, for 0, a tap at a time in loops over the kernel (the refs
    /// moved to the tap). <paramref name="pass"/> writes one pass given its taps (input offset, tap
    /// index) and the refs to the input and to the kernel gradient.
    /// </summary>
    internal static void EmitTapPasses(SourceWriter writer, LayerModel layer, TensorLayout input, int tapShift, int perTap, int perPass,
        System.Action<List<(int X, int Index)>, string, string> pass)
    {
        if (perPass == 0)
        {
            // Too many taps to unroll: one tap at a time.
            var kh = new CompactLoops.Loop("kh", layer.KernelHeight);
            var kw = new CompactLoops.Loop("kw", layer.KernelWidth);
            using (CompactLoops.Open(writer, kh, kw))
            {
                writer.Line("ref float xt = ref " + FrameworkNames.Unsafe + ".Add(ref x, " +
                    CompactLoops.Sum((CompactLoops.Var(kh), layer.DilationHeight * input.RowStride), (CompactLoops.Var(kw), tapShift)) + ");");
                writer.Line("ref float dwt = ref " + FrameworkNames.Unsafe + ".Add(ref dw, " +
                    CompactLoops.Times(CompactLoops.Sum((CompactLoops.Var(kh), layer.KernelWidth), (CompactLoops.Var(kw), 1)), perTap) + ");");
                pass(new List<(int X, int Index)> { (0, 0) }, "xt", "dwt");
            }

            return;
        }

        var taps = new List<(int X, int Index)>();
        for (var kh = 0; kh < layer.KernelHeight; kh++)
        {
            for (var kw = 0; kw < layer.KernelWidth; kw++)
            {
                taps.Add((kh * layer.DilationHeight * input.RowStride + kw * tapShift, kh * layer.KernelWidth + kw));
            }
        }

        for (var start = 0; start < taps.Count; start += perPass)
        {
            using (writer.Scope())
            {
                pass(taps.Skip(start).Take(perPass).ToList(), "x", "dw");
            }
        }
    }

    /// <summary>One pass over every position of the batch, summing the given taps in registers.</summary>
    private static void EmitPass(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout output, DepthwiseLanes lanes,
        List<(int X, int W)> taps, string x, string dw)
    {
        var ops = lanes.Ops;
        var names = new List<string>();
        for (var t = 0; t < taps.Count; t++)
        {
            for (var k = 0; k < lanes.Vectors; k++)
            {
                names.Add(Sum(t, k));
            }
        }

        writer.Line(ops.Type + " " + string.Join(", ", names.Select(a => a + " = " + ops.Zero)) + ";");
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float xn = ref " + FrameworkNames.Unsafe + ".Add(ref " + x + ", (nint)n * " + input.StoredSize + ");");
            writer.Line("ref float dn = ref " + FrameworkNames.Unsafe + ".Add(ref d, " + CompactLoops.Times("(nint)n", output.StoredSize) + VectorOps.PlusConstant(output.InteriorOffset) + ");");
            using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
            using (writer.Open("for (int ow = 0; ow < " + layer.Output.Width + "; ow++)"))
            {
                writer.Line("ref float xp = ref " + FrameworkNames.Unsafe + ".Add(ref xn, oh * " + layer.StrideHeight * input.RowStride + " + ow * " + layer.StrideWidth * lanes.Channels + ");");
                writer.Line("ref float dp = ref " + FrameworkNames.Unsafe + ".Add(ref dn, oh * " + output.RowStride + " + ow * " + lanes.Outputs + ");");
                for (var k = 0; k < lanes.Vectors; k++)
                {
                    writer.Line("var g" + k + " = " + ops.Load("dp", k * lanes.Width) + ";");
                }

                for (var t = 0; t < taps.Count; t++)
                {
                    writer.Line("var x" + t + " = " + ops.Load("xp", taps[t].X) + ";");
                    for (var k = 0; k < lanes.Vectors; k++)
                    {
                        writer.Line(Sum(t, k) + " = " + ops.MultiplyAdd(lanes.Spread("x" + t, k), "g" + k, Sum(t, k)) + ";");
                    }
                }
            }
        }

        for (var t = 0; t < taps.Count; t++)
        {
            for (var k = 0; k < lanes.Vectors; k++)
            {
                writer.Line(ops.Store(Sum(t, k), dw, taps[t].W + k * lanes.Width));
            }
        }
    }

    private static string Sum(int tap, int vector) => "s" + tap + "_" + vector;

    private static void EmitScalarKernelGradient(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout output)
    {
        var channels = layer.Input.Channels;
        var multiplier = DepthwiseConvolutionFamily.Multiplier(layer);
        var outputs = layer.Output.Channels;
        using (writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)"))
        using (writer.Open("for (int kw = 0; kw < " + layer.KernelWidth + "; kw++)"))
        using (writer.Open("for (int c = 0; c < " + channels + "; c++)"))
        using (writer.Open("for (int j = 0; j < " + multiplier + "; j++)"))
        {
            writer.Line("int o = c * " + multiplier + " + j;");
            writer.Line("float a = 0f;");
            using (writer.Open("for (int n = 0; n < batch; n++)"))
            {
                writer.Line("ref float xn = ref " + FrameworkNames.Unsafe + ".Add(ref x, (nint)n * " + input.StoredSize + " + kh * " + layer.DilationHeight * input.RowStride +
                    " + kw * " + layer.DilationWidth * channels + " + c);");
                writer.Line("ref float dn = ref " + FrameworkNames.Unsafe + ".Add(ref d, (nint)n * " + output.StoredSize + VectorOps.PlusConstant(output.InteriorOffset) + " + o);");
                using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
                using (writer.Open("for (int ow = 0; ow < " + layer.Output.Width + "; ow++)"))
                {
                    writer.Line("a += " + FrameworkNames.Unsafe + ".Add(ref xn, oh * " + layer.StrideHeight * input.RowStride + " + ow * " + layer.StrideWidth * channels +
                        ") * " + FrameworkNames.Unsafe + ".Add(ref dn, oh * " + output.RowStride + " + ow * " + outputs + ");");
                }
            }

            writer.Line(FrameworkNames.Unsafe + ".Add(ref dw, (" + CompactLoops.Sum(("kh", layer.KernelWidth), ("kw", 1)) + ") * " + outputs + " + o) = a;");
        }
    }

    // ---- dL/d(input) ---------------------------------------------------------------------------

    private static void EmitInputGradient(VariantWriter variant, LayerModel layer, TensorLayout input, TensorLayout output, VectorIsa isa)
    {
        if (DepthwiseRowRuns.For(layer, isa) is { } runs)
        {
            DepthwiseRowRunEmitter.EmitInputGradient(variant.Body, layer, input, output, runs);
            return;
        }

        var width = DepthwiseLanes.WidthFor(layer.Input.Channels, isa.MaxWidth);
        if (width == 1)
        {
            // Not reached (see DepthwiseForwardEmitter): few channels whose rows are not runs run as grouped convolutions.
            EmitScalarInputGradient(variant.Body, layer, input, output);
            return;
        }

        var rows = DepthwiseForwardEmitter.Rows(layer, isa);
        var writer = variant.Body;
        var channels = layer.Input.Channels;
        var outputs = layer.Output.Channels;
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float dxn = ref " + FrameworkNames.Unsafe + ".Add(ref dx, " + CompactLoops.Times("(nint)n", input.StoredSize) + ");");
            writer.Line("ref float dn = ref " + FrameworkNames.Unsafe + ".Add(ref d, " + CompactLoops.Times("(nint)n", output.StoredSize) + VectorOps.PlusConstant(output.InteriorOffset) + ");");
            using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
            {
                writer.Line("ref float dxr = ref " + FrameworkNames.Unsafe + ".Add(ref dxn, " + CompactLoops.Times("oh", layer.StrideHeight * input.RowStride) + ");");
                writer.Line("ref float dr = ref " + FrameworkNames.Unsafe + ".Add(ref dn, " + CompactLoops.Times("oh", output.RowStride) + ");");
                var full = layer.Output.Width / rows * rows;
                if (full > 0)
                {
                    using (writer.Open("for (int ow = 0; ow < " + full + "; ow += " + rows + ")"))
                    {
                        writer.Line("ref float dxp = ref " + FrameworkNames.Unsafe + ".Add(ref dxr, " + CompactLoops.Times("ow", layer.StrideWidth * channels) + ");");
                        writer.Line("ref float dp = ref " + FrameworkNames.Unsafe + ".Add(ref dr, " + CompactLoops.Times("ow", outputs) + ");");
                        EmitScatterCalls(variant, layer, input, width, rows);
                    }
                }

                if (full < layer.Output.Width)
                {
                    using (writer.Scope())
                    {
                        writer.Comment("The last " + (layer.Output.Width - full) + " positions of the row.");
                        writer.Line("ref float dxp = ref " + FrameworkNames.Unsafe + ".Add(ref dxr, " + full * layer.StrideWidth * channels + ");");
                        writer.Line("ref float dp = ref " + FrameworkNames.Unsafe + ".Add(ref dr, " + full * outputs + ");");
                        EmitScatterCalls(variant, layer, input, width, layer.Output.Width - full);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The scatter method per vector of input channels: whole vectors in a loop, then the rest
    /// in narrower vectors and single channels (the gradient adds, so vectors must not overlap).
    /// </summary>
    private static void EmitScatterCalls(VariantWriter variant, LayerModel layer, TensorLayout input, int width, int rows)
    {
        var writer = variant.Body;
        var multiplier = DepthwiseConvolutionFamily.Multiplier(layer);
        var channels = layer.Input.Channels;
        var full = channels / width * width;
        string Call(int chunkWidth, string c, string o) =>
            Scatter(variant, layer, input, chunkWidth, rows) + "(" + VectorOps.Ref("dp", o) + ", " + VectorOps.Ref("w", o) + ", " + VectorOps.Ref("dxp", c) + ");";

        if (full == width)
        {
            writer.Line(Scatter(variant, layer, input, width, rows) + "(ref dp, ref w, ref dxp);");
        }
        else
        {
            using (writer.Open("for (int c = 0; c < " + full + "; c += " + width + ")"))
            {
                writer.Line(Call(width, "c", multiplier == 1 ? "c" : "c * " + multiplier));
            }
        }

        foreach (var chunk in Chunks.SplitExact(channels - full, width))
        {
            var c = full + chunk.Offset;
            writer.Line(Call(chunk.Width, VectorOps.Number(c), VectorOps.Number(c * multiplier)));
        }
    }

    private static string Scatter(VariantWriter variant, LayerModel layer, TensorLayout input, int width, int rows) =>
        variant.Helper(HelperNames.Scatter(rows, width), (writer, name) =>
        {
            var lanes = new DepthwiseLanes(layer, width);
            writer.Comment(rows + (rows == 1 ? " position" : " positions") + " x " + width + (width == 1 ? " input channel" : " input channels") +
                ": the output gradient in registers, each input column of a kernel row loaded, added to and stored once.");
            writer.Line(FrameworkNames.AggressiveOptimization);
            using (writer.Open("private static void " + name + "(ref float d, ref float w, ref float dx)"))
            {
                EmitScatter(writer, layer, input, lanes, rows);
            }
        });

    private static void EmitScatter(SourceWriter writer, LayerModel layer, TensorLayout input, DepthwiseLanes lanes, int rows)
    {
        var ops = lanes.Ops;
        var channels = lanes.Channels;
        var outputs = lanes.Outputs;
        for (var r = 0; r < rows; r++)
        {
            for (var k = 0; k < lanes.Vectors; k++)
            {
                writer.Line("var g" + r + "_" + k + " = " + lanes.Strided("d", r * outputs, k) + ";");
            }
        }

        var fused = layer.KernelHeight * layer.KernelWidth * rows * lanes.Vectors;
        if (fused <= DepthwiseForwardEmitter.UnrollBudget)
        {
            for (var kh = 0; kh < layer.KernelHeight; kh++)
            {
                EmitScatterRow(writer, layer, lanes, rows, "dx", "w", kh * layer.DilationHeight * input.RowStride, kh * layer.KernelWidth * outputs);
            }
        }
        else if (layer.KernelWidth * rows * lanes.Vectors <= DepthwiseForwardEmitter.UnrollBudget)
        {
            using (writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)"))
            {
                writer.Line("ref float dxk = ref " + FrameworkNames.Unsafe + ".Add(ref dx, " + CompactLoops.Times("kh", layer.DilationHeight * input.RowStride) + ");");
                writer.Line("ref float wk = ref " + FrameworkNames.Unsafe + ".Add(ref w, " + CompactLoops.Times("kh", layer.KernelWidth * outputs) + ");");
                EmitScatterRow(writer, layer, lanes, rows, "dxk", "wk", 0, 0);
            }
        }
        else
        {
            using (writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)"))
            using (writer.Open("for (int kw = 0; kw < " + layer.KernelWidth + "; kw++)"))
            {
                writer.Line("ref float dxt = ref " + FrameworkNames.Unsafe + ".Add(ref dx, kh * " + layer.DilationHeight * input.RowStride + " + kw * " + layer.DilationWidth * channels + ");");
                writer.Line("ref float wt = ref " + FrameworkNames.Unsafe + ".Add(ref w, (" + CompactLoops.Sum(("kh", layer.KernelWidth), ("kw", 1)) + ") * " + outputs + ");");
                for (var k = 0; k < lanes.Vectors; k++)
                {
                    writer.Line("var w" + k + " = " + lanes.Strided("wt", 0, k) + ";");
                }

                // Windows of one block never share a column at one tap, so each row reads and writes its own.
                for (var r = 0; r < rows; r++)
                {
                    var offset = r * layer.StrideWidth * channels;
                    var sum = ops.Load("dxt", offset);
                    for (var k = 0; k < lanes.Vectors; k++)
                    {
                        sum = ops.MultiplyAdd("g" + r + "_" + k, "w" + k, sum);
                    }

                    writer.Line(ops.Store(sum, "dxt", offset));
                }
            }
        }
    }

    /// <summary>One kernel row: each input column its windows cover loaded once, every contribution added, stored once.</summary>
    private static void EmitScatterRow(SourceWriter writer, LayerModel layer, DepthwiseLanes lanes, int rows, string dx, string w, int xOffset, int wOffset)
    {
        var ops = lanes.Ops;
        using (writer.Scope())
        {
            for (var kw = 0; kw < layer.KernelWidth; kw++)
            {
                for (var k = 0; k < lanes.Vectors; k++)
                {
                    writer.Line("var w" + kw + "_" + k + " = " + lanes.Strided(w, wOffset + kw * lanes.Outputs, k) + ";");
                }
            }

            foreach (var column in DepthwiseForwardEmitter.Columns(layer, rows))
            {
                var offset = xOffset + column * lanes.Channels;
                var sum = ops.Load(dx, offset);
                for (var r = 0; r < rows; r++)
                {
                    for (var kw = 0; kw < layer.KernelWidth; kw++)
                    {
                        if (r * layer.StrideWidth + kw * layer.DilationWidth != column)
                        {
                            continue;
                        }

                        for (var k = 0; k < lanes.Vectors; k++)
                        {
                            sum = ops.MultiplyAdd("g" + r + "_" + k, "w" + kw + "_" + k, sum);
                        }
                    }
                }

                writer.Line(ops.Store(sum, dx, offset));
            }
        }
    }

    private static void EmitScalarInputGradient(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout output)
    {
        var channels = layer.Input.Channels;
        var multiplier = DepthwiseConvolutionFamily.Multiplier(layer);
        var outputs = layer.Output.Channels;
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float dxn = ref " + FrameworkNames.Unsafe + ".Add(ref dx, " + CompactLoops.Times("(nint)n", input.StoredSize) + ");");
            writer.Line("ref float dn = ref " + FrameworkNames.Unsafe + ".Add(ref d, " + CompactLoops.Times("(nint)n", output.StoredSize) + VectorOps.PlusConstant(output.InteriorOffset) + ");");
            using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
            using (writer.Open("for (int ow = 0; ow < " + layer.Output.Width + "; ow++)"))
            {
                writer.Line("ref float dxp = ref " + FrameworkNames.Unsafe + ".Add(ref dxn, oh * " + layer.StrideHeight * input.RowStride + " + ow * " + layer.StrideWidth * channels + ");");
                writer.Line("ref float dp = ref " + FrameworkNames.Unsafe + ".Add(ref dn, oh * " + output.RowStride + " + ow * " + outputs + ");");
                using (writer.Open("for (int c = 0; c < " + channels + "; c++)"))
                using (writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)"))
                using (writer.Open("for (int kw = 0; kw < " + layer.KernelWidth + "; kw++)"))
                {
                    writer.Line("float a = 0f;");
                    using (writer.Open("for (int j = 0; j < " + multiplier + "; j++)"))
                    {
                        writer.Line("a += " + FrameworkNames.Unsafe + ".Add(ref dp, c * " + multiplier + " + j) * " + FrameworkNames.Unsafe + ".Add(ref w, (" + CompactLoops.Sum(("kh", layer.KernelWidth), ("kw", 1)) + ") * " + outputs +
                            " + c * " + multiplier + " + j);");
                    }

                    writer.Line(FrameworkNames.Unsafe + ".Add(ref dxp, kh * " + layer.DilationHeight * input.RowStride + " + kw * " + layer.DilationWidth * channels + " + c) += a;");
                }
            }
        }
    }
}
