using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace CnnGen.Examples.Tests.Infrastructure;

/// <summary>What an example printed and how it ended.</summary>
public sealed record ExampleRun(int ExitCode, string Output, string Error)
{
    /// <summary>The number after "Test accuracy:", in per cent.</summary>
    public double TestAccuracy()
    {
        var match = Regex.Match(Output, @"Test accuracy: (\d+(?:\.\d+)?)%");
        Assert.True(match.Success, "The example printed no 'Test accuracy: N%' line:\n" + Output);
        var accuracy = double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(accuracy, 0, 100);
        return accuracy;
    }
}

/// <summary>Runs an example's built program (examples/NAME/bin/CONFIGURATION/net10.0/NAME.dll) as a child process.</summary>
public static class Example
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Runs the example and requires exit code 0.</summary>
    public static ExampleRun Run(string name, params string[] arguments)
    {
        var run = Start(name, arguments);
        Assert.True(run.ExitCode == 0, $"{name} {string.Join(' ', arguments)} exited with {run.ExitCode}.\n{run.Output}\n{run.Error}");
        return run;
    }

    /// <summary>Runs the example to its end, whatever its exit code.</summary>
    public static ExampleRun Start(string name, params string[] arguments)
    {
        var configuration = typeof(Example).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "Configuration").Value!;
        var program = Path.Combine(RepositoryRoot, "examples", name, "bin", configuration, "net10.0", name + ".dll");
        Assert.True(File.Exists(program), $"{program} is not built.");

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{name} {string.Join(' ', arguments)} did not finish in 5 minutes.");
        }

        return new ExampleRun(process.ExitCode, output.Result, error.Result);
    }

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

/// <summary>A folder under the temporary directory, deleted afterwards.</summary>
public sealed class TemporaryFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cnngen-example-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
