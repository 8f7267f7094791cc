using System.Linq;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// The AVX-512 kernel gradient of the convolutions <see cref="PositionVectorizedConvolution"/>
/// runs forward (one input channel, few filters): vectorised over 16 output positions, as the
/// forward pass is, instead of over the filters, whose vectors would be mostly empty lanes.
/// dz is first turned planar (one vector of 16 positions per filter, overlapping positions
/// zeroed) into the padded-gradient scratch; then dL/d(kernel)[kh, kw, f] is, for each tap, 16
/// lanes of input[position + tap] * dz[position, f] summed over samples and rows, and the lanes
/// summed once at the end.
/// </summary>
internal static class PositionVectorizedKernelGradient
{
    private const int Lanes = PositionVectorizedConvolution.Lanes;

    /// <summary>Accumulators of one kernel row: filters x kernel columns.</summary>
    private const int AccumulatorBudget = 18;

    /// <summary>A convolution of the forward's case, with a kernel row that fits the accumulators for one filter.</summary>
    public static bool Applies(LayerModel layer) =>
        layer.IsConvolution && PositionVectorizedConvolution.Applies(layer) && layer.KernelWidth <= 12;

    /// <summary>Floats per sample of planar dz: rows x position vectors x filters x 16.</summary>
    public static int ScratchFloats(LayerModel layer) =>
        layer.Output.Height * PositionVectorizedConvolution.VectorStarts(layer).Count * layer.Output.Channels * Lanes;

    public static void Emit(VariantWriter variant, LayerModel layer, TensorLayout input, TensorLayout output)
    {
        var writer = variant.Body;
        var filters = layer.Output.Channels;
        var starts = PositionVectorizedConvolution.VectorStarts(layer);
        var rowFloats = starts.Count * filters * Lanes;

        writer.Comment("dz planar: for each output row, " + starts.Count + " vector(s) of 16 positions per filter, positions counted twice zeroed.");
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
        {
            writer.Line("ref float dr = ref Unsafe.Add(ref d, (nint)n * " + output.StoredSize + VectorOps.PlusConstant(output.InteriorOffset) + " + oh * " + output.RowStride + ");");
            writer.Line("ref float sr = ref Unsafe.Add(ref padded, ((nint)n * " + layer.Output.Height + " + oh) * " + rowFloats + ");");
            var planar = variant.Helper("Planar", (helper, helperName) => EmitPlanar(helper, helperName, layer));
            for (var v = 0; v < starts.Count; v++)
            {
                var counted = v == 0 ? 0 : starts[v - 1] + Lanes - starts[v];
                var keep = counted > 0
                    ? "Vector512.Create(" + string.Join(", ", Enumerable.Range(0, Lanes).Select(j => j < counted ? "0" : "-1")) + ").AsSingle()"
                    : "Vector512<float>.AllBitsSet";
                writer.Line(planar + "(" + VectorOps.Ref("dr", starts[v] * filters) + ", " + VectorOps.Ref("sr", v * filters * Lanes) + ", " + keep + ");");
            }
        }

        // Filters in groups whose accumulators (group x kernel columns) fit the registers.
        var perGroup = System.Math.Max(1, System.Math.Min(filters, AccumulatorBudget / layer.KernelWidth));
        var groups = (filters + perGroup - 1) / perGroup;
        perGroup = (filters + groups - 1) / groups;
        using (writer.Open("for (int kh = 0; kh < " + layer.KernelHeight + "; kh++)"))
        {
            writer.Line("ref float xk = ref Unsafe.Add(ref x, kh * " + layer.DilationHeight * input.RowStride + ");");
            writer.Line("ref float wk = ref Unsafe.Add(ref dw, kh * " + layer.KernelWidth * filters + ");");
            for (var first = 0; first < filters; first += perGroup)
            {
                var count = System.Math.Min(perGroup, filters - first);
                var name = variant.Helper("Taps_" + count, (helper, helperName) => EmitTaps(helper, helperName, layer, input, count));
                writer.Line(name + "(ref xk, " + VectorOps.Ref("padded", first * Lanes) + ", " + VectorOps.Ref("wk", first) + ", batch);");
            }
        }
    }

    /// <summary>
    /// 16 positions x F channels of dz (channels-last, contiguous) as F vectors of 16 positions,
    /// one per filter, stored one after the other, with the lanes of <c>keep</c> (positions the
    /// previous vector already holds are zero in it).
    /// </summary>
    private static void EmitPlanar(SourceWriter writer, string name, LayerModel layer)
    {
        var filters = layer.Output.Channels;
        writer.Comment(layer.Name + ": 16 positions x " + filters + " filters of dz as one vector per filter; lanes not in keep are zeroed.");
        writer.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        using (writer.Open("private static void " + name + "(ref float d, ref float s, Vector512<float> keep)"))
        {
            for (var k = 0; k < filters; k++)
            {
                writer.Line("var d" + k + " = " + VectorOps.V512.Load("d", k * Lanes) + ";");
            }

            writer.Line("Vector512<float> v;");
            for (var f = 0; f < filters; f++)
            {
                // Lane j of filter f's vector is element j * F + f of the 16 x F block.
                PositionVectorizedConvolution.EmitGather(writer,
                    Enumerable.Range(0, Lanes).Select(j => ((j * filters + f) / Lanes, (j * filters + f) % Lanes)).ToList(), k => "d" + k);
                writer.Line(VectorOps.V512.Store("v & keep", "s", f * Lanes));
            }
        }
    }

    /// <summary>
    /// One kernel row of <paramref name="count"/> filters: accumulators per (filter, kernel
    /// column), the sum over samples, rows and position vectors, then over the lanes.
    /// </summary>
    private static void EmitTaps(SourceWriter writer, string name, LayerModel layer, TensorLayout input, int count)
    {
        var filters = layer.Output.Channels;
        var starts = PositionVectorizedConvolution.VectorStarts(layer);
        var kernelWidth = layer.KernelWidth;
        writer.Comment(layer.Name + ": one kernel row of " + count + " filter(s) x " + kernelWidth + " column(s), 16 positions per lane vector, summed over n, oh and the row's position vectors.");
        writer.Line("[MethodImpl(MethodImplOptions.AggressiveOptimization)]");
        using (writer.Open("private static void " + name + "(ref float x, ref float s, ref float dw, int batch)"))
        {
            for (var f = 0; f < count; f++)
            {
                writer.Line("Vector512<float> " + string.Join(", ", Enumerable.Range(0, kernelWidth).Select(kw => Accumulator(f, kw) + " = Vector512<float>.Zero")) + ";");
            }

            using (writer.Open("for (int n = 0; n < batch; n++)"))
            using (writer.Open("for (int oh = 0; oh < " + layer.Output.Height + "; oh++)"))
            {
                writer.Line("ref float xr = ref Unsafe.Add(ref x, (nint)n * " + input.StoredSize + " + oh * " + layer.StrideHeight * input.RowStride + ");");
                writer.Line("ref float sr = ref Unsafe.Add(ref s, ((nint)n * " + layer.Output.Height + " + oh) * " + starts.Count * filters * Lanes + ");");
                for (var v = 0; v < starts.Count; v++)
                {
                    for (var kw = 0; kw < kernelWidth; kw++)
                    {
                        writer.Line((v == 0 ? "var " : string.Empty) + "x" + kw + " = " + VectorOps.V512.Load("xr", starts[v] + kw * layer.DilationWidth) + ";");
                    }

                    for (var f = 0; f < count; f++)
                    {
                        writer.Line((v == 0 && f == 0 ? "var " : string.Empty) + "d = " + VectorOps.V512.Load("sr", (v * filters + f) * Lanes) + ";");
                        for (var kw = 0; kw < kernelWidth; kw++)
                        {
                            writer.Line(Accumulator(f, kw) + " = Vector512.FusedMultiplyAdd(x" + kw + ", d, " + Accumulator(f, kw) + ");");
                        }
                    }
                }
            }

            for (var f = 0; f < count; f++)
            {
                for (var kw = 0; kw < kernelWidth; kw++)
                {
                    writer.Line(VectorOps.Element("dw", kw * filters + f) + " = Vector512.Sum(" + Accumulator(f, kw) + ");");
                }
            }
        }
    }

    private static string Accumulator(int filter, int column) => "a" + filter + "_" + column;
}
