using System;

namespace CnnGen.Training;

/// <summary>Classification metrics.</summary>
public static class Metrics
{
    /// <summary>
    /// Correct predictions among <paramref name="samples"/>: the arg-max of the output equals
    /// the arg-max of the target; with one output, both sides of the threshold agree (0.5 for a
    /// sigmoid output, 0 for logits).
    /// </summary>
    public static int CountCorrect(ReadOnlySpan<float> output, ReadOnlySpan<float> target, int samples, Activation outputActivation)
    {
        var size = output.Length / samples;
        var correct = 0;
        for (var n = 0; n < samples; n++)
        {
            var y = output.Slice(n * size, size);
            var t = target.Slice(n * size, size);
            if (size == 1)
            {
                var threshold = outputActivation == Activation.Linear ? 0f : 0.5f;
                correct += (y[0] >= threshold) == (t[0] >= 0.5f) ? 1 : 0;
            }
            else
            {
                correct += ArgMax(y) == ArgMax(t) ? 1 : 0;
            }
        }

        return correct;
    }

    /// <summary>The index of the largest value (the first, on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
