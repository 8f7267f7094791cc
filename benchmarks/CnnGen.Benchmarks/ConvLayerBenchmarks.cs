using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using CnnGen.Benchmarks.Columns;

namespace CnnGen.Benchmarks;

/// <summary>
/// Every convolution of the workloads alone (LayerNetworks.cs; LargeLayer is one already), one
/// thread: forward, and forward + backward with the input gradient (what PyTorch's
/// "LargeLayer backward b1" row times). The GFLOP/s column shows how close each layer gets to
/// PeakFmaBenchmark.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class ConvLayerBenchmarks : IReportsFlops
{
    private INetwork _network = null!;
    private float[] _input = [];
    private float[] _output = [];
    private float[] _outputGradient = [];
    private float[] _inputGradient = [];

    public static IEnumerable<string> Layers => Workloads.ConvLayers;

    [ParamsSource(nameof(Layers), Priority = -1)]
    public string Layer { get; set; } = "";

    [Params(1, 32)]
    public int Batch { get; set; }

    public static double? FlopsPerCall(BenchmarkCase benchmark) =>
        (benchmark.Descriptor.WorkloadMethod.Name == nameof(ForwardBackward) ? 3 : 1)
        * 2.0 * Workloads.MultiplyAdds((string)benchmark.Parameters[nameof(Layer)]) * (int)benchmark.Parameters[nameof(Batch)];

    [GlobalSetup]
    public void Setup()
    {
        _network = Workloads.Create(Layer);
        _input = Workloads.RandomValues(Batch * _network.InputSize, seed: 3);
        _output = new float[Batch * _network.OutputSize];
        _outputGradient = Workloads.RandomValues(_output.Length, seed: 4);
        _inputGradient = new float[_input.Length];
    }

    [Benchmark]
    public void Forward() => _network.Forward(_input, _output, Batch);

    [Benchmark]
    public void ForwardBackward()
    {
        _network.Forward(_input, _output, Batch);
        _network.Backward(_outputGradient, _inputGradient);
    }
}
