using System;

namespace CnnGen;

/// <summary>
/// The element-wise sum of two or more earlier outputs, named in <c>inputs</c> (layer names, or
/// <c>"input"</c> for the network's input): ResNet's skip connection. The shapes must be equal,
/// except that an input of one position (1x1xC, 1xC, or a channel vector C) is added at every
/// position of the others.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AddAttribute : LayerAttribute
{
    /// <summary>Adds the outputs of the layers named, in any order.</summary>
    public AddAttribute(params string[] inputs) => Inputs = inputs;

    /// <summary>The layers whose outputs are added.</summary>
    public string[] Inputs { get; }

    /// <summary>The activation applied after the sum (ResNet's relu). Default linear.</summary>
    public Activation Activation { get; set; } = Activation.Linear;
}

/// <summary>
/// The element-wise product of two or more earlier outputs, named in <c>inputs</c>. The shapes
/// must be equal, except that an input of one position (1x1xC, 1xC, or a channel vector C)
/// multiplies every position of the others: the gate of a squeeze-and-excitation block.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MultiplyAttribute : LayerAttribute
{
    /// <summary>Multiplies the outputs of the layers named.</summary>
    public MultiplyAttribute(params string[] inputs) => Inputs = inputs;

    /// <summary>The layers whose outputs are multiplied.</summary>
    public string[] Inputs { get; }
}

/// <summary>
/// Two or more earlier outputs joined along the channel axis, in the order named: SqueezeNet's
/// fire module, U-Net's skip connections. Their spatial sizes must be equal.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ConcatenateAttribute : LayerAttribute
{
    /// <summary>Joins the channels of the layers named, first to last.</summary>
    public ConcatenateAttribute(params string[] inputs) => Inputs = inputs;

    /// <summary>The layers whose channels are joined, in order.</summary>
    public string[] Inputs { get; }
}
