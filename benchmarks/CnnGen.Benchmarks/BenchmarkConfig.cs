using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using CnnGen.Benchmarks.Columns;

namespace CnnGen.Benchmarks;

/// <summary>
/// What every benchmark class adds to BenchmarkDotNet's defaults: GFLOP/s, the CnnGen speed-up
/// (instead of Ratio), the generated code size and allocations per call.
/// </summary>
public class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        AddColumn(new GflopsColumn(), new SpeedupColumn(), new GeneratedSizeColumn());
        HideColumns(Column.Ratio, Column.RatioSD, Column.AllocRatio);
        AddDiagnoser(MemoryDiagnoser.Default);

        // BenchmarkDotNet builds its own copy of the project, generator included: on a 2-core
        // machine that takes longer than its default two minutes.
        WithBuildTimeout(System.TimeSpan.FromMinutes(10));
    }
}
