using System;
using System.Collections.Generic;

namespace CnnGen.Onnx;

/// <summary>One layer of an imported network: what it is, what it reads, its weights in Keras layout, and the ONNX nodes it came from.</summary>
public sealed class ImportedLayer
{
    internal ImportedLayer(LayerInfo info, IReadOnlyList<string> inputs, IReadOnlyList<string> onnxNodes, float[] kernel, float[] bias, float[] state)
    {
        State = state;
        Info = info;
        Inputs = inputs;
        OnnxNodes = onnxNodes;
        Kernel = kernel;
        Bias = bias;
    }

    /// <summary>The layer as the generated network will describe it (kind, name, shapes, window, padding, activation, parameter offset).</summary>
    public LayerInfo Info { get; }

    /// <summary>The layer kind.</summary>
    public LayerKind Kind => Info.Kind;

    /// <summary>The layer name.</summary>
    public string Name => Info.Name;

    /// <summary>The layers it reads, by name ("input" is the network input): one, or a merge's inputs in order.</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>The names of the ONNX nodes this layer computes (a Conv, the Relu fused into it, a Pad merged into it...).</summary>
    public IReadOnlyList<string> OnnxNodes { get; }

    /// <summary>The kernel in Keras layout (see <see cref="LayerInfo.KernelShape"/>); empty without parameters.</summary>
    public ReadOnlyMemory<float> Kernel { get; }

    /// <summary>The bias; empty without one.</summary>
    public ReadOnlyMemory<float> Bias { get; }

    /// <summary>The layer's state (batch normalisation's moving mean, then its moving variance); empty for other layers.</summary>
    public ReadOnlyMemory<float> State { get; }
}
