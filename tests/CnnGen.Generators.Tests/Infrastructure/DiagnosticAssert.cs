using Microsoft.CodeAnalysis;

namespace CnnGen.Generators.Tests.Infrastructure;

/// <summary>One diagnostic a test expects: its ID, severity and full message.</summary>
internal sealed record Expected(string Id, DiagnosticSeverity Severity, string Message)
{
    public static Expected Error(string id, string message) => new(id, DiagnosticSeverity.Error, message);

    public static Expected Warning(string id, string message) => new(id, DiagnosticSeverity.Warning, message);
}

internal static class DiagnosticAssert
{
    /// <summary>
    /// Checks <paramref name="marked"/> (with <c>using CnnGen;</c> prepended) twice: with the
    /// analyzer alone (an IDE that has not run the generator) and as a build (the generator, then
    /// the analyzer over its output). Each time the CNN diagnostics must be exactly
    /// <paramref name="expected"/>, the n-th sitting on the n-th marked span (file, offsets, line
    /// and column), so a build reports each once. A project with an error fails to build, and one
    /// with only warnings builds.
    /// </summary>
    public static GeneratorRun Reports(string marked, params Expected[] expected)
    {
        var source = MarkedSource.Parse("using CnnGen;\n\n" + marked);
        Assert.True(source.Spans.Count == expected.Length, $"{source.Spans.Count} marked spans for {expected.Length} expected diagnostics");

        var alone = GeneratorHarness.Analyze(GeneratorHarness.Compilation(source.Text));
        Matches("the analyzer alone", alone, source, expected);

        var run = GeneratorHarness.Run(source.Text);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id.StartsWith("CNN", StringComparison.Ordinal));
        Matches("the build", GeneratorHarness.Analyze(run.Output), source, expected);

        if (expected.Any(e => e.Severity == DiagnosticSeverity.Error))
        {
            Assert.NotEmpty(run.BuildErrors);
            foreach (var error in expected.Where(e => e.Severity == DiagnosticSeverity.Error))
            {
                Assert.Contains(run.BuildErrors, d => d.Id == error.Id);
            }
        }
        else
        {
            Assert.Empty(run.BuildErrors);
        }

        return run;
    }

    private static void Matches(string what, IEnumerable<Diagnostic> reported, MarkedSource source, Expected[] expected)
    {
        var actual = reported.Where(d => d.Id.StartsWith("CNN", StringComparison.Ordinal) && !d.IsSuppressed)
            .OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();
        Assert.True(actual.Count == expected.Length,
            $"Expected {expected.Length} CNN diagnostics from {what}, got {actual.Count}:\n" + string.Join("\n", actual.Select(d => Describe(d, source))));

        for (var i = 0; i < expected.Length; i++)
        {
            var diagnostic = actual[i];
            var span = source.Spans[i];
            Assert.Equal(expected[i].Id, diagnostic.Id);
            Assert.Equal(expected[i].Severity, diagnostic.Severity);
            Assert.Equal(expected[i].Message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
            var lineSpan = diagnostic.Location.GetLineSpan();
            Assert.Equal("Source0.cs", lineSpan.Path);
            Assert.True(span == diagnostic.Location.SourceSpan,
                $"{diagnostic.Id} from {what} sits on '{Text(source, diagnostic)}' {diagnostic.Location.SourceSpan}, expected '{source.TextOf(span)}' {span}");
            Assert.Equal(source.LineSpan(span), lineSpan.Span);
        }
    }

    private static string Describe(Diagnostic diagnostic, MarkedSource source) =>
        $"{diagnostic.Id} {diagnostic.Severity} on '{Text(source, diagnostic)}': {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";

    private static string Text(MarkedSource source, Diagnostic diagnostic)
    {
        var span = diagnostic.Location.SourceSpan;
        return diagnostic.Location == Location.None || span.End > source.Text.Length ? "(no location)" : source.Text.Substring(span.Start, span.Length);
    }
}
