using System;
using System.Collections.Generic;
using System.Globalization;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Model;
using Microsoft.CodeAnalysis;

namespace CnnGen.Generators.Dsl;

/// <summary>
/// Matches the arguments of a layer or network to its options: positional ones in order,
/// named ones by name. Reports unknown, repeated and surplus options and checks values.
/// </summary>
internal sealed class DslOptions
{
    // A few options at most: a list searched in order is cheaper than a dictionary.
    private readonly List<KeyValuePair<string, DslValue?>> _values = new();
    private readonly string _owner;
    private readonly IDslDiagnostics _diagnostics;

    private DslOptions(string owner, IDslDiagnostics diagnostics)
    {
        _owner = owner;
        _diagnostics = diagnostics;
    }

    /// <summary>False once any argument had an error: the declaration is incomplete.</summary>
    public bool IsValid { get; private set; } = true;

    /// <summary>
    /// Matches <paramref name="arguments"/> to <paramref name="options"/>. When the positional
    /// option reached is <paramref name="variadic"/> (a merge's inputs), it takes every
    /// positional argument that follows: add(a, b, c).
    /// </summary>
    public static DslOptions Read(string owner, IReadOnlyList<string> options, int positionalCount, IReadOnlyList<DslArgument> arguments,
        bool hasSyntaxErrors, IDslDiagnostics diagnostics, string? variadic = null)
    {
        var result = new DslOptions(owner, diagnostics) { IsValid = !hasSyntaxErrors };
        var positional = 0;
        var seenNamed = false;
        foreach (var argument in arguments)
        {
            if (diagnostics.IsFull)
            {
                result.IsValid = false;
                break;
            }

            string option;
            var location = argument.NameLocation ?? argument.Value?.Location ?? argument.Location;
            if (argument.NameText is { } name)
            {
                seenNamed = true;
                if (!Contains(options, name))
                {
                    result.Fail(DiagnosticDescriptors.UnknownOption, location, Capitalized(owner),
                        DslSource.Display(name, 0, name.Length), DidYouMean.Sentence(name, options), string.Join(", ", options));
                    continue;
                }

                option = name;
            }
            else if (seenNamed)
            {
                result.Fail(DiagnosticDescriptors.PositionalAfterNamed, location, owner);
                continue;
            }
            else if (positional >= positionalCount)
            {
                result.Fail(DiagnosticDescriptors.TooManyPositionalArguments, location, Capitalized(owner),
                    PositionalDescription(options, positionalCount), positionalCount < options.Count ? options[positionalCount] : options[0]);
                continue;
            }
            else
            {
                option = options[positional];
                if (option == variadic)
                {
                    result._values.Add(new KeyValuePair<string, DslValue?>(option, argument.Value));
                    result.IsValid &= argument.Value is not (null or { Kind: DslValueKind.Bad });
                    continue;
                }

                positional++;
            }

            if (result.Has(option))
            {
                result.Fail(DiagnosticDescriptors.DuplicateOption, location, option, owner);
                continue;
            }

            result._values.Add(new KeyValuePair<string, DslValue?>(option, argument.Value));
            if (argument.Value is null or { Kind: DslValueKind.Bad })
            {
                result.IsValid = false;
            }
        }

        return result;
    }

    public bool Has(string option)
    {
        foreach (var entry in _values)
        {
            if (entry.Key == option)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The value of an option when it was given and readable (its error is reported otherwise).</summary>
    public DslValue? Value(string option)
    {
        foreach (var entry in _values)
        {
            if (entry.Key == option)
            {
                return entry.Value is { Kind: not DslValueKind.Bad } value ? value : null;
            }
        }

        return null;
    }

    /// <summary>Every value given for an option, in order (several for a variadic one); unreadable ones are left out (their error is reported).</summary>
    public List<DslValue> Values(string option)
    {
        var values = new List<DslValue>();
        foreach (var entry in _values)
        {
            if (entry.Key == option && entry.Value is { Kind: not DslValueKind.Bad } value)
            {
                values.Add(value);
            }
        }

        return values;
    }

    /// <summary>Reports a value of the wrong form and marks the declaration incomplete.</summary>
    public void Invalid(string option, DslValue value, string takes, IEnumerable<string>? suggestions = null)
    {
        var suggestion = suggestions is not null && value.IsWord ? DidYouMean.Sentence(value.Text, suggestions) : string.Empty;
        Fail(DiagnosticDescriptors.InvalidOptionValue, value.Location, option, _owner, takes, value.Quoted, suggestion);
    }

    /// <summary>Marks the declaration incomplete and reports why (unless the file already has too many errors).</summary>
    public void Fail(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] args)
    {
        IsValid = false;
        if (!_diagnostics.IsFull)
        {
            _diagnostics.Report(DiagnosticInfo.Create(descriptor, location, args));
        }
    }

    /// <summary>A single number such as the filters of a convolution.</summary>
    public int Count(string option, string example)
    {
        if (Value(option) is not { } value)
        {
            return 0;
        }

        if (!value.IsSingleNumber)
        {
            Invalid(option, value, "a number such as " + example);
            return 0;
        }

        return value.Sizes[0];
    }

    /// <summary>A real number in decimal notation (0.99, 1, -0.5) as its text, or null after reporting.</summary>
    public string? Real(string option, string example)
    {
        if (Value(option) is not { } value)
        {
            return null;
        }

        if (value.Kind == DslValueKind.Real || value.IsSingleNumber)
        {
            return value.Kind == DslValueKind.Real ? value.Text : value.Sizes[0].ToString(CultureInfo.InvariantCulture);
        }

        Invalid(option, value, "a number such as " + example);
        return null;
    }

    /// <summary>Sizes as written (3, or 3x5), checked for range and count later by shape inference.</summary>
    public EquatableArray<int> Sizes(string option)
    {
        if (Value(option) is not { } value)
        {
            return EquatableArray<int>.Empty;
        }

        if (value.Kind != DslValueKind.Number)
        {
            Invalid(option, value, "a size such as 3 or one per dimension such as 3x5");
            return EquatableArray<int>.Empty;
        }

        return value.Sizes.ToEquatableArray();
    }

    /// <summary>One word of a fixed list, such as the padding 'same'.</summary>
    public T Word<T>(string option, IReadOnlyList<T> choices, Func<T, string> spelling, T defaultValue)
    {
        if (Value(option) is not { } value)
        {
            return defaultValue;
        }

        var words = new List<string>();
        foreach (var choice in choices)
        {
            if (value.IsWord && spelling(choice) == value.Text)
            {
                return choice;
            }

            words.Add(spelling(choice));
        }

        Invalid(option, value, JoinChoices(words), words);
        return defaultValue;
    }

    /// <summary>Adds where the option was written, and each of its sizes when there are several.</summary>
    public void AddLocation(List<NamedLocation> locations, string option)
    {
        if (Value(option) is not { } value)
        {
            return;
        }

        var values = Values(option);
        if (values.Count > 1)
        {
            // A variadic option: each value is an element, as a params array's in C#.
            locations.Add(new NamedLocation(option, value.Location));
            for (var i = 0; i < values.Count; i++)
            {
                locations.Add(new NamedLocation(option + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", values[i].Location));
            }

            return;
        }

        locations.Add(new NamedLocation(option, value.Location));
        if (value.SizeLocations.Length > 1)
        {
            for (var i = 0; i < value.SizeLocations.Length; i++)
            {
                locations.Add(new NamedLocation(option + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", value.SizeLocations[i]));
            }
        }
    }

    /// <summary>"valid, same or causal".</summary>
    public static string JoinChoices(IReadOnlyList<string> words) =>
        words.Count == 1 ? words[0] : string.Join(", ", Slice(words, words.Count - 1)) + " or " + words[words.Count - 1];

    private static IEnumerable<string> Slice(IReadOnlyList<string> words, int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return words[i];
        }
    }

    private static bool Contains(IReadOnlyList<string> options, string name)
    {
        foreach (var option in options)
        {
            if (option == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"2 positional arguments (filters, kernel)".</summary>
    private static string PositionalDescription(IReadOnlyList<string> options, int count) => count switch
    {
        0 => "no positional arguments",
        1 => "1 positional argument (" + options[0] + ")",
        _ => count.ToString(CultureInfo.InvariantCulture) + " positional arguments (" + string.Join(", ", Slice(options, count)) + ")",
    };

    /// <summary>"network 'A'" opens a sentence as "Network 'A'"; layer names stay as written.</summary>
    private static string Capitalized(string owner) =>
        owner.StartsWith("the ", StringComparison.Ordinal) || owner.StartsWith("network ", StringComparison.Ordinal)
            ? char.ToUpperInvariant(owner[0]) + owner.Substring(1)
            : owner;
}
