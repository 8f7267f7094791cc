namespace CnnGen.Generators.Tests.Model;

using System.Reflection;
using CnnGen.Generators.Layers;
using CnnGen.Generators.Model;

/// <summary>
/// The attribute parser reads layer attributes by the constructor parameter and property names
/// of the one option table (Model/LayerOptions.cs); a name that the runtime attribute does not
/// have would silently read nothing. Each kind's attribute must have a spelling of every option
/// the kind accepts, and nothing the parser does not read.
/// </summary>
public class AttributeOptionNamesTests
{
    public static TheoryData<string> Kinds => new(LayerFamilies.Kinds.Select(k => k.Kind.ToString()));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryOptionTheKindAcceptsHasAConstructorParameterOrPropertyOfThatName(string kindName)
    {
        var (syntax, attribute) = Load(kindName);
        var parameters = ConstructorParameters(attribute);
        var properties = SettableProperties(attribute);
        foreach (var option in Accepted(syntax))
        {
            // One spelling per option: a constructor parameter (kernelSize, activation) or a property (Stride, Activation).
            var spellings = option.Attribute.Where(name => parameters.Contains(name) || properties.Contains(name)).ToList();
            Assert.True(spellings.Count > 0,
                $"{attribute.Name} accepts '{option.Key}', but has none of its spellings ({string.Join(", ", option.Attribute)}) as a constructor parameter or settable property.");

            if (option.AttributeDimensions is { } dimensions && syntax.SpatialRank == 2)
            {
                Assert.All(dimensions, name => Assert.True(parameters.Contains(name), $"{attribute.Name} has no constructor parameter '{name}' for '{option.Key}'."));
            }

            if (option.AttributeDimensionsOf1D is { } sides && syntax.SpatialRank == 1)
            {
                Assert.All(sides, name => Assert.True(parameters.Contains(name), $"{attribute.Name} has no constructor parameter '{name}' for '{option.Key}'."));
            }

            if (option.AttributePerDimension is { } perDimension && syntax.SpatialRank == 2)
            {
                var property = attribute.GetProperty(perDimension);
                Assert.True(property is { CanWrite: true } && property.PropertyType == typeof(int[]),
                    $"{attribute.Name} has no settable int[] property '{perDimension}' for '{option.Key}'.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TheParserReadsEveryConstructorParameterAndPropertyOfTheAttribute(string kindName)
    {
        var (syntax, attribute) = Load(kindName);
        var read = new HashSet<string>(StringComparer.Ordinal);
        foreach (var option in Accepted(syntax))
        {
            read.UnionWith(option.Attribute);
            read.UnionWith(option.AttributeDimensions ?? []);
            read.UnionWith(option.AttributeDimensionsOf1D ?? []);
            if (option.AttributePerDimension is { } perDimension)
            {
                read.Add(perDimension);
            }
        }

        foreach (var name in ConstructorParameters(attribute).Concat(SettableProperties(attribute)))
        {
            Assert.True(read.Contains(name), $"{attribute.Name} has '{name}', which the attribute parser does not read for {kindName}.");
        }
    }

    [Fact]
    public void EverySpellingInTheOptionTableIsUsedBySomeAttribute()
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var syntax in LayerFamilies.Kinds)
        {
            var attribute = Load(syntax.Kind.ToString()).Attribute;
            used.UnionWith(ConstructorParameters(attribute));
            used.UnionWith(SettableProperties(attribute));
        }

        foreach (var option in LayerOptions.All)
        {
            foreach (var name in option.Attribute.Concat(option.AttributeDimensions ?? []).Concat(option.AttributeDimensionsOf1D ?? []))
            {
                Assert.True(used.Contains(name), $"LayerOptions.{option.Key} reads '{name}', which no layer attribute has.");
            }
        }
    }

    /// <summary>The options a kind accepts: those its family lists, and From, which every layer takes.</summary>
    private static IEnumerable<LayerOption> Accepted(LayerSyntax syntax) =>
        syntax.Options.Append(LayerOptions.From).Distinct();

    private static (LayerSyntax Syntax, Type Attribute) Load(string kindName)
    {
        var syntax = LayerFamilies.Kinds.Single(k => k.Kind.ToString() == kindName);
        var attribute = typeof(NetworkAttribute).Assembly.GetType(LayerVocabulary.AttributeMetadataName(syntax.Kind), throwOnError: true)!;
        return (syntax, attribute);
    }

    private static HashSet<string> ConstructorParameters(Type attribute) =>
        attribute.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.Name!).ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> SettableProperties(Type attribute) =>
        attribute.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.SetMethod!.IsPublic).Select(p => p.Name)
            .ToHashSet(StringComparer.Ordinal);
}
