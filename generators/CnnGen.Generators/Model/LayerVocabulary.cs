using System.Collections.Generic;
using CnnGen.Generators.Layers;

namespace CnnGen.Generators.Model;

/// <summary>
/// The one vocabulary of layers and options shared by the attributes, the .cnn language,
/// default layer names, diagnostics and the summary.
/// </summary>
internal static class LayerVocabulary
{
    /// <summary>The location key of a layer as a whole (the attribute, or the layer name in .cnn).</summary>
    public const string LayerKey = "layer";

    // Canonical option keys: the .cnn option names, and the location keys of LayerSpec.
    public const string Filters = "filters";
    public const string Units = "units";
    public const string Kernel = "kernel";
    public const string Pool = "pool";
    public const string Stride = "stride";
    public const string Strides = "strides";
    public const string Dilation = "dilation";
    public const string Dilations = "dilations";
    public const string Padding = "padding";
    public const string Activation = "activation";
    public const string UseBias = "use_bias";
    public const string Name = "name";
    public const string From = "from";
    public const string Inputs = "inputs";
    public const string DepthMultiplier = "depth_multiplier";
    public const string Groups = "groups";
    public const string OutputPadding = "output_padding";
    public const string OutputPaddings = "output_paddings";

    // Explicit padding and the pooling options of PyTorch models.
    public const string Pad = "pad";
    public const string Pads = "pads";
    public const string CountPadding = "count_padding";
    public const string CeilMode = "ceil_mode";
    public const string KeepDims = "keep_dims";

    // Batch normalisation and dropout.
    public const string Momentum = "momentum";
    public const string Epsilon = "epsilon";
    public const string Center = "center";
    public const string Scale = "scale";
    public const string Rate = "rate";
    public const string Seed = "seed";

    // Up-sampling.
    public const string Size = "size";
    public const string Interpolation = "interpolation";

    /// <summary>The name by which layers refer to the network's input (From = "input", add(conv2d_2, input)).</summary>
    public const string NetworkInput = "input";

    /// <summary>Every layer kind, in the order of the families that own them.</summary>
    public static IReadOnlyList<LayerKind> AllKinds => AllKindsList.Value;

    private static readonly System.Lazy<IReadOnlyList<LayerKind>> AllKindsList = new(() =>
    {
        var kinds = new List<LayerKind>();
        foreach (var syntax in LayerFamilies.Kinds)
        {
            kinds.Add(syntax.Kind);
        }

        return kinds;
    });

    /// <summary>The attribute name without "Attribute": Conv2D, MaxPool2D, Dense.</summary>
    public static string DisplayName(LayerKind kind) => kind.ToString();

    /// <summary>The .cnn name and default-name prefix: conv2d, max_pool2d, global_avg_pool.</summary>
    public static string SnakeName(LayerKind kind) =>
        LayerFamilies.IsDefined(kind) ? LayerFamilies.Syntax(kind).SnakeName : kind.ToString().ToLowerInvariant();

    public static bool TryParseSnakeName(string text, out LayerKind kind)
    {
        foreach (var candidate in AllKinds)
        {
            if (SnakeName(candidate) == text)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>The metadata name of the attribute class, e.g. CnnGen.Conv2DAttribute.</summary>
    public static string AttributeMetadataName(LayerKind kind) => "CnnGen." + DisplayName(kind) + "Attribute";

    /// <summary>The number of spatial dimensions the layer works on: 1, 2, or 0 for any.</summary>
    public static int SpatialRank(LayerKind kind) => LayerFamilies.Syntax(kind).SpatialRank;

    /// <summary>Layers with a kernel that slides over the input: convolutions of every sort (their window is a kernel, they dilate and carry parameters).</summary>
    public static bool IsConvolution(LayerKind kind) => kind is LayerKind.Conv1D or LayerKind.Conv2D || IsDepthwise(kind) || IsTransposed(kind);

    public static bool IsTransposed(LayerKind kind) => kind is LayerKind.Conv1DTranspose or LayerKind.Conv2DTranspose;

    public static bool IsDepthwise(LayerKind kind) => kind is LayerKind.DepthwiseConv1D or LayerKind.DepthwiseConv2D;

    public static bool IsPooling(LayerKind kind) =>
        kind is LayerKind.MaxPool1D or LayerKind.MaxPool2D or LayerKind.AvgPool1D or LayerKind.AvgPool2D;

    public static bool IsMaxPooling(LayerKind kind) => kind is LayerKind.MaxPool1D or LayerKind.MaxPool2D or LayerKind.GlobalMaxPool;

    public static bool IsGlobalPooling(LayerKind kind) => kind is LayerKind.GlobalMaxPool or LayerKind.GlobalAvgPool;

    public static bool HasParameters(LayerKind kind) => IsConvolution(kind) || kind == LayerKind.Dense || kind == LayerKind.BatchNormalization;

    /// <summary>The key of the window option: "kernel" for convolutions, "pool" for pooling.</summary>
    public static string WindowKey(LayerKind kind) => IsConvolution(kind) ? Kernel : Pool;

    /// <summary>The options a layer accepts in .cnn, in positional order first.</summary>
    public static IReadOnlyList<string> Options(LayerKind kind) => LayerFamilies.Syntax(kind).OptionNames();

    /// <summary>The number of leading options that may be written without a name.</summary>
    public static int PositionalCount(LayerKind kind) => LayerFamilies.Syntax(kind).PositionalCount;

    /// <summary>The .cnn spelling of a padding ("valid") or activation ("leaky_relu").</summary>
    public static string SnakeName(PaddingMode padding) => padding switch
    {
        PaddingMode.Valid => "valid",
        PaddingMode.Same => "same",
        PaddingMode.Causal => "causal",
        _ => ((int)padding).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string SnakeName(ActivationKind activation) => activation switch
    {
        ActivationKind.Linear => "linear",
        ActivationKind.Relu => "relu",
        ActivationKind.LeakyRelu => "leaky_relu",
        ActivationKind.Elu => "elu",
        ActivationKind.Sigmoid => "sigmoid",
        ActivationKind.Tanh => "tanh",
        ActivationKind.Softmax => "softmax",
        ActivationKind.Softplus => "softplus",
        ActivationKind.Silu => "silu",
        ActivationKind.Relu6 => "relu6",
        ActivationKind.HardSigmoid => "hard_sigmoid",
        ActivationKind.HardSwish => "hard_swish",
        ActivationKind.Gelu => "gelu",
        _ => ((int)activation).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string SnakeName(InterpolationMode interpolation) => interpolation switch
    {
        InterpolationMode.Nearest => "nearest",
        InterpolationMode.Bilinear => "bilinear",
        _ => ((int)interpolation).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static readonly IReadOnlyList<InterpolationMode> AllInterpolations = new[] { InterpolationMode.Nearest, InterpolationMode.Bilinear };

    public static bool IsZeroPadding(LayerKind kind) => kind is LayerKind.ZeroPadding1D or LayerKind.ZeroPadding2D;

    public static bool IsUpSampling(LayerKind kind) => kind is LayerKind.UpSampling1D or LayerKind.UpSampling2D;

    public static string SnakeName(DataFormat format) => format == DataFormat.ChannelsFirst ? "channels_first" : "channels_last";

    public static readonly IReadOnlyList<PaddingMode> AllPaddings = new[] { PaddingMode.Valid, PaddingMode.Same, PaddingMode.Causal };

    public static readonly IReadOnlyList<ActivationKind> AllActivations = new[]
    {
        ActivationKind.Linear, ActivationKind.Relu, ActivationKind.LeakyRelu, ActivationKind.Elu, ActivationKind.Sigmoid,
        ActivationKind.Tanh, ActivationKind.Softmax, ActivationKind.Softplus, ActivationKind.Silu,
        ActivationKind.Relu6, ActivationKind.HardSigmoid, ActivationKind.HardSwish, ActivationKind.Gelu,
    };

    public static bool IsDefined(PaddingMode padding) => padding is >= PaddingMode.Valid and <= PaddingMode.Causal;

    public static bool IsDefined(ActivationKind activation) => activation is >= ActivationKind.Linear and <= ActivationKind.Gelu;
}
