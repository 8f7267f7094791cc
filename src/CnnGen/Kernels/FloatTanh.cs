using System;
using System.Runtime.Intrinsics;

namespace CnnGen.Kernels;

/// <summary>
/// tanh of floats, computed in double precision at 256 and 512 bits (the 128-bit exp of
/// doubles is emulated, so 128 bits use the scalar form) and rounded once, so it is
/// within an ulp of the exact value as the C library's tanhf is (ExponentialActivationTests
/// measures it). Training through a batch normalisation subtracts nearly equal gradients, so
/// the float32 forms tried first (1.6 ulps) moved a PyTorch reference test past its tolerance.
/// With a = |x|: 1 - 2 / (exp(2a) + 1), which in double loses at most 1e-12 of its relative
/// accuracy to cancellation down to a = 1e-4; below, a - a^3 / 3 (its error is a^5 / 7.5);
/// then x's sign, so tanh(-0) is -0. exp(2a) overflows to infinity from a = 355, giving 1.
/// </summary>
internal static class FloatTanh
{
    private const double Small = 1e-4;

    public static float Value(float x)
    {
        double a = MathF.Abs(x);
        var t = a < Small ? a - a * a * a / 3 : 1 - 2 / (Math.Exp(a + a) + 1);
        return MathF.CopySign((float)t, x);
    }

    public static Vector256<float> Value(Vector256<float> x)
    {
        var (lower, upper) = Vector256.Widen(Vector256.Abs(x));
        return Vector256.CopySign(Vector256.Narrow(Magnitude(lower), Magnitude(upper)), x);
    }

    public static Vector512<float> Value(Vector512<float> x)
    {
        var (lower, upper) = Vector512.Widen(Vector512.Abs(x));
        return Vector512.CopySign(Vector512.Narrow(Magnitude(lower), Magnitude(upper)), x);
    }

    private static Vector256<double> Magnitude(Vector256<double> a) => Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(Small)),
        a - a * a * a / Vector256.Create(3.0), Vector256<double>.One - Vector256.Create(2.0) / (Vector256.Exp(a + a) + Vector256<double>.One));

    private static Vector512<double> Magnitude(Vector512<double> a) => Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512.Create(Small)),
        a - a * a * a / Vector512.Create(3.0), Vector512<double>.One - Vector512.Create(2.0) / (Vector512.Exp(a + a) + Vector512<double>.One));
}
