using System;

namespace CnnGen.Training;

/// <summary>
/// Binary cross-entropy -(t log p + (1 - t) log(1 - p)), averaged over outputs and the batch
/// (Keras). Fused with a sigmoid output layer: the gradient with respect to the logits is
/// (p - t) / (outputs x batch); the loss clips p to [1e-7, 1 - 1e-7]. With a linear output
/// layer the outputs are logits: max(z, 0) - z t + log(1 + exp(-|z|)), stable for any z.
/// </summary>
public sealed class SigmoidBinaryCrossEntropy : Loss
{
    private const double Epsilon = 1e-7;

    /// <inheritdoc/>
    public override string Name => "binary_cross_entropy";

    /// <inheritdoc/>
    public override bool IsClassification => true;

    /// <inheritdoc/>
    public override double Gradient(ReadOnlySpan<float> output, ReadOnlySpan<float> target, Span<float> gradient, int samples, int batchSize,
        Activation outputActivation, out bool isPreActivation)
    {
        Check(output, target, samples);
        RequireSigmoidOrLogits(outputActivation);
        isPreActivation = true;
        var outputs = output.Length / samples;
        var scale = 1.0 / ((double)outputs * batchSize);
        var sum = 0.0;
        for (var i = 0; i < output.Length; i++)
        {
            var t = (double)target[i];
            if (outputActivation == Activation.Sigmoid)
            {
                var p = Math.Clamp(output[i], Epsilon, 1 - Epsilon);
                sum -= t * Math.Log(p) + (1 - t) * Math.Log(1 - p);
                gradient[i] = (float)((output[i] - t) * scale);
            }
            else
            {
                var z = (double)output[i];
                sum += Math.Max(z, 0) - z * t + Math.Log(1 + Math.Exp(-Math.Abs(z)));
                gradient[i] = (float)((Sigmoid(z) - t) * scale);
            }
        }

        return sum / outputs;
    }

    /// <inheritdoc/>
    public override double Sum(ReadOnlySpan<float> output, ReadOnlySpan<float> target, int samples, Activation outputActivation)
    {
        Span<float> scratch = output.Length <= 1024 ? stackalloc float[output.Length] : new float[output.Length];
        return Gradient(output, target, scratch, samples, samples, outputActivation, out _);
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    private static void RequireSigmoidOrLogits(Activation activation)
    {
        if (activation is not (Activation.Sigmoid or Activation.Linear))
        {
            throw new InvalidOperationException(
                $"Binary cross-entropy needs a sigmoid output layer (or a linear one, whose outputs are logits), but the output activation is {activation}.");
        }
    }
}
