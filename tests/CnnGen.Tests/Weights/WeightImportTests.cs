using System.Runtime.InteropServices;
using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;
using Xunit.Abstractions;

namespace CnnGen.Tests.Weights;

/// <summary>
/// Weights written by PyTorch (Data/Weights/make_weights.py) load into the matching CnnGen
/// networks, in both data formats, from safetensors, a NumPy state_dict and Keras-layout arrays,
/// and the networks then give PyTorch's outputs.
/// </summary>
public class WeightImportTests(ITestOutputHelper log)
{
    private static readonly string DataDirectory = Path.Combine(AppContext.BaseDirectory, "Data", "Weights");

    private static readonly Dictionary<string, string> LeNetModules = new()
    {
        ["conv1"] = "conv2d_1", ["conv2"] = "conv2d_2", ["fc1"] = "dense_1", ["fc2"] = "dense_2",
    };

    private static readonly Dictionary<string, string> SignalModules = new()
    {
        ["body.0"] = "conv1d_1", ["body.1"] = "conv1d_2", ["body.2"] = "conv1d_3", ["head"] = "dense_1",
    };

    private static readonly Dictionary<string, string> NormModules = new()
    {
        ["conv1"] = "conv2d_1", ["bn1"] = "batch_norm_1", ["conv2"] = "conv2d_2", ["bn2"] = "batch_norm_2",
        ["fc1"] = "dense_1", ["bn3"] = "batch_norm_3", ["fc2"] = "dense_2",
    };

    /// <summary>Keras names its first layers conv2d, conv2d_1, dense; CnnGen counts from 1.</summary>
    private static readonly Dictionary<string, string> DigitsKerasLayers = new()
    {
        ["conv2d"] = "conv2d_1", ["conv2d_1"] = "conv2d_2", ["dense"] = "dense_1",
    };

    public static TheoryData<string, string, string> Imports => new()
    {
        // model, network, file (how it is matched)
        { "lenet", nameof(TorchLeNet), "lenet.safetensors" },
        { "lenet", nameof(TorchLeNet), "lenet_state_dict.npz by name" },
        { "lenet", nameof(TorchLeNet), "lenet_keras.npz" },
        { "lenet", nameof(TorchLeNetChannelsFirst), "lenet.safetensors" },
        { "lenet", nameof(TorchLeNetChannelsFirst), "lenet_state_dict.npz by name" },
        { "lenet", nameof(TorchLeNetChannelsFirst), "lenet_keras.npz" },
        { "digits", nameof(DigitNet), "digits.safetensors" },
        { "digits", nameof(DigitNet), "digits_state_dict.npz" },
        { "digits", nameof(DigitNet), "digits_keras.npz by name" },
        { "digits", nameof(DigitNetChannelsFirst), "digits.safetensors" },
        { "digits", nameof(DigitNetChannelsFirst), "digits_state_dict.npz" },
        { "digits", nameof(DigitNetChannelsFirst), "digits_keras.npz by name" },
        { "signal", nameof(TorchSignalNet), "signal.safetensors" },
        { "signal", nameof(TorchSignalNet), "signal_state_dict.npz by name" },
        { "signal", nameof(TorchSignalNet), "signal_keras.npz" },
        { "signal", nameof(TorchSignalNetChannelsFirst), "signal.safetensors" },
        { "signal", nameof(TorchSignalNetChannelsFirst), "signal_state_dict.npz by name" },
        { "signal", nameof(TorchSignalNetChannelsFirst), "signal_keras.npz" },
        { "mobile", nameof(TorchMobileNet), "mobile.safetensors" },
        { "mobile", nameof(TorchMobileNet), "mobile_keras.npz" },
        { "mobile", nameof(TorchMobileNetChannelsFirst), "mobile.safetensors" },
        { "mobile", nameof(TorchMobileNetChannelsFirst), "mobile_state_dict.npz" },
        { "mobile", nameof(TorchMobileNetChannelsFirst), "mobile_keras.npz" },
        { "norm", nameof(TorchNormNet), "norm.safetensors" },
        { "norm", nameof(TorchNormNet), "norm_state_dict.npz by name" },
        { "norm", nameof(TorchNormNet), "norm_keras.npz" },
        { "norm", nameof(TorchNormNetChannelsFirst), "norm.safetensors" },
        { "norm", nameof(TorchNormNetChannelsFirst), "norm_state_dict.npz by name" },
        { "norm", nameof(TorchNormNetChannelsFirst), "norm_keras.npz" },
        { "up", nameof(TorchUpNet), "up.safetensors" },
        { "up", nameof(TorchUpNet), "up_keras.npz" },
        { "up", nameof(TorchUpNetChannelsFirst), "up.safetensors" },
        { "up", nameof(TorchUpNetChannelsFirst), "up_state_dict.npz" },
        { "up", nameof(TorchUpNetChannelsFirst), "up_keras.npz" },
        { "up_signal", nameof(TorchUpSignalNet), "up_signal.safetensors" },
        { "up_signal", nameof(TorchUpSignalNet), "up_signal_state_dict.npz" },
        { "up_signal", nameof(TorchUpSignalNet), "up_signal_keras.npz" },
    };

    [Theory]
    [MemberData(nameof(Imports))]
    public void ImportedWeightsGivePyTorchsOutputs(string model, string networkName, string file)
    {
        var network = Create(networkName);
        var byName = file.EndsWith(" by name", StringComparison.Ordinal);
        var path = Path.Combine(DataDirectory, byName ? file[..^" by name".Length] : file);
        var map = !byName ? null : model switch
        {
            "lenet" => LeNetModules,
            "signal" => SignalModules,
            "norm" => NormModules,
            _ => DigitsKerasLayers,
        };
        if (path.EndsWith("_keras.npz", StringComparison.Ordinal))
        {
            network.ImportKerasWeights(path, map);
        }
        else
        {
            network.ImportPyTorchWeights(path, map);
        }

        var input = NumpyFile.ReadNpy(Path.Combine(DataDirectory, model + "_input.npy"));
        var expected = NumpyFile.ReadNpy(Path.Combine(DataDirectory, model + "_output.npy"));
        var batch = input.Shape[0];
        Assert.Equal(batch * network.InputSize, input.Values.Length);
        Assert.Equal(batch * network.OutputSize, expected.Values.Length);
        var samples = network.Architecture.DataFormat == DataFormat.ChannelsLast ? ToChannelsLast(input) : input.Values.ToArray();
        var output = new float[batch * network.OutputSize];
        network.Forward(samples, output, batch);
        var reference = ReadDoubles(model + "_output.npy");
        Numerics.AssertClose(reference, output, $"{networkName} with {file}");
        var worst = reference.Select((e, i) => Math.Abs(output[i] - e) / Math.Max(Math.Abs(e), Numerics.Absolute / Numerics.Relative)).Max();
        log.WriteLine($"{networkName} with {file}: {reference.Length} outputs, largest |error| / max(|expected|, 0.1) = {worst:E2} (the bound is 1e-5)");
    }

    [Fact]
    public void AChannelsLastNetworkNeedsTheFlattenPermutationAndAChannelsFirstOneDoesNot()
    {
        // Row (h = 0, w = 1, c = 2) of a channels-last 3x3x8 flatten is row c * 9 + h * 3 + w = 19 of PyTorch's (c, h, w) order.
        var dense = TorchLeNet.Architecture.FindLayer("dense_1")!;
        var rows = WeightImporter.FlattenPermutation(TorchLeNet.Architecture, dense, DataFormat.ChannelsFirst)!;
        Assert.Equal(19, rows[(0 * 3 + 1) * 8 + 2]);
        Assert.Equal(Enumerable.Range(0, 72), rows.Order());
        Assert.Null(WeightImporter.FlattenPermutation(TorchLeNetChannelsFirst.Architecture, TorchLeNetChannelsFirst.Architecture.FindLayer("dense_1")!, DataFormat.ChannelsFirst));
        Assert.Null(WeightImporter.FlattenPermutation(TorchLeNet.Architecture, TorchLeNet.Architecture.FindLayer("dense_2")!, DataFormat.ChannelsFirst));

        // Without the permutation the channels-last network computes something else.
        INetwork network = new TorchLeNet(1);
        network.ImportPyTorchWeights(Path.Combine(DataDirectory, "lenet.safetensors"));
        var right = network.Parameters.ToArray();
        WeightImporter.Import(network, WeightImporter.ReadTensors(Path.Combine(DataDirectory, "lenet.safetensors")),
            new WeightImportOptions { SourceFlattenFormat = DataFormat.ChannelsLast });
        var dense1 = network.Architecture.FindLayer("dense_1")!;
        Assert.False(right.AsSpan(dense1.ParameterOffset, dense1.KernelLength).SequenceEqual(network.Parameters.Slice(dense1.ParameterOffset, dense1.KernelLength)));
        Assert.True(right.AsSpan(0, dense1.ParameterOffset).SequenceEqual(network.Parameters[..dense1.ParameterOffset]));
    }

    [Fact]
    public void PyTorchLayoutsAreTransposedToKerasLayout()
    {
        var tensors = WeightImporter.ReadTensors(Path.Combine(DataDirectory, "signal_state_dict.npz"));
        INetwork network = new TorchSignalNetChannelsFirst(1);
        WeightImporter.Import(network, tensors, new WeightImportOptions());

        // conv1d_2: PyTorch (out 6, in 8, k 4) -> CnnGen (k 4, in 8, out 6).
        var conv = network.Architecture.FindLayer("conv1d_2")!;
        var weight = tensors.Single(t => t.Name == "body.1.weight").Values.Span;
        Assert.Equal(weight[(5 * 8 + 7) * 4 + 3], network.Parameters[conv.ParameterOffset + (3 * 8 + 7) * 6 + 5]);
        Assert.Equal(weight[(2 * 8 + 1) * 4 + 0], network.Parameters[conv.ParameterOffset + (0 * 8 + 1) * 6 + 2]);

        // dense_1 (channels-first: no permutation): PyTorch (out 4, in 10) -> CnnGen (in 10, out 4).
        var dense = network.Architecture.FindLayer("dense_1")!;
        var linear = tensors.Single(t => t.Name == "head.weight").Values.Span;
        Assert.Equal(linear[3 * 10 + 7], network.Parameters[dense.ParameterOffset + 7 * 4 + 3]);
        Assert.Equal(tensors.Single(t => t.Name == "head.bias").Values.Span[2], network.Parameters[dense.ParameterOffset + dense.KernelLength + 2]);
    }

    [Fact]
    public void SafeTensorsElementTypesAreDecoded()
    {
        var tensors = SafeTensorsFile.Read(Path.Combine(DataDirectory, "signal.safetensors"));
        Assert.Equal(["body.0.weight", "body.0.bias", "body.1.weight", "body.1.bias", "body.2.weight", "body.2.bias", "head.weight", "head.bias"], tensors.Select(t => t.Name));
        Assert.Equal(["bfloat16", "float16", "float16", "bfloat16", "float64", "float32", "bfloat16", "float32"], tensors.Select(t => t.SourceType));

        // Every one holds the same numbers as the float64 NumPy copy of the state_dict (the weights were rounded to each type).
        var reference = NumpyFile.ReadNpz(Path.Combine(DataDirectory, "signal_state_dict.npz")).ToDictionary(t => t.Name);
        foreach (var tensor in tensors)
        {
            Assert.Equal(reference[tensor.Name].Shape, tensor.Shape);
            Assert.True(reference[tensor.Name].Values.Span.SequenceEqual(tensor.Values.Span), tensor.Name);
        }
    }

    [Fact]
    public void MissingExtraAndMisshapenTensorsAreAllListedAndNothingChanges()
    {
        var tensors = WeightImporter.ReadTensors(Path.Combine(DataDirectory, "lenet.safetensors")).ToList();
        var network = new TorchLeNet(4);
        var before = Bytes(network);

        var withoutBias = tensors.Where(t => t.Name != "conv2.bias").ToList();
        var exception = Assert.Throws<WeightImportException>(() => WeightImporter.Import(network, withoutBias, new WeightImportOptions { LayerNames = LeNetModules }));
        Assert.Equal(["missing tensor 'conv2.bias' for the bias of Conv2D 'conv2d_2', expected shape (8,)"], exception.Problems);

        var misshapen = tensors.Select(t => t.Name == "fc1.weight" ? Transposed(t) : t)
            .Append(new WeightTensor("bn.running_mean", [8], new float[8])).ToList();
        exception = Assert.Throws<WeightImportException>(() => WeightImporter.Import(network, misshapen, new WeightImportOptions { LayerNames = LeNetModules }));
        Assert.Equal(2, exception.Problems.Count);
        Assert.Contains("tensor 'fc1.weight' for the kernel of Dense 'dense_1' has shape (72, 16), expected (16, 72) (PyTorch Linear weight: out_features, in_features)", exception.Problems);
        Assert.Contains("extra tensor 'bn.running_mean' (8,): no entry of the layer map takes it", exception.Problems);
        Assert.Contains("nothing was changed", exception.Message);

        // By position: an extra module and a wrong kernel size.
        var byPosition = tensors.Select(t => t.Name == "conv1.weight" ? new WeightTensor(t.Name, [6, 2, 3, 3], new float[108]) : t)
            .Append(new WeightTensor("fc3.weight", [5, 10], new float[50])).Append(new WeightTensor("fc3.bias", [5], new float[5])).ToList();
        var npz = Write(byPosition);
        try
        {
            exception = Assert.Throws<WeightImportException>(() => network.ImportPyTorchWeights(npz));
        }
        finally
        {
            File.Delete(npz);
        }

        Assert.Equal(3, exception.Problems.Count);
        Assert.Contains("tensor 'conv1.weight' for the kernel of Conv2D 'conv2d_1' has shape (6, 2, 3, 3), expected (6, 2, 5, 5) (PyTorch Conv2d weight: out_channels, in_channels, kernel_height, kernel_width)", exception.Problems);
        Assert.Contains("extra tensor 'fc3.weight' (5, 10): the network has 4 layers with weights but the file has 5 modules", exception.Problems);
        Assert.Contains("extra tensor 'fc3.bias' (5,): the network has 4 layers with weights but the file has 5 modules", exception.Problems);

        // A map naming a layer that does not exist, and leaving one out.
        var badMap = new Dictionary<string, string>(LeNetModules) { ["fc2"] = "dense_9" };
        exception = Assert.Throws<WeightImportException>(() => WeightImporter.Import(network, tensors, new WeightImportOptions { LayerNames = badMap }));
        Assert.Contains("the layer map sends 'fc2' to layer 'dense_9', but 'TorchLeNet' has no such layer (layers with weights: conv2d_1, conv2d_2, dense_1, dense_2)", exception.Problems);
        Assert.Contains("Dense 'dense_2' gets no weights: no entry of the layer map names it", exception.Problems);
        Assert.Contains("extra tensor 'fc2.weight' (10, 16): no entry of the layer map takes it", exception.Problems);

        Assert.True(before.SequenceEqual(Bytes(network)), "A failed import changed the weights.");
    }

    [Fact]
    public void KerasArraysOutOfStepAreNamedByIndex()
    {
        var arrays = WeightImporter.ReadTensors(Path.Combine(DataDirectory, "lenet_keras.npz"));
        var network = new TorchLeNet(4);
        var before = Bytes(network);
        var exception = Assert.Throws<WeightImportException>(() =>
            WeightImporter.Import(network, arrays.Skip(1).ToList(), new WeightImportOptions { Convention = WeightConvention.Keras }));
        Assert.Contains("tensor 'arr_1' for the kernel of Conv2D 'conv2d_1' has shape (6,), expected (5, 5, 2, 6) (Keras Conv2D kernel: kernel_height, kernel_width, in_channels, filters)", exception.Problems);
        Assert.Contains("missing tensor 'get_weights()[7]' for the bias of Dense 'dense_2', expected shape (10,)", exception.Problems);
        Assert.True(before.SequenceEqual(Bytes(network)));
    }

    [Fact]
    public void ABiasForALayerWithoutBiasIsExtra()
    {
        var compiled = CompiledNetworks.Compile("""
            [Network]
            [Input(4, 3)]
            [Conv1D(2, 3, UseBias = false)]
            [Flatten]
            [Dense(2)]
            public partial class NoBiasNet;
            """);
        var network = compiled.Create("NoBiasNet");
        var before = Bytes(network);
        WeightTensor[] tensors =
        [
            new("conv.weight", [2, 3, 3], new float[18]), new("conv.bias", [2], new float[2]),
            new("fc.weight", [2, 4], new float[8]), new("fc.bias", [2], new float[2]),
        ];
        var exception = Assert.Throws<WeightImportException>(() => WeightImporter.Import(network, tensors, new WeightImportOptions()));
        Assert.Equal(["extra tensor 'conv.bias' (2,): Conv1D 'conv1d_1' has no bias (UseBias = false)"], exception.Problems);
        Assert.True(before.SequenceEqual(Bytes(network)));

        WeightImporter.Import(network, [tensors[0], tensors[2], tensors[3]], new WeightImportOptions());
        Assert.All(network.Parameters.ToArray(), value => Assert.Equal(0f, value));
    }

    [Fact]
    public void UnknownExtensionsAreRefusedWithTheFormatsThatWork()
    {
        var exception = Assert.Throws<WeightImportException>(() => WeightImporter.ReadTensors("model.pt"));
        Assert.Contains("'model.pt' has extension '.pt'; weights are read from .safetensors, .npz or .npy files", exception.Message);
    }

    internal static INetwork Create(string name) => name switch
    {
        nameof(TorchLeNet) => new TorchLeNet(1),
        nameof(TorchLeNetChannelsFirst) => new TorchLeNetChannelsFirst(1),
        nameof(TorchSignalNet) => new TorchSignalNet(1),
        nameof(TorchSignalNetChannelsFirst) => new TorchSignalNetChannelsFirst(1),
        nameof(DigitNet) => new DigitNet(1),
        nameof(TorchMobileNet) => new TorchMobileNet(1),
        nameof(TorchMobileNetChannelsFirst) => new TorchMobileNetChannelsFirst(1),
        nameof(TorchNormNet) => new TorchNormNet(1),
        nameof(TorchNormNetChannelsFirst) => new TorchNormNetChannelsFirst(1),
        nameof(TorchUpNet) => new TorchUpNet(1),
        nameof(TorchUpNetChannelsFirst) => new TorchUpNetChannelsFirst(1),
        nameof(TorchUpSignalNet) => new TorchUpSignalNet(1),
        _ => new DigitNetChannelsFirst(1),
    };

    /// <summary>(N, C, spatial...) -> (N, spatial..., C).</summary>
    internal static float[] ToChannelsLast(WeightTensor batch)
    {
        var (n, c) = (batch.Shape[0], batch.Shape[1]);
        var spatial = batch.Shape.Skip(2).Aggregate(1, (a, b) => a * b);
        var source = batch.Values.Span;
        var result = new float[source.Length];
        for (var i = 0; i < n; i++)
        for (var ch = 0; ch < c; ch++)
        for (var s = 0; s < spatial; s++)
        {
            result[(i * spatial + s) * c + ch] = source[(i * c + ch) * spatial + s];
        }

        return result;
    }

    /// <summary>The float64 reference outputs at full precision (WeightTensor converts to float32).</summary>
    private static double[] ReadDoubles(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(DataDirectory, file));
        var headerLength = BitConverter.ToUInt16(bytes, 8);
        Assert.Contains("'descr': '<f8'", System.Text.Encoding.ASCII.GetString(bytes, 10, headerLength));
        return MemoryMarshal.Cast<byte, double>(bytes.AsSpan(10 + headerLength)).ToArray();
    }

    private static WeightTensor Transposed(WeightTensor tensor)
    {
        var (rows, columns) = (tensor.Shape[0], tensor.Shape[1]);
        var values = new float[rows * columns];
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < columns; c++)
        {
            values[c * rows + r] = tensor.Values.Span[r * columns + c];
        }

        return new WeightTensor(tensor.Name, [columns, rows], values);
    }

    private static string Write(IReadOnlyList<WeightTensor> tensors)
    {
        var path = Path.Combine(Path.GetTempPath(), "cnngen-import-" + Guid.NewGuid().ToString("N") + ".npz");
        File.WriteAllBytes(path, NumpyFormatTests.Npz(tensors.Select(t => (t.Name, NumpyFormatTests.Npy("<f4", false, t.Shape.ToArray(), t.Values.ToArray()))).ToArray()));
        return path;
    }

    private static byte[] Bytes(INetwork network) => MemoryMarshal.AsBytes(network.Parameters).ToArray();
}
