using System.Collections.Generic;

namespace CnnGen.Onnx;

/// <summary>Options of <see cref="OnnxImporter.Import(string, OnnxImportOptions?)"/>.</summary>
public sealed class OnnxImportOptions
{
    /// <summary>The network's class name; by default the model file's name in PascalCase (lenet_mnist.onnx: LenetMnist).</summary>
    public string? Name { get; init; }

    /// <summary>The namespace of the network; none by default (the global namespace).</summary>
    public string? Namespace { get; init; }

    /// <summary>
    /// The shape of one input sample without the batch dimension, channels first (3, 224, 224),
    /// for models whose channel or spatial sizes are symbolic. Sizes the model fixes must agree.
    /// </summary>
    public IReadOnlyList<int>? InputShape { get; init; }
}
