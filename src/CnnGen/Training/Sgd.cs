using System;
using System.Numerics;

namespace CnnGen.Training;

/// <summary>
/// Stochastic gradient descent with optional momentum and Nesterov momentum (Keras):
/// v = momentum v - lr g; w += v, or with Nesterov w += momentum v - lr g.
/// </summary>
public sealed class Sgd : Optimizer
{
    private float[]? _velocity;

    /// <summary>Plain SGD (momentum 0) or SGD with momentum.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The learning rate is not a positive finite number, or momentum is not in [0, 1); the exception names the parameter.</exception>
    public Sgd(float learningRate = 0.01f, float momentum = 0f, bool nesterov = false)
        : base(learningRate)
    {
        Momentum = CheckFraction(momentum, nameof(momentum));
        Nesterov = nesterov;
    }

    /// <summary>The momentum factor.</summary>
    public float Momentum { get; }

    /// <summary>Whether the update looks ahead along the velocity.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        var lr = LearningRate;
        var i = 0;
        var width = Vector<float>.Count;
        if (Momentum == 0f)
        {
            for (; i + width <= parameters.Length; i += width)
            {
                (new Vector<float>(parameters.Slice(i)) - lr * new Vector<float>(gradients.Slice(i))).CopyTo(parameters.Slice(i));
            }

            for (; i < parameters.Length; i++)
            {
                parameters[i] -= lr * gradients[i];
            }

            return;
        }

        var velocity = State(ref _velocity, parameters.Length);
        var momentum = Momentum;
        for (; i + width <= parameters.Length; i += width)
        {
            var g = new Vector<float>(gradients.Slice(i));
            var v = momentum * new Vector<float>(velocity, i) - lr * g;
            v.CopyTo(velocity, i);
            (new Vector<float>(parameters.Slice(i)) + (Nesterov ? momentum * v - lr * g : v)).CopyTo(parameters.Slice(i));
        }

        for (; i < parameters.Length; i++)
        {
            var v = momentum * velocity[i] - lr * gradients[i];
            velocity[i] = v;
            parameters[i] += Nesterov ? momentum * v - lr * gradients[i] : v;
        }
    }
}
