namespace CnnGen.Benchmarks;

/// <summary>Run in [GlobalSetup]: a benchmark must not time an engine that computes something else.</summary>
internal static class OutputCheck
{
    /// <summary>Within 1e-4, relative for values above 1 in magnitude.</summary>
    public const double Tolerance = 1e-4;

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        var values = new double[actual.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = actual[i];
        }

        AssertClose(expected, values, what);
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<double> actual, string what)
    {
        if (expected.Length != actual.Length)
        {
            throw new InvalidOperationException($"{what}: {actual.Length} outputs, CnnGen has {expected.Length}.");
        }

        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs(actual[i] - expected[i]);
            if (!(error <= Tolerance * Math.Max(1, Math.Abs(expected[i]))))
            {
                throw new InvalidOperationException($"{what}: output {i} of {expected.Length} is {actual[i]:R}, CnnGen gives {expected[i]:R} (error {error:E2}).");
            }
        }
    }
}
