using System;

namespace CnnGen.Training;

/// <summary>
/// Categorical cross-entropy -sum(t log p) for one-hot (or probability) targets. With a
/// softmax output layer it is fused: the gradient with respect to the logits is
/// (p - t) / batch, exact and free of division by small probabilities; the loss clips p to
/// [1e-7, 1] as Keras does. With a linear output layer the outputs are taken as logits and
/// the softmax is applied here, stably (log-sum-exp).
/// </summary>
public sealed class SoftmaxCrossEntropy : Loss
{
    private const double Epsilon = 1e-7;

    /// <inheritdoc/>
    public override string Name => "softmax_cross_entropy";

    /// <inheritdoc/>
    public override bool IsClassification => true;

    /// <inheritdoc/>
    public override double Gradient(ReadOnlySpan<float> output, ReadOnlySpan<float> target, Span<float> gradient, int samples, int batchSize,
        Activation outputActivation, out bool isPreActivation)
    {
        Check(output, target, samples);
        RequireSoftmaxOrLogits(outputActivation);
        isPreActivation = true;
        var classes = output.Length / samples;
        var sum = 0.0;
        for (var n = 0; n < samples; n++)
        {
            var y = output.Slice(n * classes, classes);
            var t = target.Slice(n * classes, classes);
            var g = gradient.Slice(n * classes, classes);
            if (outputActivation == Activation.Softmax)
            {
                for (var c = 0; c < classes; c++)
                {
                    sum -= t[c] * Math.Log(Math.Max(y[c], Epsilon));
                    g[c] = (float)(((double)y[c] - t[c]) / batchSize);
                }
            }
            else
            {
                var logSumExp = LogSumExp(y);
                for (var c = 0; c < classes; c++)
                {
                    var logP = y[c] - logSumExp;
                    sum -= t[c] * logP;
                    g[c] = (float)((Math.Exp(logP) - t[c]) / batchSize);
                }
            }
        }

        return sum;
    }

    /// <inheritdoc/>
    public override double Sum(ReadOnlySpan<float> output, ReadOnlySpan<float> target, int samples, Activation outputActivation)
    {
        Check(output, target, samples);
        RequireSoftmaxOrLogits(outputActivation);
        var classes = output.Length / samples;
        var sum = 0.0;
        for (var n = 0; n < samples; n++)
        {
            var y = output.Slice(n * classes, classes);
            var t = target.Slice(n * classes, classes);
            var logSumExp = outputActivation == Activation.Softmax ? 0.0 : LogSumExp(y);
            for (var c = 0; c < classes; c++)
            {
                var logP = outputActivation == Activation.Softmax ? Math.Log(Math.Max(y[c], Epsilon)) : y[c] - logSumExp;
                sum -= t[c] * logP;
            }
        }

        return sum;
    }

    private static double LogSumExp(ReadOnlySpan<float> logits)
    {
        var max = double.NegativeInfinity;
        foreach (var v in logits)
        {
            max = Math.Max(max, v);
        }

        var sum = 0.0;
        foreach (var v in logits)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum);
    }

    private static void RequireSoftmaxOrLogits(Activation activation)
    {
        if (activation is not (Activation.Softmax or Activation.Linear))
        {
            throw new InvalidOperationException(
                $"Softmax cross-entropy needs a softmax output layer (or a linear one, whose outputs are logits), but the output activation is {activation}.");
        }
    }
}
