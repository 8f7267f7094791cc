using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;
using CnnGen.Benchmarks.Columns;
using CnnGen.Tests.Reference;
using Microsoft.ML.OnnxRuntime;

namespace CnnGen.Benchmarks;

/// <summary>
/// Inference of a batch, one thread, every engine on the same weights and inputs: the generated
/// code (baseline), the naive double-precision reference of the tests (one sample at a time),
/// and ONNX Runtime on the exported model with extended and with all graph optimisations.
/// The naive reference is not run on LargeLayer at batch 32 (about 6 s per call, 32 x 0.18 s): see docs/benchmarks.md.
/// </summary>
[Config(typeof(Config))]
public class ForwardBenchmarks : IReportsFlops
{
    private INetwork _network = null!;
    private float[] _input = [];
    private float[] _output = [];
    private float[] _parameters = [];
    private double[][] _naiveOutput = [];
    private OnnxRuntimeEngine? _onnxRuntime;

    public static IEnumerable<string> Networks => Workloads.Names;

    [ParamsSource(nameof(Networks), Priority = -1)]
    public string Network { get; set; } = "";

    [Params(1, 32)]
    public int Batch { get; set; }

    public static double? FlopsPerCall(BenchmarkCase benchmark) =>
        2.0 * Workloads.MultiplyAdds((string)benchmark.Parameters[nameof(Network)]) * (int)benchmark.Parameters[nameof(Batch)];

    [GlobalSetup(Target = nameof(CnnGen))]
    public void SetupCnnGen()
    {
        _network = Workloads.Create(Network);
        _input = Workloads.RandomValues(Batch * _network.InputSize, seed: 3);
        _output = new float[Batch * _network.OutputSize];
        _network.Forward(_input, _output, Batch);
    }

    [GlobalSetup(Target = nameof(Naive))]
    public void SetupNaive()
    {
        SetupCnnGen();
        _parameters = _network.Parameters.ToArray();
        _naiveOutput = new double[Batch][];
        Naive();
        OutputCheck.AssertClose(_output, _naiveOutput.SelectMany(o => o).ToArray(), $"{Network} naive reference (batch {Batch})");
    }

    [GlobalSetup(Target = nameof(OrtExtended))]
    public void SetupOrtExtended() => SetupOnnxRuntime(GraphOptimizationLevel.ORT_ENABLE_EXTENDED);

    [GlobalSetup(Target = nameof(OrtAll))]
    public void SetupOrtAll() => SetupOnnxRuntime(GraphOptimizationLevel.ORT_ENABLE_ALL);

    [GlobalCleanup]
    public void Cleanup() => _onnxRuntime?.Dispose();

    /// <summary>The generated code.</summary>
    [Benchmark(Baseline = true)]
    public void CnnGen() => _network.Forward(_input, _output, Batch);

    /// <summary>ReferenceNetwork.Forward (double precision, straight from the definitions) for each sample.</summary>
    [Benchmark]
    public void Naive()
    {
        var inputSize = _network.InputSize;
        for (var n = 0; n < Batch; n++)
        {
            _naiveOutput[n] = ReferenceNetwork.Forward(_network.Architecture, _parameters, _input.AsSpan(n * inputSize, inputSize));
        }
    }

    /// <summary>ONNX Runtime, GraphOptimizationLevel.ORT_ENABLE_EXTENDED.</summary>
    [Benchmark]
    public void OrtExtended() => _onnxRuntime!.Run();

    /// <summary>ONNX Runtime, GraphOptimizationLevel.ORT_ENABLE_ALL (adds layout transformations such as NCHWc).</summary>
    [Benchmark]
    public void OrtAll() => _onnxRuntime!.Run();

    private void SetupOnnxRuntime(GraphOptimizationLevel optimization)
    {
        SetupCnnGen();
        _onnxRuntime = new OnnxRuntimeEngine(_network, _input, Batch, optimization);
        _onnxRuntime.Run();
        OutputCheck.AssertClose(_output, _onnxRuntime.Output, $"{Network} ONNX Runtime {optimization} (batch {Batch})");
    }

    /// <summary>Leaves out the naive reference on LargeLayer beyond batch 1.</summary>
    public sealed class Config : BenchmarkConfig
    {
        public Config() =>
            AddFilter(new SimpleFilter(b => !(b.Descriptor.WorkloadMethod.Name == nameof(Naive)
                && (string)b.Parameters[nameof(Network)] == "LargeLayer" && (int)b.Parameters[nameof(Batch)] > 1)));
    }
}
