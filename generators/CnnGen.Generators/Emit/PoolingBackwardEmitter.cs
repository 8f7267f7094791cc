using System.Collections.Generic;
using System.Linq;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit;

/// <summary>
/// Backward code of pooling, into a zeroed input gradient with the input's frame. Max
/// pooling sends each output gradient to the first cell of its window that holds the
/// maximum (found again by comparing with the stored output); average pooling spreads it
/// over the real cells. Vectorised over channels when they split into equal vectors.
/// </summary>
internal static class PoolingBackwardEmitter
{
    public static void Emit(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout output, DataFormat format)
    {
        var isMax = LayerVocabulary.IsMaxPooling(layer.Kind);
        var comment = LayerDescriber.Describe(layer, format) + "\n" + (isMax
            ? "dL/d(input) at the first maximum of each window += dL/d(output)."
            : "dL/d(input) at every real cell of each window += dL/d(output) / (real cells).");
        KernelVariants.Emit(writer, layer.AccessorName + "Backward", "ref float x, ref float y, ref float dy, ref float dx, int batch",
            "ref x, ref y, ref dy, ref dx, batch", comment,
            (variant, isa) =>
            {
                var chunks = Chunks.SplitExact(layer.Input.Channels, isa.MaxWidth);
                EmitBody(variant.Body, layer, input, output, chunks.All(c => c.Width == chunks[0].Width) ? chunks : Scalars(layer.Input.Channels));
            },
            body => EmitBody(body, layer, input, output, Scalars(layer.Input.Channels)));
    }

    private static IReadOnlyList<Chunk> Scalars(int channels) => new[] { new Chunk(0, 1) };

    /// <summary>
    /// <paramref name="chunks"/> either covers the channels with equal vectors, or is a single
    /// float, in which case a loop runs over the channels.
    /// </summary>
    private static void EmitBody(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout output, IReadOnlyList<Chunk> chunks)
    {
        var ops = VectorOps.ForWidth(chunks[0].Width);
        var channels = layer.Input.Channels;
        var loopChannels = ops.IsScalar && (chunks.Count == 1 && channels > 1);
        var isMax = LayerVocabulary.IsMaxPooling(layer.Kind);
        var global = LayerVocabulary.IsGlobalPooling(layer.Kind);
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float xn = ref Unsafe.Add(ref x, (nint)n * " + input.StoredSize + ");");
            writer.Line("ref float dxn = ref Unsafe.Add(ref dx, (nint)n * " + input.StoredSize + ");");
            writer.Line("ref float yn = ref Unsafe.Add(ref y, (nint)n * " + output.StoredSize + " + " + output.InteriorOffset + ");");
            writer.Line("ref float dyn = ref Unsafe.Add(ref dy, (nint)n * " + output.StoredSize + " + " + output.InteriorOffset + ");");
            var taps = new List<int>();
            string outputPosition;
            string inputPosition;
            System.IDisposable? positionLoops;
            if (global)
            {
                outputPosition = "0";
                inputPosition = "0";
                positionLoops = null;
                for (var p = 0; p < layer.Input.Positions; p++)
                {
                    taps.Add(p * channels);
                }
            }
            else
            {
                var outer = writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)");
                var inner = writer.Open("for (int ow = 0; ow < " + layer.Output.Width + "; ow++)");
                positionLoops = new Closers(inner, outer);
                outputPosition = "oh * " + output.RowStride + " + ow * " + channels;
                inputPosition = "oh * " + layer.StrideHeight * input.RowStride + " + ow * " + layer.StrideWidth * channels;
                for (var kh = 0; kh < layer.KernelHeight; kh++)
                {
                    for (var kw = 0; kw < layer.KernelWidth; kw++)
                    {
                        taps.Add(kh * input.RowStride + kw * channels);
                    }
                }
            }

            writer.Line("ref float yp = ref Unsafe.Add(ref yn, " + outputPosition + ");");
            writer.Line("ref float dyp = ref Unsafe.Add(ref dyn, " + outputPosition + ");");
            writer.Line("ref float xp = ref Unsafe.Add(ref xn, " + inputPosition + ");");
            writer.Line("ref float dxp = ref Unsafe.Add(ref dxn, " + inputPosition + ");");
            var scale = isMax ? null : AverageScale(writer, layer, ops, global);
            var channelLoop = loopChannels ? writer.Open("for (int c = 0; c < " + channels + "; c++)") : (System.IDisposable?)null;
            var channel = loopChannels ? "c" : null;
            foreach (var chunk in loopChannels ? new[] { new Chunk(0, 1) } : chunks)
            {
                using (writer.Scope())
                {
                    string At(string r, int offset) => channel is null ? ops.Load(r, offset + chunk.Offset) : "Unsafe.Add(ref " + r + ", " + offset + " + c)";
                    string StoreAt(string value, string r, int offset) => channel is null
                        ? ops.Store(value, r, offset + chunk.Offset)
                        : "Unsafe.Add(ref " + r + ", " + offset + " + c) = " + value + ";";
                    writer.Line("var g = " + At("dyp", 0) + ";");
                    if (isMax)
                    {
                        writer.Line("var m = " + At("yp", 0) + ";");
                        if (ops.IsScalar)
                        {
                            // The first cell equal to the maximum takes the gradient.
                            using (writer.Open("for (int t = 0; t < " + taps.Count + "; t++)"))
                            {
                                writer.Line("global::System.ReadOnlySpan<int> taps = new int[] { " + string.Join(", ", taps) + " };");
                                var offset = "taps[t]" + (channel is null ? " + " + chunk.Offset : " + c");
                                using (writer.Open("if (Unsafe.Add(ref xp, " + offset + ") == m)"))
                                {
                                    writer.Line("Unsafe.Add(ref dxp, " + offset + ") += g;");
                                    writer.Line("break;");
                                }
                            }
                        }
                        else
                        {
                            writer.Line("var taken = " + ops.Zero + ";");
                            foreach (var tap in taps)
                            {
                                using (writer.Scope())
                                {
                                    writer.Line("var hit = " + ops.ClassName + ".AndNot(" + ops.ClassName + ".Equals(" + At("xp", tap) + ", m), taken);");
                                    writer.Line("taken |= hit;");
                                    writer.Line(StoreAt(At("dxp", tap) + " + (g & hit)", "dxp", tap));
                                }
                            }
                        }
                    }
                    else
                    {
                        writer.Line("g *= " + scale + ";");
                        foreach (var tap in taps)
                        {
                            writer.Line(global ? StoreAt("g", "dxp", tap) : StoreAt(At("dxp", tap) + " + g", "dxp", tap));
                        }
                    }
                }
            }

            channelLoop?.Dispose();
            positionLoops?.Dispose();
        }
    }

    private static string AverageScale(SourceWriter writer, LayerModel layer, VectorOps ops, bool global)
    {
        if (global)
        {
            return ops.Constant(1f / layer.Input.Positions);
        }

        if (layer.Padding == PaddingMode.Valid)
        {
            return ops.Constant(1f / (layer.KernelHeight * layer.KernelWidth));
        }

        var (rows, columns) = PoolingForwardEmitter.CountTables(layer);
        writer.Line("global::System.ReadOnlySpan<int> rowCounts = new int[] { " + string.Join(", ", rows) + " };");
        writer.Line("global::System.ReadOnlySpan<int> columnCounts = new int[] { " + string.Join(", ", columns) + " };");
        writer.Line("var scale = " + ops.Broadcast("1f / (rowCounts[oh] * columnCounts[ow])") + ";");
        return "scale";
    }

    private sealed class Closers : System.IDisposable
    {
        private readonly System.IDisposable[] _blocks;

        public Closers(params System.IDisposable[] blocks) => _blocks = blocks;

        public void Dispose()
        {
            foreach (var block in _blocks)
            {
                block.Dispose();
            }
        }
    }
}
