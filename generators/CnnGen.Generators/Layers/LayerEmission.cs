using System;
using System.Globalization;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// One layer during code generation: where to write, the network, the layer and its tensors
/// in the workspace, and the names the ForwardLayers and BackwardLayers methods give them
/// (t<i>i</i> for activations, z<i>i</i> for pre-activations, g<i>i</i> for gradients).
/// </summary>
internal sealed class LayerEmission
{
    public LayerEmission(SourceWriter writer, NetworkModel network, WorkspacePlan plan, int index)
    {
        Writer = writer;
        Network = network;
        Plan = plan;
        Index = index;
    }

    public SourceWriter Writer { get; }

    public NetworkModel Network { get; }

    public WorkspacePlan Plan { get; }

    /// <summary>The layer's position in the network.</summary>
    public int Index { get; }

    public LayerModel Layer => Network.Layers[Index];

    public DataFormat Format => Network.Format;

    /// <summary>The tensor the layer reads.</summary>
    public TensorLayout Input => Plan.Tensors[Index];

    /// <summary>The tensor the layer writes.</summary>
    public TensorLayout Output => Plan.Tensors[Index + 1];

    /// <summary>The pre-activation tensor, when the activation runs as a separate pass.</summary>
    public TensorLayout? PreActivation => Plan.PreActivations[Index];

    public bool IsLast => Index == Network.Layers.Count - 1;

    /// <summary>"conv2d_1: 8x8x1 -> 8x8x8, kernel 3x3, ...": the comment above the layer's code.</summary>
    public string Description => LayerDescriber.Describe(Layer, Format);

    // Names in ForwardLayers and BackwardLayers.
    public string InputTensor => "t" + Number(Index);

    public string OutputTensor => "t" + Number(Index + 1);

    public string PreActivationTensor => "z" + Number(Index + 1);

    public string InputGradient => "g" + Number(Index);

    public string OutputGradient => "g" + Number(Index + 1);

    /// <summary>A ref to the layer's kernel in the parameters (p) or their gradients (pg).</summary>
    public string Weights(string parameters = "p") => "ref Unsafe.Add(ref " + parameters + ", " + Number(Layer.ParameterOffset) + ")";

    /// <summary>A ref to the layer's bias (or where it would be) in the parameters (p) or their gradients (pg).</summary>
    public string Bias(string parameters = "p") =>
        "ref Unsafe.Add(ref " + parameters + ", " + Number(Layer.ParameterOffset + (Layer.UseBias ? Layer.KernelLength : 0)) + ")";

    /// <summary>
    /// Writes the input-gradient work of the layer: unconditionally, or for the first layer
    /// only when the caller asked for dL/d(input).
    /// </summary>
    public void InputGradientWork(Action body)
    {
        if (Index != 0)
        {
            body();
            return;
        }

        using (Writer.Open("if (inputGradient)"))
        {
            body();
        }
    }

    /// <summary>Clears the input gradient of the batch (layers that add into it).</summary>
    public void ClearInputGradient() =>
        Writer.Line("global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref " + InputGradient + ", batch * " + Number(Input.StoredSize) + ").Clear();");

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
