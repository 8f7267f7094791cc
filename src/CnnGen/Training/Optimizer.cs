using System;

namespace CnnGen.Training;

/// <summary>
/// Updates parameters from their gradients. An optimiser keeps per-parameter state (momentum,
/// moments), allocated at the first step, so use one optimiser per network.
/// </summary>
public abstract class Optimizer
{
    private float _learningRate;

    /// <summary>The step size: a positive finite number (anything else throws ArgumentOutOfRangeException and keeps the old value).</summary>
    public float LearningRate
    {
        get => _learningRate;
        set => _learningRate = CheckPositive(value, nameof(LearningRate));
    }

    /// <summary>Steps taken so far.</summary>
    public long Iterations { get; protected set; }

    /// <summary>Creates an optimiser with a learning rate.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The learning rate is not a positive finite number.</exception>
    protected Optimizer(float learningRate)
    {
        _learningRate = CheckPositive(learningRate, nameof(learningRate));
    }

    /// <summary>Returns <paramref name="value"/> if it is positive and finite; otherwise throws naming <paramref name="name"/>.</summary>
    protected static float CheckPositive(float value, string name) =>
        value > 0 && float.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive finite number.");

    /// <summary>Returns <paramref name="value"/> if it is in [0, 1) (NaN is not); otherwise throws naming <paramref name="name"/>.</summary>
    protected static float CheckFraction(float value, string name) =>
        value is >= 0f and < 1f ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 0 and less than 1.");

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
