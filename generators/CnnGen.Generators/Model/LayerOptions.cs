using System.Collections.Generic;

namespace CnnGen.Generators.Model;

/// <summary>What kind of value an option takes; decides how both languages read it.</summary>
internal enum OptionForm
{
    /// <summary>One whole number (filters, units).</summary>
    Count,

    /// <summary>One size for every spatial dimension, or one per dimension (kernel 3 or 3x5).</summary>
    Sizes,

    /// <summary>One word of a fixed list (padding, activation): its index is the enum value.</summary>
    Choice,

    /// <summary>true or false.</summary>
    Flag,

    /// <summary>The layer's own name.</summary>
    Name,

    /// <summary>
    /// The name of one earlier layer, or "input" for the network's input, that the layer reads
    /// instead of the previous layer's output (from).
    /// </summary>
    LayerReference,

    /// <summary>
    /// The names of the earlier layers (or "input") a layer reads, in order: a merge's inputs.
    /// Written positionally one by one in .cnn (add(a, b, c)) and as a params string[] in C#.
    /// </summary>
    LayerReferences,

    /// <summary>A real number written in decimal notation (momentum 0.99, epsilon 0.001), kept as its invariant text.</summary>
    Real,

    /// <summary>A whole number of any sign (dropout's seed, 0 by default), whose range the layer's family checks.</summary>
    Integer,

    /// <summary>
    /// Explicit padding: one count for every side (pad: 1), or one per side (pads: top, bottom,
    /// left, right; 1-D: before, after). Zero is allowed.
    /// </summary>
    Pads,

    /// <summary>
    /// One count of cells for every spatial dimension, or one per dimension (output_padding: 1,
    /// output_paddings: 1x0). Zero is allowed; the family checks the upper bound.
    /// </summary>
    Offsets,
}

/// <summary>
/// One option of the vocabulary shared by the attributes and the .cnn language: its key (the
/// .cnn name), how the attributes spell it and what it takes.
/// </summary>
/// <param name="Key">The canonical key: the .cnn option name, and the key of the value and location in <see cref="LayerSpec"/>.</param>
/// <param name="Form">What the option takes.</param>
/// <param name="Attribute">The attribute constructor parameter(s) or named property(ies) written for it (one value, or one size for every dimension).</param>
/// <param name="AttributeDimensions">The constructor parameters that give one size per dimension (kernelHeight, kernelWidth), or null.</param>
/// <param name="Example">A value to show in messages.</param>
/// <param name="Choices">For <see cref="OptionForm.Choice"/>: the .cnn words, in enum order.</param>
/// <param name="PerDimensionKey">Sizes: the key of the per-dimension spelling (strides), which fills the same value.</param>
/// <param name="AttributePerDimension">Sizes: the attribute property of the per-dimension spelling (Strides).</param>
/// <param name="AttributeDimensionsOf1D">Pads: the constructor parameters of the 1-D spelling (before, after), when <paramref name="AttributeDimensions"/> are the 2-D ones.</param>
internal sealed record LayerOption(
    string Key,
    OptionForm Form,
    IReadOnlyList<string> Attribute,
    IReadOnlyList<string>? AttributeDimensions = null,
    string Example = "",
    IReadOnlyList<string>? Choices = null,
    string? PerDimensionKey = null,
    string? AttributePerDimension = null,
    IReadOnlyList<string>? AttributeDimensionsOf1D = null);

/// <summary>
/// Every layer option: the one table that the attribute parser, the .cnn binder, shape
/// inference and the messages read. A layer family lists which of them its kinds accept.
/// </summary>
internal static class LayerOptions
{
    public static readonly LayerOption Filters = new(LayerVocabulary.Filters, OptionForm.Count, new[] { "filters" }, Example: "8");

    public static readonly LayerOption Units = new(LayerVocabulary.Units, OptionForm.Count, new[] { "units" }, Example: "10");

    public static readonly LayerOption Kernel = new(LayerVocabulary.Kernel, OptionForm.Sizes, new[] { "kernelSize" },
        new[] { "kernelHeight", "kernelWidth" }, Example: "3");

    public static readonly LayerOption Pool = new(LayerVocabulary.Pool, OptionForm.Sizes, new[] { "poolSize" },
        new[] { "poolHeight", "poolWidth" }, Example: "2");

    public static readonly LayerOption Stride = new(LayerVocabulary.Stride, OptionForm.Sizes, new[] { "Stride" }, Example: "2",
        PerDimensionKey: LayerVocabulary.Strides, AttributePerDimension: "Strides");

    public static readonly LayerOption Dilation = new(LayerVocabulary.Dilation, OptionForm.Sizes, new[] { "Dilation" }, Example: "2",
        PerDimensionKey: LayerVocabulary.Dilations, AttributePerDimension: "Dilations");

    public static readonly LayerOption Padding = new(LayerVocabulary.Padding, OptionForm.Choice, new[] { "Padding" },
        Choices: Words(LayerVocabulary.AllPaddings, LayerVocabulary.SnakeName));

    public static readonly LayerOption Activation = new(LayerVocabulary.Activation, OptionForm.Choice, new[] { "activation", "Activation" },
        Choices: Words(LayerVocabulary.AllActivations, LayerVocabulary.SnakeName));

    public static readonly LayerOption UseBias = new(LayerVocabulary.UseBias, OptionForm.Flag, new[] { "UseBias" });

    public static readonly LayerOption Name = new(LayerVocabulary.Name, OptionForm.Name, new[] { "Name" });

    /// <summary>The layer to read instead of the previous one; every layer accepts it (<see cref="Layers.LayerSyntax.OptionNames"/>).</summary>
    public static readonly LayerOption From = new(LayerVocabulary.From, OptionForm.LayerReference, new[] { "From" }, Example: "conv2d_1");

    /// <summary>The layers a merge reads, two or more.</summary>
    public static readonly LayerOption Inputs = new(LayerVocabulary.Inputs, OptionForm.LayerReferences, new[] { "inputs" }, Example: "conv2d_2, input");

    /// <summary>Output channels per input channel of a depthwise convolution (default 1).</summary>
    public static readonly LayerOption DepthMultiplier = new(LayerVocabulary.DepthMultiplier, OptionForm.Count, new[] { "DepthMultiplier" }, Example: "2");

    /// <summary>Groups of a convolution (default 1): group g reads input channels g*c/groups... and writes filters g*f/groups....</summary>
    public static readonly LayerOption Groups = new(LayerVocabulary.Groups, OptionForm.Count, new[] { "Groups" }, Example: "2");

    /// <summary>A transposed convolution's cells added after its output (PyTorch's output_padding), per dimension or for all.</summary>
    public static readonly LayerOption OutputPadding = new(LayerVocabulary.OutputPadding, OptionForm.Offsets, new[] { "OutputPadding" }, Example: "1",
        PerDimensionKey: LayerVocabulary.OutputPaddings, AttributePerDimension: "OutputPaddings");

    /// <summary>PyTorch's padding=p (Pad = 1), or one count per side (Pads = new[] { top, bottom, left, right }); exclusive with 'same' and 'causal'.</summary>
    public static readonly LayerOption Pad = new(LayerVocabulary.Pad, OptionForm.Pads, new[] { "Pad" }, Example: "1",
        PerDimensionKey: LayerVocabulary.Pads, AttributePerDimension: "Pads");

    /// <summary>
    /// The pads of ZeroPadding1D/2D: the same option in .cnn (pad: 1, pads: 1x2x0x1), constructor
    /// arguments in C#: (pad), (top, bottom, left, right), 1-D (before, after).
    /// </summary>
    public static readonly LayerOption ZeroPads = new(LayerVocabulary.Pad, OptionForm.Pads, new[] { "pad" },
        new[] { "top", "bottom", "left", "right" }, Example: "1", PerDimensionKey: LayerVocabulary.Pads,
        AttributeDimensionsOf1D: new[] { "before", "after" });

    /// <summary>Average pooling divides by the whole window, padding included (PyTorch's count_include_pad=True).</summary>
    public static readonly LayerOption CountPadding = new(LayerVocabulary.CountPadding, OptionForm.Flag, new[] { "CountPadding" });

    /// <summary>Pooling rounds the output size up (PyTorch's ceil_mode=True).</summary>
    public static readonly LayerOption CeilMode = new(LayerVocabulary.CeilMode, OptionForm.Flag, new[] { "CeilMode" });

    /// <summary>Global pooling keeps its spatial dimensions, as 1 (1x1xC).</summary>
    public static readonly LayerOption KeepDims = new(LayerVocabulary.KeepDims, OptionForm.Flag, new[] { "KeepDims" });

    // Batch normalisation.
    public static readonly LayerOption Momentum = new(LayerVocabulary.Momentum, OptionForm.Real, new[] { "Momentum" }, Example: "0.99");

    public static readonly LayerOption Epsilon = new(LayerVocabulary.Epsilon, OptionForm.Real, new[] { "Epsilon" }, Example: "0.001");

    public static readonly LayerOption Center = new(LayerVocabulary.Center, OptionForm.Flag, new[] { "Center" });

    public static readonly LayerOption Scale = new(LayerVocabulary.Scale, OptionForm.Flag, new[] { "Scale" });

    // Dropout.
    public static readonly LayerOption Rate = new(LayerVocabulary.Rate, OptionForm.Real, new[] { "rate" }, Example: "0.5");

    public static readonly LayerOption Seed = new(LayerVocabulary.Seed, OptionForm.Integer, new[] { "Seed" }, Example: "7");

    // Up-sampling.
    public static readonly LayerOption Size = new(LayerVocabulary.Size, OptionForm.Sizes, new[] { "size" },
        new[] { "height", "width" }, Example: "2");

    public static readonly LayerOption Interpolation = new(LayerVocabulary.Interpolation, OptionForm.Choice, new[] { "Interpolation" },
        Choices: Words(LayerVocabulary.AllInterpolations, LayerVocabulary.SnakeName));

    /// <summary>Every option, for the parsers.</summary>
    public static readonly IReadOnlyList<LayerOption> All = new[]
    {
        Filters, Units, Kernel, Pool, Stride, Dilation, Padding, Activation, UseBias, Name, From, Inputs,
        Pad, CountPadding, CeilMode, KeepDims, DepthMultiplier, Groups, OutputPadding,
        Momentum, Epsilon, Center, Scale,
        Rate, Seed,
        Size, Interpolation, ZeroPads,
    };

    /// <summary>True for the forms whose values name layers (from, a merge's inputs).</summary>
    public static bool NamesLayers(LayerOption option) => option.Form is OptionForm.LayerReference or OptionForm.LayerReferences;

    private static string[] Words<T>(IReadOnlyList<T> values, System.Func<T, string> spelling)
    {
        var words = new string[values.Count];
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = spelling(values[i]);
        }

        return words;
    }
}
