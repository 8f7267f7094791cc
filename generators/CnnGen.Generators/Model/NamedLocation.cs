namespace CnnGen.Generators.Model;

/// <summary>
/// Where one argument of a layer was written. Keys are the canonical option names of
/// <see cref="LayerVocabulary"/> ("kernel", "stride", ...); "kernel[0]" names the height
/// when the dimensions were written separately; "layer" is the layer itself.
/// </summary>
internal sealed record NamedLocation(string Key, LocationInfo Location);
