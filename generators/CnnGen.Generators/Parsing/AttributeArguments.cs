using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using CnnGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.Generators.Parsing;

/// <summary>
/// The arguments of one attribute application by parameter or property name, with the
/// location where each was written (and, for arrays, each element).
/// </summary>
internal sealed class AttributeArguments
{
    private readonly Dictionary<string, TypedConstant> _values = new();
    private readonly Dictionary<string, LocationInfo> _locations = new();

    private AttributeArguments(LocationInfo? attributeLocation) => AttributeLocation = attributeLocation;

    /// <summary>The whole attribute, e.g. <c>Conv2D(8, 3)</c>.</summary>
    public LocationInfo? AttributeLocation { get; }

    /// <summary>False when the C# compiler could not bind the attribute (it reports why).</summary>
    public bool IsBound { get; private set; }

    public static AttributeArguments Read(AttributeData attribute, CancellationToken cancellationToken)
    {
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        var result = new AttributeArguments(LocationInfo.From(syntax));
        var constructor = attribute.AttributeConstructor;
        if (constructor is null)
        {
            return result;
        }

        result.IsBound = true;
        for (var i = 0; i < constructor.Parameters.Length && i < attribute.ConstructorArguments.Length; i++)
        {
            result._values[constructor.Parameters[i].Name] = attribute.ConstructorArguments[i];
        }

        foreach (var named in attribute.NamedArguments)
        {
            result._values[named.Key] = named.Value;
        }

        foreach (var value in result._values.Values)
        {
            if (value.Kind == TypedConstantKind.Error)
            {
                result.IsBound = false;
            }
        }

        if (syntax?.ArgumentList is { } list)
        {
            result.ReadLocations(list, constructor.Parameters);
        }

        return result;
    }

    private void ReadLocations(AttributeArgumentListSyntax list, ImmutableArray<IParameterSymbol> parameters)
    {
        var position = 0;
        foreach (var argument in list.Arguments)
        {
            if (argument.NameEquals is { } nameEquals)
            {
                Record(nameEquals.Name.Identifier.ValueText, argument.Expression, argument);
                continue;
            }

            if (argument.NameColon is { } nameColon)
            {
                Record(nameColon.Name.Identifier.ValueText, argument.Expression, argument);
                continue;
            }

            if (parameters.Length == 0)
            {
                continue;
            }

            var parameter = parameters[System.Math.Min(position, parameters.Length - 1)];
            if (parameter.IsParams && !(position == parameter.Ordinal && IsArrayExpression(argument.Expression)))
            {
                // Expanded params: each argument is one element.
                var element = position - parameter.Ordinal;
                if (element == 0)
                {
                    _locations[parameter.Name] = LocationInfo.From(argument)!;
                }

                _locations[parameter.Name + "[" + element + "]"] = LocationInfo.From(argument)!;
            }
            else
            {
                Record(parameter.Name, argument.Expression, argument);
            }

            position++;
        }
    }

    private void Record(string name, ExpressionSyntax expression, AttributeArgumentSyntax argument)
    {
        _locations[name] = LocationInfo.From(argument)!;
        var elements = ArrayElements(expression);
        for (var i = 0; i < elements.Count; i++)
        {
            _locations[name + "[" + i + "]"] = LocationInfo.From(elements[i])!;
        }
    }

    private static bool IsArrayExpression(ExpressionSyntax expression) =>
        expression is ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax or CollectionExpressionSyntax
            || expression is LiteralExpressionSyntax { Token.ValueText: "null" };

    private static IReadOnlyList<SyntaxNode> ArrayElements(ExpressionSyntax expression) => expression switch
    {
        ArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions,
        ImplicitArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions,
        CollectionExpressionSyntax collection => collection.Elements,
        _ => System.Array.Empty<SyntaxNode>(),
    };

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>Written as null, e.g. <c>Strides = null</c>.</summary>
    public bool IsNull(string name) => _values.TryGetValue(name, out var value) && value.IsNull;

    public int Int(string name, int defaultValue) =>
        _values.TryGetValue(name, out var value) && value.Value is int number ? number : defaultValue;

    /// <summary>A float or double argument (Momentum = 0.9f), or null.</summary>
    public double? Real(string name) => _values.TryGetValue(name, out var value)
        ? value.Value switch
        {
            float single => single,
            double real => real,
            int whole => whole,
            _ => null,
        }
        : null;

    public bool Bool(string name, bool defaultValue) =>
        _values.TryGetValue(name, out var value) && value.Value is bool flag ? flag : defaultValue;

    public string? String(string name) => _values.TryGetValue(name, out var value) ? value.Value as string : null;

    /// <summary>An int array argument (params or property); null when absent or null.</summary>
    public int[]? IntArray(string name)
    {
        if (!_values.TryGetValue(name, out var value) || value.Kind != TypedConstantKind.Array || value.IsNull)
        {
            return null;
        }

        var result = new int[value.Values.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = value.Values[i].Value is int number ? number : 0;
        }

        return result;
    }

    /// <summary>A string array argument (params or property); null when absent or null. A null element reads as "".</summary>
    public string[]? StringArray(string name)
    {
        if (!_values.TryGetValue(name, out var value) || value.Kind != TypedConstantKind.Array || value.IsNull)
        {
            return null;
        }

        var result = new string[value.Values.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = value.Values[i].Value as string ?? string.Empty;
        }

        return result;
    }

    public ITypeSymbol? Type(string name) => _values.TryGetValue(name, out var value) ? value.Value as ITypeSymbol : null;

    /// <summary>Where an argument (or its element "name[i]") was written.</summary>
    public LocationInfo? Location(string name) => _locations.TryGetValue(name, out var location) ? location : null;

    /// <summary>Adds the location of <paramref name="argument"/> (and its elements) under a canonical key.</summary>
    public void AddLocations(List<NamedLocation> into, string argument, string key)
    {
        foreach (var entry in _locations)
        {
            if (entry.Key == argument)
            {
                into.Add(new NamedLocation(key, entry.Value));
            }
            else if (entry.Key.StartsWith(argument + "[", System.StringComparison.Ordinal))
            {
                into.Add(new NamedLocation(key + entry.Key.Substring(argument.Length), entry.Value));
            }
        }
    }
}
