using System.Collections.Immutable;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Model;
using CnnGen.Generators.Shapes;

namespace CnnGen.Generators;

/// <summary>
/// The compiler core shared by the generator, the analyzer, the cnngen command-line tool and the tests:
/// catalog -> analyses -> generated source.
/// </summary>
internal static class NetworkCompiler
{
    public static ImmutableArray<NetworkAnalysis> AnalyzeAll(NetworkCatalog catalog)
    {
        var builder = ImmutableArray.CreateBuilder<NetworkAnalysis>(catalog.Networks.Count);
        for (var i = 0; i < catalog.Networks.Count; i++)
        {
            builder.Add(ShapeInference.Analyze(catalog, i));
        }

        return builder.MoveToImmutable();
    }

    /// <summary>One network of the catalog, as <see cref="AnalyzeAll"/> analyzes it (the analyzer asks for one at a time).</summary>
    public static NetworkAnalysis Analyze(NetworkCatalog catalog, int index) => ShapeInference.Analyze(catalog, index);

    public static string Emit(NetworkModel model) => NetworkEmitter.Emit(model);
}
