namespace CnnGen.Generators.Tests.Dsl;

using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using CnnGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;

/// <summary>
/// The pages of the .cnn language's diagnostics (docs/diagnostics/CNN02xx.md; the others are
/// checked by DiagnosticDocumentationTests): one per ID, titled as the descriptor, whose wrong
/// example reports the quoted message and whose fixed example has no error.
/// </summary>
public class DslDocumentationTests
{
    /// <summary>Pages whose wrong example is abbreviated ("..."), so it cannot be checked as written.</summary>
    private static readonly string[] Abbreviated = { "CNN0214" };

    public static TheoryData<string> LanguageDiagnostics()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in Descriptors().Where(d => d.Id.StartsWith("CNN02", StringComparison.Ordinal)))
        {
            data.Add(descriptor.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LanguageDiagnostics))]
    public void EachDiagnosticHasAPageWhoseExamplesHoldTrue(string id)
    {
        var page = File.ReadAllText(Path.Combine(DocsDirectory(), "diagnostics", id + ".md")).Replace("\r\n", "\n");
        var descriptor = Descriptors().Single(d => d.Id == id);
        Assert.StartsWith($"# {id}: {descriptor.Title}\n", page);

        var examples = Regex.Matches(page, "```cnn\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, examples.Count);
        Assert.Contains("## Wrong", page[..page.IndexOf(examples[0], StringComparison.Ordinal)]);
        foreach (var section in new[] { "## When it is reported", "## Message", "## Wrong", "## Fixed", "## Severity" })
        {
            Assert.Contains("\n" + section + "\n", page, StringComparison.Ordinal);
        }

        var message = Regex.Match(page, "\n## Message\n\nFor the example below:\n\n> (.*)\n").Groups[1].Value;
        if (!Abbreviated.Contains(id))
        {
            Assert.Contains(DslHarness.Check(examples[0]), d => d.StartsWith(id + " ", StringComparison.Ordinal) && d.EndsWith(": " + message, StringComparison.Ordinal));
        }

        // The fixed example compiles; a warning that it has no layers is allowed in short examples.
        Assert.All(DslHarness.Check(examples[1]), d => Assert.StartsWith("CNN0016 ", d));
    }

    [Fact]
    public void TheExamplesOfTheLanguageGuideHaveNoErrors()
    {
        var guide = File.ReadAllText(Path.Combine(DocsDirectory(), "dsl.md")).Replace("\r\n", "\n");
        var examples = Regex.Matches(guide, "```cnn\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3, examples.Count);
        Assert.Empty(DslHarness.Check(examples.Select((text, i) => ($"example{i}.cnn", text)).ToArray()));
    }

    private static IEnumerable<DiagnosticDescriptor> Descriptors() => DiagnosticDescriptors.All;

    private static string DocsDirectory([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", "..", "docs"));
}
