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
}
