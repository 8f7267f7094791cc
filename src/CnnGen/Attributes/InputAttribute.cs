using System;

namespace CnnGen;

/// <summary>The shape of one input sample, or another network whose output feeds this one.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>
    /// The input shape in the network's data format: spatial dimensions then channels
    /// (channels last), or channels then spatial dimensions (channels first). One number is a vector.
    /// </summary>
    public InputAttribute(params int[] shape) => Shape = shape;

    /// <summary>The input is the output of another network declared with CnnGen.</summary>
    public InputAttribute(Type network)
    {
        Shape = Array.Empty<int>();
        Network = network;
    }

    /// <summary>The declared shape; empty when the input is another network.</summary>
    public int[] Shape { get; }

    /// <summary>The network whose output is this network's input, if any.</summary>
    public Type? Network { get; }
}
