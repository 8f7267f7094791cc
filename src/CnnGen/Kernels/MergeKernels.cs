using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CnnGen.Kernels;

/// <summary>
/// Element-wise passes over runs of floats that the generated code of graphs calls row by row:
/// the merges (Add, Multiply, Concatenate) and their gradients, copies of a tensor into
/// another frame, and sums of gradients where several layers read one tensor. They are
/// memory-bound (one or two operations per value loaded), so a vectorised loop here is as
/// fast as unrolled code would be. Results may overwrite an input (y may be a or x).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class MergeKernels
{
    /// <summary>target = source over <paramref name="length"/> floats.</summary>
    public static void Copy(ref float source, ref float target, int length) =>
        MemoryMarshal.CreateReadOnlySpan(ref source, length).CopyTo(MemoryMarshal.CreateSpan(ref target, length));

    /// <summary>target += source.</summary>
    public static void Accumulate(ref float source, ref float target, int length) => Add(ref target, ref source, ref target, length);

    /// <summary>y = a + b.</summary>
    public static void Add(ref float a, ref float b, ref float y, int length)
    {
        var i = 0;
        for (; i + Vector<float>.Count <= length; i += Vector<float>.Count)
        {
            (Load(ref a, i) + Load(ref b, i)).StoreUnsafe(ref y, (nuint)i);
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref y, i) = Unsafe.Add(ref a, i) + Unsafe.Add(ref b, i);
        }
    }

    /// <summary>y = a * b.</summary>
    public static void Multiply(ref float a, ref float b, ref float y, int length)
    {
        var i = 0;
        for (; i + Vector<float>.Count <= length; i += Vector<float>.Count)
        {
            (Load(ref a, i) * Load(ref b, i)).StoreUnsafe(ref y, (nuint)i);
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref y, i) = Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        }
    }

    /// <summary>y[p, c] = a[p, c] + v[c] for <paramref name="positions"/> positions of <paramref name="channels"/> channels.</summary>
    public static void AddBroadcast(ref float a, ref float v, ref float y, int positions, int channels)
    {
        for (var p = 0; p < positions; p++)
        {
            var offset = p * channels;
            Add(ref Unsafe.Add(ref a, offset), ref v, ref Unsafe.Add(ref y, offset), channels);
        }
    }

    /// <summary>y[p, c] = a[p, c] * v[c].</summary>
    public static void MultiplyBroadcast(ref float a, ref float v, ref float y, int positions, int channels)
    {
        for (var p = 0; p < positions; p++)
        {
            var offset = p * channels;
            Multiply(ref Unsafe.Add(ref a, offset), ref v, ref Unsafe.Add(ref y, offset), channels);
        }
    }

    /// <summary>target[c] += the sum over <paramref name="positions"/> of source[p, c]: the gradient of a broadcast input.</summary>
    public static void SumPositions(ref float source, ref float target, int positions, int channels)
    {
        var c = 0;
        for (; c + Vector<float>.Count <= channels; c += Vector<float>.Count)
        {
            var sum = Load(ref target, c);
            for (var p = 0; p < positions; p++)
            {
                sum += Load(ref source, p * channels + c);
            }

            sum.StoreUnsafe(ref target, (nuint)c);
        }

        for (; c < channels; c++)
        {
            var sum = Unsafe.Add(ref target, c);
            for (var p = 0; p < positions; p++)
            {
                sum += Unsafe.Add(ref source, p * channels + c);
            }

            Unsafe.Add(ref target, c) = sum;
        }
    }

    /// <summary>
    /// target[p * targetStride + c] = source[p * sourceStride + c] for c below
    /// <paramref name="channels"/>: one input's channels into a concatenation, or back.
    /// </summary>
    public static void CopyChannels(ref float source, int sourceStride, ref float target, int targetStride, int positions, int channels)
    {
        for (var p = 0; p < positions; p++)
        {
            Copy(ref Unsafe.Add(ref source, p * sourceStride), ref Unsafe.Add(ref target, p * targetStride), channels);
        }
    }

    /// <summary>target[p * targetStride + c] += source[p * sourceStride + c].</summary>
    public static void AccumulateChannels(ref float source, int sourceStride, ref float target, int targetStride, int positions, int channels)
    {
        for (var p = 0; p < positions; p++)
        {
            Accumulate(ref Unsafe.Add(ref source, p * sourceStride), ref Unsafe.Add(ref target, p * targetStride), channels);
        }
    }

    /// <summary>
    /// Fills the frame of a tensor stored <paramref name="storedHeight"/> x
    /// <paramref name="storedWidth"/> x <paramref name="channels"/> per sample, for
    /// <paramref name="batch"/> samples: the <paramref name="top"/> and <paramref name="bottom"/>
    /// rows and the <paramref name="left"/> and <paramref name="right"/> columns of the rows
    /// between. The interior is left alone.
    /// </summary>
    public static void FillFrame(ref float tensor, int batch, int storedHeight, int storedWidth, int channels, int top, int bottom, int left,
        int right, float value)
    {
        var rowFloats = storedWidth * channels;
        var sampleFloats = storedHeight * rowFloats;
        for (var n = 0; n < batch; n++)
        {
            ref var sample = ref Unsafe.Add(ref tensor, (nint)n * sampleFloats);
            MemoryMarshal.CreateSpan(ref sample, top * rowFloats).Fill(value);
            MemoryMarshal.CreateSpan(ref Unsafe.Add(ref sample, (storedHeight - bottom) * rowFloats), bottom * rowFloats).Fill(value);
            if (left + right == 0)
            {
                continue;
            }

            for (var r = top; r < storedHeight - bottom; r++)
            {
                ref var row = ref Unsafe.Add(ref sample, r * rowFloats);
                MemoryMarshal.CreateSpan(ref row, left * channels).Fill(value);
                MemoryMarshal.CreateSpan(ref Unsafe.Add(ref row, (storedWidth - right) * channels), right * channels).Fill(value);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Load(ref float source, int offset) => Vector.LoadUnsafe(ref source, (nuint)offset);
}
