using BenchmarkDotNet.Running;

namespace CnnGen.Benchmarks.Columns;

/// <summary>A benchmark class whose cases do a known number of floating-point operations per call (read by <see cref="GflopsColumn"/>).</summary>
public interface IReportsFlops
{
    /// <summary>FLOPs of one call of the case's method with the case's parameters, or null when not meaningful.</summary>
    static abstract double? FlopsPerCall(BenchmarkCase benchmark);
}
