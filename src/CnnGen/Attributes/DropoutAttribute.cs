using System;

namespace CnnGen;

/// <summary>
/// Dropout (Keras <c>Dropout</c>, PyTorch <c>nn.Dropout</c>): the identity in inference; in
/// training mode (<c>Forward(..., training: true)</c>, the trainer's steps) each value is zeroed
/// with probability <c>rate</c> and the others are scaled by <c>1 / (1 - rate)</c>. Backward
/// uses the same mask.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : LayerAttribute
{
    /// <param name="rate">The probability of zeroing a value in training, at least 0 and less than 1.</param>
    public DropoutAttribute(float rate) => Rate = rate;

    /// <summary>The probability of zeroing a value in training.</summary>
    public float Rate { get; }

    /// <summary>
    /// The seed of the masks (0 or more; default 0). With the same seed and the same calls a
    /// network draws the same masks; layers with the same seed still draw different ones.
    /// </summary>
    public int Seed { get; set; }
}
