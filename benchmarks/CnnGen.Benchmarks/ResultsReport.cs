namespace CnnGen.Benchmarks;

/// <summary>
/// <c>--report [results folder]</c>: gathers the GitHub-markdown tables BenchmarkDotNet wrote
/// (one file per benchmark class) into one file, summary.md, in the order docs/benchmarks.md
/// reports them, ready to paste into its Results section. Runs nothing.
/// </summary>
internal static class ResultsReport
{
    private static readonly string[] Order =
    [
        nameof(PeakFmaBenchmark), nameof(ForwardBenchmarks), nameof(ModelBenchmarks), nameof(TrainingBenchmarks), nameof(ConvLayerBenchmarks),
        nameof(GeneratorBenchmarks),
    ];

    public static int Run(string[] args)
    {
        var folder = args.Length > 0 ? args[0] : Path.Combine("BenchmarkDotNet.Artifacts", "results");
        var reports = Directory.Exists(folder) ? Directory.GetFiles(folder, "*-report-github.md") : [];
        if (reports.Length == 0)
        {
            Console.Error.WriteLine($"No *-report-github.md in {Path.GetFullPath(folder)}: run the benchmarks first (docs/benchmarks.md).");
            return 1;
        }

        var ordered = reports.OrderBy(path => ClassOf(path) is var name && Array.IndexOf(Order, name) is var i && i >= 0 ? i : Order.Length)
            .ThenBy(path => path, StringComparer.Ordinal);
        var output = Path.Combine(folder, "summary.md");
        using (var writer = new StreamWriter(output))
        {
            foreach (var path in ordered)
            {
                writer.WriteLine($"### {ClassOf(path)}");
                writer.WriteLine();
                writer.WriteLine(File.ReadAllText(path).Trim());
                writer.WriteLine();
            }
        }

        Console.WriteLine($"Wrote {Path.GetFullPath(output)} ({reports.Length} tables).");
        return 0;
    }

    /// <summary>"CnnGen.Benchmarks.ForwardBenchmarks-report-github.md" is ForwardBenchmarks.</summary>
    private static string ClassOf(string path)
    {
        var name = Path.GetFileName(path)[..^"-report-github.md".Length];
        return name[(name.LastIndexOf('.') + 1)..];
    }
}
