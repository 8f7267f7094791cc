namespace CnnGen.Generators.Model;

/// <summary>
/// One layer as the user wrote it, before any checking: values may be out of range and
/// arrays may have the wrong length. Both the attribute parser and the .cnn parser produce
/// it, from the one table of <see cref="LayerOptions"/>. Immutable and structurally
/// equatable, or incremental caching breaks.
/// </summary>
/// <param name="Kind">The layer kind.</param>
/// <param name="Name">The user's name, or null for the default (kind and index).</param>
/// <param name="Values">The options written, by key (an option not written is absent).</param>
/// <param name="Locations">Where each argument was written.</param>
/// <param name="IsIncomplete">The declaration has errors the C# compiler or the .cnn parser already reported; skip shape checks.</param>
internal sealed record LayerSpec(
    LayerKind Kind,
    string? Name,
    EquatableArray<OptionValue> Values,
    EquatableArray<NamedLocation> Locations,
    bool IsIncomplete = false)
{
    /// <summary>The value written for an option, or null.</summary>
    public OptionValue? Value(string key)
    {
        foreach (var value in Values)
        {
            if (value.Key == key)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The numbers written for an option; empty when it was not written.</summary>
    public EquatableArray<int> Numbers(string key) => Value(key)?.Numbers ?? EquatableArray<int>.Empty;

    /// <summary>The single number written for an option, or <paramref name="defaultValue"/>.</summary>
    public int Number(string key, int defaultValue) => Value(key) is { Numbers.Count: > 0 } value ? value.Numbers[0] : defaultValue;

    /// <summary>A real number written for an option (kept as invariant text), or <paramref name="defaultValue"/>.</summary>
    public double Real(string key, double defaultValue) =>
        Value(key) is { Words.Count: > 0 } value &&
        double.TryParse(value.Words[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var real)
            ? real
            : defaultValue;

    public bool Flag(string key, bool defaultValue) => Number(key, defaultValue ? 1 : 0) != 0;

    // The options every family reads, named as Keras names them.
    public int Filters => Number(LayerVocabulary.Filters, 0);

    public int Units => Number(LayerVocabulary.Units, 0);

    /// <summary>The kernel or pooling window: one size for every spatial dimension, or one per dimension.</summary>
    public EquatableArray<int> Window => Numbers(LayerVocabulary.WindowKey(Kind));

    /// <summary>Empty for the default (1 for convolutions, the window for pooling), one size, or one per dimension.</summary>
    public EquatableArray<int> Stride => Numbers(LayerVocabulary.Stride);

    /// <summary>Empty for the default 1, one size, or one per dimension.</summary>
    public EquatableArray<int> Dilation => Numbers(LayerVocabulary.Dilation);

    public PaddingMode Padding => (PaddingMode)Number(LayerVocabulary.Padding, (int)PaddingMode.Valid);

    public ActivationKind Activation => (ActivationKind)Number(LayerVocabulary.Activation, (int)ActivationKind.Linear);

    public bool UseBias => Flag(LayerVocabulary.UseBias, true);

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
