using System.Collections.Immutable;
using System.Threading;
using CnnGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CnnGen.Generators.Analysis;

/// <summary>
/// Reports every CnnGen diagnostic, from the generator's own parsing and shape inference, so
/// that shape errors show while the user types even where the IDE runs source generators only
/// on build. Per compilation, the networks are gathered once, on first need, and shared by
/// every analysis request of it (see <see cref="NetworkSnapshot"/>); each [Network] class (a
/// symbol action) and each .cnn file (an additional-file action) then reports only its own
/// diagnostics (see <see cref="CompilationNetworks"/>). No compilation-end action: those do not
/// run in live analysis.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CnnAnalyzer : DiagnosticAnalyzer
{
    private int _catalogsBuilt;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.All;

    /// <summary>How many times this instance has gathered a compilation's networks (tests check: once per compilation).</summary>
    internal int CatalogsBuilt => Volatile.Read(ref _catalogsBuilt);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        // Networks in files marked generated (an imported model, say) are checked as the generator checks them.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            var networks = new CompilationNetworks(start.Compilation, start.Options.AdditionalFiles,
                () => Interlocked.Increment(ref _catalogsBuilt));
            start.RegisterSymbolAction(networks.ReportSymbol, SymbolKind.NamedType);
            start.RegisterAdditionalFileAction(networks.ReportFile);
        });
    }
}
