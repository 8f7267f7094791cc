using System;
using System.Globalization;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// One layer during code generation: where to write, the network, the layer and its tensors
/// in the workspace, and the names the ForwardLayers and BackwardLayers methods give them
/// (t<i>k</i> for tensor k, z<i>i</i> for pre-activations, g<i>k</i> for gradients, gs for the
/// gradient scratch). Tensor i + 1 is the output of layer i; a layer reads the tensors of its
/// inputs (<see cref="WorkspacePlan.ReadTensors"/>), one or several.
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

    private LayerEmission(SourceWriter writer, NetworkModel network, WorkspacePlan plan, InferenceFold fold)
        : this(writer, network, plan, fold.Producer)
    {
        _fold = fold;
        _variant = fold.Variant(network);
    }

    /// <summary>
    /// The inference-mode variant of <paramref name="fold"/>'s producer: the layer with the batch
    /// normalisation (and activation) after it folded in, writing the fold's last tensor, its
    /// bias, scales and shifts read from the forward scratch.
    /// </summary>
    public static LayerEmission Folded(SourceWriter writer, NetworkModel network, WorkspacePlan plan, InferenceFold fold) => new(writer, network, plan, fold);

    private LayerEmission(LayerEmission emission, LayerModel runAs)
        : this(emission.Writer, emission.Network, emission.Plan, emission.Index)
    {
        _fold = emission._fold;
        _variant = runAs;
        _described = emission.Layer;
    }

    /// <summary>
    /// The same step with the layer run as another family's layer (a depthwise convolution of few
    /// channels as a grouped convolution): the same tensors, parameters and workspace, the other
    /// family's code; comments still describe the declared layer.
    /// </summary>
    public LayerEmission RunAs(LayerModel layer) => new(this, layer);

    private readonly InferenceFold? _fold;

    private readonly LayerModel? _variant;

    /// <summary>The declared layer, when <see cref="Layer"/> is the layer it runs as (<see cref="RunAs"/>).</summary>
    private readonly LayerModel? _described;

    public SourceWriter Writer { get; }

    public NetworkModel Network { get; }

    public WorkspacePlan Plan { get; }

    /// <summary>The layer's position in the network.</summary>
    public int Index { get; }

    public LayerModel Layer => _variant ?? Network.Layers[Index];

    public DataFormat Format => Network.Format;

    /// <summary>How many tensors the layer reads.</summary>
    public int InputCount => Plan.ReadTensors[Index].Length;

    /// <summary>The tensor the layer reads (its first, for layers that read several).</summary>
    public TensorLayout Input => InputOf(0);

    /// <summary>Input <paramref name="input"/> of the layer, as stored where the layer reads it.</summary>
    public TensorLayout InputOf(int input) => Plan.Tensors[Plan.ReadTensors[Index][input]];

    /// <summary>The tensor the layer writes.</summary>
    public TensorLayout Output => Plan.Tensors[OutputIndex];

    /// <summary>
    /// The pre-activation tensor, when the activation runs as a separate pass: never in a folded
    /// variant (its activation is fused), but for a family whose sums always land there first (a
    /// transposed convolution's, framed by its crop pads).
    /// </summary>
    public TensorLayout? PreActivation => _fold is null || LayerFamilies.Of(Layer).NeedsPreActivation(Layer) ? Plan.PreActivations[Index] : null;

    private int OutputIndex => _fold?.Target ?? Index + 1;

    public bool IsLast => Index == Network.Layers.Count - 1;

    /// <summary>"conv2d_1: 8x8x1 -> 8x8x8, kernel 3x3, ...": the comment above the layer's code; in a graph it names what the layer reads.</summary>
    public string Description => Network.IsChain
        ? LayerDescriber.Describe(_described ?? Layer, Format)
        : LayerDescriber.Describe(_described ?? Layer, Format) + "; reads " + LayerDescriber.ConnectedTo(Network, Index);

    // Names in ForwardLayers and BackwardLayers.
    public string InputTensor => InputTensorOf(0);

    public string InputTensorOf(int input) => "t" + Number(Plan.ReadTensors[Index][input]);

    public string OutputTensor => "t" + Number(OutputIndex);

    public string PreActivationTensor => "z" + Number(Index + 1);

    /// <summary>Where the layer writes dL/d(its input): the input's gradient, or the gradient scratch when it must be added after.</summary>
    public string InputGradient => InputGradientOf(0);

    public string InputGradientOf(int input) =>
        Plan.Gradients.ViaScratch(Index, input) ? "gs" : "g" + Number(Plan.ReadTensors[Index][input]);

    public string OutputGradient => "g" + Number(Index + 1);

    /// <summary>
    /// True when the layer must add into the gradient of input <paramref name="input"/> because
    /// another reader of the tensor wrote it first (only asked of families that
    /// <see cref="LayerFamily.CanAccumulateInputGradient"/>; others write into the scratch).
    /// </summary>
    public bool InputGradientAccumulates(int input) =>
        Plan.Gradients.Inputs[Index][input] == GradientMode.Accumulate && !Plan.Gradients.ViaScratch(Index, input);

    /// <summary>A ref to the layer's kernel in the parameters (p) or their gradients (pg).</summary>
    public string Weights(string parameters = "p") => "ref " + FrameworkNames.Unsafe + ".Add(ref " + parameters + ", " + Number(Layer.ParameterOffset) + ")";

    /// <summary>A ref to the layer's bias (or where it would be) in the parameters (p) or their gradients (pg).</summary>
    public string Bias(string parameters = "p") => _fold is { HasNormalization: true } && parameters == "p"
        ? _fold.ScratchBlock(Network)
        : "ref " + FrameworkNames.Unsafe + ".Add(ref " + parameters + ", " + Number(Layer.ParameterOffset + (Layer.UseBias ? Layer.KernelLength : 0)) + ")";

    /// <summary>
    /// Writes the input-gradient work of the layer's (first) input: unconditionally, or only
    /// when the caller asked for dL/d(input) if it reads the network input.
    /// </summary>
    public void InputGradientWork(Action body) => InputGradientWork(0, body);

    /// <summary>
    /// Writes the work for the gradient of input <paramref name="input"/>: guarded by
    /// inputGradient when it reads the network input, and followed by adding the scratch into
    /// the input's gradient when the layer wrote it there.
    /// </summary>
    public void InputGradientWork(int input, Action body)
    {
        var tensor = Plan.ReadTensors[Index][input];
        if (!ReadsNetworkInput(input))
        {
            Body();
            return;
        }

        using (Writer.Open("if (inputGradient)"))
        {
            Body();
        }

        void Body()
        {
            body();
            if (Plan.Gradients.ViaScratch(Index, input))
            {
                var layout = InputOf(input);
                Writer.Comment("Another reader of " + Describe(tensor) + " wrote its gradient first: add this layer's.");
                TensorPasses.EmitInterior(Writer, layout, layout, "gs", "g" + Number(tensor), accumulate: true);
            }
        }
    }

    /// <summary>True when input <paramref name="input"/> is the network input (or a copy of it), whose gradient is computed only when the caller asks.</summary>
    public bool ReadsNetworkInput(int input)
    {
        var tensor = Plan.ReadTensors[Index][input];
        return tensor == 0 || Plan.Copies.Count > 0 && tensor > Network.Layers.Count && Plan.Copies[tensor - Network.Layers.Count - 1].Source == 0;
    }

    /// <summary>Clears the input gradient of the batch (layers that add into it).</summary>
    public void ClearInputGradient() =>
        Writer.Line("global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref " + InputGradient + ", " + CompactLoops.Times("batch", Input.StoredSize) + ").Clear();");

    /// <summary>"tensor 3 (conv2d_2)": how comments name a tensor.</summary>
    private string Describe(int tensor) => tensor <= Network.Layers.Count
        ? "tensor " + Number(tensor) + " (" + Network.NameOf(tensor - 1) + ")"
        : "tensor " + Number(tensor);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
