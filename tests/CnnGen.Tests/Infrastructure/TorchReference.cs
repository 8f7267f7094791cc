using System.Buffers.Binary;
using System.Text.Json;

namespace CnnGen.Tests.Infrastructure;

/// <summary>
/// One file written by Data/torch/make_reference.py (format in Data/torch/README.md): a
/// network as the script resolved it, the parameters it used, a batch of inputs and output
/// gradients, and PyTorch's float64 output, input gradient and parameter gradients.
/// </summary>
internal sealed class TorchReference
{
    public const string Format = "cnngen-torch-reference-1";

    public required string Network { get; init; }

    public required DataFormat DataFormat { get; init; }

    public required int[] InputShape { get; init; }

    public required int[] OutputShape { get; init; }

    public required int ParameterCount { get; init; }

    public required int Batch { get; init; }

    public required ulong Seed { get; init; }

    /// <summary>FNV-1a (64 bits) of the parameters as little-endian float32 bytes.</summary>
    public required string ParametersHash { get; init; }

    public required IReadOnlyList<Layer> Layers { get; init; }

    public required float[] Input { get; init; }

    public required double[] Output { get; init; }

    public required float[] OutputGradient { get; init; }

    public required double[] InputGradient { get; init; }

    /// <summary>"inference" or "training" for networks with state (one file per mode), null otherwise.</summary>
    public string? Mode { get; init; }

    /// <summary>The state before the pass (float32 values), for networks with state.</summary>
    public float[]? State { get; init; }

    /// <summary>The state after the pass: updated moving statistics in training mode.</summary>
    public double[]? StateAfter { get; init; }

    public sealed class Layer
    {
        public required LayerKind Kind { get; init; }

        public required string Name { get; init; }

        public required int[] InputShape { get; init; }

        public required int[] OutputShape { get; init; }

        public Activation? Activation { get; init; }

        /// <summary>The layers (or "input") the layer reads, when the script names them (a merge, or a From); null for the previous layer.</summary>
        public string[]? Inputs { get; init; }

        /// <summary>(height, width) for windowed layers; 1-D layers have height 1.</summary>
        public int[]? Window { get; init; }

        public int[]? Stride { get; init; }

        public int[]? Dilation { get; init; }

        public Padding? Padding { get; init; }

        /// <summary>Top, bottom, left, right.</summary>
        public int[]? Pads { get; init; }

        /// <summary>Transposed convolutions: the cells added after (height, width), output_padding and what 'same' adds; absent for other layers.</summary>
        public int[]? OutputPadding { get; init; }

        /// <summary>PyTorch's ceil_mode (pooling); absent in the file when false.</summary>
        public bool CeilMode { get; init; }

        /// <summary>PyTorch's count_include_pad (average pooling); absent in the file when false.</summary>
        public bool CountPadding { get; init; }

        /// <summary>Global pooling that keeps its spatial dimensions as 1; absent in the file when false.</summary>
        public bool KeepDims { get; init; }

        /// <summary>Up-sampling: the factors (height, width); 1-D layers have height 1.</summary>
        public int[]? Size { get; init; }

        /// <summary>Up-sampling: Nearest or Bilinear.</summary>
        public Interpolation? Interpolation { get; init; }

        public required int ParameterOffset { get; init; }

        public required int[] KernelShape { get; init; }

        public required int KernelLength { get; init; }

        public required int BiasLength { get; init; }

        public double KernelScale { get; init; }

        public double BiasScale { get; init; }

        /// <summary>dL/d(kernel) in Keras layout, summed over the batch.</summary>
        public double[]? KernelGradient { get; init; }

        public double[]? BiasGradient { get; init; }
    }

    /// <summary>Reads Data/torch/{network}.json from the test output directory.</summary>
    public static TorchReference Load(string network, string? mode = null)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "torch", network + (mode is null ? "" : "." + mode) + ".json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        Assert.Equal(Format, root.GetProperty("format").GetString());
        var parameters = root.GetProperty("parameters");
        Assert.Equal("splitmix64-odd24", parameters.GetProperty("generator").GetString());
        return new TorchReference
        {
            Network = root.GetProperty("network").GetString()!,
            DataFormat = Enum.Parse<DataFormat>(root.GetProperty("data_format").GetString()!),
            InputShape = Ints(root.GetProperty("input_shape")),
            OutputShape = Ints(root.GetProperty("output_shape")),
            ParameterCount = root.GetProperty("parameter_count").GetInt32(),
            Batch = root.GetProperty("batch").GetInt32(),
            Seed = parameters.GetProperty("seed").GetUInt64(),
            ParametersHash = parameters.GetProperty("fnv1a64").GetString()!,
            Layers = root.GetProperty("layers").EnumerateArray().Select(ReadLayer).ToArray(),
            Input = Floats(root.GetProperty("input")),
            Output = Doubles(root.GetProperty("output")),
            OutputGradient = Floats(root.GetProperty("output_gradient")),
            InputGradient = Doubles(root.GetProperty("input_gradient")),
            Mode = root.TryGetProperty("mode", out var modeValue) ? modeValue.GetString() : null,
            State = root.TryGetProperty("state", out var state) ? Floats(state) : null,
            StateAfter = root.TryGetProperty("state_after", out var stateAfter) ? Doubles(stateAfter) : null,
        };
    }

    /// <summary>
    /// The script's parameters in CnnGen layout: element i of the layer's kernel or bias is
    /// <see cref="Unit"/>(seed, i) times the tensor's scale (a power of two), exactly as in Python.
    /// </summary>
    public float[] Parameters()
    {
        var parameters = new float[ParameterCount];
        foreach (var layer in Layers)
        {
            for (var i = layer.ParameterOffset; i < layer.ParameterOffset + layer.KernelLength; i++)
            {
                parameters[i] = (float)(Unit(Seed, i) * layer.KernelScale);
            }

            for (var i = layer.ParameterOffset + layer.KernelLength; i < layer.ParameterOffset + layer.KernelLength + layer.BiasLength; i++)
            {
                parameters[i] = (float)(Unit(Seed, i) * layer.BiasScale);
            }
        }

        Assert.Equal(ParametersHash, Fnv1a64(parameters));
        return parameters;
    }

    /// <summary>
    /// Value <paramref name="index"/> of a SplitMix64 stream started at <paramref name="seed"/>,
    /// as an odd multiple of 2^-24 in (-1, 1): exact in float32, never zero.
    /// </summary>
    public static double Unit(ulong seed, long index)
    {
        unchecked
        {
            var z = seed + (ulong)(index + 1) * 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (2.0 * (z >> 40) - (1 << 24) + 1) / (1 << 24);
        }
    }

    public static string Fnv1a64(ReadOnlySpan<float> values)
    {
        var hash = 0xCBF29CE484222325UL;
        Span<byte> bytes = stackalloc byte[4];
        foreach (var value in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
            foreach (var b in bytes)
            {
                hash = unchecked((hash ^ b) * 0x100000001B3UL);
            }
        }

        return hash.ToString("x16");
    }

    private static Layer ReadLayer(JsonElement layer)
    {
        double[]? kernelGradient = null;
        if (layer.TryGetProperty("kernel_gradient", out var gradient))
        {
            kernelGradient = Doubles(gradient);
        }
        else if (layer.TryGetProperty("kernel_gradient_factors", out var factors))
        {
            kernelGradient = FromFactors(factors);
        }

        return new Layer
        {
            Kind = Enum.Parse<LayerKind>(layer.GetProperty("kind").GetString()!),
            Name = layer.GetProperty("name").GetString()!,
            InputShape = Ints(layer.GetProperty("input_shape")),
            OutputShape = Ints(layer.GetProperty("output_shape")),
            Activation = layer.TryGetProperty("activation", out var activation) ? Enum.Parse<Activation>(activation.GetString()!) : null,
            Inputs = layer.TryGetProperty("inputs", out var inputs) ? inputs.EnumerateArray().Select(e => e.GetString()!).ToArray() : null,
            Window = layer.TryGetProperty("window", out var window) ? Ints(window) : null,
            Stride = layer.TryGetProperty("stride", out var stride) ? Ints(stride) : null,
            Dilation = layer.TryGetProperty("dilation", out var dilation) ? Ints(dilation) : null,
            Padding = layer.TryGetProperty("padding", out var padding) ? Enum.Parse<Padding>(padding.GetString()!) : null,
            Pads = layer.TryGetProperty("pads", out var pads) ? Ints(pads) : null,
            OutputPadding = layer.TryGetProperty("output_padding", out var outputPadding) ? Ints(outputPadding) : null,
            CeilMode = layer.TryGetProperty("ceil_mode", out var ceilMode) && ceilMode.GetBoolean(),
            CountPadding = layer.TryGetProperty("count_padding", out var countPadding) && countPadding.GetBoolean(),
            KeepDims = layer.TryGetProperty("keep_dims", out var keepDims) && keepDims.GetBoolean(),
            Size = layer.TryGetProperty("size", out var size) ? Ints(size) : null,
            Interpolation = layer.TryGetProperty("interpolation", out var interpolation) ? Enum.Parse<Interpolation>(interpolation.GetString()!) : null,
            ParameterOffset = layer.GetProperty("parameter_offset").GetInt32(),
            KernelShape = Ints(layer.GetProperty("kernel_shape")),
            KernelLength = layer.GetProperty("kernel_length").GetInt32(),
            BiasLength = layer.GetProperty("bias_length").GetInt32(),
            KernelScale = layer.TryGetProperty("kernel_scale", out var kernelScale) ? kernelScale.GetDouble() : 0,
            BiasScale = layer.TryGetProperty("bias_scale", out var biasScale) ? biasScale.GetDouble() : 0,
            KernelGradient = kernelGradient,
            BiasGradient = layer.TryGetProperty("bias_gradient", out var biasGradient) ? Doubles(biasGradient) : null,
        };
    }

    /// <summary>
    /// A large dense kernel gradient stored as its factors: dL/dW[i, u] = sum over the batch of
    /// input[n, i] * delta[n, u], where delta is dL/d(pre-activation) from autograd (the script
    /// checks the product against autograd's dL/dW). Exact to about 1e-16 in double.
    /// </summary>
    private static double[] FromFactors(JsonElement factors)
    {
        var (inputs, inputShape) = DoublesWithShape(factors.GetProperty("inputs"));
        var (deltas, deltaShape) = DoublesWithShape(factors.GetProperty("deltas"));
        Assert.Equal(inputShape[0], deltaShape[0]);
        var (batch, units) = (inputShape[0], deltaShape[1]);
        var count = inputShape[1];
        var gradient = new double[count * units];
        for (var i = 0; i < count; i++)
        for (var u = 0; u < units; u++)
        {
            var sum = 0.0;
            for (var n = 0; n < batch; n++)
            {
                sum += inputs[n * count + i] * deltas[n * units + u];
            }

            gradient[i * units + u] = sum;
        }

        return gradient;
    }

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private static float[] Floats(JsonElement array)
    {
        Assert.Equal("float32", array.GetProperty("dtype").GetString());
        var bytes = Convert.FromBase64String(array.GetProperty("base64").GetString()!);
        var values = new float[bytes.Length / 4];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i));
        }

        Assert.Equal(Ints(array.GetProperty("shape")).Aggregate(1, (a, b) => a * b), values.Length);
        return values;
    }

    private static double[] Doubles(JsonElement array) => DoublesWithShape(array).Values;

    private static (double[] Values, int[] Shape) DoublesWithShape(JsonElement array)
    {
        Assert.Equal("float64", array.GetProperty("dtype").GetString());
        var bytes = Convert.FromBase64String(array.GetProperty("base64").GetString()!);
        var values = new double[bytes.Length / 8];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(8 * i));
        }

        var shape = Ints(array.GetProperty("shape"));
        Assert.Equal(shape.Aggregate(1, (a, b) => a * b), values.Length);
        return (values, shape);
    }
}
