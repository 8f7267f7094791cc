using System;
using System.Runtime.Intrinsics;

namespace CnnGen.Kernels;

/// <summary>
/// erf in float32, within 2 ulps of the exact value at every width (ErfAccuracyTests measures
/// it against a double-precision reference). Two branches, both computed and blended in vectors:
/// for |x| &lt; 1.125, x + x P(x^2) (P of degree 7; adding the small term to x last keeps the
/// rounding error near half an ulp); above, erfc(a) = exp(-a^2) Q(1/a) / a with a = |x| (Q of
/// degree 10, fitted on 1/a in [0, 1/1.125], so the tail needs no clamp and keeps its relative
/// accuracy until exp underflows). Coefficients: least squares against double-precision erf on
/// Chebyshev nodes of each interval, rounded to float.
/// </summary>
internal static class FloatErf
{
    private const float Split = 1.125f;

    // erf(x) / x - 1 = P(x^2) on |x| < 1.125.
    private const float P0 = 0.128379166f, P1 = -0.376126379f, P2 = 0.112837605f, P3 = -0.0268640984f,
        P4 = 0.00521729002f, P5 = -0.000843092042f, P6 = 0.00010894303f, P7 = -8.65063066e-06f;

    // a exp(a^2) erfc(a) = Q(1/a) on a >= 1.125.
    private const float Q0 = 0.564189613f, Q1 = -8.97823884e-06f, Q2 = -0.281736344f, Q3 = -0.00511689717f, Q4 = 0.453197271f,
        Q5 = -0.0280010458f, Q6 = -1.61808217f, Q7 = 3.11105037f, Q8 = -2.87420797f, Q9 = 1.38715518f, Q10 = -0.280883938f;

    public static float Value(float x) => MathF.Abs(x) < Split ? Small(x) : MathF.CopySign(1f - Tail(MathF.Abs(x)), x);

    /// <summary>1 + erf(x), accurate relative to itself for x far below 0 too (it is erfc(-x)).</summary>
    public static float OnePlus(float x) => MathF.Abs(x) < Split ? 1f + Small(x) : x < 0f ? Tail(-x) : 2f - Tail(x);

    private static float Small(float x)
    {
        var s = x * x;
        return x + x * (((((((P7 * s + P6) * s + P5) * s + P4) * s + P3) * s + P2) * s + P1) * s + P0);
    }

    /// <summary>erfc(a) for a &gt;= 1.125.</summary>
    private static float Tail(float a)
    {
        var t = 1f / a;
        var q = (((((((((Q10 * t + Q9) * t + Q8) * t + Q7) * t + Q6) * t + Q5) * t + Q4) * t + Q3) * t + Q2) * t + Q1) * t + Q0;
        return MathF.Exp(-(a * a)) * (t * q);
    }

    public static Vector128<float> Value(Vector128<float> x)
    {
        var a = Vector128.Abs(x);
        return Vector128.ConditionalSelect(Vector128.LessThan(a, Vector128.Create(Split)), Small(x), Vector128.CopySign(Vector128<float>.One - Tail(a), x));
    }

    public static Vector256<float> Value(Vector256<float> x)
    {
        var a = Vector256.Abs(x);
        return Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(Split)), Small(x), Vector256.CopySign(Vector256<float>.One - Tail(a), x));
    }

    public static Vector512<float> Value(Vector512<float> x)
    {
        var a = Vector512.Abs(x);
        return Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512.Create(Split)), Small(x), Vector512.CopySign(Vector512<float>.One - Tail(a), x));
    }

    public static Vector128<float> OnePlus(Vector128<float> x)
    {
        var a = Vector128.Abs(x);
        var tail = Tail(a);
        var large = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), tail, Vector128.Create(2f) - tail);
        return Vector128.ConditionalSelect(Vector128.LessThan(a, Vector128.Create(Split)), Vector128<float>.One + Small(x), large);
    }

    public static Vector256<float> OnePlus(Vector256<float> x)
    {
        var a = Vector256.Abs(x);
        var tail = Tail(a);
        var large = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), tail, Vector256.Create(2f) - tail);
        return Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(Split)), Vector256<float>.One + Small(x), large);
    }

    public static Vector512<float> OnePlus(Vector512<float> x)
    {
        var a = Vector512.Abs(x);
        var tail = Tail(a);
        var large = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), tail, Vector512.Create(2f) - tail);
        return Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512.Create(Split)), Vector512<float>.One + Small(x), large);
    }

    private static Vector128<float> Small(Vector128<float> x)
    {
        var s = x * x;
        var p = Vector128.Create(P7);
        p = p * s + Vector128.Create(P6);
        p = p * s + Vector128.Create(P5);
        p = p * s + Vector128.Create(P4);
        p = p * s + Vector128.Create(P3);
        p = p * s + Vector128.Create(P2);
        p = p * s + Vector128.Create(P1);
        p = p * s + Vector128.Create(P0);
        return x + x * p;
    }

    private static Vector256<float> Small(Vector256<float> x)
    {
        var s = x * x;
        var p = Vector256.Create(P7);
        p = p * s + Vector256.Create(P6);
        p = p * s + Vector256.Create(P5);
        p = p * s + Vector256.Create(P4);
        p = p * s + Vector256.Create(P3);
        p = p * s + Vector256.Create(P2);
        p = p * s + Vector256.Create(P1);
        p = p * s + Vector256.Create(P0);
        return x + x * p;
    }

    private static Vector512<float> Small(Vector512<float> x)
    {
        var s = x * x;
        var p = Vector512.Create(P7);
        p = p * s + Vector512.Create(P6);
        p = p * s + Vector512.Create(P5);
        p = p * s + Vector512.Create(P4);
        p = p * s + Vector512.Create(P3);
        p = p * s + Vector512.Create(P2);
        p = p * s + Vector512.Create(P1);
        p = p * s + Vector512.Create(P0);
        return x + x * p;
    }

    private static Vector128<float> Tail(Vector128<float> a)
    {
        var t = Vector128<float>.One / a;
        var q = Vector128.Create(Q10);
        q = q * t + Vector128.Create(Q9);
        q = q * t + Vector128.Create(Q8);
        q = q * t + Vector128.Create(Q7);
        q = q * t + Vector128.Create(Q6);
        q = q * t + Vector128.Create(Q5);
        q = q * t + Vector128.Create(Q4);
        q = q * t + Vector128.Create(Q3);
        q = q * t + Vector128.Create(Q2);
        q = q * t + Vector128.Create(Q1);
        q = q * t + Vector128.Create(Q0);
        return Vector128.Exp(-(a * a)) * (t * q);
    }

    private static Vector256<float> Tail(Vector256<float> a)
    {
        var t = Vector256<float>.One / a;
        var q = Vector256.Create(Q10);
        q = q * t + Vector256.Create(Q9);
        q = q * t + Vector256.Create(Q8);
        q = q * t + Vector256.Create(Q7);
        q = q * t + Vector256.Create(Q6);
        q = q * t + Vector256.Create(Q5);
        q = q * t + Vector256.Create(Q4);
        q = q * t + Vector256.Create(Q3);
        q = q * t + Vector256.Create(Q2);
        q = q * t + Vector256.Create(Q1);
        q = q * t + Vector256.Create(Q0);
        return Vector256.Exp(-(a * a)) * (t * q);
    }

    private static Vector512<float> Tail(Vector512<float> a)
    {
        var t = Vector512<float>.One / a;
        var q = Vector512.Create(Q10);
        q = q * t + Vector512.Create(Q9);
        q = q * t + Vector512.Create(Q8);
        q = q * t + Vector512.Create(Q7);
        q = q * t + Vector512.Create(Q6);
        q = q * t + Vector512.Create(Q5);
        q = q * t + Vector512.Create(Q4);
        q = q * t + Vector512.Create(Q3);
        q = q * t + Vector512.Create(Q2);
        q = q * t + Vector512.Create(Q1);
        q = q * t + Vector512.Create(Q0);
        return Vector512.Exp(-(a * a)) * (t * q);
    }
}
