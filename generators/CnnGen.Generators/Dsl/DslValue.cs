using CnnGen.Generators.Model;

namespace CnnGen.Generators.Dsl;

internal enum DslValueKind
{
    /// <summary>A size or shape: 8, 3x5, 28x28x1, -1.</summary>
    Number,

    /// <summary>A word or a dotted name: same, relu, true, Examples.DigitNet.</summary>
    Name,

    /// <summary>A quoted string: "conv_a".</summary>
    String,

    /// <summary>A malformed literal whose error the lexer already described.</summary>
    Bad,

    /// <summary>A real number in decimal notation: 0.99, -0.5 (Text holds it).</summary>
    Real,
}

/// <summary>
/// The value of one argument as written, with where it was written. Lives only while a file
/// is parsed (it holds arrays, so it is no cached model).
/// </summary>
/// <param name="Kind">What was written.</param>
/// <param name="Text">Names: the name ("Examples.DigitNet"); strings: the text between the quotes; otherwise the source text.</param>
/// <param name="Display">The source text for messages, shortened if long.</param>
/// <param name="Sizes">Numbers: each size as written.</param>
/// <param name="SizeLocations">Numbers: where each size was written.</param>
/// <param name="Location">The whole value.</param>
internal sealed record DslValue(DslValueKind Kind, string Text, string Display, int[] Sizes, LocationInfo[] SizeLocations, LocationInfo Location)
{
    public bool IsSingleNumber => Kind == DslValueKind.Number && Sizes.Length == 1;

    /// <summary>A plain word (no dots), e.g. an option value like 'same'.</summary>
    public bool IsWord => Kind == DslValueKind.Name && Text.IndexOf('.') < 0;

    /// <summary>The value quoted as in a message: 'sam' or "conv a".</summary>
    public string Quoted => Kind == DslValueKind.String ? Display : "'" + Display + "'";
}

/// <summary>One argument of a layer or network: an optional option name and its value.</summary>
/// <param name="NameText">The option name, or null for a positional argument.</param>
/// <param name="NameLocation">Where the option name was written.</param>
/// <param name="Value">The value; null when it could not be read (the error is reported).</param>
/// <param name="Location">The first token of the argument.</param>
internal sealed record DslArgument(string? NameText, LocationInfo? NameLocation, DslValue? Value, LocationInfo Location)
{
    public bool IsNamed => NameText is not null;
}
