using CnnGen.Generators.Dsl;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Model;
using CnnGen.Generators.Parsing;
using CnnGen.Generators.Shapes;
using Microsoft.CodeAnalysis;

namespace CnnGen.Generators;

/// <summary>
/// The CnnGen incremental generator: [Network] classes and .cnn files -> specs -> shape
/// inference -> generated partial classes. Its diagnostics are reported by
/// <see cref="Analysis.CnnAnalyzer"/>, which runs the same core.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class CnnGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, for incrementality tests.</summary>
    public static class Steps
    {
        public const string AttributeSpecs = nameof(AttributeSpecs);
        public const string DslFiles = nameof(DslFiles);
        public const string Catalog = nameof(Catalog);
        public const string Analyses = nameof(Analyses);
        public const string Models = nameof(Models);
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var attributeSpecs = context.SyntaxProvider
            .ForAttributeWithMetadataName(AttributeParser.NetworkAttributeName,
                static (node, _) => AttributeParser.IsCandidate(node),
                static (context, cancellationToken) => AttributeParser.Parse(context, cancellationToken))
            .WithTrackingName(Steps.AttributeSpecs);

        var dslFiles = context.AdditionalTextsProvider
            .Where(static file => DslFile.IsDslPath(file.Path))
            .Select(static (file, cancellationToken) => DslFile.Parse(file.Path, file.GetText(cancellationToken)?.ToString() ?? string.Empty))
            .WithTrackingName(Steps.DslFiles);

        var catalog = attributeSpecs.Collect()
            .Combine(dslFiles.Select(static (file, _) => file.Networks).Collect())
            .Select(static (pair, _) => NetworkCatalog.Create(pair.Left, pair.Right))
            .WithTrackingName(Steps.Catalog);

        var analyses = catalog
            .SelectMany(static (catalog, _) => NetworkCompiler.AnalyzeAll(catalog))
            .WithTrackingName(Steps.Analyses);

        // Source depends on the model only (no locations), so moving a declaration does not re-emit code.
        var models = analyses.Select(static (analysis, _) => analysis.Model).WithTrackingName(Steps.Models);
        context.RegisterSourceOutput(models, static (context, model) =>
        {
            // A class declared with attributes exists without us; when its declaration has errors,
            // adding nothing keeps the compiler from piling its own errors on ours. A .cnn network
            // still gets its (empty) class, so that code using it does not fail to bind.
            if (model.IsValid || model.FromDsl)
            {
                var emitted = NetworkCompiler.Emit(model);
                context.AddSource(model.HintName, emitted.Source);
                if (emitted.Failure is { } failure)
                {
                    context.ReportDiagnostic(failure.ToDiagnostic());
                }
            }
        });

        // Diagnostics are not reported here: CnnAnalyzer reports them from the same analyses (one
        // core), while the user types too, where an IDE runs generators only on build. A network
        // with errors still gets no code above, so a build reports each diagnostic once. The one
        // exception is a network that passed every check but whose code cannot be written
        // (CNN0300, CNN0301): only writing it finds out, so the source output reports it.
    }
}
