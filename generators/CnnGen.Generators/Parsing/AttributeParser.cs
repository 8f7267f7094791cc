using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.Generators.Parsing;

/// <summary>
/// Reads a class marked [Network] and its layer attributes, in source order, into a
/// <see cref="NetworkSpec"/>. The only place that touches symbols and syntax of attributes;
/// nothing it returns holds either.
/// </summary>
internal static class AttributeParser
{
    public const string NetworkAttributeName = "CnnGen.NetworkAttribute";
    private const string InputAttributeName = "CnnGen.InputAttribute";
    private const string OutputAttributeName = "CnnGen.OutputAttribute";

    private static readonly Dictionary<string, LayerKind> LayerAttributes =
        LayerVocabulary.AllKinds.ToDictionary(LayerVocabulary.AttributeMetadataName);

    public static bool IsCandidate(SyntaxNode node) => node is ClassDeclarationSyntax or RecordDeclarationSyntax or StructDeclarationSyntax;

    /// <summary>The generator's entry: the class its syntax provider found.</summary>
    public static NetworkSpec Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        Parse((INamedTypeSymbol)context.TargetSymbol, (TypeDeclarationSyntax)context.TargetNode, context.Attributes, cancellationToken);

    /// <summary>
    /// Reads one declaration of a network class: the one core of the generator and the analyzer.
    /// <paramref name="networkAttributes"/> are the [Network] attributes written on
    /// <paramref name="syntax"/> (the generator's <c>GeneratorAttributeSyntaxContext.Attributes</c>).
    /// </summary>
    public static NetworkSpec Parse(INamedTypeSymbol symbol, TypeDeclarationSyntax syntax, ImmutableArray<AttributeData> networkAttributes,
        CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var location = LocationInfo.From(syntax.Identifier.GetLocation());

        CheckDeclaration(symbol, syntax, location, diagnostics);
        var format = ReadDataFormat(networkAttributes.FirstOrDefault(), symbol.Name, location, diagnostics, cancellationToken);

        InputSpec? input = null;
        ShapeSpec? output = null;
        var layers = new List<LayerSpec>();
        foreach (var attribute in symbol.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = attribute.AttributeClass?.ToDisplayString();
            if (name is null)
            {
                continue;
            }

            if (name == InputAttributeName)
            {
                var read = ReadInput(attribute, cancellationToken);
                if (input is null)
                {
                    input = read;
                }
                else
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateInput, read.Location, symbol.Name));
                }
            }
            else if (name == OutputAttributeName)
            {
                var arguments = AttributeArguments.Read(attribute, cancellationToken);
                output = new ShapeSpec((arguments.IntArray("shape") ?? new int[0]).ToEquatableArray(), arguments.AttributeLocation);
            }
            else if (LayerAttributes.TryGetValue(name, out var kind))
            {
                layers.Add(ReadLayer(kind, AttributeArguments.Read(attribute, cancellationToken)));
            }
        }

        var origin = new DeclarationOrigin(false, Path.GetFileName(syntax.SyntaxTree.FilePath));
        return new NetworkSpec(Namespace(symbol), symbol.Name, ContainingTypes(symbol), format, input, layers.ToEquatableArray(),
            output, origin, location, diagnostics.ToEquatableArray());
    }

    private static void CheckDeclaration(INamedTypeSymbol symbol, TypeDeclarationSyntax syntax, LocationInfo? location, List<DiagnosticInfo> diagnostics)
    {
        if (syntax is not ClassDeclarationSyntax || symbol.IsStatic)
        {
            var what = syntax switch
            {
                RecordDeclarationSyntax => "record",
                StructDeclarationSyntax => "struct",
                _ => "static class",
            };
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAClass, location, symbol.Name, what));
            return;
        }

        if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassNotPartial, location, symbol.Name,
                "write 'partial class " + symbol.Name + "'"));
        }

        if (symbol.TypeParameters.Length > 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassGeneric, location, symbol.Name, string.Empty));
        }

        for (var parent = syntax.Parent as TypeDeclarationSyntax; parent is not null; parent = parent.Parent as TypeDeclarationSyntax)
        {
            if (!parent.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                var keyword = parent is RecordDeclarationSyntax record
                    ? "record" + (record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? " struct" : string.Empty)
                    : parent.Keyword.ValueText;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassNotPartial, location, symbol.Name,
                    "its enclosing type '" + parent.Identifier.ValueText + "' must be partial too; write 'partial " + keyword + " " +
                    parent.Identifier.ValueText + "'"));
            }

            if (parent.TypeParameterList is { Parameters.Count: > 0 })
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassGeneric, location, symbol.Name,
                    " (its enclosing type '" + parent.Identifier.ValueText + "' is generic)"));
            }
        }
    }

    private static DataFormat ReadDataFormat(AttributeData? network, string className, LocationInfo? location, List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        foreach (var named in network?.NamedArguments ?? default)
        {
            if (named.Key == "DataFormat" && named.Value.Value is int value)
            {
                if (value is 0 or 1)
                {
                    return (DataFormat)value;
                }

                // On the DataFormat argument, like every other invalid value.
                var argument = AttributeArguments.Read(network!, cancellationToken).Location("DataFormat") ?? location;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidEnumValue, argument, "Network", className,
                    "DataFormat", value, "ChannelsLast, ChannelsFirst"));
            }
        }

        return DataFormat.ChannelsLast;
    }

    private static InputSpec ReadInput(AttributeData attribute, CancellationToken cancellationToken)
    {
        var arguments = AttributeArguments.Read(attribute, cancellationToken);
        if (!arguments.IsBound)
        {
            return new InputSpec(EquatableArray<int>.Empty, null, arguments.AttributeLocation, IsIncomplete: true);
        }

        if (arguments.Type("network") is { } type)
        {
            var reference = type.TypeKind == TypeKind.Error ? type.Name : type.ToDisplayString();
            return new InputSpec(EquatableArray<int>.Empty, reference, arguments.AttributeLocation);
        }

        return new InputSpec((arguments.IntArray("shape") ?? new int[0]).ToEquatableArray(), null, arguments.AttributeLocation);
    }

    /// <summary>
    /// Reads a layer attribute through the one table of options: each option by its
    /// constructor parameter or property name, under its canonical key, with where it was written.
    /// </summary>
    private static LayerSpec ReadLayer(LayerKind kind, AttributeArguments arguments)
    {
        var locations = new List<NamedLocation>();
        if (arguments.AttributeLocation is { } attributeLocation)
        {
            locations.Add(new NamedLocation(LayerVocabulary.LayerKey, attributeLocation));
        }

        var values = new List<OptionValue>();
        foreach (var option in LayerOptions.All)
        {
            if (ReadOption(option, arguments, locations) is { } value)
            {
                values.Add(value);
            }
        }

        return new LayerSpec(kind, arguments.String("Name"), values.ToEquatableArray(), locations.ToEquatableArray(),
            IsIncomplete: !arguments.IsBound);
    }

    private static OptionValue? ReadOption(LayerOption option, AttributeArguments arguments, List<NamedLocation> locations)
    {
        foreach (var name in option.Attribute)
        {
            arguments.AddLocations(locations, name, option.Key);
        }

        foreach (var group in DimensionGroups(option))
        {
            for (var i = 0; i < group.Count; i++)
            {
                arguments.AddLocations(locations, group[i], option.Key + "[" + i + "]");
            }
        }

        // Strides = null is the default, as if not written; an empty array is written and wrong.
        var perDimension = option.AttributePerDimension is { } property && !arguments.IsNull(property) ? property : null;
        if (perDimension is not null)
        {
            arguments.AddLocations(locations, perDimension, option.PerDimensionKey!);
        }

        foreach (var parts in DimensionGroups(option))
        {
            if (!arguments.Has(parts[0]))
            {
                continue;
            }

            var sizes = new int[parts.Count];
            for (var i = 0; i < sizes.Length; i++)
            {
                sizes[i] = arguments.Int(parts[i], 0);
            }

            return OptionValue.Of(option.Key, sizes);
        }

        // Stride = 2 gives [2]; Strides = new[] { 2, 1 } gives [2, 1] (setting both is checked later).
        if (perDimension is not null && arguments.IntArray(perDimension) is { } array)
        {
            return OptionValue.Of(option.Key, array);
        }

        foreach (var name in option.Attribute)
        {
            if (!arguments.Has(name))
            {
                continue;
            }

            return option.Form switch
            {
                OptionForm.Flag => OptionValue.Of(option.Key, arguments.Bool(name, false) ? 1 : 0),
                OptionForm.Name or OptionForm.LayerReference => arguments.String(name) is { } text ? OptionValue.OfWords(option.Key, text) : null,
                OptionForm.LayerReferences => OptionValue.OfWords(option.Key, arguments.StringArray(name) ?? new string[0]),
                OptionForm.Real => arguments.Real(name) is { } real
                    ? OptionValue.OfWords(option.Key, real.ToString("R", System.Globalization.CultureInfo.InvariantCulture))
                    : null,
                _ => OptionValue.Of(option.Key, arguments.Int(name, 0)),
            };
        }

        return null;
    }

    /// <summary>The constructor parameters that give one value per dimension or side: (kernelHeight, kernelWidth); pads also (before, after).</summary>
    private static IEnumerable<IReadOnlyList<string>> DimensionGroups(LayerOption option)
    {
        if (option.AttributeDimensions is { } dimensions)
        {
            yield return dimensions;
        }

        if (option.AttributeDimensionsOf1D is { } sides)
        {
            yield return sides;
        }
    }

    private static string Namespace(INamedTypeSymbol symbol) =>
        symbol.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : string.Empty;

    private static EquatableArray<string> ContainingTypes(INamedTypeSymbol symbol)
    {
        var types = new List<string>();
        for (var parent = symbol.ContainingType; parent is not null; parent = parent.ContainingType)
        {
            var keyword = parent.IsRecord
                ? parent.IsValueType ? "record struct" : "record"
                : parent.TypeKind switch
                {
                    TypeKind.Struct => "struct",
                    TypeKind.Interface => "interface",
                    _ => "class",
                };
            types.Insert(0, "partial " + keyword + " " + parent.Name);
        }

        return types.ToEquatableArray();
    }
}
