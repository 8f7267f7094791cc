using System;

namespace CnnGen;

/// <summary>An optional declared output shape, checked against the shape the layers produce.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class OutputAttribute : Attribute
{
    /// <summary>The expected output shape, in the network's data format.</summary>
    public OutputAttribute(params int[] shape) => Shape = shape;

    /// <summary>The declared shape.</summary>
    public int[] Shape { get; }
}
