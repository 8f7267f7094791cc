using System;
using System.Collections.Immutable;
using System.Globalization;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Model;
using CnnGen.Generators.Shapes;

namespace CnnGen.Generators;

/// <summary>The source of one network, or why there is none (then the source is the bare partial class).</summary>
internal sealed record EmittedNetwork(string Source, DiagnosticInfo? Failure);

/// <summary>
/// The compiler core shared by the generator, the analyzer, the cnngen command-line tool and the
/// tests: catalog -> analyses -> generated source. It never throws: a failure inside it (a bug,
/// or a network whose code would pass the size limit) becomes a diagnostic of that network.
/// </summary>
internal static class NetworkCompiler
{
    public static ImmutableArray<NetworkAnalysis> AnalyzeAll(NetworkCatalog catalog)
    {
        var builder = ImmutableArray.CreateBuilder<NetworkAnalysis>(catalog.Networks.Count);
        for (var i = 0; i < catalog.Networks.Count; i++)
        {
            builder.Add(Analyze(catalog, i));
        }

        return builder.MoveToImmutable();
    }

    /// <summary>One network of the catalog, as <see cref="AnalyzeAll"/> analyzes it (the analyzer asks for one at a time).</summary>
    public static NetworkAnalysis Analyze(NetworkCatalog catalog, int index)
    {
        try
        {
            return ShapeInference.Analyze(catalog, index);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var spec = catalog.Networks[index];
            return new NetworkAnalysis(ShapeInference.Invalid(spec),
                EquatableArray.Create(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, spec.Location, spec.FullName, Describe(exception))));
        }
    }

    public static EmittedNetwork Emit(NetworkModel model)
    {
        try
        {
            return new EmittedNetwork(NetworkEmitter.Emit(model), null);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var failure = exception is SourceTooLargeException
                ? DiagnosticInfo.Create(DiagnosticDescriptors.GeneratedCodeTooLarge, null, model.FullName,
                    SourceWriter.MaxLength.ToString("N0", CultureInfo.InvariantCulture))
                : DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, null, model.FullName, Describe(exception));
            return new EmittedNetwork(NetworkEmitter.Emit(model with { IsValid = false }), failure);
        }
    }

    private static string Describe(Exception exception) => exception.GetType().Name + ": " + exception.Message;
}
