using System.Collections.Immutable;
using System.Diagnostics;
using CnnGen.Generators.Analysis;
using CnnGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit.Abstractions;

namespace CnnGen.Generators.Tests.Analysis;

/// <summary>
/// What the analyzer costs per keystroke in an IDE, on a file of 20 networks: each edit is a
/// new compilation (one comment line added), analysed as the IDE analyses the edited document
/// (GetAnalyzerSemanticDiagnosticsAsync of its semantic model). The times go to the test
/// output and into docs/analyzer.md; nothing asserts them (shared, noisy machines). What is
/// asserted is that every edit reports the one error of the file, and gathers the networks once.
/// </summary>
public class AnalyzerCostTests(ITestOutputHelper output)
{
    private const int Edits = 40;

    [Fact]
    public void TimePerAnalysisOfAFileWithTwentyNetworks()
    {
        var compilation = GeneratorHarness.Compilation(TwentyNetworks.Source);
        var tree = compilation.SyntaxTrees.Single();
        Measure(compilation, tree, new CnnAnalyzer(), Edits / 4); // warm-up: JIT, and the compiler's own caches

        var analyzer = new CnnAnalyzer();
        var (cnn, empty, second) = Measure(compilation, tree, analyzer, Edits);
        // One gathering of the networks per edit, reused by the edit's second request.
        Assert.Equal(Edits, analyzer.CatalogsBuilt);

        output.WriteLine($"{TwentyNetworks.Count} networks in one file, {Edits} edits, each a new compilation analysed as an IDE analyses the edited document:");
        output.WriteLine($"  document analysis with CnnAnalyzer:           median {Median(cnn.Select(r => r.Wall)):F1} ms");
        output.WriteLine($"  document analysis with an empty analyzer:     median {Median(empty.Select(r => r.Wall)):F1} ms (the driver and the binding)");
        output.WriteLine($"  CnnAnalyzer's own actions (driver telemetry): median {Median(cnn.Select(r => r.Own)):F1} ms, " +
            $"{Median(cnn.Select(r => r.Own)) / TwentyNetworks.Count * 1000:F0} µs per network");
        output.WriteLine($"  a second request on the same compilation (the lightbulb on one network): own actions median {Median(second.Select(r => r.Own)):F2} ms");
    }

    /// <summary>
    /// Per edit: CnnAnalyzer and the empty analyzer on the new compilation (in alternating order,
    /// so that neither always runs on a warmer machine), then a second CnnAnalyzer request.
    /// </summary>
    private static (List<Request> Cnn, List<Request> Empty, List<Request> Second) Measure(Compilation compilation, SyntaxTree tree,
        CnnAnalyzer analyzer, int edits)
    {
        var (cnn, empty, second) = (new List<Request>(), new List<Request>(), new List<Request>());
        var text = tree.GetText();
        var erroneous = TwentyNetworks.Source.IndexOf("class Net14", StringComparison.Ordinal);
        for (var i = 0; i < edits; i++)
        {
            // A keystroke: the file gains a line; the other trees (none here) would be shared.
            text = text.WithChanges(new TextChange(new TextSpan(text.Length, 0), "// edit " + i + "\n"));
            var edited = tree.WithChangedText(text);
            var next = compilation.ReplaceSyntaxTree(tree, edited);
            if (i % 2 == 0)
            {
                cnn.Add(Run(next, edited, analyzer, null));
                empty.Add(Run(next, edited, new EmptyAnalyzer(), null));
            }
            else
            {
                empty.Add(Run(next, edited, new EmptyAnalyzer(), null));
                cnn.Add(Run(next, edited, analyzer, null));
            }

            // Another request on the same compilation, as for the lightbulb on one network: the
            // driver runs every action again (a new CompilationWithAnalyzers: one reuses its results).
            second.Add(Run(next, edited, analyzer, edited.GetRoot().FindToken(erroneous).Parent!.Span));
        }

        return (cnn, empty, second);
    }

    private static Request Run(Compilation compilation, SyntaxTree tree, DiagnosticAnalyzer analyzer, TextSpan? span)
    {
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null,
            concurrentAnalysis: false, logAnalyzerExecutionTime: true);
        var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create(analyzer), options);
        var watch = Stopwatch.StartNew();
        var diagnostics = withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(tree), span, CancellationToken.None).Result;
        watch.Stop();
        if (analyzer is CnnAnalyzer)
        {
            var error = Assert.Single(diagnostics);
            Assert.Equal("CNN0103", error.Id);
            Assert.Contains("conv1d_2", error.GetMessage(), StringComparison.Ordinal);
        }

        return new Request(watch.Elapsed.TotalMilliseconds, Telemetry(withAnalyzers, analyzer));
    }

    private sealed record Request(double Wall, double Own);

    /// <summary>The time spent in the analyzer's own actions so far (the driver adds it up across requests).</summary>
    private static double Telemetry(CompilationWithAnalyzers withAnalyzers, DiagnosticAnalyzer analyzer) =>
        withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).Result.ExecutionTime.TotalMilliseconds;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The same kind of action doing nothing: what the driver and the compiler cost without CnnGen's work.</summary>
#pragma warning disable RS1036, RS2008 // a test double, never shipped
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class EmptyAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Unused = new("TEST0001", "Unused", "Unused", "Test", DiagnosticSeverity.Hidden, true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Unused);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
            context.RegisterCompilationStartAction(start => start.RegisterSymbolAction(_ => { }, SymbolKind.NamedType));
        }
    }
#pragma warning restore RS1036, RS2008
}
