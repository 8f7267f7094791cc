using System.Text.RegularExpressions;
using CnnGen.Generators.Tests.Infrastructure;

namespace CnnGen.Generators.Tests.Docs;

/// <summary>The shape error shown in README.md is the one a build reports for the code shown there.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void TheReadmeShapeErrorIsWhatTheGeneratorReports()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var code = Regex.Match(readme, "```csharp\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        var error = Regex.Match(readme, "```\n(DigitNet\\.cs.*?)\n```", RegexOptions.Singleline).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(code), "README.md has no C# example.");
        Assert.False(string.IsNullOrEmpty(error), "README.md shows no error.");

        var run = GeneratorHarness.Run(code);
        var diagnostic = Assert.Single(run.CnnDiagnostics);
        var position = diagnostic.Location.GetLineSpan().StartLinePosition;
        // As the compiler prints it: the help link in parentheses after the message.
        var printed = $"DigitNet.cs({position.Line + 1},{position.Character + 1}): error {diagnostic.Id}: " +
            $"{diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)} ({diagnostic.Descriptor.HelpLinkUri})";
        Assert.Equal(printed, error);
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CnnGen.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (with CnnGen.sln) is not above " + AppContext.BaseDirectory);
    }
}
