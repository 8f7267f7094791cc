using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace CnnGen.Kernels;

/// <summary>
/// Runs of floats whose element j belongs to channel j mod the period: a row of a
/// channels-last tensor of fewer channels than a vector, which the depthwise kernels of such
/// layers sweep as one run. Tiles a kernel's per-channel weights along a run and folds sums
/// kept along one back into channels. Called by generated code with constant sizes.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PeriodicRuns
{
    /// <summary>
    /// <paramref name="count"/> rows of <paramref name="period"/> floats, each repeated out to
    /// <paramref name="length"/>: target[m][j] = source[m][j mod period].
    /// </summary>
    public static void Tile(ref float source, ref float target, int count, int period, int length)
    {
        for (var m = 0; m < count; m++)
        {
            ref var from = ref Unsafe.Add(ref source, (nint)m * period);
            ref var to = ref Unsafe.Add(ref target, (nint)m * length);
            for (var j = 0; j < length; j++)
            {
                Unsafe.Add(ref to, j) = Unsafe.Add(ref from, j % period);
            }
        }
    }

    /// <summary>
    /// <paramref name="count"/> runs of <paramref name="length"/> floats folded into rows of
    /// <paramref name="period"/>: target[m][c] = the sum of source[m][j] over j with j mod period = c.
    /// </summary>
    public static void Fold(ref float source, ref float target, int count, int period, int length)
    {
        for (var m = 0; m < count; m++)
        {
            ref var from = ref Unsafe.Add(ref source, (nint)m * length);
            ref var to = ref Unsafe.Add(ref target, (nint)m * period);
            for (var c = 0; c < period; c++)
            {
                var sum = 0f;
                for (var j = c; j < length; j += period)
                {
                    sum += Unsafe.Add(ref from, j);
                }

                Unsafe.Add(ref to, c) = sum;
            }
        }
    }
}
