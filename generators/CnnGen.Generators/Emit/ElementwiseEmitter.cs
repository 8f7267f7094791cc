using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit;

/// <summary>
/// Passes that move or map values without a reduction: activations that run after a layer
/// (through the runtime's ActivationKernels), flatten to channels-first order, and copying
/// the network input in and the output out (transposing for channels-first networks).
/// </summary>
internal static class ElementwiseEmitter
{
    private const string Kernels = FrameworkNames.Kernels + "ActivationKernels";

    /// <summary>
    /// y = activation(z) from the interior of <paramref name="source"/> into
    /// <paramref name="target"/>, row by row when the target has a frame.
    /// </summary>
    public static void EmitActivation(SourceWriter writer, ActivationKind activation, TensorLayout source, TensorLayout target,
        string z, string y)
    {
        var contiguous = target.InteriorIsContiguous && source.InteriorIsContiguous;
        var rows = contiguous ? 1 : source.Height;
        var rowLength = contiguous ? source.Size : source.Width * source.Channels;
        var positionsPerRow = rowLength / source.Channels;
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float zn = ref " + FrameworkNames.Unsafe + ".Add(ref " + z + ", (nint)n * " + source.StoredSize + VectorOps.PlusConstant(source.InteriorOffset) + ");");
            writer.Line("ref float yn = ref " + FrameworkNames.Unsafe + ".Add(ref " + y + ", (nint)n * " + target.StoredSize + VectorOps.PlusConstant(target.InteriorOffset) + ");");
            var body = activation == ActivationKind.Softmax
                ? Kernels + ".Softmax(ref zr, ref yr, " + positionsPerRow + ", " + source.Channels + ");"
                : Kernels + ".Forward(global::CnnGen.Activation." + activation + ", ref zr, ref yr, " + rowLength + ");";
            if (rows == 1)
            {
                writer.Line("ref float zr = ref zn;");
                writer.Line("ref float yr = ref yn;");
                writer.Line(body);
            }
            else
            {
                using (writer.Open("for (int r = 0; r < " + rows + "; r++)"))
                {
                    writer.Line("ref float zr = ref " + FrameworkNames.Unsafe + ".Add(ref zn, " + CompactLoops.Times("r", source.RowStride) + ");");
                    writer.Line("ref float yr = ref " + FrameworkNames.Unsafe + ".Add(ref yn, " + CompactLoops.Times("r", target.RowStride) + ");");
                    writer.Line(body);
                }
            }
        }
    }

    /// <summary>Copies tensor interiors (same shape, any frames), batch by batch.</summary>
    public static void EmitCopy(SourceWriter writer, TensorLayout source, TensorLayout target, string x, string y)
    {
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float xn = ref " + FrameworkNames.Unsafe + ".Add(ref " + x + ", (nint)n * " + source.StoredSize + VectorOps.PlusConstant(source.InteriorOffset) + ");");
            writer.Line("ref float yn = ref " + FrameworkNames.Unsafe + ".Add(ref " + y + ", (nint)n * " + target.StoredSize + VectorOps.PlusConstant(target.InteriorOffset) + ");");
            var rowLength = source.Width * source.Channels;
            using (writer.Open("for (int r = 0; r < " + source.Height + "; r++)"))
            {
                writer.Line("global::System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref " + FrameworkNames.Unsafe + ".Add(ref xn, r * " + source.RowStride +
                    "), " + rowLength + ").CopyTo(global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref " + FrameworkNames.Unsafe + ".Add(ref yn, r * " +
                    target.RowStride + "), " + rowLength + "));");
            }
        }
    }

    /// <summary>
    /// Channels-first copies of at most this many channels run position by position, all
    /// channels of a position together; more run channel by channel. For a 3x224x224 input the
    /// channel-by-channel order wrote the 600 KB tensor three times, 12 bytes apart: 107 us
    /// against 52 us position by position (AVX2 machine). Three channels into the tensor (an RGB
    /// image) go a row at a time through <c>K::LayoutKernels.InterleaveThreePlanes</c>, in vectors.
    /// </summary>
    private const int PositionMajorChannels = 4;

    /// <summary>
    /// Copies between a plain tensor in the user's layout (<paramref name="user"/>, per sample
    /// <paramref name="shape"/>.Size floats) and a stored tensor: channels-last rows, or a
    /// transpose from/to channels-first.
    /// </summary>
    public static void EmitUserCopy(SourceWriter writer, TensorShape shape, TensorLayout stored, DataFormat format, string user, string tensor, bool intoTensor)
    {
        var size = shape.Size;
        var transpose = format == DataFormat.ChannelsFirst && shape.SpatialRank > 0 && shape.Channels > 1 && shape.Positions > 1;
        if (!transpose && !stored.HasFrame)
        {
            var span = "global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref " + tensor + ", " + CompactLoops.Times("batch", size) + ")";
            writer.Line(intoTensor ? user + ".CopyTo(" + span + ");" : span + ".CopyTo(" + user + ");");
            return;
        }

        writer.Line("ref float u = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(" + user + ");");
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float un = ref " + FrameworkNames.Unsafe + ".Add(ref u, " + CompactLoops.Times("(nint)n", size) + ");");
            writer.Line("ref float tn = ref " + FrameworkNames.Unsafe + ".Add(ref " + tensor + ", (nint)n * " + stored.StoredSize + VectorOps.PlusConstant(stored.InteriorOffset) + ");");
            if (!transpose)
            {
                var rowLength = shape.Width * shape.Channels;
                using (writer.Open("for (int r = 0; r < " + shape.Height + "; r++)"))
                {
                    var from = intoTensor ? FrameworkNames.Unsafe + ".Add(ref un, r * " + rowLength + ")" : FrameworkNames.Unsafe + ".Add(ref tn, r * " + stored.RowStride + ")";
                    var to = intoTensor ? FrameworkNames.Unsafe + ".Add(ref tn, r * " + stored.RowStride + ")" : FrameworkNames.Unsafe + ".Add(ref un, r * " + rowLength + ")";
                    writer.Line("global::System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref " + from + ", " + rowLength +
                        ").CopyTo(global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref " + to + ", " + rowLength + "));");
                }

                return;
            }

            writer.Comment(intoTensor ? "Channels-first (c, h, w) in, channels-last (h, w, c) inside." : "Channels-last (h, w, c) inside, channels-first (c, h, w) out.");
            if (shape.Channels <= PositionMajorChannels)
            {
                // Few channels (an image's three): each position's channels together, so that the
                // tensor side is read or written in order, once.
                void Row(string t, string u)
                {
                    if (intoTensor && shape.Channels == 3)
                    {
                        // An image's three planes: permuted and blended a vector of positions at a time.
                        writer.Line(FrameworkNames.Kernels + "LayoutKernels.InterleaveThreePlanes(ref " + u + ", " + shape.Positions + ", ref " + t + ", " + shape.Width + ");");
                        return;
                    }

                    using (writer.Open("for (int w = 0; w < " + shape.Width + "; w++)"))
                    {
                        writer.Line("ref float tw = ref " + FrameworkNames.Unsafe + ".Add(ref " + t + ", w * " + shape.Channels + ");");
                        writer.Line("ref float uw = ref " + FrameworkNames.Unsafe + ".Add(ref " + u + ", w);");
                        for (var c = 0; c < shape.Channels; c++)
                        {
                            var userCell = c == 0 ? "uw" : FrameworkNames.Unsafe + ".Add(ref uw, " + c * shape.Positions + ")";
                            var tensorCell = c == 0 ? "tw" : FrameworkNames.Unsafe + ".Add(ref tw, " + c + ")";
                            writer.Line(intoTensor ? tensorCell + " = " + userCell + ";" : userCell + " = " + tensorCell + ";");
                        }
                    }
                }

                if (shape.Height == 1)
                {
                    Row("tn", "un");
                    return;
                }

                using (writer.Open("for (int h = 0; h < " + shape.Height + "; h++)"))
                {
                    writer.Line("ref float th = ref " + FrameworkNames.Unsafe + ".Add(ref tn, h * " + stored.RowStride + ");");
                    writer.Line("ref float uh = ref " + FrameworkNames.Unsafe + ".Add(ref un, h * " + shape.Width + ");");
                    Row("th", "uh");
                }

                return;
            }

            using (writer.Open("for (int c = 0; c < " + shape.Channels + "; c++)"))
            using (writer.Open("for (int h = 0; h < " + shape.Height + "; h++)"))
            using (writer.Open("for (int w = 0; w < " + shape.Width + "; w++)"))
            {
                var userCell = FrameworkNames.Unsafe + ".Add(ref un, (" + CompactLoops.Sum(("c", shape.Height), ("h", 1)) + ") * " + shape.Width + " + w)";
                var tensorCell = FrameworkNames.Unsafe + ".Add(ref tn, h * " + stored.RowStride + " + w * " + shape.Channels + " + c)";
                writer.Line(intoTensor ? tensorCell + " = " + userCell + ";" : userCell + " = " + tensorCell + ";");
            }
        }
    }

    /// <summary>Flatten of a channels-first network: (h, w, c) inside becomes (c, h, w) order.</summary>
    public static void EmitFlattenTranspose(SourceWriter writer, TensorShape shape, TensorLayout source, TensorLayout target, string x, string y, bool backward)
    {
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line("ref float xn = ref " + FrameworkNames.Unsafe + ".Add(ref " + x + ", (nint)n * " + source.StoredSize + ");");
            writer.Line("ref float yn = ref " + FrameworkNames.Unsafe + ".Add(ref " + y + ", (nint)n * " + target.StoredSize + ");");
            using (writer.Open("for (int c = 0; c < " + shape.Channels + "; c++)"))
            using (writer.Open("for (int p = 0; p < " + shape.Positions + "; p++)"))
            {
                var hwc = FrameworkNames.Unsafe + ".Add(ref xn, p * " + shape.Channels + " + c)";
                var chw = FrameworkNames.Unsafe + ".Add(ref yn, c * " + shape.Positions + " + p)";
                writer.Line(backward ? hwc + " = " + chw + ";" : chw + " = " + hwc + ";");
            }
        }
    }

    /// <summary>
    /// dx = dy * f'(z) row by row: <paramref name="zLayout"/> is the layout of z,
    /// <paramref name="yLayout"/> of y and dy, <paramref name="dxLayout"/> of dx.
    /// </summary>
    public static void EmitActivationDerivative(SourceWriter writer, ActivationKind activation, TensorLayout zLayout, TensorLayout yLayout,
        string z, string y, string dy, string dx, TensorLayout dxLayout)
    {
        var rows = zLayout.Height;
        var rowLength = zLayout.Width * zLayout.Channels;
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        using (writer.Open("for (int r = 0; r < " + rows + "; r++)"))
        {
            writer.Line("ref float zr = ref " + FrameworkNames.Unsafe + ".Add(ref " + z + ", (nint)n * " + zLayout.StoredSize + VectorOps.PlusConstant(zLayout.InteriorOffset) + " + r * " + zLayout.RowStride + ");");
            writer.Line("ref float yr = ref " + FrameworkNames.Unsafe + ".Add(ref " + y + ", (nint)n * " + yLayout.StoredSize + VectorOps.PlusConstant(yLayout.InteriorOffset) + " + r * " + yLayout.RowStride + ");");
            writer.Line("ref float dyr = ref " + FrameworkNames.Unsafe + ".Add(ref " + dy + ", (nint)n * " + yLayout.StoredSize + VectorOps.PlusConstant(yLayout.InteriorOffset) + " + r * " + yLayout.RowStride + ");");
            writer.Line("ref float dxr = ref " + FrameworkNames.Unsafe + ".Add(ref " + dx + ", (nint)n * " + dxLayout.StoredSize + VectorOps.PlusConstant(dxLayout.InteriorOffset) + " + r * " +
                dxLayout.RowStride + ");");
            writer.Line(activation == ActivationKind.Softmax
                ? Kernels + ".SoftmaxBackward(ref yr, ref dyr, ref dxr, " + zLayout.Width + ", " + zLayout.Channels + ");"
                : Kernels + ".Backward(global::CnnGen.Activation." + activation + ", ref zr, ref yr, ref dyr, ref dxr, " + rowLength + ");");
        }
    }
}
