using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CnnGen.Benchmarks.Columns;

/// <summary>
/// GFLOP/s of a row: the FLOPs its class reports (<see cref="IReportsFlops"/>) divided by the mean
/// time. Forward: 2 x multiply-adds x batch; a training step: 3 times that; PeakFmaBenchmark:
/// 2 x FMAs x lanes. So every row reads as a fraction of the machine's peak measured in the same run.
/// </summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => "CnnGen.GFLOPs";

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "FLOPs per call / Mean: 2 x multiply-adds x batch, x3 for a training step or forward+backward; PeakFma: 2 x FMA lanes";

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(b => Flops(b) is not null);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var flops = Flops(benchmarkCase);
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (flops is null || mean is null or <= 0)
        {
            return "-";
        }

        // Mean is in nanoseconds: FLOP per ns is GFLOP/s.
        return (flops.Value / mean.Value).ToString("F2", CultureInfo.InvariantCulture);
    }

    public override string ToString() => ColumnName;

    internal static double? Flops(BenchmarkCase benchmarkCase)
    {
        var type = benchmarkCase.Descriptor.Type;
        if (!typeof(IReportsFlops).IsAssignableFrom(type))
        {
            return null;
        }

        var method = type.GetMethod(nameof(IReportsFlops.FlopsPerCall), BindingFlags.Public | BindingFlags.Static, [typeof(BenchmarkCase)]);
        return (double?)method?.Invoke(null, [benchmarkCase]);
    }
}
