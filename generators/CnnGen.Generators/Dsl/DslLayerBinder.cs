using System;
using System.Collections.Generic;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Layers;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Dsl;

/// <summary>
/// Turns the arguments of one layer into a <see cref="LayerSpec"/> exactly as the attribute
/// parser would: sizes as written, raw choices, a location per option. Range and shape
/// rules are left to shape inference, which serves both languages.
/// </summary>
internal static class DslLayerBinder
{
    private static readonly string[] Booleans = { "true", "false" };

    public static LayerSpec Bind(LayerKind kind, LocationInfo layerLocation, IReadOnlyList<DslArgument> arguments, bool hasSyntaxErrors,
        IDslDiagnostics diagnostics)
    {
        var owner = LayerVocabulary.SnakeName(kind);
        var options = LayerVocabulary.Options(kind);
        var positionalCount = LayerVocabulary.PositionalCount(kind);
        var variadic = LayerFamilies.Syntax(kind).InputsOption?.Key;
        var read = DslOptions.Read(owner, options, positionalCount, arguments, hasSyntaxErrors, diagnostics, variadic);

        var values = new List<OptionValue>();
        var syntax = LayerFamilies.Syntax(kind);
        foreach (var option in LayerOptions.All)
        {
            // The kind's own options (two options may share a key: pad of convolutions and of zero padding).
            if ((Contains(syntax.Options, option) || option == LayerOptions.From) && ReadOption(option, read) is { } value)
            {
                values.Add(value);
            }
        }

        var name = Name(read);
        if (read.IsValid && positionalCount > 0)
        {
            ReportMissing(kind, owner, options, positionalCount, variadic, read, layerLocation);
        }

        var locations = new List<NamedLocation> { new(LayerVocabulary.LayerKey, layerLocation) };
        foreach (var option in options)
        {
            read.AddLocation(locations, option);
        }

        return new LayerSpec(kind, name, values.ToEquatableArray(), locations.ToEquatableArray(), IsIncomplete: !read.IsValid);
    }

    /// <summary>Reads one option by its form; a per-dimension spelling (strides: 2x1) fills the same value.</summary>
    private static OptionValue? ReadOption(LayerOption option, DslOptions read)
    {
        var key = option.PerDimensionKey is { } perDimension && read.Has(perDimension) ? perDimension : option.Key;
        if (!read.Has(key))
        {
            return null;
        }

        switch (option.Form)
        {
            case OptionForm.Count:
            case OptionForm.Integer:
                return OptionValue.Of(option.Key, read.Count(key, option.Example));
            case OptionForm.Sizes:
            case OptionForm.Pads:
            case OptionForm.Offsets:
                return new OptionValue(option.Key, read.Sizes(key), EquatableArray<string>.Empty);
            case OptionForm.Choice:
                var choices = option.Choices!;
                var index = read.Word(key, Indices(choices.Count), i => choices[i], -1);
                return index < 0 ? null : OptionValue.Of(option.Key, index);
            case OptionForm.Flag:
                return OptionValue.Of(option.Key, read.Word(key, Booleans, static word => word, "true") == "true" ? 1 : 0);
            case OptionForm.Real:
                return read.Real(key, option.Example) is { } real ? OptionValue.OfWords(option.Key, real) : null;
            case OptionForm.LayerReference:
                return read.Value(key) is { } written && LayerName(read, key, written) is { } reference ? OptionValue.OfWords(option.Key, reference) : null;
            case OptionForm.LayerReferences:
                var names = new List<string>();
                foreach (var value in read.Values(key))
                {
                    if (LayerName(read, key, value) is { } name)
                    {
                        names.Add(name);
                    }
                }

                return OptionValue.OfWords(option.Key, names.ToArray());
            default:
                return null; // the layer's own name is read by Name
        }
    }

    /// <summary>A layer a layer reads: conv2d_1, input or "conv2d_1" (whether it exists is checked by shape inference).</summary>
    private static string? LayerName(DslOptions read, string option, DslValue value)
    {
        if (value.IsWord || value.Kind == DslValueKind.String)
        {
            return value.Text;
        }

        read.Invalid(option, value, "the name of an earlier layer or input, such as conv2d_1");
        return null;
    }

    private static int[] Indices(int count)
    {
        var indices = new int[count];
        for (var i = 0; i < count; i++)
        {
            indices[i] = i;
        }

        return indices;
    }

    private static bool Contains(IReadOnlyList<LayerOption> options, LayerOption option)
    {
        foreach (var candidate in options)
        {
            if (ReferenceEquals(candidate, option))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>name: conv_a or name: "conv_a" (whether it makes a good name is checked with the others).</summary>
    private static string? Name(DslOptions read)
    {
        if (read.Value(LayerVocabulary.Name) is not { } value)
        {
            return null;
        }

        if (value.IsWord || value.Kind == DslValueKind.String)
        {
            return value.Text;
        }

        read.Invalid(LayerVocabulary.Name, value, "a layer name such as conv_a or \"conv_a\"");
        return null;
    }

    /// <summary>The positional options are the required ones: filters and kernel, pool, units, activation.</summary>
    private static void ReportMissing(LayerKind kind, string owner, IReadOnlyList<string> options, int positionalCount, string? variadic,
        DslOptions read, LocationInfo layerLocation)
    {
        var missing = new List<string>();
        for (var i = 0; i < positionalCount; i++)
        {
            // A merge's inputs are counted by shape inference, in the same words for both languages.
            // A per-dimension spelling gives the option too (zero_padding2d(pads: 1x2x0x1)).
            if (options[i] != variadic && !read.Has(options[i]) && !HasPerDimension(kind, options[i], read))
            {
                missing.Add("'" + options[i] + "'");
            }
        }

        if (missing.Count > 0)
        {
            var required = string.Join(", ", System.Linq.Enumerable.Take(options, positionalCount));
            read.Fail(DiagnosticDescriptors.MissingArgument, layerLocation, owner, string.Join(" and ", missing),
                owner + "(" + required + "), e.g. " + owner + "(" + Example(kind) + ")");
        }
    }

    private static bool HasPerDimension(LayerKind kind, string key, DslOptions read)
    {
        foreach (var option in LayerFamilies.Syntax(kind).Options)
        {
            if (option.Key == key && option.PerDimensionKey is { } perDimension && read.Has(perDimension))
            {
                return true;
            }
        }

        return false;
    }

    private static string Example(LayerKind kind) => LayerFamilies.Syntax(kind).Example;
}
