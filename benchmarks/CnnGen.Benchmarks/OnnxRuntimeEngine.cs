using CnnGen.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace CnnGen.Benchmarks;

/// <summary>
/// A network exported by CnnGen.Onnx, run by ONNX Runtime on one thread (intra-op 1, inter-op 1,
/// sequential) with input and output OrtValues over pinned, pre-allocated arrays, so that a call
/// allocates no tensors. The model's input and output are in the network's own data format
/// (the exporter transposes inside the graph), so CnnGen's input array is used as it is.
/// </summary>
internal sealed class OnnxRuntimeEngine : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;
    private readonly string[] _inputNames = [OnnxExporter.InputName];
    private readonly string[] _outputNames = [OnnxExporter.OutputName];
    private readonly OrtValue[] _inputValues;
    private readonly OrtValue[] _outputValues;

    public OnnxRuntimeEngine(INetwork network, float[] input, int batch, GraphOptimizationLevel optimization)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = optimization,
        };
        _session = new InferenceSession(OnnxExporter.ExportToBytes(network), options);
        Output = new float[batch * network.OutputSize];
        _inputValue = OrtValue.CreateTensorValueFromMemory(input, Shape(batch, network.Architecture.InputShape));
        _outputValue = OrtValue.CreateTensorValueFromMemory(Output, Shape(batch, network.Architecture.OutputShape));
        _inputValues = [_inputValue];
        _outputValues = [_outputValue];
    }

    /// <summary>Written by <see cref="Run"/>.</summary>
    public float[] Output { get; }

    public void Run() => _session.Run(_runOptions, _inputNames, _inputValues, _outputNames, _outputValues);

    public void Dispose()
    {
        _inputValue.Dispose();
        _outputValue.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    private static long[] Shape(int batch, IReadOnlyList<int> sample) => [batch, .. sample.Select(d => (long)d)];
}
