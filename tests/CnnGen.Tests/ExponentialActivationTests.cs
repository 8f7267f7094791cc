using System.Runtime.Intrinsics;
using CnnGen.Kernels;
using Xunit.Abstractions;

namespace CnnGen.Tests;

/// <summary>
/// Elu, sigmoid, tanh, softplus and silu, forward and backward, through the kernels the
/// generated code calls (vectors at the widest accelerated width, a scalar tail), against
/// double-precision formulas. Runs on every vector width (Category=Numerics, see
/// SimdPathTests); runs of 3,845 floats cover the vector loops and their tails, single floats
/// the scalar code.
/// </summary>
[Trait("Category", "Numerics")]
public class ExponentialActivationTests(ITestOutputHelper log)
{
    private static readonly Activation[] Activations = [Activation.Elu, Activation.Sigmoid, Activation.Tanh, Activation.Softplus, Activation.Silu];

    [Fact]
    public void TanhIsWithinOneUlpOfDoublePrecision()
    {
        // Every 257th float from 0 to 10 (tanh is 1 in float32 from 9.01), both signs, the split
        // between its two forms (0.625) and the edges.
        var values = new List<float> { 0f, float.Epsilon, 1e-30f, 0.625f, MathF.BitDecrement(0.625f), 9.1f, 20f, 50f, float.MaxValue };
        for (var bits = 0; bits <= BitConverter.SingleToInt32Bits(10f); bits += 257)
        {
            values.Add(BitConverter.Int32BitsToSingle(bits));
        }

        values.AddRange(values.Select(v => -v).ToArray());
        var x = values.ToArray();
        var vectorised = new float[x.Length];
        ActivationKernels.Forward(Activation.Tanh, ref x[0], ref vectorised[0], x.Length);
        var worst = 0.0;
        var worstAt = 0f;
        for (var i = 0; i < x.Length; i++)
        {
            float one = 0f;
            ActivationKernels.Forward(Activation.Tanh, ref x[i], ref one, 1);
            var expected = Math.Tanh(x[i]);
            foreach (var actual in new[] { vectorised[i], one })
            {
                var error = Math.Abs(actual - expected) / PiecewiseActivationTests.Ulp(expected);
                if (error > worst)
                {
                    (worst, worstAt) = (error, x[i]);
                }
            }
        }

        log.WriteLine($"tanh: {x.Length} values, largest error {worst:F3} ulp at {worstAt:R} ({SimdPathTests.ActivePath})");
        Assert.True(worst <= 1.0, $"tanh is {worst:F3} ulp off at {worstAt:R}.");
        var edges = new[] { float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0f, -0f, 0f, 0f, 0f };
        var tanh = new float[edges.Length];
        ActivationKernels.Forward(Activation.Tanh, ref edges[0], ref tanh[0], edges.Length);
        Assert.Equal(1f, tanh[0]);
        Assert.Equal(-1f, tanh[1]);
        Assert.True(float.IsNaN(tanh[2]));
        Assert.True(float.IsNegative(tanh[4]), "tanh(-0) is -0.");
    }

    [Fact]
    public void ValuesAndSlopesMatchTheDoubleFormulas()
    {
        // -30 to 30 in steps of 1/64, and far tails where exp overflows.
        var x = Enumerable.Range(-1920, 3841).Select(i => i / 64f).Concat([-100f, -88.5f, 88.5f, 100f]).ToArray();
        foreach (var activation in Activations)
        {
            var (y, dz) = Run(activation, x);
            var (worstValue, worstSlope) = (0.0, 0.0);
            for (var i = 0; i < x.Length; i++)
            {
                var expected = Value(activation, x[i]);
                var valueError = Math.Abs(y[i] - expected);
                Assert.True(valueError <= 1e-6 * Math.Abs(expected) + 1e-30, $"{activation}({x[i]}) is {y[i]:R}, expected {expected:R}.");
                worstValue = Math.Max(worstValue, valueError / (Math.Abs(expected) + 1e-12));

                // Slopes read from the float output (elu, sigmoid, tanh) carry its rounding.
                var slope = Slope(activation, x[i]);
                var slopeError = Math.Abs(dz[i] - slope);
                Assert.True(slopeError <= 1e-6 * Math.Abs(slope) + 3e-7, $"{activation}'({x[i]}) is {dz[i]:R}, expected {slope:R}.");
                worstSlope = Math.Max(worstSlope, slopeError);
            }

            log.WriteLine($"{activation}: largest relative value error {worstValue:E2}, largest slope error {worstSlope:E2} ({SimdPathTests.ActivePath})");
        }
    }

    /// <summary>Forward and Backward (dy = 2, so the product is checked too) over the run, and float by float.</summary>
    private static (float[] Values, float[] Slopes) Run(Activation activation, float[] x) => PiecewiseActivationTests.Run(activation, x, 2f, 2e-6f, 1.2e-7f, 6e-7f);

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>log(1 + t) without 1 + t's rounding, which is 2e-3 of log1p(1e-13) in double (Kahan's form).</summary>
    private static double Log1P(double t) => 1 + t == 1 ? t : Math.Log(1 + t) * t / (1 + t - 1);

    private static double Value(Activation activation, double x) => activation switch
    {
        Activation.Elu => x > 0 ? x : Math.Exp(x) - 1,
        Activation.Sigmoid => Sigmoid(x),
        Activation.Tanh => Math.Tanh(x),
        Activation.Softplus => Math.Max(x, 0) + Log1P(Math.Exp(-Math.Abs(x))),
        _ => x * Sigmoid(x),
    };

    private static double Slope(Activation activation, double x) => activation switch
    {
        Activation.Elu => x > 0 ? 1 : Math.Exp(x),
        Activation.Sigmoid => Sigmoid(x) * (1 - Sigmoid(x)),
        Activation.Tanh => 1 - Math.Tanh(x) * Math.Tanh(x),
        Activation.Softplus => Sigmoid(x),
        _ => Sigmoid(x) * (1 + x * (1 - Sigmoid(x))),
    };

    [Fact]
    public void The128BitFormsWithAnExpMatchTheirScalarForms()
    {
        // On x86 these forms run only with FMA, which the 128-bit child run turns off, so they
        // are checked here directly; Arm64 runs them (tests/CnnGen.Arm64Check).
        var x = Enumerable.Range(-1920, 3841).Select(i => i / 64f).ToArray();
        for (var i = 0; i + 4 <= x.Length; i += 4)
        {
            var v = Vector128.Create(x[i], x[i + 1], x[i + 2], x[i + 3]);
            for (var lane = 0; lane < 4; lane++)
            {
                var z = x[i + lane];
                AssertNear(ActivationKernels.SigmoidFunction.Value(z), ActivationKernels.SigmoidFunction.Value(v).GetElement(lane), "sigmoid", z);
                AssertNear(ActivationKernels.SiluFunction.Value(z), ActivationKernels.SiluFunction.Value(v).GetElement(lane), "silu", z);
                AssertNear(ActivationKernels.SiluFunction.Slope(z), ActivationKernels.SiluFunction.Slope(v).GetElement(lane), "silu'", z);
                AssertNear(PiecewiseActivationKernels.Gelu.Value(z), PiecewiseActivationKernels.Gelu.Value(v).GetElement(lane), "gelu", z);
                AssertNear(PiecewiseActivationKernels.Gelu.Slope(z), PiecewiseActivationKernels.Gelu.Slope(v).GetElement(lane), "gelu'", z);
                AssertNear(InferenceActivations.Silu(z), InferenceActivations.Silu(v).GetElement(lane), "inference silu", z);
            }
        }

        // Slopes cross zero (silu' at -1.278), where their few ulps of 1 + z (1 - s) are all they have: 1e-7 absolutely.
        static void AssertNear(float scalar, float vector, string what, float z) =>
            Assert.True(Math.Abs(scalar - vector) <= 1e-6 * Math.Abs(scalar) + (what.EndsWith('\'') ? 1e-7 : 1e-30), $"{what}({z}): 128-bit {vector:R}, scalar {scalar:R}.");
    }
}
