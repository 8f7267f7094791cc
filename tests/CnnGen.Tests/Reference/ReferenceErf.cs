namespace CnnGen.Tests.Reference;

/// <summary>
/// erf and erfc in double precision, independent of the float32 kernels: below 2 the series
/// erf(x) = 2/sqrt(pi) exp(-x^2) sum 2^n x^(2n+1) / (1 3 5 ... (2n+1)), whose terms are all of
/// one sign (no cancellation, relative error about 1e-15); from 2 the continued fraction
/// erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...)))) to depth 200
/// (relative error about 2e-13, against Python's math.erfc).
/// </summary>
internal static class ReferenceErf
{
    public static double Erf(double x)
    {
        var a = Math.Abs(x);
        return a < 2 ? Math.CopySign(Series(a), x) : Math.CopySign(1 - ContinuedFraction(a), x);
    }

    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        if (x >= 2)
        {
            return ContinuedFraction(x);
        }

        return x >= 0 ? 1 - Series(x) : 1 + Erf(-x);
    }

    private static double Series(double a)
    {
        var sum = 0.0;
        var term = a;
        for (var n = 1; term > 1e-17 * sum || sum == 0; n++)
        {
            sum += term;
            term *= 2 * a * a / (2 * n + 1);
            if (a == 0)
            {
                break;
            }
        }

        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-a * a) * sum;
    }

    private static double ContinuedFraction(double a)
    {
        var f = a;
        for (var k = 200; k >= 1; k--)
        {
            f = a + k / 2.0 / f;
        }

        return Math.Exp(-a * a) / Math.Sqrt(Math.PI) / f;
    }
}
