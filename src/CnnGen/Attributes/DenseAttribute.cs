using System;

namespace CnnGen;

/// <summary>A fully connected layer on a vector: output = activation(input x kernel + bias).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : LayerAttribute
{
    /// <summary>A layer with <paramref name="units"/> outputs.</summary>
    public DenseAttribute(int units) => Units = units;

    /// <summary>The number of outputs.</summary>
    public int Units { get; }

    /// <summary>The activation applied to the output. Default linear.</summary>
    public Activation Activation { get; set; } = Activation.Linear;

    /// <summary>Whether a bias is added per output. Default true.</summary>
    public bool UseBias { get; set; } = true;
}

/// <summary>Flattens a tensor to a vector in the memory order of the network's data format.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : LayerAttribute
{
}

/// <summary>An activation as a layer of its own.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ActivationAttribute : LayerAttribute
{
    /// <summary>Applies <paramref name="activation"/> to every element (softmax: over the channels).</summary>
    public ActivationAttribute(Activation activation) => Activation = activation;

    /// <summary>The activation.</summary>
    public Activation Activation { get; }
}
