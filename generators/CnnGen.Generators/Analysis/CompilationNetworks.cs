using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using CnnGen.Generators.Dsl;
using CnnGen.Generators.Model;
using CnnGen.Generators.Parsing;
using CnnGen.Generators.Shapes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace CnnGen.Generators.Analysis;

/// <summary>
/// The networks of one compilation, for all of its symbol and additional-file actions: the
/// catalog the generator builds (every [Network] class, then every .cnn file, in the same
/// order), made once on first use and shared, and each network's analysis, made when first
/// asked for. A network's diagnostics depend on others (a chained input, a name declared
/// twice), which is why no action works from its own declaration alone.
/// </summary>
internal sealed class CompilationNetworks
{
    /// <summary>Parsed .cnn files by text: an IDE hands unchanged files to each new compilation with the same text.</summary>
    private static readonly ConditionalWeakTable<SourceText, ParsedFile> ParsedFiles = new();

    private readonly Compilation _compilation;
    private readonly ImmutableArray<AdditionalText> _additionalFiles;
    private readonly System.Action _onBuild;
    private readonly object _gate = new();
    private Snapshot? _snapshot;

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
        if (snapshot.BySymbol.TryGetValue(symbol, out var indices))
        {
            foreach (var index in indices)
            {
                Report(snapshot, snapshot.Analysis(index), index, context.ReportDiagnostic);
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
            var index = file.FirstIndex + i;
            Report(snapshot, snapshot.Analysis(index), index, context.ReportDiagnostic);
        }
    }

    private void Report(Snapshot snapshot, NetworkAnalysis analysis, int index, System.Action<Diagnostic> report)
    {
        foreach (var diagnostic in analysis.Diagnostics)
        {
            report(diagnostic.ToDiagnostic(_compilation, FixProperties.For(diagnostic, snapshot.Catalog, index)));
        }
    }

    private Snapshot Get(CancellationToken cancellationToken)
    {
        // One build per compilation; the others wait for it. A cancelled build leaves nothing
        // behind, so the next caller builds again (Lazy<T> would keep the exception).
        lock (_gate)
        {
            return _snapshot ??= Build(cancellationToken);
        }
    }

    private Snapshot Build(CancellationToken cancellationToken)
    {
        _onBuild();
        var specs = ImmutableArray.CreateBuilder<NetworkSpec>();
        var bySymbol = new Dictionary<INamedTypeSymbol, List<int>>(SymbolEqualityComparer.Default);
        foreach (var declaration in NetworkDeclarations.Find(_compilation, cancellationToken))
        {
            if (!bySymbol.TryGetValue(declaration.Symbol, out var indices))
            {
                bySymbol.Add(declaration.Symbol, indices = new List<int>());
            }

            indices.Add(specs.Count);
            specs.Add(AttributeParser.Parse(declaration.Symbol, declaration.Syntax, declaration.NetworkAttributes, cancellationToken));
        }

        var files = new Dictionary<AdditionalText, (DslFile Parsed, int FirstIndex)>();
        var dslNetworks = ImmutableArray.CreateBuilder<EquatableArray<NetworkSpec>>();
        var next = specs.Count;
        foreach (var additional in _additionalFiles)
        {
            if (!DslFile.IsDslPath(additional.Path))
            {
                continue;
            }

            var parsed = Parse(additional, cancellationToken);
            files[additional] = (parsed, next);
            dslNetworks.Add(parsed.Networks);
            next += parsed.Networks.Count;
        }

        var catalog = NetworkCatalog.Create(specs.ToImmutable(), dslNetworks.ToImmutable());
        return new Snapshot(catalog, bySymbol, files);
    }

    private static DslFile Parse(AdditionalText file, CancellationToken cancellationToken)
    {
        var text = file.GetText(cancellationToken);
        if (text is null)
        {
            return DslFile.Parse(file.Path, string.Empty);
        }

        var parsed = ParsedFiles.GetValue(text, text => new ParsedFile(file.Path, DslFile.Parse(file.Path, text.ToString())));
        return parsed.Path == file.Path ? parsed.File : DslFile.Parse(file.Path, text.ToString());
    }

    private sealed record ParsedFile(string Path, DslFile File);

    private sealed class Snapshot
    {
        private readonly NetworkAnalysis?[] _analyses;

        public Snapshot(NetworkCatalog catalog, Dictionary<INamedTypeSymbol, List<int>> bySymbol, Dictionary<AdditionalText, (DslFile, int)> files)
        {
            Catalog = catalog;
            BySymbol = bySymbol;
            Files = files;
            _analyses = new NetworkAnalysis?[catalog.Networks.Count];
        }

        public NetworkCatalog Catalog { get; }

        public Dictionary<INamedTypeSymbol, List<int>> BySymbol { get; }

        public Dictionary<AdditionalText, (DslFile Parsed, int FirstIndex)> Files { get; }

        /// <summary>A network's analysis, made on first request: a document's analysis checks only its own networks (and their inputs).</summary>
        public NetworkAnalysis Analysis(int index)
        {
            if (Volatile.Read(ref _analyses[index]) is { } done)
            {
                return done;
            }

            // Pure and deterministic: when two threads race on one network, the first result is kept.
            var analysis = NetworkCompiler.Analyze(Catalog, index);
            return Interlocked.CompareExchange(ref _analyses[index], analysis, null) ?? analysis;
        }
    }
}
