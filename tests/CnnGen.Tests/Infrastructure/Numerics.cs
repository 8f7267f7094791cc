namespace CnnGen.Tests.Infrastructure;

/// <summary>Comparisons with a reference and random data for tests.</summary>
internal static class Numerics
{
    /// <summary>The first accuracy rule of docs/testing.md: within 1e-5 relative, 1e-6 absolute near zero.</summary>
    public const double Relative = 1e-5;

    public const double Absolute = 1e-6;

    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, string what, double relative = Relative, double absolute = Absolute)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs(actual[i] - expected[i]);
            if (!(error <= Math.Max(relative * Math.Abs(expected[i]), absolute)))
            {
                Assert.Fail($"{what}: element {i} of {expected.Length} is {actual[i]:R}, expected {expected[i]:R} (error {error:E2}).");
            }
        }
    }

    /// <summary>
    /// The second accuracy rule of docs/testing.md, for every layer and merge against PyTorch float64:
    /// |a - e| &lt;= 1e-4 * (|e| + 1e-3). Looser than section 8 far from zero, tighter near it.
    /// </summary>
    public static void AssertWithinWaveTwoTolerance(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs(actual[i] - expected[i]);
            if (!(error <= 1e-4 * (Math.Abs(expected[i]) + 1e-3)))
            {
                Assert.Fail($"{what}: element {i} of {expected.Length} is {actual[i]:R}, expected {expected[i]:R} (error {error:E2}, more than 1e-4 * (|e| + 1e-3)).");
            }
        }
    }

    /// <summary>
    /// The third accuracy rule of docs/testing.md, for real models and deep networks, whose float32
    /// sums of thousands of products are some 1e-6 of their scale off float64 whatever their order:
    /// |a - e| &lt;= 1e-4 * (|e| + max|e|). Returns the largest share of the limit used.
    /// </summary>
    public static double AssertWithinModelTolerance(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, string what, string reference = "the reference")
    {
        Assert.Equal(expected.Length, actual.Length);
        var largest = 0.0;
        foreach (var value in expected)
        {
            largest = Math.Max(largest, Math.Abs(value));
        }

        if (!(largest > 0))
        {
            // Assert.Fail, not Assert.True: the Arm64 checker compiles this file with an Assert of its own.
            Assert.Fail(what + ": the reference output is all zeros, which proves nothing.");
        }

        var used = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs((double)actual[i] - expected[i]);
            var limit = 1e-4 * (Math.Abs(expected[i]) + largest);
            if (!(error <= limit))
            {
                Assert.Fail($"{what}: output {i} of {expected.Length} is {actual[i]:R}, {reference} says {expected[i]:R} (error {error:E2}, limit {limit:E2}).");
            }

            used = Math.Max(used, error / limit);
        }

        return used;
    }

    public static float[] Random(int length, int seed, float scale = 1f)
    {
        var random = new SeededRandom(seed);
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        }

        return values;
    }
}
