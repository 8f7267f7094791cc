using System.Collections.Immutable;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Model;
using CnnGen.Generators.Shapes;

namespace CnnGen.Generators;

/// <summary>
/// The compiler core shared by the generator, the cnngen command-line tool and the tests:
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

    public static string Emit(NetworkModel model) => NetworkEmitter.Emit(model);
}
