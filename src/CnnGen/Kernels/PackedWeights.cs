using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace CnnGen.Kernels;

/// <summary>Used by generated code: where a layer's kernel lies in the network's packed weights (see <see cref="INetwork.PackWeights"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PackedWeights
{
    /// <summary>
    /// The layer's kernel at <paramref name="offset"/> in the packed weights, or a null ref when
    /// the network keeps none (<paramref name="packed"/> is a null ref): the layer then packs into its scratch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref float At(ref float packed, int offset) =>
        ref Unsafe.IsNullRef(ref packed) ? ref packed : ref Unsafe.Add(ref packed, offset);

    /// <summary>
    /// Packs a dense kernel (<paramref name="inputs"/> x <paramref name="units"/>, the Keras
    /// layout) in the order a single sample's row stream reads it at a vector width, so that the
    /// stream is one run through memory instead of <paramref name="rowsPerPass"/> runs a row
    /// apart. The rows go in passes, from each slice's start (<paramref name="sliceLength"/>
    /// inputs, the last slice shorter), of <paramref name="rowsPerPass"/> rows, then single
    /// rows; a pass holds, for every vector of units (the aligned ones, then the last
    /// <paramref name="width"/> units), its rows' floats one row after another. The pass that
    /// starts at row i starts at i * (aligned units + width) floats.
    /// </summary>
    public static void DenseRows(ref float kernel, ref float packed, int inputs, int units, int width, int sliceLength, int rowsPerPass)
    {
        var vectors = units / width;
        var stride = vectors * width + width;
        for (var start = 0; start < inputs; start += sliceLength)
        {
            var length = Math.Min(sliceLength, inputs - start);
            var passes = start + length / rowsPerPass * rowsPerPass;
            for (var i = start; i < start + length;)
            {
                var rows = i < passes ? rowsPerPass : 1;
                ref var pass = ref Unsafe.Add(ref packed, (nint)i * stride);
                for (var v = 0; v <= vectors; v++)
                {
                    var unit = v < vectors ? v * width : units - width;
                    for (var r = 0; r < rows; r++)
                    {
                        Unsafe.CopyBlockUnaligned(
                            ref Unsafe.As<float, byte>(ref Unsafe.Add(ref pass, (v * rows + r) * width)),
                            ref Unsafe.As<float, byte>(ref Unsafe.Add(ref kernel, (nint)(i + r) * units + unit)),
                            (uint)(width * sizeof(float)));
                    }
                }

                i += rows;
            }
        }
    }
}
