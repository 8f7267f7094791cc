using System.Collections.Generic;
using System.Linq;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// The AVX-512 forward kernel for convolutions with one input channel and few filters (the
/// first layer of a grey-image network, such as LeNet-5's 6 filters): vectorised over 16
/// output positions instead of the filters, whose vectors would be mostly empty lanes. With
/// one input channel, 16 consecutive output positions read 16 consecutive inputs, so each tap
/// is one vector load and one broadcast weight per filter. The filters' vectors are then
/// interleaved in registers into the channels-last layout (two-source permutes), so the
/// output is stored with full vectors like any other layer.
/// </summary>
internal static class PositionVectorizedConvolution
{
    public const int Lanes = 16;
    private const string Avx512F = "global::System.Runtime.Intrinsics.X86.Avx512F";

    /// <summary>One input channel, unit horizontal stride, fewer filters than a vector, rows of at least a vector.</summary>
    public static bool Applies(LayerModel layer) =>
        layer.Input.Channels == 1 && layer.StrideWidth == 1 && layer.Output.Channels < Lanes && layer.Output.Width >= Lanes;

    public static void Emit(VariantWriter variant, LayerModel layer, TensorLayout input, TensorLayout target)
    {
        var writer = variant.Body;
        var filters = layer.Output.Channels;
        var starts = VectorStarts(layer);
        var vectorsPerRow = starts.Count;
        var vectors = System.Math.Max(1, System.Math.Min(vectorsPerRow, 24 / filters));

        var interleave = variant.Helper("Interleave", (helper, name) => EmitInterleave(helper, name, layer));
        string Kernel(IReadOnlyList<int> blockStarts) => variant.Helper("Positions" + string.Join("_", blockStarts), (helper, name) =>
            EmitKernel(helper, name, layer, input, blockStarts, interleave));

        using (writer.Open("for (int n = 0; n < batch; n++)"))
        using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
        {
            writer.Line("ref float xr = ref Unsafe.Add(ref x, (nint)n * " + input.StoredSize + " + oh * " + layer.StrideHeight * input.RowStride + ");");
            writer.Line("ref float yr = ref Unsafe.Add(ref y, (nint)n * " + target.StoredSize + VectorOps.PlusConstant(target.InteriorOffset) +
                " + oh * " + target.RowStride + ");");
            for (var first = 0; first < starts.Count; first += vectors)
            {
                var block = starts.Skip(first).Take(vectors).ToList();
                writer.Line(Kernel(block.Select(s => s - block[0]).ToList()) + "(" + VectorOps.Ref("xr", block[0]) + ", ref w, ref b, " +
                    VectorOps.Ref("yr", block[0] * filters) + ");");
            }
        }
    }

    /// <summary>
    /// Where each vector of 16 output positions starts in an output row: every 16 positions,
    /// the last one moved back to end at the row's end (overlapping the one before).
    /// </summary>
    public static List<int> VectorStarts(LayerModel layer)
    {
        var starts = new List<int>();
        for (var v = 0; v < (layer.Output.Width + Lanes - 1) / Lanes; v++)
        {
            starts.Add(System.Math.Min(v * Lanes, layer.Output.Width - Lanes));
        }

        return starts;
    }

    /// <summary>A block of position vectors starting at <paramref name="starts"/> (relative to the block) in one output row.</summary>
    private static void EmitKernel(SourceWriter writer, string name, LayerModel layer, TensorLayout input, IReadOnlyList<int> starts, string interleave)
    {
        var filters = layer.Output.Channels;
        writer.Comment(layer.Name + ": " + starts.Count + " x 16 output positions x " + filters + " filters in registers; each tap loads 16 inputs and broadcasts one weight per filter.");
        writer.Line("[MethodImpl(MethodImplOptions.AggressiveOptimization)]");
        using (writer.Open("private static void " + name + "(ref float x, ref float w, ref float b, ref float y)"))
        {
            for (var f = 0; f < filters; f++)
            {
                var start = layer.UseBias ? "Vector512.Create(" + VectorOps.Element("b", f) + ")" : "Vector512<float>.Zero";
                writer.Line("Vector512<float> " + string.Join(", ", Enumerable.Range(0, starts.Count).Select(v => Accumulator(v, f) + " = " + start)) + ";");
            }

            writer.Line("Vector512<float> t;");
            var taps = layer.KernelHeight * layer.KernelWidth;
            var loopRows = (long)taps * starts.Count * filters > VectorIsa.WholeLayerBudget;
            var x = "x";
            var w = "w";
            var closer = (System.IDisposable?)null;
            if (loopRows && layer.KernelHeight > 1)
            {
                closer = writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)");
                writer.Line("ref float xkh = ref Unsafe.Add(ref x, kh * " + layer.DilationHeight * input.RowStride + ");");
                writer.Line("ref float wkh = ref Unsafe.Add(ref w, kh * " + layer.KernelWidth * filters + ");");
                x = "xkh";
                w = "wkh";
            }

            for (var kh = 0; kh < (closer is null ? layer.KernelHeight : 1); kh++)
            {
                for (var kw = 0; kw < layer.KernelWidth; kw++)
                {
                    var tapInput = kh * layer.DilationHeight * input.RowStride + kw * layer.DilationWidth;
                    var tapWeight = (kh * layer.KernelWidth + kw) * filters;
                    for (var v = 0; v < starts.Count; v++)
                    {
                        writer.Line("t = " + VectorOps.V512.Load(x, tapInput + starts[v]) + ";");
                        for (var f = 0; f < filters; f++)
                        {
                            writer.Line(Accumulator(v, f) + " = Vector512.FusedMultiplyAdd(t, Vector512.Create(" + VectorOps.Element(w, tapWeight + f) + "), " + Accumulator(v, f) + ");");
                        }
                    }
                }
            }

            closer?.Dispose();
            for (var v = 0; v < starts.Count; v++)
            {
                EmitActivation(writer, layer, v);
                writer.Line(interleave + "(" + VectorOps.Ref("y", starts[v] * filters) + ", " +
                    string.Join(", ", Enumerable.Range(0, filters).Select(f => Accumulator(v, f))) + ");");
            }
        }
    }

    private static void EmitActivation(SourceWriter writer, LayerModel layer, int v)
    {
        var activation = ActivationPass.Fused(layer);
        for (var f = 0; f < layer.Output.Channels; f++)
        {
            var value = activation switch
            {
                ActivationKind.Relu => "Vector512.Max(" + Accumulator(v, f) + ", Vector512<float>.Zero)",
                ActivationKind.LeakyRelu => "Vector512.Max(" + Accumulator(v, f) + ", " + Accumulator(v, f) + " * " + VectorOps.Float(ActivationPlan.LeakyReluSlope) + ")",
                _ => null,
            };
            if (value is not null)
            {
                writer.Line(Accumulator(v, f) + " = " + value + ";");
            }
        }
    }

    /// <summary>
    /// A helper that stores 16 positions x F filters, one vector per filter, as F vectors of
    /// the channels-last layout (position-major): output lane j of vector k is filter
    /// (16k + j) % F of position (16k + j) / F. Each output vector merges its filters one
    /// two-source permute at a time.
    /// </summary>
    private static void EmitInterleave(SourceWriter writer, string name, LayerModel layer)
    {
        var filters = layer.Output.Channels;
        writer.Comment(layer.Name + ": 16 positions x " + filters + " filters, one vector per filter (f0.." + Filter(filters - 1) +
            "), stored channels-last: lane j of vector k holds filter (16k + j) % " + filters + " of position (16k + j) / " + filters + ".");
        writer.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        var parameters = string.Join(", ", Enumerable.Range(0, filters).Select(f => "Vector512<float> " + Filter(f)));
        using (writer.Open("private static void " + name + "(ref float y, " + parameters + ")"))
        {
            writer.Line("Vector512<float> v;");
            for (var k = 0; k < filters; k++)
            {
                // Lane j of output vector k is filter (16k + j) % F of position (16k + j) / F.
                EmitGather(writer, Enumerable.Range(k * Lanes, Lanes).Select(index => (index % filters, index / filters)).ToList(), Filter);
                writer.Line(VectorOps.V512.Store("v", "y", k * Lanes));
            }
        }
    }

    /// <summary>
    /// <c>v = </c> the vector whose lane j is lane <c>lanes[j].Lane</c> of source
    /// <c>lanes[j].Source</c>: the sources merged one two-source permute at a time; lanes already
    /// placed keep their place (index j), lanes of the next source come from the second operand
    /// (16 + its lane).
    /// </summary>
    public static void EmitGather(SourceWriter writer, IReadOnlyList<(int Source, int Lane)> lanes, System.Func<int, string> source)
    {
        var order = lanes.Select(s => s.Source).Distinct().ToList();
        if (order.Count == 1)
        {
            writer.Line("v = " + Avx512F + ".PermuteVar16x32(" + source(order[0]) + ", " + Indices(lanes.Select(s => s.Lane)) + ");");
            return;
        }

        var first = lanes.Select(s => s.Source == order[0] ? s.Lane : s.Source == order[1] ? Lanes + s.Lane : 0);
        writer.Line("v = " + Avx512F + ".PermuteVar16x32x2(" + source(order[0]) + ", " + Indices(first) + ", " + source(order[1]) + ");");
        for (var s = 2; s < order.Count; s++)
        {
            var next = order[s];
            var step = Enumerable.Range(0, Lanes).Select(j => lanes[j].Source == next ? Lanes + lanes[j].Lane : j);
            writer.Line("v = " + Avx512F + ".PermuteVar16x32x2(v, " + Indices(step) + ", " + source(next) + ");");
        }
    }

    private static string Indices(IEnumerable<int> lanes) => "Vector512.Create(" + string.Join(", ", lanes) + ")";

    private static string Accumulator(int vector, int filter) => "a" + vector + "_" + filter;

    private static string Filter(int filter) => "f" + filter;
}
