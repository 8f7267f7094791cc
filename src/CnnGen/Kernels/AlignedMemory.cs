using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CnnGen.Kernels;

/// <summary>
/// Used by generated code: buffers whose vectors start on 64-byte boundaries. A vector load that
/// straddles two cache lines costs two; managed arrays and the stack give 8- or 16-byte alignment,
/// so three in four 512-bit loads of packed weights straddled (measured on an Intel Xeon with
/// AVX-512: a 56x56x64 3x3 layer took 1.58 ms with its packed slice misaligned on the stack and
/// 1.47 ms aligned, depending only on where the process's stack began). Each buffer is allocated
/// <see cref="SlackFloats"/> floats longer and read from <see cref="Start(ref float)"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class AlignedMemory
{
    /// <summary>The alignment, one cache line.</summary>
    public const int Bytes = 64;

    /// <summary>Floats a buffer is allocated beyond its length, so that its aligned start leaves it all.</summary>
    public const int SlackFloats = Bytes / sizeof(float);

    /// <summary>
    /// The first float at or after <paramref name="first"/> on a 64-byte boundary (at most
    /// <see cref="SlackFloats"/> - 1 floats on). Stable only for memory that does not move: the
    /// stack, and arrays from <see cref="Allocate"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref float Start(ref float first)
    {
        var address = Unsafe.ByteOffset(ref Unsafe.NullRef<float>(), ref first);
        return ref Unsafe.Add(ref first, (nint)(-address & (Bytes - 1)) / sizeof(float));
    }

    /// <summary>The aligned start of an array from <see cref="Allocate"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref float Start(float[] array) => ref Start(ref MemoryMarshal.GetArrayDataReference(array));

    /// <summary>
    /// Where in <paramref name="array"/> (an index from 0 to <see cref="SlackFloats"/> - 1) a run of
    /// floats starts so that its float at <paramref name="alignedIndex"/> lies on a 64-byte boundary.
    /// Networks keep their parameters that way, in an array from <see cref="Allocate"/>: the
    /// Keras order fixes where each layer's kernel lies in them, so only one kernel, the largest,
    /// can be put on a cache line (a dense layer of 400 inputs to 120 units read one sample at a
    /// time: 3.0 us with its rows starting 48 and 16 bytes past a line, 2.5 us at 0 and 32, on an
    /// Intel Xeon with AVX-512).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Origin(float[] array, int alignedIndex)
    {
        ref var target = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), alignedIndex);
        var address = Unsafe.ByteOffset(ref Unsafe.NullRef<float>(), ref target);
        return (int)((-address & (Bytes - 1)) / sizeof(float));
    }

    /// <summary>
    /// A zeroed array of <paramref name="floats"/> floats from its aligned start on, pinned (on the
    /// pinned object heap) so that the garbage collector never moves it: data written at the
    /// aligned start is found there by every later call.
    /// </summary>
    public static float[] Allocate(long floats)
    {
        if (floats + SlackFloats > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(floats), floats, "More floats than an array can hold.");
        }

        return GC.AllocateArray<float>((int)floats + SlackFloats, pinned: true);
    }
}
