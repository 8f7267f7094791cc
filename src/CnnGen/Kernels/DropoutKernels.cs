using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace CnnGen.Kernels;

/// <summary>
/// Dropout in training mode, called by the generated code. The mask is not stored: whether a
/// value is kept is a hash of (seed, layer, pass, sample, position in the sample), so Backward
/// computes the same mask from the same numbers. Kept values are scaled by 1 / (1 - rate)
/// (inverted dropout), so inference is the identity. Positions count the values of a sample
/// in the workspace's channels-last order, row after row.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DropoutKernels
{
    /// <summary>Bits of the uniform number compared with the rate: drop probability is round(rate * 2^24) / 2^24.</summary>
    private const int Bits = 24;

    /// <summary>
    /// y = x * mask / (1 - rate) over every row of every sample (also dL/d(input) from
    /// dL/d(output) in Backward, with the same arguments).
    /// </summary>
    public static void Apply(ref float x, TensorRows xRows, ref float y, TensorRows yRows, int batch, int rowLength, float rate, int seed, int layer, long pass)
    {
        var threshold = Threshold(rate);
        var scale = 1f / (1f - rate);
        for (var n = 0; n < batch; n++)
        {
            var sample = SampleKey(seed, layer, pass, n);
            for (var r = 0; r < xRows.Rows; r++)
            {
                ref var source = ref Unsafe.Add(ref x, xRows.At(n, r));
                ref var target = ref Unsafe.Add(ref y, yRows.At(n, r));
                var first = (ulong)r * (ulong)rowLength;
                for (var k = 0; k < rowLength; k++)
                {
                    Unsafe.Add(ref target, k) = Uniform(sample, first + (ulong)k) >= threshold ? Unsafe.Add(ref source, k) * scale : 0f;
                }
            }
        }
    }

    /// <summary>
    /// Whether dropout keeps value <paramref name="position"/> of sample <paramref name="sample"/>
    /// (positions in channels-last order) in training pass <paramref name="pass"/> of layer
    /// <paramref name="layer"/> (its index in the network): the mask Forward and Backward use.
    /// </summary>
    public static bool Keeps(float rate, int seed, int layer, long pass, int sample, long position) =>
        Uniform(SampleKey(seed, layer, pass, sample), (ulong)position) >= Threshold(rate);

    private static uint Threshold(float rate) => (uint)System.Math.Round(rate * (double)(1 << Bits));

    private static ulong SampleKey(int seed, int layer, long pass, int sample) =>
        Mix(Mix(Mix(Mix((ulong)(uint)seed) ^ (ulong)(uint)layer) ^ (ulong)pass) ^ (ulong)(uint)sample);

    private static uint Uniform(ulong sample, ulong position) => (uint)(Mix(sample + position * 0x9E3779B97F4A7C15UL) >> (64 - Bits));

    /// <summary>SplitMix64's finaliser: every input bit flips about half the output bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
