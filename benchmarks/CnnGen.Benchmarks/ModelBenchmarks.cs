using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;
using CnnGen.Benchmarks.Columns;
using Microsoft.ML.OnnxRuntime;

namespace CnnGen.Benchmarks;

/// <summary>
/// Inference of real models and blocks, one thread: the torchvision models imported with
/// cnngen import (Models/*.cnn, channels first, batch 1) and the blocks of BlockNetworks.cs
/// (channels last, batch 1 and 32), CnnGen (baseline) against ONNX Runtime with all graph
/// optimisations on CnnGen's own ONNX export of the same network, so both run the same weights
/// (CnnGen's default initialisation with small random biases) on the same input. The whole
/// models run at batch 1 only (ResNet-18 at 224x224 is about 20 ms a sample).
/// <para>
/// Every one of them is a graph (skip connections), whose default workspace keeps every
/// activation for Backward; inference reuses memory in a workspace from CreateInferenceWorkspace()
/// (docs/generated-code.md, "Memory"). The baseline CnnGen row runs that inference workspace;
/// CnnGenDefaultWorkspace runs Forward(input, output, batch), the instance's default workspace;
/// CnnGenPackedWeights the inference workspace after PackWeights(), which keeps the deep layers'
/// kernels packed as ONNX Runtime keeps its own from the session's start (docs/generated-code.md, "Packed weights").
/// </para>
/// </summary>
[Config(typeof(Config))]
public class ModelBenchmarks : IReportsFlops
{
    private INetwork _network = null!;
    private float[] _input = [];
    private float[] _output = [];
    private Workspace _workspace = null!;
    private OnnxRuntimeEngine? _onnxRuntime;

    public static IEnumerable<string> Networks => Workloads.Models.Concat(Workloads.Blocks);

    [ParamsSource(nameof(Networks), Priority = -1)]
    public string Network { get; set; } = "";

    [Params(1, 32)]
    public int Batch { get; set; }

    public static double? FlopsPerCall(BenchmarkCase benchmark) =>
        2.0 * Workloads.MultiplyAdds((string)benchmark.Parameters[nameof(Network)]) * (int)benchmark.Parameters[nameof(Batch)];

    [GlobalSetup(Targets = [nameof(CnnGen), nameof(CnnGenDefaultWorkspace)])]
    public void SetupCnnGen()
    {
        _network = Workloads.Create(Network);
        _input = Workloads.RandomValues(Batch * _network.InputSize, seed: 3);
        _output = new float[Batch * _network.OutputSize];
        _workspace = _network.CreateInferenceWorkspace();
        _network.Forward(_input, _output, Batch, _workspace);
    }

    [GlobalSetup(Target = nameof(CnnGenPackedWeights))]
    public void SetupCnnGenPacked()
    {
        SetupCnnGen();
        _network.PackWeights();
    }

    [GlobalSetup(Target = nameof(OrtAll))]
    public void SetupOrtAll()
    {
        SetupCnnGen();
        _onnxRuntime = new OnnxRuntimeEngine(_network, _input, Batch, GraphOptimizationLevel.ORT_ENABLE_ALL);
        _onnxRuntime.Run();
        OutputCheck.AssertClose(_output, _onnxRuntime.Output, $"{Network} ONNX Runtime ORT_ENABLE_ALL (batch {Batch})");
    }

    [GlobalCleanup]
    public void Cleanup() => _onnxRuntime?.Dispose();

    /// <summary>The generated code on an inference workspace.</summary>
    [Benchmark(Baseline = true)]
    public void CnnGen() => _network.Forward(_input, _output, Batch, _workspace);

    /// <summary>The generated code on the instance's default workspace, which keeps every activation for Backward.</summary>
    [Benchmark]
    public void CnnGenDefaultWorkspace() => _network.Forward(_input, _output, Batch);

    /// <summary>The generated code on an inference workspace, the deep layers' kernels packed once (PackWeights).</summary>
    [Benchmark]
    public void CnnGenPackedWeights() => _network.Forward(_input, _output, Batch, _workspace);

    /// <summary>ONNX Runtime, GraphOptimizationLevel.ORT_ENABLE_ALL, one thread.</summary>
    [Benchmark]
    public void OrtAll() => _onnxRuntime!.Run();

    /// <summary>Leaves out the whole models beyond batch 1.</summary>
    public sealed class Config : BenchmarkConfig
    {
        public Config()
        {
            AddFilter(new SimpleFilter(b => (int)b.Parameters[nameof(Batch)] == 1 || !Workloads.Models.Contains((string)b.Parameters[nameof(Network)])));
            WithSummaryStyle(BenchmarkDotNet.Reports.SummaryStyle.Default.WithMaxParameterColumnWidth(30));
        }
    }
}
