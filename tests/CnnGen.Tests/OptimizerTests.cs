using CnnGen.Training;

namespace CnnGen.Tests;

/// <summary>Optimiser steps against values computed by hand from the Keras update rules.</summary>
public class OptimizerTests
{
    [Fact]
    public void SgdSubtractsLearningRateTimesGradient()
    {
        var w = new[] { 1.0f, -2.0f };
        var sgd = new Sgd(0.1f);
        sgd.Step(w, new[] { 0.5f, -1.0f });
        Assert.Equal(new[] { 0.95f, -1.9f }, w);
    }

    [Fact]
    public void MomentumAccumulatesVelocity()
    {
        // v1 = -0.1*1 = -0.1, w = 0.9; v2 = 0.9*-0.1 - 0.1*1 = -0.19, w = 0.71.
        var w = new[] { 1.0f };
        var sgd = new Sgd(0.1f, momentum: 0.9f);
        sgd.Step(w, new[] { 1.0f });
        Assert.Equal(0.9f, w[0], 6);
        sgd.Step(w, new[] { 1.0f });
        Assert.Equal(0.71f, w[0], 6);
    }

    [Fact]
    public void NesterovLooksAheadAlongTheVelocity()
    {
        // v1 = -0.1, w = 1 + 0.9*-0.1 - 0.1 = 0.81; v2 = -0.19, w = 0.81 + 0.9*-0.19 - 0.1 = 0.539.
        var w = new[] { 1.0f };
        var sgd = new Sgd(0.1f, momentum: 0.9f, nesterov: true);
        sgd.Step(w, new[] { 1.0f });
        Assert.Equal(0.81f, w[0], 6);
        sgd.Step(w, new[] { 1.0f });
        Assert.Equal(0.539f, w[0], 6);
    }

    [Fact]
    public void AdamFollowsTheKerasRule()
    {
        // Step 1 with g = 0.5: m = 0.05, v = 0.00025, step size = 0.001 * sqrt(0.001) / 0.1,
        // w -= step * m / (sqrt(v) + 1e-7) = 0.001 * (0.0316227766 / 0.1) * 0.05 / (0.0158113883 + 1e-7).
        var w = new[] { 1.0f };
        var adam = new Adam();
        adam.Step(w, new[] { 0.5f });
        var step1 = 0.001 * Math.Sqrt(0.001) / 0.1 * 0.05 / (Math.Sqrt(0.00025) + 1e-7);
        Assert.Equal(1.0 - step1, w[0], 6);

        // Step 2 with g = -1: m = 0.9*0.05 - 0.1 = -0.055, v = 0.999*0.00025 + 0.001 = 0.00124975,
        // step size = 0.001 * sqrt(1 - 0.999^2) / (1 - 0.9^2).
        adam.Step(w, new[] { -1.0f });
        var step2 = 0.001 * Math.Sqrt(1 - 0.999 * 0.999) / (1 - 0.81) * -0.055 / (Math.Sqrt(0.00124975) + 1e-7);
        Assert.Equal(1.0 - step1 - step2, w[0], 5);
        Assert.Equal(2, adam.Iterations);
    }

    [Fact]
    public void AnOptimizerRefusesAnotherParameterCount()
    {
        var adam = new Adam();
        adam.Step(new float[3], new float[3]);
        var error = Assert.Throws<InvalidOperationException>(() => adam.Step(new float[4], new float[4]));
        Assert.Contains("3 parameters", error.Message);
    }
}
