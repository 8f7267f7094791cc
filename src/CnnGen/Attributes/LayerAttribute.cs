using System;

namespace CnnGen;

/// <summary>The base of every layer attribute. Layers apply in the order they are written.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public abstract class LayerAttribute : Attribute
{
    /// <summary>
    /// The layer's name in diagnostics, the summary and the generated accessors. Default: the
    /// kind and a 1-based index per kind, such as <c>conv2d_1</c> or <c>dense_2</c>.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>
    /// The layer whose output this layer reads instead of the previous layer's: the name of an
    /// earlier layer, or <c>"input"</c> for the network's input. A skip connection or a branch
    /// starts here. Merges (<see cref="AddAttribute"/>, <see cref="MultiplyAttribute"/>,
    /// <see cref="ConcatenateAttribute"/>) name their inputs instead.
    /// </summary>
    public string? From { get; set; }
}
