using CnnGen.Training;

namespace CnnGen.Tests;

/// <summary>Loss values and gradients against hand computation and central differences.</summary>
public class LossTests
{
    [Fact]
    public void MeanSquaredErrorAveragesOverOutputsAndBatch()
    {
        // Two samples of two outputs: ((1-0)^2 + (2-0)^2)/2 = 2.5 and ((0-1)^2 + 0)/2 = 0.5.
        var output = new[] { 1f, 2f, 0f, 3f };
        var target = new[] { 0f, 0f, 1f, 3f };
        var gradient = new float[4];
        var sum = new MeanSquaredError().Gradient(output, target, gradient, 2, 2, Activation.Linear, out var pre);
        Assert.Equal(3.0, sum, 10);
        Assert.False(pre);
        // d(mean)/dy = 2 (y - t) / (outputs * batch).
        Assert.Equal(new[] { 0.5f, 1f, -0.5f, 0f }, gradient);
    }

    [Fact]
    public void FusedSoftmaxCrossEntropyGivesProbabilitiesMinusTargets()
    {
        var logits = new[] { 2.0, -1.0, 0.5 };
        var probabilities = Softmax(logits);
        var output = probabilities.Select(p => (float)p).ToArray();
        var target = new[] { 0f, 0f, 1f };
        var gradient = new float[3];
        var sum = new SoftmaxCrossEntropy().Gradient(output, target, gradient, 1, 1, Activation.Softmax, out var pre);
        Assert.True(pre);
        Assert.Equal(-Math.Log(probabilities[2]), sum, 6);
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(probabilities[c] - target[c], gradient[c], 6);
        }
    }

    [Fact]
    public void SoftmaxCrossEntropyOnLogitsIsStableAndMatchesCentralDifferences()
    {
        // Logits far apart: a naive softmax would overflow exp(1000).
        var logits = new[] { 1000f, 0f, -1000f };
        var target = new[] { 0f, 1f, 0f };
        var gradient = new float[3];
        var loss = new SoftmaxCrossEntropy();
        var sum = loss.Gradient(logits, target, gradient, 1, 1, Activation.Linear, out _);
        Assert.Equal(1000.0, sum, 3);
        Assert.Equal(new[] { 1f, -1f, 0f }, gradient);

        var moderate = new[] { 0.3f, -1.2f, 2.0f };
        loss.Gradient(moderate, target, gradient, 1, 1, Activation.Linear, out _);
        for (var c = 0; c < 3; c++)
        {
            var plus = (float[])moderate.Clone();
            var minus = (float[])moderate.Clone();
            plus[c] += 1e-3f;
            minus[c] -= 1e-3f;
            var numeric = (loss.Sum(plus, target, 1, Activation.Linear) - loss.Sum(minus, target, 1, Activation.Linear)) / 2e-3;
            Assert.Equal(numeric, gradient[c], 3);
        }
    }

    [Fact]
    public void BinaryCrossEntropyOnLogitsMatchesTheDefinition()
    {
        var logits = new[] { 3f, -2f };
        var target = new[] { 1f, 0f };
        var gradient = new float[2];
        var sum = new SigmoidBinaryCrossEntropy().Gradient(logits, target, gradient, 1, 1, Activation.Linear, out var pre);
        static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
        var expected = (-Math.Log(Sigmoid(3)) - Math.Log(1 - Sigmoid(-2))) / 2;
        Assert.True(pre);
        Assert.Equal(expected, sum, 6);
        Assert.Equal((Sigmoid(3) - 1) / 2, gradient[0], 6);
        Assert.Equal(Sigmoid(-2) / 2, gradient[1], 6);
    }

    [Fact]
    public void FusedGradientEqualsTheChainRuleThroughTheNetworksSoftmax()
    {
        // Through Backward: the fused (p - t) at the logits must equal the unfused dL/dp pushed
        // through the generated softmax derivative.
        var network = new Networks.DigitNet(seed: 3);
        var input = Infrastructure.Numerics.Random(2 * Networks.DigitNet.InputSize, seed: 4);
        var output = new float[20];
        network.Forward(input, output, 2);
        var target = new float[20];
        target[7] = 1;
        target[10 + 2] = 1;

        var fused = new float[20];
        new SoftmaxCrossEntropy().Gradient(output, target, fused, 2, 2, Activation.Softmax, out _);
        var workspace = network.CreateWorkspace();
        network.Forward(input, output, 2, workspace);
        var fusedGradients = new float[Networks.DigitNet.ParameterCount];
        network.Backward(fused, Span<float>.Empty, workspace, fusedGradients, outputGradientIsPreActivation: true);

        var chain = new float[20];
        for (var i = 0; i < 20; i++)
        {
            chain[i] = -target[i] / output[i] / 2;
        }

        var chainGradients = new float[Networks.DigitNet.ParameterCount];
        network.Backward(chain, Span<float>.Empty, workspace, chainGradients);
        for (var i = 0; i < chainGradients.Length; i++)
        {
            Assert.Equal(chainGradients[i], fusedGradients[i], 4);
        }
    }

    private static double[] Softmax(double[] logits)
    {
        var max = logits.Max();
        var exps = logits.Select(z => Math.Exp(z - max)).ToArray();
        return exps.Select(e => e / exps.Sum()).ToArray();
    }
}
