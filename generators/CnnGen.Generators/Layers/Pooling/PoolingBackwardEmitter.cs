using System.Collections.Generic;
using System.Linq;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

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
            (variant, isa) => EmitBody(variant.Body, layer, input, output, PaddedChunks(layer.Input.Channels, isa.MaxWidth)),
            body => EmitBody(body, layer, input, output, Scalars(layer.Input.Channels)));
    }

    /// <summary>The backward plan: padded vectors of channels (masked past the last channel), one window at a time.</summary>
    public static KernelPlan Plan(LayerModel layer, VectorIsa isa) =>
        new("backward", isa.Suffix, KernelScheme.ChannelSweep, PaddedChunks(layer.Input.Channels, isa.MaxWidth)[0].Width, 1, 1);

    private static IReadOnlyList<Chunk> Scalars(int channels) => new[] { new Chunk(0, 1) };

    /// <summary>
    /// Whole vectors over the channels rounded up (4, 8, then multiples of 16): lanes past the
    /// last channel read whatever follows, and their gradient is masked to zero before it is added.
    /// </summary>
    private static IReadOnlyList<Chunk> PaddedChunks(int channels, int maxWidth)
    {
        var width = System.Math.Min(maxWidth, channels <= 4 ? 4 : channels <= 8 ? 8 : 16);
        var chunks = new List<Chunk>();
        for (var offset = 0; offset < channels; offset += width)
        {
            chunks.Add(new Chunk(offset, width));
        }

        return chunks;
    }

    /// <summary>
    /// Whether a window's vectors reach into the inputs of the window after it: channels padded to
    /// a vector (6 of 8: the last lanes are the next position's first channels) or windows that
    /// overlap. LeNet-5's first pooling backward (28x28x6) took 0.72-0.73x the time with even windows first.
    /// </summary>
    private static bool EvenWindowsFirst(LayerModel layer, IReadOnlyList<Chunk> chunks)
    {
        var padded = chunks[chunks.Count - 1].Offset + chunks[chunks.Count - 1].Width;
        return layer.Output.Width > 2 && (padded > layer.Input.Channels || layer.StrideWidth < layer.KernelWidth);
    }

    /// <summary>
    /// <paramref name="chunks"/> either covers the channels with equal vectors, or is a single
    /// float, in which case a loop runs over the channels.
    /// </summary>
    private static void EmitBody(SourceWriter writer, LayerModel layer, TensorLayout input, TensorLayout output, IReadOnlyList<Chunk> chunks)
    {
        var ops = VectorOps.ForWidth(chunks[0].Width);
        var channels = layer.Input.Channels;
        var loopChannels = ops.IsScalar;
        var isMax = LayerVocabulary.IsMaxPooling(layer.Kind);
        var global = LayerVocabulary.IsGlobalPooling(layer.Kind);
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float xn = ref " + FrameworkNames.Unsafe + ".Add(ref x, " + CompactLoops.Times("(nint)n", input.StoredSize) + ");");
            writer.Line("ref float dxn = ref " + FrameworkNames.Unsafe + ".Add(ref dx, " + CompactLoops.Times("(nint)n", input.StoredSize) + ");");
            writer.Line("ref float yn = ref " + FrameworkNames.Unsafe + ".Add(ref y, " + CompactLoops.Times("(nint)n", output.StoredSize) + VectorOps.PlusConstant(output.InteriorOffset) + ");");
            writer.Line("ref float dyn = ref " + FrameworkNames.Unsafe + ".Add(ref dy, " + CompactLoops.Times("(nint)n", output.StoredSize) + VectorOps.PlusConstant(output.InteriorOffset) + ");");
            var closers = new List<SourceWriter.Block>();
            var taps = new List<int>();
            if (global)
            {
                // The window is every position: a loop, not unrolled taps.
                writer.Line("ref float yp = ref yn;");
                writer.Line("ref float dyp = ref dyn;");
                writer.Line("ref float xp = ref xn;");
                writer.Line("ref float dxp = ref dxn;");
            }
            else
            {
                closers.Add(writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"));
                if (EvenWindowsFirst(layer, chunks))
                {
                    // The window's vectors reach into the next window's inputs (padded channels, or
                    // windows that share columns): added there next, they would load what was just
                    // stored and wait for the store. Even windows first, then odd ones.
                    var even = (layer.Output.Width + 1) / 2;
                    closers.Add(writer.Open("for (int w = 0; w < " + layer.Output.Width + "; w++)"));
                    writer.Line("int ow = w < " + even + " ? 2 * w : 2 * (w - " + even + ") + 1;");
                }
                else
                {
                    closers.Add(writer.Open("for (int ow = 0; ow < " + layer.Output.Width + "; ow++)"));
                }

                var outputPosition = "oh * " + output.RowStride + " + ow * " + channels;
                var inputPosition = "oh * " + layer.StrideHeight * input.RowStride + " + ow * " + layer.StrideWidth * channels;
                writer.Line("ref float yp = ref " + FrameworkNames.Unsafe + ".Add(ref yn, " + outputPosition + ");");
                writer.Line("ref float dyp = ref " + FrameworkNames.Unsafe + ".Add(ref dyn, " + outputPosition + ");");
                writer.Line("ref float xp = ref " + FrameworkNames.Unsafe + ".Add(ref xn, " + inputPosition + ");");
                writer.Line("ref float dxp = ref " + FrameworkNames.Unsafe + ".Add(ref dxn, " + inputPosition + ");");
                for (var kh = 0; kh < layer.KernelHeight; kh++)
                {
                    for (var kw = 0; kw < layer.KernelWidth; kw++)
                    {
                        taps.Add(kh * input.RowStride + kw * channels);
                    }
                }
            }

            var scale = isMax ? null : AverageScale(writer, layer, ops, global);
            if (loopChannels)
            {
                closers.Add(writer.Open("for (int c = 0; c < " + channels + "; c++)"));
                EmitScalarChannel(writer, layer, input, isMax, global, scale);
            }
            else
            {
                // The vectors that hold only channels in a loop over the channels; the last,
                // with lanes past the last channel, after it.
                var full = chunks.Count(chunk => chunk.Offset + chunk.Width <= channels);
                var refs = new PositionRefs("yp", "dyp", "xp", "dxp");
                if (full > 1)
                {
                    using (writer.Open("for (int c = 0; c < " + full * ops.Width + "; c += " + ops.Width + ")"))
                    {
                        var channel = new PositionRefs("yc", "dyc", "xc", "dxc");
                        foreach (var (from, to) in new[] { (refs.Y, channel.Y), (refs.Dy, channel.Dy), (refs.X, channel.X), (refs.Dx, channel.Dx) })
                        {
                            writer.Line("ref float " + to + " = ref " + FrameworkNames.Unsafe + ".Add(ref " + from + ", c);");
                        }

                        EmitVectorChunk(writer, layer, input, ops, channel, 0, isMax, global, scale, taps, ops.Width);
                    }
                }

                foreach (var chunk in chunks.Skip(full > 1 ? full : 0))
                {
                    using (writer.Scope())
                    {
                        EmitVectorChunk(writer, layer, input, ops, refs, chunk.Offset, isMax, global, scale, taps, System.Math.Min(chunk.Width, channels - chunk.Offset));
                    }
                }
            }

            for (var i = closers.Count - 1; i >= 0; i--)
            {
                closers[i].Dispose();
            }
        }
    }

    /// <summary>Refs to the output, its gradient, the input and its gradient at one window (and channel).</summary>
    private readonly record struct PositionRefs(string Y, string Dy, string X, string Dx);

    /// <summary>One vector of channels: max pooling marks the first maximum with a mask per lane.</summary>
    private static void EmitVectorChunk(SourceWriter writer, LayerModel layer, TensorLayout input, VectorOps ops, PositionRefs refs, int offset, bool isMax,
        bool global, string? scale, List<int> taps, int lanes)
    {
        writer.Line("var g = " + ops.Load(refs.Dy, offset) + ";");
        if (lanes < ops.Width)
        {
            // Lanes past the last channel belong to the next position: they add zero.
            writer.Line("g &= " + ops.Mask(Enumerable.Range(0, ops.Width).Select(l => l < lanes)) + ";");
        }

        if (isMax)
        {
            writer.Line("var m = " + ops.Load(refs.Y, offset) + ";");
            writer.Line("var taken = " + ops.Zero + ";");
        }
        else
        {
            writer.Line("g *= " + scale + ";");
        }

        void Tap(string x, string dx, int tap)
        {
            if (isMax)
            {
                writer.Line("var hit = " + ops.ClassName + ".AndNot(" + ops.ClassName + ".Equals(" + ops.Load(x, tap + offset) + ", m), taken);");
                writer.Line("taken |= hit;");
                writer.Line(ops.AddTo("g & hit", dx, tap + offset));
            }
            else
            {
                // Added, never stored over: the lanes past the last channel belong to the next position.
                writer.Line(ops.AddTo("g", dx, tap + offset));
            }
        }

        if (global)
        {
            using (writer.Open("for (int p = 0; p < " + layer.Input.Positions + "; p++)"))
            {
                writer.Line("ref float xq = ref " + FrameworkNames.Unsafe + ".Add(ref " + refs.X + ", " + CompactLoops.Times("p", layer.Input.Channels) + ");");
                writer.Line("ref float dxq = ref " + FrameworkNames.Unsafe + ".Add(ref " + refs.Dx + ", " + CompactLoops.Times("p", layer.Input.Channels) + ");");
                Tap("xq", "dxq", 0);
            }

            return;
        }

        if (taps.Count > UnrollBudget)
        {
            // A large window: a loop over its taps, one load and store at a time.
            using (writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)"))
            using (writer.Open("for (int kw = 0; kw < " + layer.KernelWidth + "; kw++)"))
            {
                writer.Line("ref float xq = ref " + FrameworkNames.Unsafe + ".Add(ref " + refs.X + ", kh * " + input.RowStride + " + kw * " + layer.Input.Channels + ");");
                writer.Line("ref float dxq = ref " + FrameworkNames.Unsafe + ".Add(ref " + refs.Dx + ", kh * " + input.RowStride + " + kw * " + layer.Input.Channels + ");");
                Tap("xq", "dxq", 0);
            }

            return;
        }

        // A window's loads before its stores, stored in ascending address order: a load that
        // overlaps the store just before it (the lanes past the last channel) would wait for it.
        // Each store rewrites the lanes past its channels with the values loaded, which only
        // taps at higher addresses, stored later, change.
        for (var first = 0; first < taps.Count; first += TapsPerGroup)
        {
            var group = Enumerable.Range(first, System.Math.Min(TapsPerGroup, taps.Count - first)).ToList();
            foreach (var i in group)
            {
                var sum = ops.Load(refs.Dx, taps[i] + offset);
                if (isMax)
                {
                    writer.Line("var hit" + i + " = " + ops.ClassName + ".AndNot(" + ops.ClassName + ".Equals(" + ops.Load(refs.X, taps[i] + offset) + ", m), taken);");
                    writer.Line("taken |= hit" + i + ";");
                    writer.Line("var s" + i + " = " + sum + " + (g & hit" + i + ");");
                }
                else
                {
                    writer.Line("var s" + i + " = " + sum + " + g;");
                }
            }

            foreach (var i in group)
            {
                writer.Line(ops.Store("s" + i, refs.Dx, taps[i] + offset));
            }
        }
    }

    /// <summary>Taps whose sums wait in registers before their stores.</summary>
    private const int TapsPerGroup = 8;

    /// <summary>Window taps written out per vector of channels; larger windows loop (as in the forward pass).</summary>
    private const int UnrollBudget = 64;

    /// <summary>One channel c, plain floats.</summary>
    private static void EmitScalarChannel(SourceWriter writer, LayerModel layer, TensorLayout input, bool isMax, bool global, string? scale)
    {
        var channels = layer.Input.Channels;
        var rows = global ? 1 : layer.KernelHeight;
        var columns = global ? layer.Input.Positions : layer.KernelWidth;
        var offset = (global ? "kw * " + channels : "kh * " + input.RowStride + " + kw * " + channels) + " + c";
        writer.Line("var g = " + FrameworkNames.Unsafe + ".Add(ref dyp, c);");
        if (isMax)
        {
            // The first cell equal to the maximum takes the gradient.
            writer.Line("var m = " + FrameworkNames.Unsafe + ".Add(ref yp, c);");
            writer.Line("var found = false;");
            using (writer.Open("for (int kh = 0; kh < " + rows + " && !found; kh++)"))
            using (writer.Open("for (int kw = 0; kw < " + columns + " && !found; kw++)"))
            using (writer.Open("if (" + FrameworkNames.Unsafe + ".Add(ref xp, " + offset + ") == m)"))
            {
                writer.Line(FrameworkNames.Unsafe + ".Add(ref dxp, " + offset + ") += g;");
                writer.Line("found = true;");
            }

            return;
        }

        writer.Line("g *= " + scale + ";");
        using (writer.Open("for (int kh = 0; kh < " + rows + "; kh++)"))
        using (writer.Open("for (int kw = 0; kw < " + columns + "; kw++)"))
        {
            writer.Line(FrameworkNames.Unsafe + ".Add(ref dxp, " + offset + ") += g;");
        }
    }

    private static string AverageScale(SourceWriter writer, LayerModel layer, VectorOps ops, bool global)
    {
        if (global)
        {
            return ops.Constant(1f / layer.Input.Positions);
        }

        if (!PoolingForwardEmitter.CountsPerWindow(layer))
        {
            return ops.Constant(1f / (layer.KernelHeight * layer.KernelWidth));
        }

        writer.Line("var scale = " + ops.Broadcast("1f / " + PoolingForwardEmitter.RealCells(layer)) + ";");
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
