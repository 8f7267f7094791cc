using System.Text.RegularExpressions;
using CnnGen.Examples.Tests.Infrastructure;

namespace CnnGen.Examples.Tests;

/// <summary>The README's promises to a newcomer hold: its first command runs a project that exists, and CI runs its test command.</summary>
public class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(Example.RepositoryRoot, "README.md"));

    [Fact]
    public void FirstCommandRunsAProjectThatExists()
    {
        var first = Commands().First();
        var match = Regex.Match(first, @"^dotnet run --project (\S+)$");
        Assert.True(match.Success, $"The README's first command is '{first}', not 'dotnet run --project PROJECT'.");

        var project = Path.Combine(Example.RepositoryRoot, match.Groups[1].Value);
        var isProjectFile = File.Exists(project) && project.EndsWith(".csproj", StringComparison.Ordinal);
        var isProjectFolder = Directory.Exists(project) && Directory.GetFiles(project, "*.csproj").Length == 1;
        Assert.True(isProjectFile || isProjectFolder, $"'{first}': {project} is neither a project file nor a folder with one project.");
    }

    [Fact]
    public void CiRunsTheReadmeTestCommand()
    {
        var test = Commands().First(command => command.StartsWith("dotnet test", StringComparison.Ordinal));
        var ci = File.ReadAllLines(Path.Combine(Example.RepositoryRoot, ".ci", "run")).Select(WithoutComment);

        Assert.Contains(test, ci);
        Assert.True(File.Exists(Path.Combine(Example.RepositoryRoot, test.Split(' ')[2])), $"'{test}' names a solution that does not exist.");
    }

    /// <summary>A shell line without its trailing comment, trimmed.</summary>
    private static string WithoutComment(string line) => Regex.Replace(line, @"\s+#.*$", "").Trim();

    /// <summary>The lines of the README's shell code blocks, in order, without prompts or comments.</summary>
    private static IEnumerable<string> Commands() =>
        Regex.Matches(Readme, @"```(?:sh|shell|bash|console)\r?\n(.*?)```", RegexOptions.Singleline)
            .SelectMany(block => block.Groups[1].Value.Split('\n'))
            .Select(line => WithoutComment(line).TrimStart('$').Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'));
}
