namespace CnnGen.Generators.Model;

/// <summary>
/// One layer after shape inference: every size resolved, checked and ready to emit. Holds no
/// location, so moving a declaration does not re-emit code. 1-D layers use Height = 1,
/// kernel height 1 and no vertical padding.
/// </summary>
internal sealed record LayerModel(
    LayerKind Kind,
    string Name,
    string AccessorName,
    TensorShape Input,
    TensorShape Output,
    int KernelHeight,
    int KernelWidth,
    int StrideHeight,
    int StrideWidth,
    int DilationHeight,
    int DilationWidth,
    PaddingMode Padding,
    int PadTop,
    int PadBottom,
    int PadLeft,
    int PadRight,
    ActivationKind Activation,
    bool UseBias,
    int ParameterOffset,
    int KernelLength,
    int BiasLength,
    long MultiplyAdds)
{
    public int ParameterCount => KernelLength + BiasLength;

    public bool HasParameters => ParameterCount > 0;

    public bool IsConvolution => LayerVocabulary.IsConvolution(Kind);

    public bool IsPooling => LayerVocabulary.IsPooling(Kind);

    /// <summary>Glorot fan-in (Keras): receptive field times input channels, or input units.</summary>
    public int FanIn => Kind == LayerKind.Dense ? Input.Size : KernelHeight * KernelWidth * Input.Channels;

    /// <summary>Glorot fan-out (Keras): receptive field times filters, or units.</summary>
    public int FanOut => Kind == LayerKind.Dense ? Output.Channels : KernelHeight * KernelWidth * Output.Channels;
}
