using System.Collections.Immutable;
using System.Threading;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Dsl;
using CnnGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CnnGen.Generators.Analysis;

/// <summary>
/// What one compilation-start action shares with its symbol and additional-file actions: the
/// networks of the compilation (<see cref="NetworkSnapshot"/>), fetched on first need, and the
/// reporting of one class's or one file's diagnostics from them. A network's diagnostics depend
/// on others (a chained input, a name declared twice), which is why no action works from its
/// own declaration alone.
/// </summary>
internal sealed class CompilationNetworks
{
    private readonly Compilation _compilation;
    private readonly ImmutableArray<AdditionalText> _additionalFiles;
    private readonly System.Action _onBuild;
    private NetworkSnapshot? _snapshot;

    public CompilationNetworks(Compilation compilation, ImmutableArray<AdditionalText> additionalFiles, System.Action onBuild)
    {
        _compilation = compilation;
        _additionalFiles = additionalFiles;
        _onBuild = onBuild;
    }

    /// <summary>Reports the diagnostics of the networks a class declares (one per declaration carrying [Network]).</summary>
    public void ReportSymbol(SymbolAnalysisContext context)
    {
        // Most types are not networks: looking at their attributes costs nothing the compiler has not done.
        if (context.Symbol is not INamedTypeSymbol symbol || !NetworkDeclarations.HasNetworkAttribute(symbol))
        {
            return;
        }

        var snapshot = Get(context.CancellationToken);
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (snapshot.ByDeclaration.TryGetValue((reference.SyntaxTree, reference.Span), out var index))
            {
                Report(snapshot, index, context.ReportDiagnostic);
            }
        }
    }

    /// <summary>Reports a .cnn file's own errors and those of the networks it declares.</summary>
    public void ReportFile(AdditionalFileAnalysisContext context)
    {
        if (!DslFile.IsDslPath(context.AdditionalFile.Path))
        {
            return;
        }

        var snapshot = Get(context.CancellationToken);
        if (!snapshot.Files.TryGetValue(context.AdditionalFile, out var file))
        {
            return;
        }

        foreach (var diagnostic in file.Parsed.Diagnostics)
        {
            context.ReportDiagnostic(diagnostic.ToDiagnostic());
        }

        for (var i = 0; i < file.Parsed.Networks.Count; i++)
        {
            Report(snapshot, file.FirstIndex + i, context.ReportDiagnostic);
        }
    }

    private void Report(NetworkSnapshot snapshot, int index, System.Action<Diagnostic> report)
    {
        var analysis = snapshot.Analysis(index);
        foreach (var diagnostic in analysis.Diagnostics)
        {
            report(diagnostic.ToDiagnostic(_compilation, FixProperties.For(diagnostic, snapshot.Catalog, index)));
        }

        // The JIT does not optimise code built without optimisation, and generated kernels lose most:
        // a note (Info: the IDE shows it, a command-line build does not) on each network that is generated.
        if (analysis.Model.IsValid && _compilation.Options.OptimizationLevel == OptimizationLevel.Debug)
        {
            var spec = snapshot.Catalog.Networks[index];
            report(DiagnosticInfo.Create(DiagnosticDescriptors.BuiltWithoutOptimization, spec.Location, spec.ClassName).ToDiagnostic(_compilation));
        }
    }

    private NetworkSnapshot Get(CancellationToken cancellationToken) =>
        Volatile.Read(ref _snapshot) ?? (_snapshot = NetworkSnapshot.Get(_compilation, _additionalFiles, _onBuild, cancellationToken));
}
