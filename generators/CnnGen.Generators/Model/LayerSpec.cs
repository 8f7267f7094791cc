namespace CnnGen.Generators.Model;

/// <summary>
/// One layer as the user wrote it, before any checking: values may be out of range and
/// arrays may have the wrong length. Both the attribute parser and the .cnn parser produce
/// it. Immutable and structurally equatable, or incremental caching breaks.
/// </summary>
/// <param name="Kind">The layer kind.</param>
/// <param name="Name">The user's name, or null for the default (kind and index).</param>
/// <param name="Filters">Conv1D/Conv2D: the number of kernels. Otherwise 0.</param>
/// <param name="Units">Dense: the number of outputs. Otherwise 0.</param>
/// <param name="Window">Convolution kernel or pooling window: one size for every spatial dimension, or one per dimension.</param>
/// <param name="Stride">Empty for the default (1 for convolutions, the window for pooling), one size, or one per dimension.</param>
/// <param name="Dilation">Empty for the default 1, one size, or one per dimension.</param>
/// <param name="Padding">Border handling (raw value, checked later).</param>
/// <param name="Activation">The fused activation, or the activation of an Activation layer.</param>
/// <param name="UseBias">Whether a convolution or dense layer adds a bias.</param>
/// <param name="Locations">Where each argument was written.</param>
/// <param name="IsIncomplete">The declaration has errors the C# compiler or the .cnn parser already reported; skip shape checks.</param>
internal sealed record LayerSpec(
    LayerKind Kind,
    string? Name,
    int Filters,
    int Units,
    EquatableArray<int> Window,
    EquatableArray<int> Stride,
    EquatableArray<int> Dilation,
    PaddingMode Padding,
    ActivationKind Activation,
    bool UseBias,
    EquatableArray<NamedLocation> Locations,
    bool IsIncomplete = false)
{
    /// <summary>The location of an argument: its element, then the argument, then the layer.</summary>
    public LocationInfo? Locate(string key, int dimension = -1)
    {
        if (dimension >= 0 && Find(key + "[" + dimension + "]") is { } element)
        {
            return element;
        }

        return Find(key) ?? Find(LayerVocabulary.LayerKey);
    }

    public LocationInfo? Find(string key)
    {
        foreach (var location in Locations)
        {
            if (location.Key == key)
            {
                return location.Location;
            }
        }

        return null;
    }

    public bool Has(string key) => Find(key) is not null;
}
