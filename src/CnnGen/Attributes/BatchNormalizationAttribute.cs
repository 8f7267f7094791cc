using System;

namespace CnnGen;

/// <summary>
/// Batch normalisation (Keras <c>BatchNormalization</c>, PyTorch <c>BatchNorm1d/2d</c>): each
/// channel is normalised, then scaled by <c>gamma</c> and shifted by <c>beta</c>. In training
/// mode (<c>Forward(..., training: true)</c>) it uses the batch's mean and biased variance over
/// samples and positions and updates the moving statistics in <c>State</c>; in inference it
/// uses the moving statistics: <c>gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNormalizationAttribute : LayerAttribute
{
    /// <summary>
    /// The weight of the old moving statistics in each update:
    /// <c>moving = moving * momentum + batch * (1 - momentum)</c>. Default 0.99 (Keras); PyTorch's
    /// <c>momentum=0.1</c> is 0.9 here. In [0, 1].
    /// </summary>
    public float Momentum { get; set; } = 0.99f;

    /// <summary>Added to the variance before the square root. Default 0.001 (Keras; PyTorch's default is 1e-5). Greater than 0.</summary>
    public float Epsilon { get; set; } = 0.001f;

    /// <summary>Whether to add the learned shift <c>beta</c>. Default true.</summary>
    public bool Center { get; set; } = true;

    /// <summary>Whether to multiply by the learned scale <c>gamma</c>. Default true.</summary>
    public bool Scale { get; set; } = true;
}
