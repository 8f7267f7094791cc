using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CnnGen.Kernels;

/// <summary>
/// Activations that need exp (elu, sigmoid, tanh, softplus, silu, softmax) and those of
/// PiecewiseActivationKernels (relu6, hard sigmoid, hard swish, gelu), applied over a run of
/// floats by the generated code, and their derivatives for the backward pass, all in vectors
/// at the widest accelerated width with a scalar tail. Sigmoid and silu run in float32 vectors
/// (the vector exp); elu, softplus and tanh in double-precision vectors rounded once (FloatTanh),
/// whose float32 forms cancel near 0. Where a 128-bit exp is emulated (doubles everywhere, floats
/// on x86 without FMA: PiecewiseActivationKernels.FloatExp128), the scalar form runs instead.
/// Linear, relu and leaky relu are fused into the generated kernels instead.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ActivationKernels
{
    /// <summary>The Keras default slope of leaky relu.</summary>
    public const float LeakyReluSlope = 0.3f;

    /// <summary>y = f(z) element-wise over <paramref name="length"/> floats (not softmax).</summary>
    public static void Forward(Activation activation, ref float z, ref float y, int length)
    {
        var source = MemoryMarshal.CreateReadOnlySpan(ref z, length);
        var target = MemoryMarshal.CreateSpan(ref y, length);
        switch (activation)
        {
            case Activation.Linear:
                source.CopyTo(target);
                break;
            case Activation.Relu:
            {
                var i = 0;
                for (; i + Vector<float>.Count <= length; i += Vector<float>.Count)
                {
                    Vector.Max(new Vector<float>(source.Slice(i)), Vector<float>.Zero).CopyTo(target.Slice(i));
                }

                for (; i < length; i++)
                {
                    target[i] = MathF.Max(source[i], 0f);
                }

                break;
            }

            case Activation.LeakyRelu:
            {
                var i = 0;
                for (; i + Vector<float>.Count <= length; i += Vector<float>.Count)
                {
                    var v = new Vector<float>(source.Slice(i));
                    Vector.Max(v, v * LeakyReluSlope).CopyTo(target.Slice(i));
                }

                for (; i < length; i++)
                {
                    var v = source[i];
                    target[i] = v > 0f ? v : v * LeakyReluSlope;
                }

                break;
            }
            case Activation.Elu:
                PiecewiseActivationKernels.Map<EluFunction>(ref z, ref y, length);
                break;
            case Activation.Sigmoid:
                PiecewiseActivationKernels.Map<SigmoidFunction>(ref z, ref y, length);
                break;
            case Activation.Tanh:
                PiecewiseActivationKernels.Map<TanhFunction>(ref z, ref y, length);
                break;
            case Activation.Softplus:
                PiecewiseActivationKernels.Map<SoftplusFunction>(ref z, ref y, length);
                break;
            case Activation.Silu:
                PiecewiseActivationKernels.Map<SiluFunction>(ref z, ref y, length);
                break;
            case Activation.Relu6 or Activation.HardSigmoid or Activation.HardSwish or Activation.Gelu:
                PiecewiseActivationKernels.Forward(activation, ref z, ref y, length);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Softmax runs through Softmax().");
        }
    }

    /// <summary>Softmax over groups of <paramref name="channels"/> consecutive floats, stable (the maximum is subtracted).</summary>
    public static void Softmax(ref float z, ref float y, int positions, int channels)
    {
        for (var p = 0; p < positions; p++)
        {
            var source = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref z, p * channels), channels);
            var target = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref y, p * channels), channels);
            var max = float.NegativeInfinity;
            foreach (var v in source)
            {
                max = MathF.Max(max, v);
            }

            var sum = 0.0;
            for (var c = 0; c < channels; c++)
            {
                var e = MathF.Exp(source[c] - max);
                target[c] = e;
                sum += e;
            }

            var scale = (float)(1.0 / sum);
            for (var c = 0; c < channels; c++)
            {
                target[c] *= scale;
            }
        }
    }

    /// <summary>
    /// dz = dy * f'(z) element-wise, from the output y (and the pre-activation z for softplus,
    /// silu, hard swish and gelu).
    /// Not softmax.
    /// </summary>
    public static void Backward(Activation activation, ref float z, ref float y, ref float dy, ref float dz, int length)
    {
        var ys = MemoryMarshal.CreateReadOnlySpan(ref y, length);
        var dys = MemoryMarshal.CreateReadOnlySpan(ref dy, length);
        var dzs = MemoryMarshal.CreateSpan(ref dz, length);
        switch (activation)
        {
            case Activation.Linear:
                dys.CopyTo(dzs);
                break;
            case Activation.Relu:
            {
                // Vectors: the derivative is a mask, so the pass runs at memory speed.
                var i = 0;
                for (; i + Vector<float>.Count <= length; i += Vector<float>.Count)
                {
                    var positive = Vector.GreaterThan(new Vector<float>(ys.Slice(i)), Vector<float>.Zero);
                    Vector.ConditionalSelect(positive, new Vector<float>(dys.Slice(i)), Vector<float>.Zero).CopyTo(dzs.Slice(i));
                }

                for (; i < length; i++)
                {
                    dzs[i] = ys[i] > 0f ? dys[i] : 0f;
                }

                break;
            }

            case Activation.LeakyRelu:
            {
                var i = 0;
                for (; i + Vector<float>.Count <= length; i += Vector<float>.Count)
                {
                    var positive = Vector.GreaterThan(new Vector<float>(ys.Slice(i)), Vector<float>.Zero);
                    var g = new Vector<float>(dys.Slice(i));
                    Vector.ConditionalSelect(positive, g, g * LeakyReluSlope).CopyTo(dzs.Slice(i));
                }

                for (; i < length; i++)
                {
                    dzs[i] = ys[i] > 0f ? dys[i] : dys[i] * LeakyReluSlope;
                }

                break;
            }
            // Elu, sigmoid and tanh read their slopes from the output, softplus and silu from z.
            case Activation.Elu:
                PiecewiseActivationKernels.Chain<EluFunction>(ref y, ref dy, ref dz, length);
                break;
            case Activation.Sigmoid:
                PiecewiseActivationKernels.Chain<SigmoidFunction>(ref y, ref dy, ref dz, length);
                break;
            case Activation.Tanh:
                PiecewiseActivationKernels.Chain<TanhFunction>(ref y, ref dy, ref dz, length);
                break;
            case Activation.Softplus:
                PiecewiseActivationKernels.Chain<SoftplusFunction>(ref z, ref dy, ref dz, length);
                break;
            case Activation.Silu:
                PiecewiseActivationKernels.Chain<SiluFunction>(ref z, ref dy, ref dz, length);
                break;
            case Activation.Relu6 or Activation.HardSigmoid or Activation.HardSwish or Activation.Gelu:
                PiecewiseActivationKernels.Backward(activation, ref z, ref y, ref dy, ref dz, length);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Softmax runs through SoftmaxBackward().");
        }
    }

    /// <summary>dz_c = y_c (dy_c - sum_k dy_k y_k) per group of channels.</summary>
    public static void SoftmaxBackward(ref float y, ref float dy, ref float dz, int positions, int channels)
    {
        for (var p = 0; p < positions; p++)
        {
            var ys = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref y, p * channels), channels);
            var dys = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref dy, p * channels), channels);
            var dzs = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref dz, p * channels), channels);
            var dot = 0.0;
            for (var c = 0; c < channels; c++)
            {
                dot += (double)dys[c] * ys[c];
            }

            for (var c = 0; c < channels; c++)
            {
                dzs[c] = ys[c] * (float)(dys[c] - dot);
            }
        }
    }

    /// <summary>1 / (1 + exp(-x)), without overflow for large |x|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => x >= 0f ? 1f / (1f + MathF.Exp(-x)) : MathF.Exp(x) / (1f + MathF.Exp(x));

    /// <summary>
    /// 1 / (1 + exp(-x)) in vectors (exp(-x) overflows to infinity for x below about -88, giving
    /// 0 as it should), the scalar form for the tail. Its slope takes the output: y (1 - y).
    /// </summary>
    internal struct SigmoidFunction : PiecewiseActivationKernels.IActivationFunction
    {
        public static bool Vector128Value => PiecewiseActivationKernels.FloatExp128;
        public static bool Vector128Slope => true;

        public static float Value(float x) => Sigmoid(x);
        public static Vector128<float> Value(Vector128<float> x) => Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-x));
        public static Vector256<float> Value(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));
        public static Vector512<float> Value(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x));
        public static float Slope(float y) => y * (1f - y);
        public static Vector128<float> Slope(Vector128<float> y) => y * (Vector128<float>.One - y);
        public static Vector256<float> Slope(Vector256<float> y) => y * (Vector256<float>.One - y);
        public static Vector512<float> Slope(Vector512<float> y) => y * (Vector512<float>.One - y);
    }

    /// <summary>x sigmoid(x), as x / (1 + exp(-x)) in vectors; its slope takes z: s (1 + z (1 - s)) with s = sigmoid(z).</summary>
    internal struct SiluFunction : PiecewiseActivationKernels.IActivationFunction
    {
        public static bool Vector128Value => PiecewiseActivationKernels.FloatExp128;
        public static bool Vector128Slope => PiecewiseActivationKernels.FloatExp128;

        public static float Value(float x) => x * Sigmoid(x);
        public static Vector128<float> Value(Vector128<float> x) => x / (Vector128<float>.One + Vector128.Exp(-x));
        public static Vector256<float> Value(Vector256<float> x) => x / (Vector256<float>.One + Vector256.Exp(-x));
        public static Vector512<float> Value(Vector512<float> x) => x / (Vector512<float>.One + Vector512.Exp(-x));

        public static float Slope(float z)
        {
            var s = Sigmoid(z);
            return s * (1f + z * (1f - s));
        }

        public static Vector128<float> Slope(Vector128<float> z)
        {
            var s = SigmoidFunction.Value(z);
            return s * (Vector128<float>.One + z * (Vector128<float>.One - s));
        }

        public static Vector256<float> Slope(Vector256<float> z)
        {
            var s = SigmoidFunction.Value(z);
            return s * (Vector256<float>.One + z * (Vector256<float>.One - s));
        }

        public static Vector512<float> Slope(Vector512<float> z)
        {
            var s = SigmoidFunction.Value(z);
            return s * (Vector512<float>.One + z * (Vector512<float>.One - s));
        }
    }

    /// <summary>tanh (FloatTanh at every width); its slope takes the output: 1 - y^2.</summary>
    internal struct TanhFunction : PiecewiseActivationKernels.IActivationFunction
    {
        public static bool Vector128Value => false; // in doubles
        public static bool Vector128Slope => true;

        public static float Value(float x) => FloatTanh.Value(x);
        public static Vector128<float> Value(Vector128<float> x) => PiecewiseActivationKernels.Lanewise<TanhFunction>(x);
        public static Vector256<float> Value(Vector256<float> x) => FloatTanh.Value(x);
        public static Vector512<float> Value(Vector512<float> x) => FloatTanh.Value(x);
        public static float Slope(float y) => 1f - y * y;
        public static Vector128<float> Slope(Vector128<float> y) => Vector128<float>.One - y * y;
        public static Vector256<float> Slope(Vector256<float> y) => Vector256<float>.One - y * y;
        public static Vector512<float> Slope(Vector512<float> y) => Vector512<float>.One - y * y;
    }

    /// <summary>
    /// x above 0, exp(x) - 1 below (alpha 1), as PyTorch's expm1: exp(x) - 1 in double precision,
    /// rounded to float once (in float32 the subtraction cancels near 0). Its slope takes the
    /// output: 1 above 0, y + 1 below.
    /// </summary>
    internal struct EluFunction : PiecewiseActivationKernels.IActivationFunction
    {
        public static bool Vector128Value => false; // exp in doubles
        public static bool Vector128Slope => true;

        public static float Value(float x) => x > 0f ? x : (float)(Math.Exp(x) - 1.0);

        public static Vector128<float> Value(Vector128<float> x) => PiecewiseActivationKernels.Lanewise<EluFunction>(x);

        public static Vector256<float> Value(Vector256<float> x)
        {
            var (lower, upper) = Vector256.Widen(x);
            return Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x,
                Vector256.Narrow(Vector256.Exp(lower) - Vector256<double>.One, Vector256.Exp(upper) - Vector256<double>.One));
        }

        public static Vector512<float> Value(Vector512<float> x)
        {
            var (lower, upper) = Vector512.Widen(x);
            return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x,
                Vector512.Narrow(Vector512.Exp(lower) - Vector512<double>.One, Vector512.Exp(upper) - Vector512<double>.One));
        }

        public static float Slope(float y) => y > 0f ? 1f : y + 1f;
        public static Vector128<float> Slope(Vector128<float> y) =>
            Vector128.ConditionalSelect(Vector128.GreaterThan(y, Vector128<float>.Zero), Vector128<float>.One, y + Vector128<float>.One);
        public static Vector256<float> Slope(Vector256<float> y) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<float>.Zero), Vector256<float>.One, y + Vector256<float>.One);
        public static Vector512<float> Slope(Vector512<float> y) =>
            Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<float>.Zero), Vector512<float>.One, y + Vector512<float>.One);
    }

    /// <summary>
    /// log(1 + exp(x)) as max(x, 0) + log(1 + exp(-|x|)), computed in double precision and
    /// rounded once, as the scalar form is (exp(-|x|) below 1e-8 is its own log1p to 5e-9); its
    /// slope takes z: sigmoid(z).
    /// </summary>
    internal struct SoftplusFunction : PiecewiseActivationKernels.IActivationFunction
    {
        public static bool Vector128Value => false; // in doubles
        public static bool Vector128Slope => PiecewiseActivationKernels.FloatExp128;

        public static float Value(float x) => ActivationKernels.Softplus(x);

        public static Vector128<float> Value(Vector128<float> x) => PiecewiseActivationKernels.Lanewise<SoftplusFunction>(x);

        public static Vector256<float> Value(Vector256<float> x)
        {
            var (lower, upper) = Vector256.Widen(x);
            return Vector256.Narrow(Softplus(lower), Softplus(upper));
        }

        public static Vector512<float> Value(Vector512<float> x)
        {
            var (lower, upper) = Vector512.Widen(x);
            return Vector512.Narrow(Softplus(lower), Softplus(upper));
        }

        private static Vector256<double> Softplus(Vector256<double> x)
        {
            var t = Vector256.Exp(-Vector256.Abs(x));
            return Vector256.Max(x, Vector256<double>.Zero) +
                Vector256.ConditionalSelect(Vector256.LessThan(t, Vector256.Create(1e-8)), t, Vector256.Log(Vector256<double>.One + t));
        }

        private static Vector512<double> Softplus(Vector512<double> x)
        {
            var t = Vector512.Exp(-Vector512.Abs(x));
            return Vector512.Max(x, Vector512<double>.Zero) +
                Vector512.ConditionalSelect(Vector512.LessThan(t, Vector512.Create(1e-8)), t, Vector512.Log(Vector512<double>.One + t));
        }

        public static float Slope(float z) => Sigmoid(z);
        public static Vector128<float> Slope(Vector128<float> z) => SigmoidFunction.Value(z);
        public static Vector256<float> Slope(Vector256<float> z) => SigmoidFunction.Value(z);
        public static Vector512<float> Slope(Vector512<float> z) => SigmoidFunction.Value(z);
    }

    /// <summary>log(1 + exp(x)), stable for large |x|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Softplus(float x) => x > 20f ? x : x < -20f ? MathF.Exp(x) : (float)Math.Log(1.0 + Math.Exp(x));
}
