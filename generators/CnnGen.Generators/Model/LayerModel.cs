namespace CnnGen.Generators.Model;

/// <summary>
/// One layer after shape inference: every size resolved, checked and ready to emit. Holds no
/// location, so moving a declaration does not re-emit code. Immutable and structurally
/// equatable, or incremental caching breaks.
/// </summary>
/// <param name="Kind">The layer kind; <see cref="Layers.LayerFamilies"/> maps it to the module that owns it.</param>
/// <param name="Name">The layer name (declared, or kind and index).</param>
/// <param name="AccessorName">The generated per-layer member prefix ("conv2d_1" -> "Conv2d1").</param>
/// <param name="Input">The shape of one input sample (of the first input, for layers that read several).</param>
/// <param name="Output">The shape of one output sample.</param>
/// <param name="Window">The window of convolutions and pooling; null for other layers.</param>
/// <param name="Activation">The activation applied to the output (fused or a separate pass).</param>
/// <param name="UseBias">Whether the layer adds a bias.</param>
/// <param name="ParameterOffset">Where the layer's parameters start in Parameters.</param>
/// <param name="KernelLength">Kernel weights.</param>
/// <param name="BiasLength">Biases.</param>
/// <param name="MultiplyAdds">Multiply-adds per sample.</param>
internal sealed record LayerModel(
    LayerKind Kind,
    string Name,
    string AccessorName,
    TensorShape Input,
    TensorShape Output,
    Window? Window,
    ActivationKind Activation,
    bool UseBias,
    int ParameterOffset,
    int KernelLength,
    int BiasLength,
    long MultiplyAdds)
{
    /// <summary>
    /// The layers whose outputs this layer reads, by index; -1 is the network's input. Set by
    /// shape inference: the previous layer by default, the layer named by From, or a merge's
    /// inputs in the order written. <see cref="Input"/> is the shape of the first.
    /// </summary>
    public EquatableArray<int> Inputs { get; init; } = EquatableArray<int>.Empty;

    /// <summary>Where the layer's state (batch normalisation's moving mean, then moving variance) starts in State.</summary>
    public int StateOffset { get; init; }

    /// <summary>Floats of state: 2 x channels for batch normalisation, 0 for other layers.</summary>
    public int StateLength { get; init; }

    /// <summary>Batch normalisation's momentum (Keras semantics) and epsilon, as written or by default.</summary>
    public float Momentum { get; init; }

    public float Epsilon { get; init; }

    /// <summary>Batch normalisation: whether gamma (the layer's kernel) exists; beta is the bias (<see cref="UseBias"/>).</summary>
    public bool Scale { get; init; }

    /// <summary>Dropout: the probability of zeroing a value in training mode.</summary>
    public float Rate { get; init; }

    /// <summary>Dropout: the seed of its masks.</summary>
    public int Seed { get; init; }

    /// <summary>Up-sampling: the factor of the height (1 for 1-D layers).</summary>
    public int UpSamplingHeight { get; init; } = 1;

    /// <summary>Up-sampling: the factor of the width (the length of a sequence).</summary>
    public int UpSamplingWidth { get; init; } = 1;

    /// <summary>Up-sampling: nearest or bilinear (linear in 1-D).</summary>
    public InterpolationMode Interpolation { get; init; }

    /// <summary>Average pooling divides by the whole window within the declared padding (CountPadding).</summary>
    public bool CountPadding { get; init; }

    /// <summary>Global pooling keeps its spatial dimensions as 1 (KeepDims).</summary>
    public bool KeepDims { get; init; }

    /// <summary>
    /// Convolution groups (Groups, default 1): group g reads input channels g * c / groups...
    /// and writes filters g * f / groups...; the kernel is (kh, kw, c / groups, f).
    /// </summary>
    public int Groups { get; init; } = 1;

    /// <summary>Transposed convolutions: rows added after the output (PyTorch's output_padding, with what padding 'same' adds).</summary>
    public int OutputPaddingHeight { get; init; }

    /// <summary>Transposed convolutions: columns (1-D: positions) added after the output.</summary>
    public int OutputPaddingWidth { get; init; }

    /// <summary>
    /// The convolution whose input gradient a transposed convolution's forward pass is (see
    /// TransposedConvolutionFamily): its input-gradient vectors split its input channels exactly
    /// instead of padding them, so that the sums go straight into the transposed layer's tensor.
    /// </summary>
    public bool IsAdjoint { get; init; }

    /// <summary>
    /// True for the inference-mode variant of a convolution, depthwise convolution or dense layer
    /// that absorbs the batch normalisation after it (see InferenceFold): its stores compute
    /// sum * scale + shift per output channel, the scales and shifts read after the bias
    /// (at b + channels and b + 2 channels), then its activation.
    /// </summary>
    public bool FoldsNormalization { get; init; }

    /// <summary>
    /// True for the inference-mode variant of a layer (see InferenceFold): its stores apply its
    /// activation even when training runs it as a pass (hard swish; gelu and silu in depthwise
    /// convolutions; see ActivationPlan.IsFusedInInference), since inference keeps no pre-activation.
    /// </summary>
    public bool FusesInInference { get; init; }

    /// <summary>Input channels one filter reads: all of them, or those of its group.</summary>
    public int GroupChannels => Input.Channels / Groups;

    /// <summary>Filters of one group.</summary>
    public int GroupFilters => Output.Channels / Groups;

    public int ParameterCount => KernelLength + BiasLength;

    public bool HasParameters => ParameterCount > 0;

    public bool IsConvolution => LayerVocabulary.IsConvolution(Kind);

    public bool IsPooling => LayerVocabulary.IsPooling(Kind);

    /// <summary>The window's rows; one tap and no padding for layers without a window.</summary>
    public Spatial Rows => Window?.Height ?? Spatial.None;

    /// <summary>The window's columns; one tap and no padding for layers without a window.</summary>
    public Spatial Columns => Window?.Width ?? Spatial.None;

    public PaddingMode Padding => Window?.Padding ?? PaddingMode.Valid;

    // Short names for the emitters' arithmetic, which reads better with them: the values the
    // kernels use (Spatial.Step, Spatial.Spread). Words and the architecture use Rows and Columns.
    public int KernelHeight => Rows.Kernel;

    public int KernelWidth => Columns.Kernel;

    public int StrideHeight => Rows.Step;

    public int StrideWidth => Columns.Step;

    public int DilationHeight => Rows.Spread;

    public int DilationWidth => Columns.Spread;

    public int PadTop => Rows.PadBefore;

    public int PadBottom => Rows.PadAfter;

    public int PadLeft => Columns.PadBefore;

    public int PadRight => Columns.PadAfter;

    /// <summary>
    /// Glorot fan-in (Keras, from the kernel's shape): the receptive field times the kernel's
    /// second-to-last axis (input channels, input units, or the input channels of a depthwise kernel).
    /// </summary>
    public int FanIn => Fans().In;

    /// <summary>Glorot fan-out (Keras): the receptive field times the kernel's last axis (filters, units, depth multiplier).</summary>
    public int FanOut => Fans().Out;

    private (int In, int Out) Fans()
    {
        var shape = Layers.LayerFamilies.Of(this).KernelShape(this);
        if (shape.Length < 2)
        {
            return (0, 0);
        }

        var receptive = 1;
        for (var i = 0; i < shape.Length - 2; i++)
        {
            receptive *= shape[i];
        }

        return (receptive * shape[shape.Length - 2], receptive * shape[shape.Length - 1]);
    }
}
