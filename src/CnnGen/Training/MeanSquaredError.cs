using System;

namespace CnnGen.Training;

/// <summary>Mean squared error (Keras): per sample the mean over outputs of (y - t)^2, averaged over the batch.</summary>
public sealed class MeanSquaredError : Loss
{
    /// <inheritdoc/>
    public override string Name => "mse";

    /// <inheritdoc/>
    public override double Gradient(ReadOnlySpan<float> output, ReadOnlySpan<float> target, Span<float> gradient, int samples, int batchSize,
        Activation outputActivation, out bool isPreActivation)
    {
        Check(output, target, samples);
        isPreActivation = false;
        var outputs = output.Length / samples;
        var scale = 2.0 / ((double)outputs * batchSize);
        var sum = 0.0;
        for (var i = 0; i < output.Length; i++)
        {
            var difference = (double)output[i] - target[i];
            sum += difference * difference;
            gradient[i] = (float)(difference * scale);
        }

        return sum / outputs;
    }

    /// <inheritdoc/>
    public override double Sum(ReadOnlySpan<float> output, ReadOnlySpan<float> target, int samples, Activation outputActivation)
    {
        Check(output, target, samples);
        var sum = 0.0;
        for (var i = 0; i < output.Length; i++)
        {
            var difference = (double)output[i] - target[i];
            sum += difference * difference;
        }

        return sum / (output.Length / samples);
    }
}
