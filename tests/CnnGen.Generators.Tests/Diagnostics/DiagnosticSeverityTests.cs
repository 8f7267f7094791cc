using CnnGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace CnnGen.Generators.Tests.Diagnostics;

/// <summary>
/// CNN diagnostics obey the user's severity settings like any Roslyn diagnostic: .editorconfig
/// (per file and global), #pragma warning, and the project's warnings-as-errors.
/// </summary>
public class DiagnosticSeverityTests
{
    private const string NoLayers = """
        using CnnGen;

        [Network]
        [Input(4)]
        public partial class Net;
        """;

    private const string KernelTooLarge = """
        using CnnGen;

        [Network]
        [Input(3, 3, 1)]
        [Conv2D(2, 5)]
        public partial class Net;
        """;

    [Fact]
    public void EditorConfigSeverityErrorTurnsAWarningIntoAnError()
    {
        // [*.cs] dotnet_diagnostic.CNN0016.severity = error
        var run = Run(NoLayers, perFile: ("CNN0016", ReportDiagnostic.Error));
        var diagnostic = Assert.Single(run.CnnDiagnostics);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains(run.BuildErrors, d => d.Id == "CNN0016");
    }

    [Fact]
    public void EditorConfigSeverityNoneSilencesADiagnostic()
    {
        // [*.cs] dotnet_diagnostic.CNN0016.severity = none
        var run = Run(NoLayers, perFile: ("CNN0016", ReportDiagnostic.Suppress));
        Assert.Empty(run.CnnDiagnostics);
    }

    [Fact]
    public void EditorConfigCanDemoteAnErrorToAWarning()
    {
        // [*.cs] dotnet_diagnostic.CNN0103.severity = warning
        var run = Run(KernelTooLarge, perFile: ("CNN0103", ReportDiagnostic.Warn));
        Assert.Equal(DiagnosticSeverity.Warning, Assert.Single(run.CnnDiagnostics).Severity);
        Assert.DoesNotContain(run.BuildErrors, d => d.Id == "CNN0103");
    }

    [Fact]
    public void GlobalConfigSeverityApplies()
    {
        // .globalconfig: is_global = true, dotnet_diagnostic.CNN0016.severity = error
        var run = Run(NoLayers, global: ("CNN0016", ReportDiagnostic.Error));
        Assert.Equal(DiagnosticSeverity.Error, Assert.Single(run.CnnDiagnostics).Severity);
    }

    [Fact]
    public void PragmaWarningDisableSilencesAWarning()
    {
        var run = GeneratorHarness.Run(NoLayers.Replace("[Network]", "#pragma warning disable CNN0016\n[Network]"));
        Assert.Empty(run.CnnDiagnostics);
        Assert.True(Assert.Single(run.AnalyzerDiagnostics, d => d.Id == "CNN0016").IsSuppressed);
    }

    [Fact]
    public void PragmaWarningDisableSilencesAnErrorOnlyInsideItsRegion()
    {
        var source = KernelTooLarge.Replace("[Conv2D(2, 5)]", "#pragma warning disable CNN0103\n[Conv2D(2, 5)]\n#pragma warning restore CNN0103")
            + "\n[Network]\n[Input(3, 3, 1)]\n[Conv2D(2, 5)]\npublic partial class Other;\n";
        var run = GeneratorHarness.Run(source);
        var reported = Assert.Single(run.CnnDiagnostics);
        Assert.True(reported.Location.SourceSpan.Start > source.IndexOf("class Net", StringComparison.Ordinal), "the error outside the region is reported");
        Assert.Single(run.AnalyzerDiagnostics, d => d.Id == "CNN0103" && d.IsSuppressed);
    }

    [Fact]
    public void WarningsAsErrorsAppliesToCnnWarnings()
    {
        var compilation = GeneratorHarness.Compilation(NoLayers);
        compilation = compilation.WithOptions(compilation.Options.WithGeneralDiagnosticOption(ReportDiagnostic.Error));
        var diagnostic = Assert.Single(GeneratorHarness.Analyze(compilation), d => d.Id == "CNN0016");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.True(diagnostic.IsWarningAsError);
    }

    private static GeneratorRun Run(string source, (string Id, ReportDiagnostic Severity)? perFile = null, (string Id, ReportDiagnostic Severity)? global = null)
    {
        var compilation = GeneratorHarness.Compilation(source);
        var options = new SeverityOptions(perFile, global);
        compilation = compilation.WithOptions(compilation.Options.WithSyntaxTreeOptionsProvider(options));
        var driver = GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return new GeneratorRun(driver, compilation, output, diagnostics);
    }

    /// <summary>What the compiler builds from .editorconfig ([*.cs] sections) and .globalconfig files.</summary>
    private sealed class SeverityOptions((string Id, ReportDiagnostic Severity)? perFile, (string Id, ReportDiagnostic Severity)? global)
        : SyntaxTreeOptionsProvider
    {
        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            Find(perFile, diagnosticId, out severity);

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            Find(global, diagnosticId, out severity);

        private static bool Find((string Id, ReportDiagnostic Severity)? setting, string id, out ReportDiagnostic severity)
        {
            severity = setting is { } s && s.Id == id ? s.Severity : ReportDiagnostic.Default;
            return setting is { } t && t.Id == id;
        }
    }
}
