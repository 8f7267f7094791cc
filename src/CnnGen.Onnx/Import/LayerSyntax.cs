using System;
using System.Collections.Generic;
using System.Linq;

namespace CnnGen.Onnx;

/// <summary>One argument of a layer declaration, in a form both the .cnn and the C# writer print.</summary>
/// <param name="Name">The .cnn option name (snake_case); the C# named argument is its PascalCase.</param>
/// <param name="Value">An int, a float, an int[] of sizes (3x5), an enum member (Activation.Relu), a bool or a layer name.</param>
/// <param name="Positional">A constructor argument in C# (the first is also written without its name in .cnn; one without a name never has one: a merge's inputs).</param>
internal sealed record LayerOption(string Name, object Value, bool Positional = false);

/// <summary>A member of one of CnnGen's enums, printed Activation.LeakyRelu in C# and leaky_relu in .cnn.</summary>
internal sealed record EnumMember(string Type, string Member);

/// <summary>A layer name, printed "conv1" in C# and conv1 in .cnn.</summary>
internal sealed record LayerName(string Text);

/// <summary>
/// How each layer kind is declared: its .cnn and attribute names and the arguments it needs,
/// defaults left out. A new layer kind is one entry.
/// </summary>
internal static class LayerSyntax
{
    private sealed record Entry(string DslName, string AttributeName, Func<LayerDraft, IEnumerable<LayerOption>> Options);

    private static readonly Dictionary<LayerKind, Entry> Entries = new()
    {
        [LayerKind.Conv1D] = new("conv1d", "Conv1D", Convolution),
        [LayerKind.Conv2D] = new("conv2d", "Conv2D", Convolution),
        [LayerKind.MaxPool1D] = new("max_pool1d", "MaxPool1D", Pooling),
        [LayerKind.MaxPool2D] = new("max_pool2d", "MaxPool2D", Pooling),
        [LayerKind.AvgPool1D] = new("avg_pool1d", "AvgPool1D", Pooling),
        [LayerKind.AvgPool2D] = new("avg_pool2d", "AvgPool2D", Pooling),
        [LayerKind.GlobalMaxPool] = new("global_max_pool", "GlobalMaxPool", GlobalPooling),
        [LayerKind.GlobalAvgPool] = new("global_avg_pool", "GlobalAvgPool", GlobalPooling),
        [LayerKind.Flatten] = new("flatten", "Flatten", _ => []),
        [LayerKind.Dense] = new("dense", "Dense", Dense),
        [LayerKind.Activation] = new("activation", "Activation", layer => [new("activation", Enum(layer.Activation), Positional: true)]),
        [LayerKind.DepthwiseConv1D] = new("depthwise_conv1d", "DepthwiseConv1D", Depthwise),
        [LayerKind.DepthwiseConv2D] = new("depthwise_conv2d", "DepthwiseConv2D", Depthwise),
        [LayerKind.Conv1DTranspose] = new("conv1d_transpose", "Conv1DTranspose", TransposedConvolution),
        [LayerKind.Conv2DTranspose] = new("conv2d_transpose", "Conv2DTranspose", TransposedConvolution),
        [LayerKind.Add] = new("add", "Add", layer => Activated(layer)),
        [LayerKind.Multiply] = new("multiply", "Multiply", _ => []),
        [LayerKind.Concatenate] = new("concatenate", "Concatenate", _ => []),
        [LayerKind.BatchNormalization] = new("batch_norm", "BatchNormalization", BatchNormalization),
        [LayerKind.ZeroPadding1D] = new("zero_padding1d", "ZeroPadding1D", ZeroPadding),
        [LayerKind.ZeroPadding2D] = new("zero_padding2d", "ZeroPadding2D", ZeroPadding),
        [LayerKind.UpSampling1D] = new("up_sampling1d", "UpSampling1D", UpSampling),
        [LayerKind.UpSampling2D] = new("up_sampling2d", "UpSampling2D", UpSampling),
    };

    /// <summary>Keras's defaults, which the generator applies where the declaration leaves them out.</summary>
    private const float DefaultMomentum = 0.99f;

    private const float DefaultEpsilon = 0.001f;

    /// <summary>conv2d, max_pool2d: the .cnn name, also the prefix of default layer names (conv2d_1).</summary>
    public static string DslName(LayerKind kind) => Entries[kind].DslName;

    /// <summary>Conv2D, MaxPool2D: the attribute without "Attribute".</summary>
    public static string AttributeName(LayerKind kind) => Entries[kind].AttributeName;

    /// <summary>
    /// The layer's arguments, defaults left out: a merge's inputs first (as names without an
    /// option name), then what its kind needs; <paramref name="nameOf"/> names a layer's output
    /// ("input" for the network input).
    /// </summary>
    public static IReadOnlyList<LayerOption> Options(LayerDraft layer, Func<LayerDraft?, string> nameOf)
    {
        var options = new List<LayerOption>();
        if (IsMerge(layer.Kind))
        {
            options.AddRange(layer.Inputs.Select(input => new LayerOption(string.Empty, new LayerName(nameOf(input)), Positional: true)));
        }

        options.AddRange(Entries[layer.Kind].Options(layer));
        return options;
    }

    public static bool IsMerge(LayerKind kind) => kind is LayerKind.Add or LayerKind.Multiply or LayerKind.Concatenate;

    public static EnumMember Enum<T>(T value) where T : struct, System.Enum => new(typeof(T).Name, value.ToString());

    /// <summary>A depthwise convolution: the kernel, the depth multiplier (not 1), then a convolution's options after its filters.</summary>
    private static IEnumerable<LayerOption> Depthwise(LayerDraft layer)
    {
        yield return new("kernel", Sizes(layer.Window), Positional: true);
        if (layer.KernelShape[^1] != 1)
        {
            yield return new("depth_multiplier", layer.KernelShape[^1]);
        }

        foreach (var option in Convolution(layer).Skip(2))
        {
            yield return option;
        }
    }

    private static IEnumerable<LayerOption> Convolution(LayerDraft layer)
    {
        yield return new("filters", layer.OutputShape[0], Positional: true);
        yield return new("kernel", Sizes(layer.Window), Positional: true);
        foreach (var option in PerDimension("stride", "strides", layer.Strides))
        {
            yield return option;
        }

        foreach (var option in PerDimension("dilation", "dilations", layer.Dilations))
        {
            yield return option;
        }

        if (layer.Padding != Padding.Valid)
        {
            yield return new("padding", Enum(layer.Padding));
        }

        foreach (var option in Pads(layer))
        {
            yield return option;
        }

        if (layer.Groups != 1)
        {
            yield return new("groups", layer.Groups);
        }

        if (layer.Activation != Activation.Linear)
        {
            yield return new("activation", Enum(layer.Activation));
        }

        if (layer.Bias is null)
        {
            yield return new("use_bias", false);
        }
    }

    /// <summary>
    /// A transposed convolution: a convolution's options without groups, and output_padding
    /// after the pads when they are written (padding 'same' implies its own): one value when
    /// every dimension agrees (a 1-D layer has only output_padding), else output_paddings: HxW.
    /// </summary>
    private static IEnumerable<LayerOption> TransposedConvolution(LayerDraft layer)
    {
        var options = Convolution(layer).ToList();
        if (layer.ExplicitPads && layer.OutputPadding.Any(p => p != 0))
        {
            var at = options.FindIndex(option => option.Name is "activation" or "use_bias");
            options.Insert(at < 0 ? options.Count : at, layer.OutputPadding.Distinct().Count() == 1
                ? new("output_padding", layer.OutputPadding[0])
                : new("output_paddings", layer.OutputPadding));
        }

        return options;
    }

    private static IEnumerable<LayerOption> Pooling(LayerDraft layer)
    {
        yield return new("pool", Sizes(layer.Window), Positional: true);
        if (!layer.Strides.SequenceEqual(layer.Window))
        {
            // The default stride is the pool size: write it when it differs.
            yield return layer.Strides.Distinct().Count() == 1
                ? new("stride", layer.Strides[0])
                : new("strides", layer.Strides);
        }

        if (layer.Padding != Padding.Valid)
        {
            yield return new("padding", Enum(layer.Padding));
        }

        foreach (var option in Pads(layer))
        {
            yield return option;
        }

        if (layer.CeilMode)
        {
            yield return new("ceil_mode", true);
        }

        if (layer.CountPadding)
        {
            yield return new("count_padding", true);
        }
    }

    /// <summary>Explicit pads: pad: 1 when every side is the same, else pads (top x bottom x left x right, or before x after).</summary>
    private static IEnumerable<LayerOption> Pads(LayerDraft layer)
    {
        if (!layer.ExplicitPads || (layer.PadBefore.All(p => p == 0) && layer.PadAfter.All(p => p == 0)))
        {
            yield break;
        }

        var sides = layer.PadBefore.Zip(layer.PadAfter).SelectMany(pair => new[] { pair.First, pair.Second }).ToArray();
        yield return sides.Distinct().Count() == 1 ? new("pad", sides[0]) : new("pads", sides);
    }

    /// <summary>One count for every side (zero_padding2d(1)), else every side in order: top x bottom x left x right, or before x after.</summary>
    private static IEnumerable<LayerOption> ZeroPadding(LayerDraft layer)
    {
        var sides = layer.PadBefore.Zip(layer.PadAfter).SelectMany(pair => new[] { pair.First, pair.Second }).ToArray();
        yield return sides.Distinct().Count() == 1 ? new("pad", sides[0], Positional: true) : new("pads", sides, Positional: true);
    }

    private static IEnumerable<LayerOption> UpSampling(LayerDraft layer)
    {
        yield return new("size", Sizes(layer.UpSampling), Positional: true);
        if (layer.Interpolation != Interpolation.Nearest)
        {
            yield return new("interpolation", Enum(layer.Interpolation));
        }
    }

    private static IEnumerable<LayerOption> GlobalPooling(LayerDraft layer)
    {
        if (layer.KeepDims)
        {
            yield return new("keep_dims", true);
        }
    }

    private static IEnumerable<LayerOption> Activated(LayerDraft layer)
    {
        if (layer.Activation != Activation.Linear)
        {
            yield return new("activation", Enum(layer.Activation));
        }
    }

    /// <summary>Momentum and epsilon where they are not Keras's (PyTorch's are 0.9 and 1e-5); scale and center are always on.</summary>
    private static IEnumerable<LayerOption> BatchNormalization(LayerDraft layer)
    {
        if (layer.Momentum != DefaultMomentum)
        {
            yield return new("momentum", layer.Momentum);
        }

        if (layer.Epsilon != DefaultEpsilon)
        {
            yield return new("epsilon", layer.Epsilon);
        }
    }

    private static IEnumerable<LayerOption> Dense(LayerDraft layer)
    {
        yield return new("units", layer.OutputShape[0], Positional: true);
        if (layer.Activation != Activation.Linear)
        {
            yield return new("activation", Enum(layer.Activation));
        }

        if (layer.Bias is null)
        {
            yield return new("use_bias", false);
        }
    }

    /// <summary>One value when every dimension agrees (stride: 2), else the plural option (strides: 2x1); nothing when all are 1.</summary>
    private static IEnumerable<LayerOption> PerDimension(string single, string plural, int[] values)
    {
        if (values.All(v => v == 1))
        {
            yield break;
        }

        yield return values.Distinct().Count() == 1 ? new(single, values[0]) : new(plural, values);
    }

    /// <summary>3 for a square window (or a 1-D one), 3x5 otherwise.</summary>
    private static object Sizes(int[] values) => values.Distinct().Count() == 1 ? values[0] : values;
}
