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
}
