using System;
using System.Numerics;

namespace CnnGen.Training;

/// <summary>
/// Adam with the Keras defaults (learning rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7):
/// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
/// w -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + epsilon).
/// </summary>
public sealed class Adam : Optimizer
{
    private float[]? _m;
    private float[]? _v;

    /// <summary>Adam with the given (or Keras default) hyper-parameters.</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The learning rate or epsilon is not a positive finite number (epsilon 0 divides zero by zero
    /// where a gradient is zero), or beta1 or beta2 is not in [0, 1); the exception names the parameter.
    /// </exception>
    public Adam(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f)
        : base(learningRate)
    {
        Beta1 = CheckFraction(beta1, nameof(beta1));
        Beta2 = CheckFraction(beta2, nameof(beta2));
        Epsilon = CheckPositive(epsilon, nameof(epsilon));
    }

    /// <summary>Decay of the first moment.</summary>
    public float Beta1 { get; }

    /// <summary>Decay of the second moment.</summary>
    public float Beta2 { get; }

    /// <summary>Added to the root of the second moment.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        var m = State(ref _m, parameters.Length);
        var v = State(ref _v, parameters.Length);
        var t = Iterations;
        var step = (float)(LearningRate * Math.Sqrt(1 - Math.Pow(Beta2, t)) / (1 - Math.Pow(Beta1, t)));
        float b1 = Beta1, b2 = Beta2, epsilon = Epsilon;
        var i = 0;
        for (; i + Vector<float>.Count <= parameters.Length; i += Vector<float>.Count)
        {
            var g = new Vector<float>(gradients.Slice(i));
            var mi = b1 * new Vector<float>(m, i) + (1 - b1) * g;
            var vi = b2 * new Vector<float>(v, i) + (1 - b2) * g * g;
            mi.CopyTo(m, i);
            vi.CopyTo(v, i);
            (new Vector<float>(parameters.Slice(i)) - step * mi / (Vector.SquareRoot(vi) + new Vector<float>(epsilon))).CopyTo(parameters.Slice(i));
        }

        for (; i < parameters.Length; i++)
        {
            var g = gradients[i];
            var mi = b1 * m[i] + (1 - b1) * g;
            var vi = b2 * v[i] + (1 - b2) * g * g;
            m[i] = mi;
            v[i] = vi;
            parameters[i] -= step * mi / (MathF.Sqrt(vi) + epsilon);
        }
    }
}
