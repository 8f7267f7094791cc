using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CnnGen.Benchmarks.Columns;

/// <summary>The size of the code the generator writes for a <see cref="GeneratorBenchmarks"/> row's network (computed once in the host process).</summary>
public sealed class GeneratedSizeColumn : IColumn
{
    public string Id => "CnnGen.GeneratedSize";

    public string ColumnName => "Generated";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 2;

    public bool IsNumeric => false;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Size of the generated C# for the network: files, lines, thousands (1,024) of characters";

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(b => b.Descriptor.Type == typeof(GeneratorBenchmarks));

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (benchmarkCase.Descriptor.Type != typeof(GeneratorBenchmarks))
        {
            return "-";
        }

        var size = GeneratorWorkload.GeneratedSize((string)benchmarkCase.Parameters[nameof(GeneratorBenchmarks.Network)]);
        return string.Create(CultureInfo.InvariantCulture, $"{size.Files} files, {size.Lines:N0} lines, {size.Chars / 1024.0:F0}k chars");
    }

    public override string ToString() => ColumnName;
}
