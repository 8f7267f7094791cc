using System.Reflection;
using System.Text.RegularExpressions;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CnnGen.Generators.Tests.Diagnostics;

/// <summary>
/// Every diagnostic has a test and a page (docs/diagnostics/CNNxxxx.md), and each page is
/// true: its wrong example reports the diagnostic with the message the page quotes, and its
/// fixed example builds clean. CNN02xx (the .cnn language) is documented in docs/dsl.md.
/// </summary>
public partial class DiagnosticDocumentationTests
{
    private static readonly string Root = FindRoot();

    public static IEnumerable<DiagnosticDescriptor> Descriptors =>
        typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);

    /// <summary>The IDs documented here: all but the .cnn language's CNN02xx.</summary>
    public static TheoryData<string> DocumentedIds => new(DocumentedIdList);

    private static IEnumerable<string> DocumentedIdList => Descriptors.Select(d => d.Id).Where(id => !id.StartsWith("CNN02", StringComparison.Ordinal));

    /// <summary>
    /// Pages whose examples cannot be C# that builds: CNN0300 is a bug in CnnGen (no declaration
    /// triggers it on purpose), CNN0301 takes a thousand layers, CNN0302 depends on the build
    /// configuration, not the source; their own tests trigger them.
    /// </summary>
    private static readonly string[] WithoutCSharpExamples = { "CNN0300", "CNN0301", "CNN0302" };

    public static TheoryData<string> IdsWithExamples => new(DocumentedIdList.Except(WithoutCSharpExamples));

    [Fact]
    public void DescriptorsHaveUniqueWellFormedIds()
    {
        var ids = Descriptors.Select(d => d.Id).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Contains("CNN0001", ids);
        Assert.Contains("CNN0106", ids);
        Assert.All(Descriptors, d =>
        {
            Assert.Matches("^CNN[0-9]{4}$", d.Id);
            Assert.Equal("CnnGen", d.Category);
            Assert.True(d.IsEnabledByDefault);
            Assert.False(string.IsNullOrWhiteSpace(d.Title.ToString()));
        });
    }

    [Fact]
    public void EveryDescriptorLinksToItsPage()
    {
        Assert.All(Descriptors, d =>
        {
            Assert.Equal(DiagnosticDescriptors.HelpLinkBase + d.Id + ".md", d.HelpLinkUri);
            Assert.True(File.Exists(Path.Combine(Root, d.HelpLinkUri)), $"{d.Id} links to {d.HelpLinkUri}, which is not a file of the repository");
        });
    }

    [Fact]
    public void TheAnalyzerSupportsEveryDescriptor()
    {
        var supported = new CnnGen.Generators.Analysis.CnnAnalyzer().SupportedDiagnostics;
        Assert.Equal(Descriptors.Select(d => d.Id).Order(StringComparer.Ordinal), supported.Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheReleaseFileListsEveryDescriptorWithItsSeverity()
    {
        // The build checks this too (analyzer release tracking, RS2000-RS2008); this says which line is missing.
        var unshipped = File.ReadAllLines(Path.Combine(Root, "generators", "CnnGen.Generators", "AnalyzerReleases.Unshipped.md"));
        Assert.All(Descriptors, d => Assert.Contains($"{d.Id} | CnnGen | {d.DefaultSeverity} | {d.Title}", unshipped));
    }

    [Theory]
    [MemberData(nameof(DocumentedIds))]
    public void EveryDiagnosticHasATestNamedForIt(string id)
    {
        var tests = typeof(DiagnosticDocumentationTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Where(m => m.Name.StartsWith(id + "_", StringComparison.Ordinal) && m.GetCustomAttributes<FactAttribute>().Any());
        Assert.NotEmpty(tests);
    }

    [Theory]
    [MemberData(nameof(DocumentedIds))]
    public void EveryDiagnosticHasAPageWithTheRequiredSections(string id)
    {
        var descriptor = Descriptors.Single(d => d.Id == id);
        var page = Page(id);
        Assert.StartsWith($"# {id}: {descriptor.Title}\n", page, StringComparison.Ordinal);
        Assert.Contains($"| {descriptor.DefaultSeverity} | CnnGen |", page, StringComparison.Ordinal);
        foreach (var section in new[] { "## When it is reported", "## Message", "## Wrong", "## Fixed", "## Severity" })
        {
            Assert.Contains("\n" + section + "\n", page, StringComparison.Ordinal);
        }

        Assert.Contains($"dotnet_diagnostic.{id}.severity", page, StringComparison.Ordinal);
    }

    [Fact]
    public void TheIndexListsEveryDiagnostic()
    {
        var index = File.ReadAllText(Path.Combine(Root, "docs", "diagnostics", "README.md"));
        foreach (var id in DocumentedIdList)
        {
            Assert.Contains($"| [{id}]({id}.md) | {Descriptors.Single(d => d.Id == id).DefaultSeverity} |", index, StringComparison.Ordinal);
        }

        Assert.Contains("CNN02xx", index, StringComparison.Ordinal);
        Assert.Contains("dsl.md", index, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(IdsWithExamples))]
    public void TheWrongExampleReportsTheQuotedMessage(string id)
    {
        var page = Page(id);
        var message = Assert.Single(QuotedMessage().Matches(page)).Groups[1].Value;
        var diagnostics = Run(Snippet(page, "Wrong"), out _);
        var reported = diagnostics.Where(d => d.Id == id).ToList();
        Assert.NotEmpty(reported);
        Assert.Contains(message, reported.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [MemberData(nameof(IdsWithExamples))]
    public void TheFixedExampleBuildsClean(string id)
    {
        var diagnostics = Run(Snippet(Page(id), "Fixed"), out var buildErrors);
        Assert.Empty(diagnostics);
        Assert.Empty(buildErrors);
    }

    private static IReadOnlyList<Diagnostic> Run(string source, out IReadOnlyList<Diagnostic> buildErrors)
    {
        var compilation = GeneratorHarness.Compilation();
        compilation = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: "Program.cs"));
        GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var diagnostics = generatorDiagnostics.Concat(GeneratorHarness.Analyze(output)).ToList();
        buildErrors = output.GetDiagnostics().Concat(diagnostics).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        return diagnostics.Where(d => d.Id.StartsWith("CNN", StringComparison.Ordinal)).ToList();
    }

    internal static string Page(string id)
    {
        var path = Path.Combine(Root, "docs", "diagnostics", id + ".md");
        Assert.True(File.Exists(path), $"no page {path}");
        return File.ReadAllText(path).ReplaceLineEndings("\n");
    }

    internal static string Snippet(string page, string section)
    {
        var match = Regex.Match(page, "\n## " + section + "\n\n```csharp\n(.*?)\n```\n", RegexOptions.Singleline);
        Assert.True(match.Success, $"no C# block under ## {section}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("\n## Message\n\nFor the example below:\n\n> (.*)\n")]
    private static partial Regex QuotedMessage();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CnnGen.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("CnnGen.sln not found above " + AppContext.BaseDirectory);
    }
}
