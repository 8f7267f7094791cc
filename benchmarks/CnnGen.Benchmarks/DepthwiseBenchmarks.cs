using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.ML.OnnxRuntime;

namespace CnnGen.Benchmarks;

/// <summary>MobileNet's first depthwise layer: 3x3, 'same', 32 channels of 112x112, one sample.</summary>
[Network]
[Input(112, 112, 32)]
[DepthwiseConv2D(3, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class DepthwiseLayer;

/// <summary>
/// A depthwise 3x3 layer does 9 multiply-adds per input value, so memory, not the FMA units,
/// bounds it: its rows read the layer's bytes (input and output, 1.6 MB each) per second and
/// set them against copies of the same bytes (the cache-resident bandwidth any layer of this
/// size could reach) and of 64 MB (main memory). ONNX Runtime runs the exported grouped Conv
/// on one thread. Bytes per second = 2 x 112 x 112 x 32 x 4 bytes / the mean time.
/// </summary>
[Config(typeof(Config))]
public class DepthwiseBenchmarks
{
    private const int StreamFloats = 16 << 20;

    private INetwork _network = null!;
    private float[] _input = [];
    private float[] _output = [];
    private float[] _streamSource = [];
    private float[] _streamTarget = [];
    private OnnxRuntimeEngine? _onnxRuntime;

    [GlobalSetup(Target = nameof(CnnGen))]
    public void SetupCnnGen()
    {
        _network = new DepthwiseLayer(seed: 1);
        _input = Workloads.RandomValues(_network.InputSize, seed: 3);
        _output = new float[_network.OutputSize];
        _network.Forward(_input, _output, 1);
    }

    [GlobalSetup(Target = nameof(OrtAll))]
    public void SetupOrtAll() => SetupOnnxRuntime(GraphOptimizationLevel.ORT_ENABLE_ALL);

    [GlobalSetup(Target = nameof(OrtExtended))]
    public void SetupOrtExtended() => SetupOnnxRuntime(GraphOptimizationLevel.ORT_ENABLE_EXTENDED);

    [GlobalSetup(Target = nameof(CopyLayerBytes))]
    public void SetupCopy() => SetupCnnGen();

    [GlobalSetup(Target = nameof(CopyMainMemory))]
    public void SetupStream()
    {
        _streamSource = Workloads.RandomValues(StreamFloats, seed: 5);
        _streamTarget = new float[StreamFloats];
    }

    [GlobalCleanup]
    public void Cleanup() => _onnxRuntime?.Dispose();

    /// <summary>The generated depthwise layer.</summary>
    [Benchmark(Baseline = true)]
    public void CnnGen() => _network.Forward(_input, _output, 1);

    /// <summary>ONNX Runtime, ORT_ENABLE_ALL, one thread.</summary>
    [Benchmark]
    public void OrtAll() => _onnxRuntime!.Run();

    /// <summary>ONNX Runtime, ORT_ENABLE_EXTENDED, one thread.</summary>
    [Benchmark]
    public void OrtExtended() => _onnxRuntime!.Run();

    /// <summary>The layer's input copied to its output: the same bytes read and written, no arithmetic.</summary>
    [Benchmark]
    public void CopyLayerBytes() => _input.AsSpan().CopyTo(_output);

    /// <summary>64 MB copied to 64 MB: main memory's bandwidth (read + write) on one thread.</summary>
    [Benchmark]
    public void CopyMainMemory() => _streamSource.AsSpan().CopyTo(_streamTarget);

    private void SetupOnnxRuntime(GraphOptimizationLevel optimization)
    {
        SetupCnnGen();
        _onnxRuntime = new OnnxRuntimeEngine(_network, _input, 1, optimization);
        _onnxRuntime.Run();
        OutputCheck.AssertClose(_output, _onnxRuntime.Output, $"DepthwiseLayer ONNX Runtime {optimization}");
    }

    public sealed class Config : ManualConfig
    {
        public Config() => AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
    }
}
