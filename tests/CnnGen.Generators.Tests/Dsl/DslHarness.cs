namespace CnnGen.Generators.Tests.Dsl;

// Inside the namespace, so that the generator's model types win over the runtime's (CnnGen.DataFormat, CnnGen.LayerKind).
using System.Globalization;
using CnnGen.Generators.Dsl;
using CnnGen.Generators.Model;
using CnnGen.Generators.Shapes;
using CnnGen.Generators.Tests.Infrastructure;

/// <summary>Parses .cnn text and checks it the way the generator does, with diagnostics as one-line strings.</summary>
internal static class DslHarness
{
    public static DslFile Parse(string text, string path = "test.cnn") => DslFile.Parse(path, text);

    /// <summary>
    /// Every diagnostic of the files, from the compiler core: the files' own, then each network's.
    /// Checks on the way that the analyzer, given the files as additional files of a compilation,
    /// reports exactly these (what a user sees in the IDE and the build).
    /// </summary>
    public static List<string> Check(params (string Path, string Text)[] files)
    {
        var parsed = files.Select(f => DslFile.Parse(f.Path, f.Text)).ToList();
        var catalog = new NetworkCatalog(parsed.SelectMany(f => f.Networks).ToEquatableArray());
        var core = parsed.SelectMany(f => f.Diagnostics)
            .Concat(NetworkCompiler.AnalyzeAll(catalog).SelectMany(a => a.Diagnostics))
            .Select(Format)
            .ToList();

        var reported = GeneratorHarness.Analyze(GeneratorHarness.Compilation(), GeneratorHarness.AdditionalFiles(files))
            .Where(d => d.Id.StartsWith("CNN", StringComparison.Ordinal))
            .Select(Format);
        Assert.Equal(core.Order(StringComparer.Ordinal), reported.Order(StringComparer.Ordinal));
        return core;
    }

    public static List<string> Check(string text) => Check(("test.cnn", text));

    /// <summary>"CNN0206 (3,5)-(3,10): message", lines and columns 1-based as the compiler prints them.</summary>
    public static string Format(DiagnosticInfo diagnostic) => Format(diagnostic.Descriptor.Id, diagnostic.Location?.LineSpan, diagnostic.Message);

    public static string Format(Microsoft.CodeAnalysis.Diagnostic diagnostic) =>
        Format(diagnostic.Id, diagnostic.Location == Microsoft.CodeAnalysis.Location.None ? null : diagnostic.Location.GetLineSpan().Span,
            diagnostic.GetMessage(CultureInfo.InvariantCulture));

    private static string Format(string id, Microsoft.CodeAnalysis.Text.LinePositionSpan? span, string message)
    {
        var where = span is { } s
            ? string.Create(CultureInfo.InvariantCulture,
                $"({s.Start.Line + 1},{s.Start.Character + 1})-({s.End.Line + 1},{s.End.Character + 1})")
            : "(no location)";
        return id + " " + where + ": " + message;
    }
}
