namespace CnnGen.Generators.Model;

/// <summary>
/// The value of one layer option as written, before any checking: numbers (a count, sizes,
/// a flag as 0 or 1, a choice as its enum value), words (a name, the layer names a merge
/// reads) or a real number. Immutable and structurally equatable.
/// </summary>
/// <param name="Key">The option's key in <see cref="LayerOptions"/>.</param>
/// <param name="Numbers">Integer values.</param>
/// <param name="Words">Text values.</param>
/// <param name="Real">A real value (rates, momenta).</param>
internal sealed record OptionValue(string Key, EquatableArray<int> Numbers, EquatableArray<string> Words, double Real = 0)
{
    public static OptionValue Of(string key, params int[] numbers) => new(key, EquatableArray.Create(numbers), EquatableArray<string>.Empty);

    public static OptionValue OfWords(string key, params string[] words) => new(key, EquatableArray<int>.Empty, EquatableArray.Create(words));

    public static OptionValue OfReal(string key, double value) => new(key, EquatableArray<int>.Empty, EquatableArray<string>.Empty, value);
}
