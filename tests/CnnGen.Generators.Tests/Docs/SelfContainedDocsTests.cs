using System.IO;
using System.Linq;
using Xunit;

namespace CnnGen.Generators.Tests.Docs;

/// <summary>
/// The repository documents its own design: no source or doc file points at a design document
/// that lives outside it, and every docs/*.md file linked from the README exists.
/// </summary>
public class SelfContainedDocsTests
{
    private static readonly string[] TextExtensions = { ".cs", ".md", ".py", ".cnn", ".csproj", ".props", ".targets" };

    [Fact]
    public void No_file_cites_a_design_document_outside_the_repository()
    {
        var root = ReadmeExampleTests.RepositoryRoot();
        var offenders = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(path => TextExtensions.Contains(Path.GetExtension(path)))
            .Where(path => !IsBuildOutput(root, path))
            .Where(path => File.ReadAllText(path).Contains("DESIGN" + ".md"))
            .Select(path => Path.GetRelativePath(root, path))
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Every_docs_page_the_readme_links_exists()
    {
        var root = ReadmeExampleTests.RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var links = System.Text.RegularExpressions.Regex.Matches(readme, @"\]\((docs/[^)#]+)")
            .Select(match => match.Groups[1].Value)
            .Distinct()
            .ToList();
        Assert.NotEmpty(links);
        Assert.All(links, link => Assert.True(File.Exists(Path.Combine(root, link)) || Directory.Exists(Path.Combine(root, link)), link + " is linked from README.md but missing"));
    }

    private static bool IsBuildOutput(string root, string path)
    {
        var parts = Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar);
        return parts.Any(part => part is "bin" or "obj" or ".git" or "BenchmarkDotNet.Artifacts");
    }
}
