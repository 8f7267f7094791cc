using System;

namespace CnnGen.Training;

/// <summary>
/// Updates parameters from their gradients. An optimiser keeps per-parameter state (momentum,
/// moments), allocated at the first step, so use one optimiser per network.
/// </summary>
public abstract class Optimizer
{
    /// <summary>The step size.</summary>
    public float LearningRate { get; set; }

    /// <summary>Steps taken so far.</summary>
    public long Iterations { get; protected set; }

    /// <summary>Creates an optimiser with a learning rate.</summary>
    protected Optimizer(float learningRate)
    {
        if (!(learningRate > 0) || float.IsInfinity(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a positive finite number.");
        }

        LearningRate = learningRate;
    }

    /// <summary>One update of <paramref name="parameters"/> from <paramref name="gradients"/> (same length).</summary>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (parameters.Length != gradients.Length)
        {
            throw new ArgumentException($"There are {parameters.Length} parameters but {gradients.Length} gradients.", nameof(gradients));
        }

        Iterations++;
        Update(parameters, gradients);
    }

    /// <summary>The update rule.</summary>
    protected abstract void Update(Span<float> parameters, ReadOnlySpan<float> gradients);

    /// <summary>Per-parameter state of the right length, allocated at the first step.</summary>
    protected static float[] State(ref float[]? state, int length)
    {
        if (state is null)
        {
            state = new float[length];
        }
        else if (state.Length != length)
        {
            throw new InvalidOperationException($"This optimiser was used for {state.Length} parameters and now gets {length}; use one optimiser per network.");
        }

        return state;
    }
}
