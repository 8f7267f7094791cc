using System;
using System.Buffers;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CnnGen.Kernels;

/// <summary>
/// Batch normalisation, called by the generated code with the layer's sizes as constants.
/// Tensors are channels-last inside the workspace, so every kernel runs vectors over the
/// channels of one position (<see cref="Vector{T}"/>, whichever width the machine has) with
/// per-channel coefficients. Sums over samples and positions are taken per row in float
/// vectors and added into double per row, so a large batch loses no precision; statistics are
/// two-pass (mean, then squared deviations from it). Parameters: gamma (if scale) then beta
/// (if center); state: moving mean then moving variance, one per channel each. Work buffers
/// come from the shared array pool, so steady-state calls allocate nothing.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NormalizationKernels
{
    /// <summary>Inference: y = gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta.</summary>
    public static void Inference(ref float x, TensorRows xRows, ref float y, TensorRows yRows, ref float parameters, ref float state,
        int batch, int rowPositions, int channels, bool scale, bool center, float epsilon)
    {
        var buffer = ArrayPool<float>.Shared.Rent(2 * channels);
        try
        {
            var a = buffer.AsSpan(0, channels);
            var b = buffer.AsSpan(channels, channels);
            InferenceAffine(ref parameters, ref state, channels, scale, center, epsilon, a, b);
            Affine(ref x, xRows, ref y, yRows, batch, rowPositions, channels, a, b);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Inference folded into the layer before the normalisation: writes that layer's bias (or
    /// zeros when it has none), then the scale a = gamma / sqrt(moving_variance + epsilon) and
    /// the shift b = beta - moving_mean * a of each channel, 3 x <paramref name="channels"/>
    /// floats at <paramref name="destination"/>. The layer's stores compute sum * a + b (the
    /// sum including its bias), the same affine map <see cref="Inference"/> applies.
    /// </summary>
    public static void Fold(ref float parameters, ref float state, ref float bias, bool hasBias, int channels, bool scale, bool center, float epsilon,
        ref float destination)
    {
        var target = MemoryMarshal.CreateSpan(ref destination, 3 * channels);
        if (hasBias)
        {
            MemoryMarshal.CreateReadOnlySpan(ref bias, channels).CopyTo(target);
        }
        else
        {
            target.Slice(0, channels).Clear();
        }

        InferenceAffine(ref parameters, ref state, channels, scale, center, epsilon, target.Slice(channels, channels), target.Slice(2 * channels, channels));
    }

    /// <summary>
    /// y = x * a + b per channel with the scales a and shifts b that <see cref="Fold"/> wrote
    /// (at <paramref name="scales"/> and <paramref name="scales"/> + channels): a batch
    /// normalisation folded into the layer before it, where that layer's sums are not stored
    /// by a kernel of its own (a transposed convolution's, which it adds up in place). The same
    /// floats as <see cref="Inference"/>.
    /// </summary>
    public static void ScaleShift(ref float x, TensorRows xRows, ref float y, TensorRows yRows, ref float scales, int batch, int rowPositions, int channels) =>
        Affine(ref x, xRows, ref y, yRows, batch, rowPositions, channels, MemoryMarshal.CreateReadOnlySpan(ref scales, channels),
            MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref scales, channels), channels));

    /// <summary>The per-channel map of inference, y = x * a + b, from gamma, beta and the moving statistics.</summary>
    private static void InferenceAffine(ref float parameters, ref float state, int channels, bool scale, bool center, float epsilon, Span<float> a, Span<float> b)
    {
        for (var c = 0; c < channels; c++)
        {
            var inverse = 1.0 / Math.Sqrt((double)Unsafe.Add(ref state, channels + c) + epsilon);
            var gain = Gamma(ref parameters, c, scale) * inverse;
            a[c] = (float)gain;
            b[c] = (float)(Beta(ref parameters, c, channels, scale, center) - Unsafe.Add(ref state, c) * gain);
        }
    }

    /// <summary>
    /// Training: normalises with the batch's mean and biased variance over samples and positions,
    /// then updates the moving statistics: moving = moving * momentum + batch * (1 - momentum),
    /// with the unbiased variance (N / (N - 1) times the biased one).
    /// </summary>
    public static void Training(ref float x, TensorRows xRows, ref float y, TensorRows yRows, ref float parameters, ref float state,
        int batch, int rowPositions, int channels, bool scale, bool center, float epsilon, float momentum)
    {
        var floats = ArrayPool<float>.Shared.Rent(4 * channels);
        var doubles = ArrayPool<double>.Shared.Rent(2 * channels);
        try
        {
            var mean = doubles.AsSpan(0, channels);
            var variance = doubles.AsSpan(channels, channels);
            var count = Statistics(ref x, xRows, batch, rowPositions, channels, mean, variance, floats.AsSpan(0, 2 * channels));
            var a = floats.AsSpan(2 * channels, channels);
            var b = floats.AsSpan(3 * channels, channels);
            for (var c = 0; c < channels; c++)
            {
                var gain = Gamma(ref parameters, c, scale) / Math.Sqrt(variance[c] + epsilon);
                a[c] = (float)gain;
                b[c] = (float)(Beta(ref parameters, c, channels, scale, center) - mean[c] * gain);
            }

            Affine(ref x, xRows, ref y, yRows, batch, rowPositions, channels, a, b);

            // The moving statistics, once per call, from this batch's statistics.
            var keep = (double)momentum;
            var bessel = count > 1 ? count / (count - 1.0) : 1.0;
            for (var c = 0; c < channels; c++)
            {
                ref var movingMean = ref Unsafe.Add(ref state, c);
                ref var movingVariance = ref Unsafe.Add(ref state, channels + c);
                movingMean = (float)(movingMean * keep + mean[c] * (1.0 - keep));
                movingVariance = (float)(movingVariance * keep + variance[c] * bessel * (1.0 - keep));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(floats);
            ArrayPool<double>.Shared.Return(doubles);
        }
    }

    /// <summary>
    /// Backward in training mode, through the batch statistics (recomputed from x, exactly as
    /// Forward computed them): dgamma = sum(dy * xhat), dbeta = sum(dy), and, when
    /// <paramref name="inputGradient"/>, dx = gamma / sigma * (dy - mean(dy) - xhat * mean(dy * xhat)).
    /// Writes (does not add) the parameter gradients and dx.
    /// </summary>
    public static void TrainingBackward(ref float x, TensorRows xRows, ref float dy, TensorRows dyRows, ref float dx, TensorRows dxRows,
        ref float parameters, ref float gradients, int batch, int rowPositions, int channels, bool scale, bool center, float epsilon, bool inputGradient)
    {
        var floats = ArrayPool<float>.Shared.Rent(6 * channels);
        var doubles = ArrayPool<double>.Shared.Rent(4 * channels);
        try
        {
            var mean = doubles.AsSpan(0, channels);
            var variance = doubles.AsSpan(channels, channels);
            var count = Statistics(ref x, xRows, batch, rowPositions, channels, mean, variance, floats.AsSpan(0, 2 * channels));
            var sumDy = doubles.AsSpan(2 * channels, channels);
            var sumDyCentred = doubles.AsSpan(3 * channels, channels);
            var centre = floats.AsSpan(0, channels);
            for (var c = 0; c < channels; c++)
            {
                centre[c] = (float)mean[c];
            }

            GradientSums(ref x, xRows, ref dy, dyRows, batch, rowPositions, channels, centre, sumDy, sumDyCentred, floats.AsSpan(channels, 2 * channels));
            var a = floats.AsSpan(3 * channels, channels);
            var b = floats.AsSpan(4 * channels, channels);
            var d = floats.AsSpan(5 * channels, channels);
            for (var c = 0; c < channels; c++)
            {
                var inverse = 1.0 / Math.Sqrt(variance[c] + epsilon);
                var gamma = Gamma(ref parameters, c, scale);
                WriteGradients(ref gradients, c, channels, scale, center, sumDyCentred[c] * inverse, sumDy[c]);

                // dx = A dy + B (x - mean) + D, with A = gamma / sigma, B = -gamma / sigma^3 * sum(dy (x - mean)) / N,
                // D = -A * sum(dy) / N (x centred first: no cancellation between B x and B mean).
                var gain = gamma * inverse;
                a[c] = (float)gain;
                b[c] = (float)(-gamma * inverse * inverse * inverse * sumDyCentred[c] / count);
                d[c] = (float)(-gain * sumDy[c] / count);
            }

            if (inputGradient)
            {
                InputGradient(ref x, xRows, ref dy, dyRows, ref dx, dxRows, batch, rowPositions, channels, centre, a, b, d);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(floats);
            ArrayPool<double>.Shared.Return(doubles);
        }
    }

    /// <summary>
    /// Backward in inference mode, where the layer is a fixed affine map per channel: dx = dy * gamma / sqrt(moving_variance + epsilon),
    /// dgamma = sum(dy * (x - moving_mean) / sqrt(moving_variance + epsilon)), dbeta = sum(dy).
    /// </summary>
    public static void InferenceBackward(ref float x, TensorRows xRows, ref float dy, TensorRows dyRows, ref float dx, TensorRows dxRows,
        ref float parameters, ref float state, ref float gradients, int batch, int rowPositions, int channels, bool scale, bool center, float epsilon,
        bool inputGradient)
    {
        var floats = ArrayPool<float>.Shared.Rent(6 * channels);
        var doubles = ArrayPool<double>.Shared.Rent(2 * channels);
        try
        {
            var sumDy = doubles.AsSpan(0, channels);
            var sumDyCentred = doubles.AsSpan(channels, channels);
            var centre = floats.AsSpan(0, channels);
            for (var c = 0; c < channels; c++)
            {
                centre[c] = Unsafe.Add(ref state, c);
            }

            GradientSums(ref x, xRows, ref dy, dyRows, batch, rowPositions, channels, centre, sumDy, sumDyCentred, floats.AsSpan(channels, 2 * channels));
            var a = floats.AsSpan(3 * channels, channels);
            var b = floats.AsSpan(4 * channels, channels);
            var d = floats.AsSpan(5 * channels, channels);
            for (var c = 0; c < channels; c++)
            {
                var inverse = 1.0 / Math.Sqrt((double)Unsafe.Add(ref state, channels + c) + epsilon);
                WriteGradients(ref gradients, c, channels, scale, center, sumDyCentred[c] * inverse, sumDy[c]);
                a[c] = (float)(Gamma(ref parameters, c, scale) * inverse);
                b[c] = 0f;
                d[c] = 0f;
            }

            if (inputGradient)
            {
                InputGradient(ref x, xRows, ref dy, dyRows, ref dx, dxRows, batch, rowPositions, channels, centre, a, b, d);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(floats);
            ArrayPool<double>.Shared.Return(doubles);
        }
    }

    private static double Gamma(ref float parameters, int c, bool scale) => scale ? Unsafe.Add(ref parameters, c) : 1.0;

    private static double Beta(ref float parameters, int c, int channels, bool scale, bool center) =>
        center ? Unsafe.Add(ref parameters, (scale ? channels : 0) + c) : 0.0;

    private static void WriteGradients(ref float gradients, int c, int channels, bool scale, bool center, double gamma, double beta)
    {
        if (scale)
        {
            Unsafe.Add(ref gradients, c) = (float)gamma;
        }

        if (center)
        {
            Unsafe.Add(ref gradients, (scale ? channels : 0) + c) = (float)beta;
        }
    }

    /// <summary>Per channel: the mean and the biased variance over every sample and position; returns their count.</summary>
    private static long Statistics(ref float x, TensorRows xRows, int batch, int rowPositions, int channels, Span<double> mean, Span<double> variance,
        Span<float> work)
    {
        var rowSum = work[..channels];
        var centre = work.Slice(channels, channels);
        mean.Clear();
        variance.Clear();
        for (var n = 0; n < batch; n++)
        {
            for (var r = 0; r < xRows.Rows; r++)
            {
                ref var row = ref Unsafe.Add(ref x, xRows.At(n, r));
                rowSum.Clear();
                for (var p = 0; p < rowPositions; p++)
                {
                    AddInto(ref Unsafe.Add(ref row, p * channels), rowSum, channels);
                }

                for (var c = 0; c < channels; c++)
                {
                    mean[c] += rowSum[c];
                }
            }
        }

        long count = (long)batch * xRows.Rows * rowPositions;
        for (var c = 0; c < channels; c++)
        {
            mean[c] /= count;
            centre[c] = (float)mean[c];
        }

        for (var n = 0; n < batch; n++)
        {
            for (var r = 0; r < xRows.Rows; r++)
            {
                ref var row = ref Unsafe.Add(ref x, xRows.At(n, r));
                rowSum.Clear();
                for (var p = 0; p < rowPositions; p++)
                {
                    AddSquaredDeviations(ref Unsafe.Add(ref row, p * channels), centre, rowSum, channels);
                }

                for (var c = 0; c < channels; c++)
                {
                    variance[c] += rowSum[c];
                }
            }
        }

        for (var c = 0; c < channels; c++)
        {
            variance[c] /= count;
        }

        return count;
    }

    /// <summary>Per channel: sum(dy) and sum(dy * (x - centre)).</summary>
    private static void GradientSums(ref float x, TensorRows xRows, ref float dy, TensorRows dyRows, int batch, int rowPositions, int channels,
        ReadOnlySpan<float> centre, Span<double> sumDy, Span<double> sumDyCentred, Span<float> work)
    {
        var rowDy = work[..channels];
        var rowDyCentred = work.Slice(channels, channels);
        sumDy.Clear();
        sumDyCentred.Clear();
        for (var n = 0; n < batch; n++)
        {
            for (var r = 0; r < xRows.Rows; r++)
            {
                ref var xr = ref Unsafe.Add(ref x, xRows.At(n, r));
                ref var dyr = ref Unsafe.Add(ref dy, dyRows.At(n, r));
                rowDy.Clear();
                rowDyCentred.Clear();
                for (var p = 0; p < rowPositions; p++)
                {
                    ref var xp = ref Unsafe.Add(ref xr, p * channels);
                    ref var dyp = ref Unsafe.Add(ref dyr, p * channels);
                    var c = 0;
                    for (; c + Vector<float>.Count <= channels; c += Vector<float>.Count)
                    {
                        var g = Vector.LoadUnsafe(ref dyp, (nuint)c);
                        var centred = Vector.LoadUnsafe(ref xp, (nuint)c) - Vector.LoadUnsafe(ref Ref(centre), (nuint)c);
                        (Vector.LoadUnsafe(ref Ref(rowDy), (nuint)c) + g).StoreUnsafe(ref Ref(rowDy), (nuint)c);
                        (Vector.LoadUnsafe(ref Ref(rowDyCentred), (nuint)c) + g * centred).StoreUnsafe(ref Ref(rowDyCentred), (nuint)c);
                    }

                    for (; c < channels; c++)
                    {
                        var g = Unsafe.Add(ref dyp, c);
                        rowDy[c] += g;
                        rowDyCentred[c] += g * (Unsafe.Add(ref xp, c) - centre[c]);
                    }
                }

                for (var c = 0; c < channels; c++)
                {
                    sumDy[c] += rowDy[c];
                    sumDyCentred[c] += rowDyCentred[c];
                }
            }
        }
    }

    /// <summary>y = a * x + b per channel.</summary>
    private static void Affine(ref float x, TensorRows xRows, ref float y, TensorRows yRows, int batch, int rowPositions, int channels,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ref var ar = ref Ref(a);
        ref var br = ref Ref(b);
        for (var n = 0; n < batch; n++)
        {
            for (var r = 0; r < xRows.Rows; r++)
            {
                ref var xr = ref Unsafe.Add(ref x, xRows.At(n, r));
                ref var yr = ref Unsafe.Add(ref y, yRows.At(n, r));
                for (var p = 0; p < rowPositions; p++)
                {
                    ref var xp = ref Unsafe.Add(ref xr, p * channels);
                    ref var yp = ref Unsafe.Add(ref yr, p * channels);
                    var c = 0;
                    for (; c + Vector<float>.Count <= channels; c += Vector<float>.Count)
                    {
                        (Vector.LoadUnsafe(ref xp, (nuint)c) * Vector.LoadUnsafe(ref ar, (nuint)c) + Vector.LoadUnsafe(ref br, (nuint)c))
                            .StoreUnsafe(ref yp, (nuint)c);
                    }

                    for (; c < channels; c++)
                    {
                        Unsafe.Add(ref yp, c) = Unsafe.Add(ref xp, c) * a[c] + b[c];
                    }
                }
            }
        }
    }

    /// <summary>dx = a * dy + b * (x - centre) + d per channel.</summary>
    private static void InputGradient(ref float x, TensorRows xRows, ref float dy, TensorRows dyRows, ref float dx, TensorRows dxRows,
        int batch, int rowPositions, int channels, ReadOnlySpan<float> centre, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> d)
    {
        ref var mr = ref Ref(centre);
        ref var ar = ref Ref(a);
        ref var br = ref Ref(b);
        ref var dr = ref Ref(d);
        for (var n = 0; n < batch; n++)
        {
            for (var r = 0; r < xRows.Rows; r++)
            {
                ref var xr = ref Unsafe.Add(ref x, xRows.At(n, r));
                ref var dyr = ref Unsafe.Add(ref dy, dyRows.At(n, r));
                ref var dxr = ref Unsafe.Add(ref dx, dxRows.At(n, r));
                for (var p = 0; p < rowPositions; p++)
                {
                    ref var xp = ref Unsafe.Add(ref xr, p * channels);
                    ref var dyp = ref Unsafe.Add(ref dyr, p * channels);
                    ref var dxp = ref Unsafe.Add(ref dxr, p * channels);
                    var c = 0;
                    for (; c + Vector<float>.Count <= channels; c += Vector<float>.Count)
                    {
                        (Vector.LoadUnsafe(ref dyp, (nuint)c) * Vector.LoadUnsafe(ref ar, (nuint)c) +
                            (Vector.LoadUnsafe(ref xp, (nuint)c) - Vector.LoadUnsafe(ref mr, (nuint)c)) * Vector.LoadUnsafe(ref br, (nuint)c) +
                            Vector.LoadUnsafe(ref dr, (nuint)c))
                            .StoreUnsafe(ref dxp, (nuint)c);
                    }

                    for (; c < channels; c++)
                    {
                        Unsafe.Add(ref dxp, c) = Unsafe.Add(ref dyp, c) * a[c] + (Unsafe.Add(ref xp, c) - centre[c]) * b[c] + d[c];
                    }
                }
            }
        }
    }

    private static void AddInto(ref float values, Span<float> sum, int channels)
    {
        ref var s = ref Ref(sum);
        var c = 0;
        for (; c + Vector<float>.Count <= channels; c += Vector<float>.Count)
        {
            (Vector.LoadUnsafe(ref s, (nuint)c) + Vector.LoadUnsafe(ref values, (nuint)c)).StoreUnsafe(ref s, (nuint)c);
        }

        for (; c < channels; c++)
        {
            sum[c] += Unsafe.Add(ref values, c);
        }
    }

    private static void AddSquaredDeviations(ref float values, ReadOnlySpan<float> centre, Span<float> sum, int channels)
    {
        ref var s = ref Ref(sum);
        ref var m = ref Ref(centre);
        var c = 0;
        for (; c + Vector<float>.Count <= channels; c += Vector<float>.Count)
        {
            var deviation = Vector.LoadUnsafe(ref values, (nuint)c) - Vector.LoadUnsafe(ref m, (nuint)c);
            (Vector.LoadUnsafe(ref s, (nuint)c) + deviation * deviation).StoreUnsafe(ref s, (nuint)c);
        }

        for (; c < channels; c++)
        {
            var deviation = Unsafe.Add(ref values, c) - centre[c];
            sum[c] += deviation * deviation;
        }
    }

    private static ref float Ref(ReadOnlySpan<float> span) => ref System.Runtime.InteropServices.MemoryMarshal.GetReference(span);

    private static ref float Ref(Span<float> span) => ref System.Runtime.InteropServices.MemoryMarshal.GetReference(span);
}
