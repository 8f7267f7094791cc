using System.Collections.Generic;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// How a layer kind is written: its .cnn name, the spatial rank it works on, the options it
/// accepts (positional ones first) and an example of the required ones for messages.
/// </summary>
internal sealed record LayerSyntax(
    LayerKind Kind,
    string SnakeName,
    int SpatialRank,
    IReadOnlyList<LayerOption> Options,
    int PositionalCount,
    string Example,
    bool AllowsCausal = false)
{
    private IReadOnlyList<string>? _optionNames;

    /// <summary>
    /// The .cnn option names: each option's key, the per-dimension spelling of 2-D layers
    /// (strides), and last 'from', which every layer accepts.
    /// </summary>
    public IReadOnlyList<string> OptionNames() => _optionNames ??= ListOptionNames();

    /// <summary>The option whose values are the layers this kind reads (a merge's inputs), or null: it reads one, by default the previous layer.</summary>
    public LayerOption? InputsOption => (_inputsOption ??= new OptionSlot(FindInputsOption())).Option;

    private OptionSlot? _inputsOption;

    private LayerOption? FindInputsOption()
    {
        foreach (var option in Options)
        {
            if (option.Form == OptionForm.LayerReferences)
            {
                return option;
            }
        }

        return null;
    }

    /// <summary>A looked-up option, null included, so that the lookup runs once.</summary>
    private sealed record OptionSlot(LayerOption? Option);

    private IReadOnlyList<string> ListOptionNames()
    {
        var names = new List<string>();
        foreach (var option in Options)
        {
            names.Add(option.Key);
            // 1-D layers write one stride for their one dimension, but pads has two values (before, after).
            if (option.PerDimensionKey is { } perDimension && (SpatialRank == 2 || option.Form == OptionForm.Pads))
            {
                names.Add(perDimension);
            }
        }

        if (!names.Contains(LayerOptions.From.Key))
        {
            names.Add(LayerOptions.From.Key);
        }

        return names;
    }
}

/// <summary>
/// One family of layers (convolution, pooling, dense...): the module that owns everything a
/// kind needs, from its options to its code. Shape inference, the describer, the workspace
/// plan and the emitters find the family of a layer through <see cref="LayerFamilies"/>
/// instead of switching on its kind, so a new kind is one new family (or one more kind of an
/// existing one) and its registration.
/// </summary>
internal abstract class LayerFamily
{
    /// <summary>The kinds of the family and how each is written.</summary>
    public abstract IReadOnlyList<LayerSyntax> Kinds { get; }

    // ---- Checking and shapes ----------------------------------------------------------------

    /// <summary>
    /// Checks the options that do not depend on shapes, beyond what every option's form
    /// already checked (sizes at least 1, choices defined). Reports and returns false on error.
    /// </summary>
    public virtual bool Validate(LayerContext context) => true;

    /// <summary>
    /// True when <see cref="Validate"/> checks the family's sizes and pads itself (how many
    /// values, their range) instead of the generic rules of their forms.
    /// </summary>
    public virtual bool ChecksOwnSizes => false;

    /// <summary>The checked layer for its input shape, or null after reporting why it does not fit.</summary>
    public abstract LayerModel? Infer(LayerContext context);

    // ---- Words ------------------------------------------------------------------------------

    /// <summary>The options of a layer in words, for the summary and comments: "kernel 3x3", "stride 2".</summary>
    public virtual void Describe(LayerModel layer, List<string> parts)
    {
    }

    /// <summary>The Keras layout of the layer's kernel, empty when it has none.</summary>
    public virtual int[] KernelShape(LayerModel layer) => System.Array.Empty<int>();

    /// <summary>The names of the kernel's axes: "kernel height, kernel width, input channels, filters".</summary>
    public virtual string KernelAxes(LayerModel layer) => string.Empty;

    // ---- Memory -----------------------------------------------------------------------------

    /// <summary>The frame of padding this layer needs around its input tensor.</summary>
    public virtual Frame InputFrame(LayerModel layer) => Frame.None;

    /// <summary>
    /// True when the layer reads its inputs' interiors wherever they sit (through
    /// <see cref="TensorLayout.InteriorOffset"/> and <see cref="TensorLayout.RowStride"/>), so
    /// an input may keep the frame another reader needs. Otherwise the layer reads a tensor
    /// stored in exactly <see cref="InputFrame"/> (the plan makes a copy when another reader
    /// decided the frame).
    /// </summary>
    public virtual bool ReadsAnyFrame(LayerModel layer) => false;

    /// <summary>
    /// True when the layer's backward can add into an input gradient instead of writing it,
    /// as <see cref="LayerEmission.InputGradientAccumulates"/> asks where several layers read
    /// one tensor. Otherwise the layer writes into a scratch tensor that is then added.
    /// </summary>
    public virtual bool CanAccumulateInputGradient(LayerModel layer) => false;

    /// <summary>True when the layer's output is its input's memory under another shape (no copy).</summary>
    public virtual bool IsViewOfInput(NetworkModel network, LayerModel layer) => false;

    /// <summary>True when the layer writes a pre-activation tensor and applies its activation in a second pass.</summary>
    public virtual bool NeedsPreActivation(LayerModel layer) => false;

    /// <summary>True when the layer computes differently in training mode (batch statistics, dropout): its calls then receive the state and the mode.</summary>
    public virtual bool HasTrainingMode(LayerModel layer) => false;

    /// <summary>The frame of the layer's pre-activation tensor (none: the tensor is unframed).</summary>
    public virtual Frame PreActivationFrame(LayerModel layer) => Frame.None;

    /// <summary>Floats of forward scratch independent of the batch (a repacked kernel), at the end of either workspace.</summary>
    public virtual int ForwardScratchFloats(LayerModel layer) => 0;

    /// <summary>
    /// Floats of the layer's kernel packed whole, which the network keeps after <c>PackWeights</c>
    /// so that Forward reads it instead of packing it again (0: the layer packs nothing per call).
    /// A layer with some passes them to its forward kernel as <c>ref float pw, bool prepacked</c>
    /// after its scratch (<see cref="Emit.Plans.WorkspacePlan.PackedKernelArguments"/>).
    /// </summary>
    public virtual int PackedKernelFloats(LayerModel layer) => 0;

    /// <summary>
    /// True when the layer's forward kernels can apply a batch normalisation's scale and shift in
    /// their stores (<see cref="LayerModel.FoldsNormalization"/>), so that in inference the
    /// normalisation after it folds into it (see InferenceFold).
    /// </summary>
    public virtual bool CanFoldNormalization(LayerModel layer) => false;

    /// <summary>
    /// True when the layer's inference variant applies gelu and silu in its stores too, not only
    /// hard swish (see <see cref="ActivationPlan.IsFusedInInference"/>): for kernels with little
    /// arithmetic per byte, where a pass over the output costs more than the activation.
    /// </summary>
    public virtual bool AppliesCostlyActivationsInStores(LayerModel layer) => false;

    /// <summary>Floats of backward scratch independent of the batch (a transposed kernel).</summary>
    public virtual int BackwardScratchFloats(LayerModel layer) => 0;

    /// <summary>Floats per sample of backward scratch that grows with the batch.</summary>
    public virtual int BatchScratchFloats(LayerModel layer, TensorLayout input) => 0;

    // ---- Code -------------------------------------------------------------------------------

    /// <summary>Writes the initialisation of a layer with parameters in InitializeParameters (random is the seeded generator): Glorot-uniform kernel, zero bias.</summary>
    public virtual void EmitInitialization(SourceWriter writer, LayerModel layer)
    {
        writer.Comment(layer.Name + ": Glorot uniform with fan-in " + layer.FanIn.ToString(System.Globalization.CultureInfo.InvariantCulture) +
            " and fan-out " + layer.FanOut.ToString(System.Globalization.CultureInfo.InvariantCulture) + (layer.UseBias ? "; biases stay zero." : "."));
        writer.Line(NetworkEmitter.Runtime + "Initializers.GlorotUniform(Parameters.Slice(" +
            NetworkEmitter.Numbers(layer.ParameterOffset, layer.KernelLength) + "), " + NetworkEmitter.Numbers(layer.FanIn, layer.FanOut) + ", random);");
    }

    /// <summary>The plans of the layer's vectorised kernels at a width (what each kernel decided), for tests and comments.</summary>
    public virtual IReadOnlyList<KernelPlan> Plans(LayerEmission emission, VectorIsa isa) => System.Array.Empty<KernelPlan>();

    /// <summary>Writes the layer's forward methods.</summary>
    public abstract void EmitForward(LayerEmission emission);

    /// <summary>Writes the layer's step in ForwardLayers.</summary>
    public abstract void EmitForwardCall(LayerEmission emission);

    /// <summary>Writes the layer's backward methods.</summary>
    public abstract void EmitBackward(LayerEmission emission);

    /// <summary>Writes the layer's step in BackwardLayers.</summary>
    public abstract void EmitBackwardCall(LayerEmission emission);
}

/// <summary>The frame of padding cells around a tensor, and what they hold.</summary>
internal readonly record struct Frame(int Top, int Bottom, int Left, int Right, bool IsNegativeInfinity)
{
    public static readonly Frame None = default;
}
