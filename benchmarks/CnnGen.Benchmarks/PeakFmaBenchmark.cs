using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using CnnGen.Benchmarks.Columns;

namespace CnnGen.Benchmarks;

/// <summary>
/// The machine's FP32 peak in the same run: a loop of independent fused multiply-adds on
/// registers only (24 Vector512 accumulators, or 12 Vector256 ones without AVX-512: enough to
/// hide the FMA latency on two pipes), on 1 and 2 threads. Its GFLOP/s column is the ceiling
/// the other rows are read against.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class PeakFmaBenchmark : IReportsFlops
{
    /// <summary>Loop iterations per thread and call: a few milliseconds.</summary>
    public const int Iterations = 1 << 19;

    private readonly float _scale = 0.999999f;
    private readonly float _step = 1e-6f;
    private float _sink;

    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Vector512 when the hardware runs it natively, else Vector256.</summary>
    public static bool Uses512 => Vector512.IsHardwareAccelerated;

    /// <summary>Accumulators x lanes: single-precision FMAs per iteration.</summary>
    public static int FmasPerIteration => Uses512 ? 24 * Vector512<float>.Count : 12 * Vector256<float>.Count;

    public static double? FlopsPerCall(BenchmarkCase benchmark) =>
        2.0 * FmasPerIteration * Iterations * (int)benchmark.Parameters[nameof(Threads)];

    [Benchmark]
    public float Fma()
    {
        if (Threads == 1)
        {
            return Run(0);
        }

        Parallel.For(0, Threads, t => _sink = Run(t));
        return _sink;
    }

    private float Run(int thread) => Uses512 ? Fma512(Iterations, thread, _scale, _step) : Fma256(Iterations, thread, _scale, _step);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Fma512(int iterations, float start, float scale, float step)
    {
        var m = Vector512.Create(scale);
        var c = Vector512.Create(step);
        var a0 = Vector512.Create(start + 0);
        var a1 = Vector512.Create(start + 1);
        var a2 = Vector512.Create(start + 2);
        var a3 = Vector512.Create(start + 3);
        var a4 = Vector512.Create(start + 4);
        var a5 = Vector512.Create(start + 5);
        var a6 = Vector512.Create(start + 6);
        var a7 = Vector512.Create(start + 7);
        var a8 = Vector512.Create(start + 8);
        var a9 = Vector512.Create(start + 9);
        var a10 = Vector512.Create(start + 10);
        var a11 = Vector512.Create(start + 11);
        var a12 = Vector512.Create(start + 12);
        var a13 = Vector512.Create(start + 13);
        var a14 = Vector512.Create(start + 14);
        var a15 = Vector512.Create(start + 15);
        var a16 = Vector512.Create(start + 16);
        var a17 = Vector512.Create(start + 17);
        var a18 = Vector512.Create(start + 18);
        var a19 = Vector512.Create(start + 19);
        var a20 = Vector512.Create(start + 20);
        var a21 = Vector512.Create(start + 21);
        var a22 = Vector512.Create(start + 22);
        var a23 = Vector512.Create(start + 23);
        for (var i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c);
            a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c);
            a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c);
            a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c);
            a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c);
            a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c);
            a11 = Vector512.FusedMultiplyAdd(a11, m, c);
            a12 = Vector512.FusedMultiplyAdd(a12, m, c);
            a13 = Vector512.FusedMultiplyAdd(a13, m, c);
            a14 = Vector512.FusedMultiplyAdd(a14, m, c);
            a15 = Vector512.FusedMultiplyAdd(a15, m, c);
            a16 = Vector512.FusedMultiplyAdd(a16, m, c);
            a17 = Vector512.FusedMultiplyAdd(a17, m, c);
            a18 = Vector512.FusedMultiplyAdd(a18, m, c);
            a19 = Vector512.FusedMultiplyAdd(a19, m, c);
            a20 = Vector512.FusedMultiplyAdd(a20, m, c);
            a21 = Vector512.FusedMultiplyAdd(a21, m, c);
            a22 = Vector512.FusedMultiplyAdd(a22, m, c);
            a23 = Vector512.FusedMultiplyAdd(a23, m, c);
        }

        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15 + a16 + a17 + a18 + a19 + a20 + a21 + a22 + a23);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Fma256(int iterations, float start, float scale, float step)
    {
        var m = Vector256.Create(scale);
        var c = Vector256.Create(step);
        var a0 = Vector256.Create(start + 0);
        var a1 = Vector256.Create(start + 1);
        var a2 = Vector256.Create(start + 2);
        var a3 = Vector256.Create(start + 3);
        var a4 = Vector256.Create(start + 4);
        var a5 = Vector256.Create(start + 5);
        var a6 = Vector256.Create(start + 6);
        var a7 = Vector256.Create(start + 7);
        var a8 = Vector256.Create(start + 8);
        var a9 = Vector256.Create(start + 9);
        var a10 = Vector256.Create(start + 10);
        var a11 = Vector256.Create(start + 11);
        for (var i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, c);
            a1 = Vector256.FusedMultiplyAdd(a1, m, c);
            a2 = Vector256.FusedMultiplyAdd(a2, m, c);
            a3 = Vector256.FusedMultiplyAdd(a3, m, c);
            a4 = Vector256.FusedMultiplyAdd(a4, m, c);
            a5 = Vector256.FusedMultiplyAdd(a5, m, c);
            a6 = Vector256.FusedMultiplyAdd(a6, m, c);
            a7 = Vector256.FusedMultiplyAdd(a7, m, c);
            a8 = Vector256.FusedMultiplyAdd(a8, m, c);
            a9 = Vector256.FusedMultiplyAdd(a9, m, c);
            a10 = Vector256.FusedMultiplyAdd(a10, m, c);
            a11 = Vector256.FusedMultiplyAdd(a11, m, c);
        }

        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
