using System.Collections.Generic;

namespace CnnGen;

/// <summary>The framework whose conventions (tensor layouts, names, flatten order) an import follows.</summary>
public enum WeightConvention
{
    /// <summary>
    /// A PyTorch state_dict: tensors named <c>module.weight</c> and <c>module.bias</c>; Conv2d
    /// weights (out, in, kh, kw), Conv1d (out, in, k), Linear (out, in); Flatten of an NCHW
    /// (or NCL) tensor in (c, h, w) order.
    /// </summary>
    PyTorch,

    /// <summary>
    /// Keras <c>get_weights()</c>: kernel then bias per layer, already in CnnGen's layout
    /// (kh, kw, in, filters), (k, in, filters), (in, units); names, if any, such as
    /// <c>conv2d/kernel</c> or <c>conv2d/kernel:0</c>; Flatten in (h, w, c) order (channels_last).
    /// </summary>
    Keras,
}

/// <summary>How <see cref="WeightImporter.Import(INetwork, IReadOnlyList{WeightTensor}, WeightImportOptions)"/> matches and converts tensors.</summary>
public sealed class WeightImportOptions
{
    /// <summary>The source framework's conventions. Default: PyTorch.</summary>
    public WeightConvention Convention { get; init; } = WeightConvention.PyTorch;

    /// <summary>
    /// Matching by name: source module (PyTorch) or layer (Keras) name -> CnnGen layer name, e.g.
    /// <c>{ ["conv1"] = "conv2d_1", ["fc"] = "dense_1" }</c>; the tensors are then
    /// <c>conv1.weight</c>/<c>conv1.bias</c> (PyTorch) or <c>conv1/kernel</c>/<c>conv1/bias</c>
    /// (Keras). Null (the default): by position, the i-th group of tensors to the i-th layer with
    /// parameters (PyTorch: tensors grouped by module in file order; Keras: kernel then bias, in order).
    /// </summary>
    public IReadOnlyDictionary<string, string>? LayerNames { get; init; }

    /// <summary>
    /// The order in which the source model flattened feature maps for its first Dense/Linear
    /// layer after a Flatten: ChannelsFirst for (c, h, w), ChannelsLast for (h, w, c). When it
    /// differs from the network's <see cref="NetworkArchitecture.DataFormat"/>, the rows of
    /// that Dense kernel are permuted. Null (the default): ChannelsFirst for PyTorch (NCHW
    /// models), ChannelsLast for Keras.
    /// </summary>
    public DataFormat? SourceFlattenFormat { get; init; }

    /// <summary>The flatten order in effect: <see cref="SourceFlattenFormat"/> or the convention's default.</summary>
    public DataFormat EffectiveSourceFlattenFormat =>
        SourceFlattenFormat ?? (Convention == WeightConvention.PyTorch ? DataFormat.ChannelsFirst : DataFormat.ChannelsLast);
}
