using CnnGen.Kernels;
using CnnGen.Tests.Reference;
using Xunit.Abstractions;

namespace CnnGen.Tests;

/// <summary>
/// Relu6, hard sigmoid, hard swish and gelu, and the float32 erf under gelu, through the
/// kernels the generated code calls, against double-precision formulas and PyTorch's values at
/// the kinks. Runs on every vector width (Category=Numerics, see SimdPathTests); runs of 40
/// floats cover the vector loops and their scalar tails, single floats the scalar code.
/// </summary>
[Trait("Category", "Numerics")]
public class PiecewiseActivationTests(ITestOutputHelper log)
{
    private static readonly Activation[] Activations = [Activation.Relu6, Activation.HardSigmoid, Activation.HardSwish, Activation.Gelu];

    [Fact]
    public void ErfIsWithinTwoUlpsOfDoublePrecision()
    {
        // Every 257th float from 0 to 10 (erf is 1 in float32 from 3.92), both signs, and the edges.
        var values = new List<float> { 0f, -0f, float.Epsilon, 1e-30f, 1.125f, MathF.BitDecrement(1.125f), 3.9375f, 20f, float.MaxValue };
        for (var bits = 0; bits <= BitConverter.SingleToInt32Bits(10f); bits += 257)
        {
            values.Add(BitConverter.Int32BitsToSingle(bits));
        }

        values.AddRange(values.Select(v => -v).ToArray());
        var x = values.ToArray();
        var vectorised = new float[x.Length];
        PiecewiseActivationKernels.Erf(x, vectorised);
        var worst = 0.0;
        var worstAt = 0f;
        for (var i = 0; i < x.Length; i++)
        {
            var one = new float[1];
            PiecewiseActivationKernels.Erf([x[i]], one);
            var expected = ReferenceErf.Erf(x[i]);
            var ulp = Ulp(expected);
            foreach (var actual in new[] { vectorised[i], one[0] })
            {
                var error = Math.Abs(actual - expected) / ulp;
                if (error > worst)
                {
                    (worst, worstAt) = (error, x[i]);
                }
            }
        }

        log.WriteLine($"erf: {x.Length} values, largest error {worst:F3} ulp at {worstAt:R} ({SimdPathTests.ActivePath})");
        Assert.True(worst <= 2.0, $"erf is {worst:F3} ulp off at {worstAt:R}.");
        Assert.Equal(1f, Erf(float.PositiveInfinity));
        Assert.Equal(-1f, Erf(float.NegativeInfinity));
        Assert.True(float.IsNaN(Erf(float.NaN)));
    }

    [Fact]
    public void ValuesAndSlopesMatchTheDoubleFormulas()
    {
        // -12 to 12 in steps of 1/64, which holds the kinks; the slopes are checked off them.
        var x = Enumerable.Range(-768, 1537).Select(i => i / 64f).ToArray();
        foreach (var activation in Activations)
        {
            var (y, dz) = Run(activation, x);
            var (worstValue, worstSlope) = (0.0, 0.0);
            for (var i = 0; i < x.Length; i++)
            {
                var expected = Value(activation, x[i]);
                var valueError = Math.Abs(y[i] - expected);
                // Gelu's left tail, x Phi(x), has condition number about x^2: rounding x / sqrt 2 to
                // float alone moves it by x^2 * 6e-8 relative (PyTorch's float32, which cancels in 1 + erf, is far worse there).
                var conditioned = activation == Activation.Gelu ? 1 + x[i] * x[i] / 4 : 1;
                Assert.True(valueError <= 1e-6 * conditioned * Math.Abs(expected) + 1e-12, $"{activation}({x[i]}) is {y[i]:R}, expected {expected:R}.");
                worstValue = Math.Max(worstValue, valueError / (Math.Abs(expected) + 1e-12));
                if (x[i] is -3f or 0f or 3f or 6f)
                {
                    continue;
                }

                var slope = Slope(activation, x[i]);
                var slopeError = Math.Abs(dz[i] - slope);
                Assert.True(slopeError <= 1e-6 * conditioned * Math.Abs(slope) + 3e-7, $"{activation}'({x[i]}) is {dz[i]:R}, expected {slope:R}.");
                worstSlope = Math.Max(worstSlope, slopeError);
            }

            log.WriteLine($"{activation}: largest relative value error {worstValue:E2}, largest slope error {worstSlope:E2}");
        }
    }

    /// <summary>
    /// At and around the kinks, the values and autograd slopes of PyTorch 1.13 (float64:
    /// F.relu6, F.hardsigmoid, F.hardswish, F.gelu): the slope of relu6 is 0 at 0 and 6, of
    /// hard sigmoid 0 at -3 and 3, of hard swish -0.5 at -3 and 1 at 3.
    /// </summary>
    [Theory]
    [InlineData(Activation.Relu6, new[] { 0.0, 0, 0, 0, 3, 4.5, 6, 6 }, new[] { 0.0, 0, 0, 0, 1, 1, 0, 0 })]
    [InlineData(Activation.HardSigmoid, new[] { 0.0, 0, 0.25, 0.5, 1, 1, 1, 1 }, new[] { 0.0, 0, 1 / 6.0, 1 / 6.0, 0, 0, 0, 0 })]
    [InlineData(Activation.HardSwish, new[] { 0.0, 0, -0.375, 0, 3, 4.5, 6, 7 }, new[] { 0.0, -0.5, 0, 0.5, 1, 1, 1, 1 })]
    [InlineData(Activation.Gelu,
        new[] { -0.00012668496733247991, -0.00404969409489031, -0.10021080190328704, 0.0, 2.99595030590511, 4.4999847104709385, 5.999999994080474, 6.999999999991041 },
        new[] { -0.0005036496612264215, -0.01194564720418392, -0.1274691922299796, 0.5, 1.011945647204184, 1.0000685291618563, 1.0000000354687093, 1.0000000000626632 })]
    public void KinksFollowPyTorch(Activation activation, double[] values, double[] slopes)
    {
        float[] points = [-4f, -3f, -1.5f, 0f, 3f, 4.5f, 6f, 7f];
        var x = Enumerable.Range(0, 5).SelectMany(_ => points).ToArray();
        var (y, dz) = Run(activation, x);
        for (var i = 0; i < x.Length; i++)
        {
            var (value, slope) = (values[i % points.Length], slopes[i % points.Length]);
            Assert.True(Math.Abs(y[i] - value) <= 1e-6 * Math.Abs(value) + 1e-9, $"{activation}({x[i]}) is {y[i]:R}, PyTorch gives {value:R}.");
            Assert.True(Math.Abs(dz[i] - slope) <= 1e-6 * Math.Abs(slope) + 1e-9, $"{activation}'({x[i]}) is {dz[i]:R}, PyTorch gives {slope:R}.");
        }
    }

    /// <summary>Forward and Backward (dy = 1) over the run, and float by float.</summary>
    private static (float[] Values, float[] Slopes) Run(Activation activation, float[] x) => Run(activation, x, 1f, 1e-6f, 1e-12f, 3e-7f);

    /// <summary>
    /// Forward and Backward with dy = <paramref name="dy"/> over the run (vectors and tail), and
    /// float by float (the scalar code), which must agree within the tolerances; the slopes returned are dz / dy.
    /// </summary>
    internal static (float[] Values, float[] Slopes) Run(Activation activation, float[] x, float dy, float relative, float valueAbsolute, float slopeAbsolute)
    {
        var y = new float[x.Length];
        var dz = new float[x.Length];
        var dys = Enumerable.Repeat(dy, x.Length).ToArray();
        ActivationKernels.Forward(activation, ref x[0], ref y[0], x.Length);
        ActivationKernels.Backward(activation, ref x[0], ref y[0], ref dys[0], ref dz[0], x.Length);
        for (var i = 0; i < x.Length; i++)
        {
            float single = 0f, slope = 0f, one = dy;
            ActivationKernels.Forward(activation, ref x[i], ref single, 1);
            ActivationKernels.Backward(activation, ref x[i], ref single, ref one, ref slope, 1);
            Assert.Equal(y[i], single, relative * Math.Abs(y[i]) + valueAbsolute);
            Assert.Equal(dz[i], slope, relative * Math.Abs(dz[i]) + slopeAbsolute);
            dz[i] /= dy;
        }

        return (y, dz);
    }

    private static double Value(Activation activation, double x) => activation switch
    {
        Activation.Relu6 => Math.Min(Math.Max(x, 0), 6),
        Activation.HardSigmoid => Math.Min(Math.Max(x + 3, 0), 6) / 6,
        Activation.HardSwish => x * Math.Min(Math.Max(x + 3, 0), 6) / 6,
        _ => 0.5 * x * ReferenceErf.Erfc(-x / Math.Sqrt(2)),
    };

    private static double Slope(Activation activation, double x) => activation switch
    {
        Activation.Relu6 => x is > 0 and < 6 ? 1 : 0,
        Activation.HardSigmoid => x is > -3 and < 3 ? 1 / 6.0 : 0,
        Activation.HardSwish => x < -3 ? 0 : x < 3 ? (2 * x + 3) / 6 : 1,
        _ => 0.5 * ReferenceErf.Erfc(-x / Math.Sqrt(2)) + x * Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI),
    };

    private static float Erf(float x)
    {
        var y = new float[1];
        PiecewiseActivationKernels.Erf([x], y);
        return y[0];
    }

    /// <summary>The float32 ulp at the exact value: 2^(e - 23) for |v| in [2^e, 2^(e+1)), 2^-149 for subnormals.</summary>
    internal static double Ulp(double v) => v == 0 ? Math.ScaleB(1, -149) : Math.Max(Math.ScaleB(1, Math.ILogB(v) - 23), Math.ScaleB(1, -149));
}
