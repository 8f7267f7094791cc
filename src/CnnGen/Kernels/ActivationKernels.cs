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
/// floats by the generated code, and their derivatives for the backward pass. Sigmoid and silu
/// run in vectors (the vector exp); the others' forms with exp are scalar.
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
                for (var i = 0; i < length; i++)
                {
                    var v = source[i];
                    target[i] = v > 0f ? v : MathF.Exp(v) - 1f;
                }

                break;
            case Activation.Sigmoid:
                PiecewiseActivationKernels.Map<SigmoidFunction>(ref z, ref y, length);
                break;
            case Activation.Tanh:
                for (var i = 0; i < length; i++)
                {
                    target[i] = MathF.Tanh(source[i]);
                }

                break;
            case Activation.Softplus:
                for (var i = 0; i < length; i++)
                {
                    target[i] = Softplus(source[i]);
                }

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
        var zs = MemoryMarshal.CreateReadOnlySpan(ref z, length);
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
            case Activation.Elu:
                for (var i = 0; i < length; i++)
                {
                    dzs[i] = ys[i] > 0f ? dys[i] : dys[i] * (ys[i] + 1f);
                }

                break;
            case Activation.Sigmoid:
                for (var i = 0; i < length; i++)
                {
                    dzs[i] = dys[i] * ys[i] * (1f - ys[i]);
                }

                break;
            case Activation.Tanh:
                for (var i = 0; i < length; i++)
                {
                    dzs[i] = dys[i] * (1f - ys[i] * ys[i]);
                }

                break;
            case Activation.Softplus:
                for (var i = 0; i < length; i++)
                {
                    dzs[i] = dys[i] * Sigmoid(zs[i]);
                }

                break;
            case Activation.Silu:
                for (var i = 0; i < length; i++)
                {
                    var s = Sigmoid(zs[i]);
                    dzs[i] = dys[i] * (s + zs[i] * s * (1f - s));
                }

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
    /// 0 as it should), the scalar form for the tail.
    /// </summary>
    internal struct SigmoidFunction : PiecewiseActivationKernels.IElementFunction
    {
        public static float Value(float x) => Sigmoid(x);
        public static Vector128<float> Value(Vector128<float> x) => Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-x));
        public static Vector256<float> Value(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));
        public static Vector512<float> Value(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x));
    }

    /// <summary>x sigmoid(x), as x / (1 + exp(-x)) in vectors.</summary>
    internal struct SiluFunction : PiecewiseActivationKernels.IElementFunction
    {
        public static float Value(float x) => x * Sigmoid(x);
        public static Vector128<float> Value(Vector128<float> x) => x / (Vector128<float>.One + Vector128.Exp(-x));
        public static Vector256<float> Value(Vector256<float> x) => x / (Vector256<float>.One + Vector256.Exp(-x));
        public static Vector512<float> Value(Vector512<float> x) => x / (Vector512<float>.One + Vector512.Exp(-x));
    }

    /// <summary>log(1 + exp(x)), stable for large |x|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Softplus(float x) => x > 20f ? x : x < -20f ? MathF.Exp(x) : (float)Math.Log(1.0 + Math.Exp(x));
}
