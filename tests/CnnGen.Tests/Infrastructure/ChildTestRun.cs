using System.Diagnostics;

namespace CnnGen.Tests.Infrastructure;

/// <summary>
/// Runs some of this assembly's tests again in a child `dotnet test` with environment
/// settings of its own (a JIT told to ignore AVX-512, tiering off...), which only a new
/// process can take: the JIT reads them at start-up.
/// </summary>
internal static class ChildTestRun
{
    /// <summary>Runs the tests that <paramref name="filter"/> selects with <paramref name="environment"/> ("NAME=value" each) and asserts that they passed.</summary>
    public static async Task AssertPassesAsync(string filter, string description, IEnumerable<string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("test");
        start.ArgumentList.Add(typeof(ChildTestRun).Assembly.Location);
        start.ArgumentList.Add("--filter");
        start.ArgumentList.Add(filter);
        foreach (var setting in environment)
        {
            var parts = setting.Split('=');
            start.Environment[parts[0]] = parts[1];
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var (stdout, stderr) = (await output, await error);
        Assert.True(process.ExitCode == 0, $"{description} failed:\n{stdout}\n{stderr}");
        Assert.Contains("Passed!", stdout);
    }
}
