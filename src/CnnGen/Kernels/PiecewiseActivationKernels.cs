using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnGen.Kernels;

/// <summary>
/// Relu6, hard sigmoid, hard swish and gelu (exact, with erf) over a run of floats, forward
/// and backward, at the widest vector width the machine accelerates (512, 256 or 128 bits)
/// with a scalar tail and a scalar fallback. Each activation is a struct whose static methods
/// the generic loops call, so the JIT specialises one loop per activation and width.
/// Edge conventions follow PyTorch: the derivative of relu6 is 0 at 0 and 6, of hard sigmoid
/// 0 at -3 and 3, of hard swish (2x + 3) / 6 on [-3, 3) (so -0.5 at -3 and 1 at 3), as
/// PyTorch 1.13's autograd gives.
/// </summary>
internal static class PiecewiseActivationKernels
{
    public static void Forward(Activation activation, ref float z, ref float y, int length)
    {
        switch (activation)
        {
            case Activation.Relu6:
                Map<Relu6>(ref z, ref y, length);
                break;
            case Activation.HardSigmoid:
                Map<HardSigmoid>(ref z, ref y, length);
                break;
            case Activation.HardSwish:
                Map<HardSwish>(ref z, ref y, length);
                break;
            case Activation.Gelu:
                Map<Gelu>(ref z, ref y, length);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, null);
        }
    }

    /// <summary>
    /// dz = dy * f'(z); dz may be dy (in place). Relu6 and hard sigmoid read their slope from
    /// the output <paramref name="y"/> (the generated code fuses them into a layer's store, so
    /// no pre-activation is kept); hard swish and gelu from the pre-activation <paramref name="z"/>.
    /// </summary>
    public static void Backward(Activation activation, ref float z, ref float y, ref float dy, ref float dz, int length)
    {
        switch (activation)
        {
            case Activation.Relu6:
                // 0 < y < 6 exactly when 0 < z < 6.
                Chain<Relu6>(ref y, ref dy, ref dz, length);
                break;
            case Activation.HardSigmoid:
                Chain<HardSigmoid>(ref y, ref dy, ref dz, length);
                break;
            case Activation.HardSwish:
                Chain<HardSwish>(ref z, ref dy, ref dz, length);
                break;
            case Activation.Gelu:
                Chain<Gelu>(ref z, ref dy, ref dz, length);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, null);
        }
    }

    /// <summary>erf over a run of floats (the same code gelu uses), for tests of its accuracy.</summary>
    public static void Erf(ReadOnlySpan<float> x, Span<float> y) =>
        Map<ErfFunction>(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), Math.Min(x.Length, y.Length));

    /// <summary>
    /// True where the 128-bit vector exp runs in hardware: everywhere but x86 without FMA (SSE4 or
    /// AVX only), where .NET emulates it lane by lane at about 25 ns per float, ten times the
    /// scalar MathF.Exp. (The 128-bit exp of doubles is emulated even with FMA, about 70 ns per
    /// float, so the functions computed in doubles never take their 128-bit form.)
    /// </summary>
    internal static readonly bool FloatExp128 = !X86Base.IsSupported || Fma.IsSupported;

    /// <summary>f's scalar form on each lane: the 128-bit form of the functions that compute in doubles (see <see cref="FloatExp128"/>).</summary>
    internal static Vector128<float> Lanewise<TFunction>(Vector128<float> x)
        where TFunction : struct, IElementFunction =>
        Vector128.Create(TFunction.Value(x.GetElement(0)), TFunction.Value(x.GetElement(1)), TFunction.Value(x.GetElement(2)), TFunction.Value(x.GetElement(3)));

    /// <summary>y = f(z) over a run at the widest accelerated width, the scalar form for the tail.</summary>
    internal static void Map<TFunction>(ref float z, ref float y, int length)
        where TFunction : struct, IElementFunction
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + Vector512<float>.Count <= length; i += Vector512<float>.Count)
            {
                TFunction.Value(Vector512.LoadUnsafe(ref z, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<float>.Count <= length; i += Vector256<float>.Count)
            {
                TFunction.Value(Vector256.LoadUnsafe(ref z, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated && TFunction.Vector128Value)
        {
            for (; i + Vector128<float>.Count <= length; i += Vector128<float>.Count)
            {
                TFunction.Value(Vector128.LoadUnsafe(ref z, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref y, i) = TFunction.Value(Unsafe.Add(ref z, i));
        }
    }

    /// <summary>dz = dy * Slope(z) over a run (z is the output for the activations whose slopes read it); dz may be dy.</summary>
    internal static void Chain<TFunction>(ref float z, ref float dy, ref float dz, int length)
        where TFunction : struct, IActivationFunction
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + Vector512<float>.Count <= length; i += Vector512<float>.Count)
            {
                (Vector512.LoadUnsafe(ref dy, (nuint)i) * TFunction.Slope(Vector512.LoadUnsafe(ref z, (nuint)i))).StoreUnsafe(ref dz, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<float>.Count <= length; i += Vector256<float>.Count)
            {
                (Vector256.LoadUnsafe(ref dy, (nuint)i) * TFunction.Slope(Vector256.LoadUnsafe(ref z, (nuint)i))).StoreUnsafe(ref dz, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated && TFunction.Vector128Slope)
        {
            for (; i + Vector128<float>.Count <= length; i += Vector128<float>.Count)
            {
                (Vector128.LoadUnsafe(ref dy, (nuint)i) * TFunction.Slope(Vector128.LoadUnsafe(ref z, (nuint)i))).StoreUnsafe(ref dz, (nuint)i);
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref dz, i) = Unsafe.Add(ref dy, i) * TFunction.Slope(Unsafe.Add(ref z, i));
        }
    }

    /// <summary>f at every width; the vector and scalar forms compute the same operations.</summary>
    internal interface IElementFunction
    {
        /// <summary>True when the 128-bit form of Value beats the scalar one on this machine (see <see cref="FloatExp128"/>).</summary>
        static abstract bool Vector128Value { get; }

        static abstract float Value(float x);
        static abstract Vector128<float> Value(Vector128<float> x);
        static abstract Vector256<float> Value(Vector256<float> x);
        static abstract Vector512<float> Value(Vector512<float> x);
    }

    /// <summary>f and f' at every width.</summary>
    internal interface IActivationFunction : IElementFunction
    {
        /// <summary>True when the 128-bit form of Slope beats the scalar one on this machine.</summary>
        static abstract bool Vector128Slope { get; }

        static abstract float Slope(float x);
        static abstract Vector128<float> Slope(Vector128<float> x);
        static abstract Vector256<float> Slope(Vector256<float> x);
        static abstract Vector512<float> Slope(Vector512<float> x);
    }

    /// <summary>min(max(x, 0), 6); slope 1 on (0, 6), else 0.</summary>
    private struct Relu6 : IActivationFunction
    {
        public static bool Vector128Value => true;
        public static bool Vector128Slope => true;

        public static float Value(float x) => MathF.Min(MathF.Max(x, 0f), 6f);
        public static Vector128<float> Value(Vector128<float> x) => Vector128.Min(Vector128.Max(x, Vector128<float>.Zero), Vector128.Create(6f));
        public static Vector256<float> Value(Vector256<float> x) => Vector256.Min(Vector256.Max(x, Vector256<float>.Zero), Vector256.Create(6f));
        public static Vector512<float> Value(Vector512<float> x) => Vector512.Min(Vector512.Max(x, Vector512<float>.Zero), Vector512.Create(6f));
        public static float Slope(float x) => x > 0f && x < 6f ? 1f : 0f;
        public static Vector128<float> Slope(Vector128<float> x) =>
            (Vector128.GreaterThan(x, Vector128<float>.Zero) & Vector128.LessThan(x, Vector128.Create(6f))) & Vector128<float>.One;
        public static Vector256<float> Slope(Vector256<float> x) =>
            (Vector256.GreaterThan(x, Vector256<float>.Zero) & Vector256.LessThan(x, Vector256.Create(6f))) & Vector256<float>.One;
        public static Vector512<float> Slope(Vector512<float> x) =>
            (Vector512.GreaterThan(x, Vector512<float>.Zero) & Vector512.LessThan(x, Vector512.Create(6f))) & Vector512<float>.One;
    }

    /// <summary>
    /// relu6(x + 3) / 6 (PyTorch's and Keras 3's, not Keras 2's 0.2 x + 0.5). Its Slope takes the
    /// output y: 1/6 where 0 &lt; y &lt; 1 (x in (-3, 3)), else 0, so 0 at x = -3 and 3 as PyTorch's.
    /// </summary>
    private struct HardSigmoid : IActivationFunction
    {
        public static bool Vector128Value => true;
        public static bool Vector128Slope => true;

        public static float Value(float x) => Relu6.Value(x + 3f) / 6f;
        public static Vector128<float> Value(Vector128<float> x) => Relu6.Value(x + Vector128.Create(3f)) / Vector128.Create(6f);
        public static Vector256<float> Value(Vector256<float> x) => Relu6.Value(x + Vector256.Create(3f)) / Vector256.Create(6f);
        public static Vector512<float> Value(Vector512<float> x) => Relu6.Value(x + Vector512.Create(3f)) / Vector512.Create(6f);
        public static float Slope(float y) => y > 0f && y < 1f ? 1f / 6f : 0f;
        public static Vector128<float> Slope(Vector128<float> y) =>
            (Vector128.GreaterThan(y, Vector128<float>.Zero) & Vector128.LessThan(y, Vector128<float>.One)) & Vector128.Create(1f / 6f);
        public static Vector256<float> Slope(Vector256<float> y) =>
            (Vector256.GreaterThan(y, Vector256<float>.Zero) & Vector256.LessThan(y, Vector256<float>.One)) & Vector256.Create(1f / 6f);
        public static Vector512<float> Slope(Vector512<float> y) =>
            (Vector512.GreaterThan(y, Vector512<float>.Zero) & Vector512.LessThan(y, Vector512<float>.One)) & Vector512.Create(1f / 6f);
    }

    /// <summary>x relu6(x + 3) / 6; slope 0 below -3, x / 3 + 1/2 on [-3, 3), 1 from 3 (PyTorch's hardswish_backward).</summary>
    internal struct HardSwish : IActivationFunction
    {
        public static bool Vector128Value => true;
        public static bool Vector128Slope => true;

        public static float Value(float x) => x * Relu6.Value(x + 3f) / 6f;
        public static Vector128<float> Value(Vector128<float> x) => x * Relu6.Value(x + Vector128.Create(3f)) / Vector128.Create(6f);
        public static Vector256<float> Value(Vector256<float> x) => x * Relu6.Value(x + Vector256.Create(3f)) / Vector256.Create(6f);
        public static Vector512<float> Value(Vector512<float> x) => x * Relu6.Value(x + Vector512.Create(3f)) / Vector512.Create(6f);
        public static float Slope(float x) => x < -3f ? 0f : x < 3f ? x / 3f + 0.5f : 1f;
        public static Vector128<float> Slope(Vector128<float> x) =>
            Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(-3f)), Vector128<float>.Zero,
                Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(3f)), x / Vector128.Create(3f) + Vector128.Create(0.5f), Vector128<float>.One));
        public static Vector256<float> Slope(Vector256<float> x) =>
            Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(-3f)), Vector256<float>.Zero,
                Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(3f)), x / Vector256.Create(3f) + Vector256.Create(0.5f), Vector256<float>.One));
        public static Vector512<float> Slope(Vector512<float> x) =>
            Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(-3f)), Vector512<float>.Zero,
                Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(3f)), x / Vector512.Create(3f) + Vector512.Create(0.5f), Vector512<float>.One));
    }

    /// <summary>
    /// x Phi(x) = 0.5 x (1 + erf(x / sqrt 2)), PyTorch's exact gelu; slope
    /// Phi(x) + x exp(-x^2 / 2) / sqrt(2 pi). 1 + erf comes from FloatErf.OnePlus, which keeps its
    /// relative accuracy in the left tail, where 1 + erf would cancel.
    /// </summary>
    internal struct Gelu : IActivationFunction
    {
        public static bool Vector128Value => FloatExp128;
        public static bool Vector128Slope => FloatExp128;

        private const float InverseSqrt2 = 0.707106781f;
        private const float InverseSqrt2Pi = 0.398942280f;

        public static float Value(float x) => 0.5f * x * FloatErf.OnePlus(x * InverseSqrt2);
        public static Vector128<float> Value(Vector128<float> x) => Vector128.Create(0.5f) * x * FloatErf.OnePlus(x * Vector128.Create(InverseSqrt2));
        public static Vector256<float> Value(Vector256<float> x) => Vector256.Create(0.5f) * x * FloatErf.OnePlus(x * Vector256.Create(InverseSqrt2));
        public static Vector512<float> Value(Vector512<float> x) => Vector512.Create(0.5f) * x * FloatErf.OnePlus(x * Vector512.Create(InverseSqrt2));

        public static float Slope(float x) => 0.5f * FloatErf.OnePlus(x * InverseSqrt2) + x * MathF.Exp(-0.5f * x * x) * InverseSqrt2Pi;
        public static Vector128<float> Slope(Vector128<float> x) =>
            Vector128.Create(0.5f) * FloatErf.OnePlus(x * Vector128.Create(InverseSqrt2)) + x * Vector128.Exp(Vector128.Create(-0.5f) * x * x) * Vector128.Create(InverseSqrt2Pi);
        public static Vector256<float> Slope(Vector256<float> x) =>
            Vector256.Create(0.5f) * FloatErf.OnePlus(x * Vector256.Create(InverseSqrt2)) + x * Vector256.Exp(Vector256.Create(-0.5f) * x * x) * Vector256.Create(InverseSqrt2Pi);
        public static Vector512<float> Slope(Vector512<float> x) =>
            Vector512.Create(0.5f) * FloatErf.OnePlus(x * Vector512.Create(InverseSqrt2)) + x * Vector512.Exp(Vector512.Create(-0.5f) * x * x) * Vector512.Create(InverseSqrt2Pi);
    }

    /// <summary>erf as an element function, for Erf(span).</summary>
    private struct ErfFunction : IElementFunction
    {
        public static bool Vector128Value => FloatExp128;

        public static float Value(float x) => FloatErf.Value(x);
        public static Vector128<float> Value(Vector128<float> x) => FloatErf.Value(x);
        public static Vector256<float> Value(Vector256<float> x) => FloatErf.Value(x);
        public static Vector512<float> Value(Vector512<float> x) => FloatErf.Value(x);
    }
}
