using System.Collections.Immutable;
using System.Globalization;
using CnnGen.Generators;
using CnnGen.Generators.Dsl;
using CnnGen.Generators.Model;
using CnnGen.Generators.Shapes;
using Microsoft.CodeAnalysis;

namespace CnnGen.Cli;

/// <summary>
/// Several .cnn files checked together, exactly as the generator checks the .cnn files of a
/// project: one catalog, so that networks can chain across files.
/// </summary>
internal sealed class CnnCompilation
{
    private CnnCompilation(IReadOnlyList<string> paths, IReadOnlyList<DslFile> files, ImmutableArray<NetworkAnalysis> analyses)
    {
        Paths = paths;
        Files = files;
        Analyses = analyses;
    }

    public IReadOnlyList<string> Paths { get; }

    public IReadOnlyList<DslFile> Files { get; }

    public ImmutableArray<NetworkAnalysis> Analyses { get; }

    public static CnnCompilation Create(IReadOnlyList<(string Path, string Text)> files)
    {
        var parsed = files.Select(file => DslFile.Parse(file.Path, file.Text)).ToList();
        var catalog = NetworkCatalog.Create(ImmutableArray<NetworkSpec>.Empty, parsed.Select(file => file.Networks).ToImmutableArray());
        return new CnnCompilation(files.Select(file => file.Path).ToList(), parsed, NetworkCompiler.AnalyzeAll(catalog));
    }

    /// <summary>Every diagnostic, file by file in the order given, then by position.</summary>
    public IReadOnlyList<DiagnosticInfo> Diagnostics =>
        Files.SelectMany(file => file.Diagnostics)
            .Concat(Analyses.SelectMany(analysis => analysis.Diagnostics))
            .Select((diagnostic, index) => (diagnostic, index))
            .OrderBy(item => FileIndex(item.diagnostic))
            .ThenBy(item => item.diagnostic.Location?.TextSpan.Start ?? int.MaxValue)
            .ThenBy(item => item.index)
            .Select(item => item.diagnostic)
            .ToList();

    /// <summary>Writes the diagnostics in the compiler's format; returns the counts of errors and warnings.</summary>
    public (int Errors, int Warnings) WriteDiagnostics(TextWriter writer)
    {
        int errors = 0, warnings = 0;
        foreach (var diagnostic in Diagnostics)
        {
            var severity = diagnostic.Descriptor.DefaultSeverity;
            errors += severity == DiagnosticSeverity.Error ? 1 : 0;
            warnings += severity == DiagnosticSeverity.Warning ? 1 : 0;
            writer.WriteLine(Format(diagnostic));
        }

        return (errors, warnings);
    }

    /// <summary>"digits.cnn(3,5): error CNN0206: message", with 1-based line and column like csc.</summary>
    public static string Format(DiagnosticInfo diagnostic)
    {
        var severity = diagnostic.Descriptor.DefaultSeverity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        };
        var where = diagnostic.Location is { } location
            ? string.Create(CultureInfo.InvariantCulture,
                $"{location.FilePath}({location.LineSpan.Start.Line + 1},{location.LineSpan.Start.Character + 1})")
            : "cnngen";
        return $"{where}: {severity} {diagnostic.Descriptor.Id}: {diagnostic.Message}";
    }

    private int FileIndex(DiagnosticInfo diagnostic)
    {
        for (var i = 0; i < Paths.Count; i++)
        {
            if (diagnostic.Location?.FilePath == Paths[i])
            {
                return i;
            }
        }

        return Paths.Count;
    }
}
