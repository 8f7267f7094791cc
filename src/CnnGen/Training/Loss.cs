using System;

namespace CnnGen.Training;

/// <summary>
/// A loss: the mean over the batch of a per-sample loss, and its gradient with respect to the
/// network output (or, for losses fused with the output activation, to the output layer's
/// pre-activation).
/// </summary>
public abstract class Loss
{
    /// <summary>A name for progress reports: "mse", "softmax_cross_entropy".</summary>
    public abstract string Name { get; }

    /// <summary>True when accuracy (arg-max or 0.5 threshold agreement) is a meaningful metric for this loss.</summary>
    public virtual bool IsClassification => false;

    /// <summary>
    /// The summed per-sample loss of <paramref name="samples"/> samples, and the gradient of
    /// the batch-mean loss: <paramref name="gradient"/> receives d(sum / <paramref name="batchSize"/>)/d(output),
    /// or d(...)/d(pre-activation) when <paramref name="isPreActivation"/> comes back true.
    /// </summary>
    /// <param name="output">The network output of the samples.</param>
    /// <param name="target">The targets, same layout as the output.</param>
    /// <param name="gradient">Where the gradient goes, same layout.</param>
    /// <param name="samples">Samples in these spans.</param>
    /// <param name="batchSize">Samples in the whole mini-batch, which the mean divides by.</param>
    /// <param name="outputActivation">The activation of the network's output layer.</param>
    /// <param name="isPreActivation">True when the gradient is with respect to the pre-activation.</param>
    public abstract double Gradient(ReadOnlySpan<float> output, ReadOnlySpan<float> target, Span<float> gradient, int samples, int batchSize,
        Activation outputActivation, out bool isPreActivation);

    /// <summary>The summed per-sample loss of <paramref name="samples"/> samples, without a gradient.</summary>
    public abstract double Sum(ReadOnlySpan<float> output, ReadOnlySpan<float> target, int samples, Activation outputActivation);

    /// <summary>Checks the spans of a loss call.</summary>
    protected static void Check(ReadOnlySpan<float> output, ReadOnlySpan<float> target, int samples)
    {
        if (samples < 1)
        {
            throw new ArgumentException($"The number of samples must be at least 1, but it is {samples}.", nameof(samples));
        }

        if (output.Length != target.Length || output.Length % samples != 0)
        {
            throw new ArgumentException(
                $"The targets have {target.Length} floats and the outputs {output.Length}; both must hold {samples} samples of the same size.", nameof(target));
        }
    }
}
