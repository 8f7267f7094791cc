using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CnnGen.Benchmarks.Columns;

/// <summary>
/// How many times faster CnnGen (the baseline method) is than the row's engine on the same
/// parameters: the row's mean time / CnnGen's mean time. Above 1: CnnGen is faster; below 1:
/// the other engine is. It replaces BenchmarkDotNet's Ratio column (the same quotient under a
/// name that is easy to read backwards).
/// </summary>
public sealed class SpeedupColumn : IColumn
{
    public string Id => "CnnGen.Speedup";

    public string ColumnName => "CnnGen speed-up";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Mean of this row / Mean of CnnGen (the baseline) with the same parameters: how many times faster CnnGen is (below 1: slower)";

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(b => b.Descriptor.Baseline);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var baseline = summary.BenchmarksCases.FirstOrDefault(b =>
            b.Descriptor.Baseline && b.Descriptor.Type == benchmarkCase.Descriptor.Type && b.Parameters.FolderInfo == benchmarkCase.Parameters.FolderInfo && b.Job.DisplayInfo == benchmarkCase.Job.DisplayInfo);
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        var baselineMean = baseline is null ? null : summary[baseline]?.ResultStatistics?.Mean;
        if (mean is null || baselineMean is null or <= 0)
        {
            return "-";
        }

        return (mean.Value / baselineMean.Value).ToString("F2", CultureInfo.InvariantCulture) + "x";
    }

    public override string ToString() => ColumnName;
}
