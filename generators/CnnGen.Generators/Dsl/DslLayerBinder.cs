using System;
using System.Collections.Generic;
using CnnGen.Generators.Diagnostics;
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
        var read = DslOptions.Read(owner, options, positionalCount, arguments, hasSyntaxErrors, diagnostics);

        var filters = read.Count(LayerVocabulary.Filters, "8");
        var units = read.Count(LayerVocabulary.Units, "10");
        var window = read.Sizes(LayerVocabulary.WindowKey(kind));
        var stride = read.Has(LayerVocabulary.Strides) ? read.Sizes(LayerVocabulary.Strides) : read.Sizes(LayerVocabulary.Stride);
        var dilation = read.Has(LayerVocabulary.Dilations) ? read.Sizes(LayerVocabulary.Dilations) : read.Sizes(LayerVocabulary.Dilation);
        var padding = read.Word(LayerVocabulary.Padding, LayerVocabulary.AllPaddings, LayerVocabulary.SnakeName, PaddingMode.Valid);
        var activation = read.Word(LayerVocabulary.Activation, LayerVocabulary.AllActivations, LayerVocabulary.SnakeName, ActivationKind.Linear);
        var useBias = read.Word(LayerVocabulary.UseBias, Booleans, static word => word, "true") == "true";
        var name = Name(read);

        if (read.IsValid && positionalCount > 0)
        {
            ReportMissing(kind, owner, options, positionalCount, read, layerLocation);
        }

        var locations = new List<NamedLocation> { new(LayerVocabulary.LayerKey, layerLocation) };
        foreach (var option in options)
        {
            read.AddLocation(locations, option);
        }

        return new LayerSpec(kind, name, filters, units, window, stride, dilation, padding, activation, useBias,
            locations.ToEquatableArray(), IsIncomplete: !read.IsValid);
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
    private static void ReportMissing(LayerKind kind, string owner, IReadOnlyList<string> options, int positionalCount, DslOptions read,
        LocationInfo layerLocation)
    {
        var missing = new List<string>();
        for (var i = 0; i < positionalCount; i++)
        {
            if (!read.Has(options[i]))
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

    private static string Example(LayerKind kind) => kind switch
    {
        LayerKind.Conv1D => "16, 3",
        LayerKind.Conv2D => "8, 3",
        LayerKind.Dense => "10",
        LayerKind.Activation => "relu",
        _ => "2",
    };
}
