using CnnGen.Onnx;
using CnnGen.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CnnGen.Tests.OnnxExport;

/// <summary>
/// The ONNX export and the weight import of transposed convolutions checked on their own, without
/// generated code: a network of one Conv1DTranspose or Conv2DTranspose layer described by its
/// <see cref="LayerInfo"/> (as the generator reports it), exported and run in ONNX Runtime
/// against a direct evaluation of PyTorch's formula, out[f, i * s + k * d - pad] += w * x[c, i]
/// (cropped, with output padding after). OnnxExportTests runs generated networks as well.
/// </summary>
public class TransposedConvolutionExportTests
{
    /// <summary>One transposed convolution: spatial input sizes, kernel, strides, dilations, pads (before, after) and output padding per dimension.</summary>
    public sealed record Case(string Name, bool ChannelsFirst, int Channels, int Filters, int[] Input, int[] Kernel, int[] Strides, int[] Dilations,
        int[] Before, int[] After, int[] OutputPadding, Padding Padding = Padding.Valid, bool UseBias = true, Activation Activation = Activation.Linear)
    {
        public int Rank => Input.Length;

        public int[] Output => Enumerable.Range(0, Rank)
            .Select(d => (Input[d] - 1) * Strides[d] + (Kernel[d] - 1) * Dilations[d] + 1 - Before[d] - After[d] + OutputPadding[d]).ToArray();

        public override string ToString() => Name;
    }

    public static readonly Case[] Cases =
    [
        // U-Net's up-sampling: k 2, stride 2 (valid is 'same' here).
        new("UNetUp", false, 3, 4, [4, 5], [2, 2], [2, 2], [1, 1], [0, 0], [0, 0], [0, 0], Padding.Same, Activation: Activation.Relu),
        // 'same' with k 3, stride 2: a crop of 1, after; channels first.
        new("SameStride2", true, 2, 3, [5, 4], [3, 3], [2, 2], [1, 1], [0, 0], [1, 1], [0, 0], Padding.Same),
        // PyTorch's padding=1, output_padding=1, stride 2.
        new("PadsAndOutputPadding", false, 3, 2, [5, 6], [3, 3], [2, 2], [1, 1], [1, 1], [1, 1], [1, 1], Activation: Activation.Tanh),
        // Rectangular kernel, per-direction strides, dilations, asymmetric pads and output padding, no bias; channels first.
        new("Rectangular", true, 2, 3, [4, 3], [3, 2], [1, 3], [2, 1], [1, 0], [2, 1], [0, 2], UseBias: false),
        // 'same' with a kernel smaller than the stride: no crop, s - k cells added.
        new("ShortKernelSame", false, 2, 2, [3, 4], [1, 2], [3, 3], [1, 1], [0, 0], [0, 0], [2, 1], Padding.Same),
        // 1-D: dilation 2, pad 2, output padding 1 (channels last and first); a kernel of 2 with stride 3 (gaps).
        new("Signal", false, 3, 5, [7], [3], [2], [2], [2], [2], [1], Activation: Activation.Elu),
        new("SignalChannelsFirst", true, 3, 5, [7], [3], [2], [2], [1], [2], [1]),
        new("SignalGaps", true, 2, 3, [5], [2], [3], [1], [0], [0], [0]),
    ];

    public static TheoryData<string> CaseNames => new(Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void TheExportedConvTransposeComputesPyTorchsFormula(string name)
    {
        var spec = Cases.Single(c => c.Name == name);
        var network = new OneLayerNetwork(spec, seed: name.Length);
        using var session = new InferenceSession(OnnxExporter.ExportToBytes(network));
        foreach (var batch in new[] { 1, 3 })
        {
            var input = Numerics.Random(batch * network.InputSize, seed: 21 + batch);
            var dims = new[] { batch }.Concat(network.Architecture.InputShape).ToArray();
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(OnnxExporter.InputName, new DenseTensor<float>(input, dims))]);
            var output = results.Single().AsTensor<float>();
            Assert.Equal(new[] { batch }.Concat(network.Architecture.OutputShape), output.Dimensions.ToArray());
            Numerics.AssertClose(Reference(spec, network.Parameters.ToArray(), input, batch), output.ToArray(), $"{name} (batch {batch}) ONNX Runtime vs PyTorch's formula");
        }
    }

    [Fact]
    public void TheNodeHasTheLayersPadsOutputPaddingAndTheKernelInOnnxLayout()
    {
        var spec = Cases.Single(c => c.Name == "Rectangular");
        var network = new OneLayerNetwork(spec, seed: 1);
        var model = OnnxExporter.CreateModel(network);
        var node = model.Graph.Node.Single(n => n.OpType == "ConvTranspose");
        long[] Ints(string attribute) => node.Attribute.Single(a => a.Name == attribute).Ints.ToArray();
        Assert.Equal([3, 2], Ints("kernel_shape"));
        Assert.Equal([1, 3], Ints("strides"));
        Assert.Equal([2, 1], Ints("dilations"));
        Assert.Equal([1, 0, 2, 1], Ints("pads"));
        Assert.Equal([0, 2], Ints("output_padding"));
        Assert.Equal(1, node.Attribute.Single(a => a.Name == "group").I);
        Assert.Equal(2, node.Input.Count);

        // Keras (kh, kw, filters, in) -> ONNX (in, filters, kh, kw).
        var weight = model.Graph.Initializer.Single(i => i.Name == node.Input[1]);
        Assert.Equal([2, 3, 3, 2], weight.Dims.ToArray());
        var onnx = Enumerable.Range(0, weight.RawData.Length / 4).Select(i => BitConverter.ToSingle(weight.RawData.Span.Slice(i * 4, 4))).ToArray();
        var keras = network.Parameters.ToArray();
        for (var i = 0; i < 2; i++)
        for (var f = 0; f < 3; f++)
        for (var y = 0; y < 3; y++)
        for (var x = 0; x < 2; x++)
        {
            Assert.Equal(keras[((y * 2 + x) * 3 + f) * 2 + i], onnx[((i * 3 + f) * 3 + y) * 2 + x]);
        }

        // A channels-last 1-D layer: Transpose, ConvTranspose on NCL, the activation, Transpose back.
        var signal = OnnxExporter.CreateModel(new OneLayerNetwork(Cases.Single(c => c.Name == "Signal"), seed: 1));
        Assert.Equal(["Transpose", "ConvTranspose", "Elu", "Transpose"], signal.Graph.Node.Select(n => n.OpType));
        var conv = signal.Graph.Node[1];
        Assert.Equal([1L], conv.Attribute.Single(a => a.Name == "output_padding").Ints.ToArray());
        Assert.Equal([2L, 2L], conv.Attribute.Single(a => a.Name == "pads").Ints.ToArray());
        Assert.Equal([3L, 5L, 3L], signal.Graph.Initializer.Single(i => i.Name == conv.Input[1]).Dims.ToArray());
    }

    [Theory]
    [InlineData("PadsAndOutputPadding")]
    [InlineData("Signal")]
    public void PyTorchWeightsAreReversedIntoTheKerasKernelAndKerasKernelsCopied(string name)
    {
        var spec = Cases.Single(c => c.Name == name);
        var network = new OneLayerNetwork(spec, seed: 2);
        var layer = network.Architecture.Layers[0];
        var taps = spec.Kernel.Aggregate(1, (a, b) => a * b);
        int[] torchShape = [spec.Channels, spec.Filters, .. spec.Kernel];
        var torch = Numerics.Random(layer.KernelLength, seed: 9);
        var bias = Numerics.Random(spec.Filters, seed: 10);
        WeightImporter.Import(network, [new WeightTensor("up.weight", torchShape, torch), new WeightTensor("up.bias", [spec.Filters], bias)],
            new WeightImportOptions { Convention = WeightConvention.PyTorch });
        var kernel = network.Parameters[..layer.KernelLength].ToArray();
        for (var i = 0; i < spec.Channels; i++)
        for (var f = 0; f < spec.Filters; f++)
        for (var t = 0; t < taps; t++)
        {
            Assert.Equal(torch[(i * spec.Filters + f) * taps + t], kernel[(t * spec.Filters + f) * spec.Channels + i]);
        }

        Assert.Equal(bias, network.Parameters[layer.KernelLength..].ToArray());

        // Keras's Conv2DTranspose / Conv1DTranspose kernel is CnnGen's: copied.
        var keras = Numerics.Random(layer.KernelLength, seed: 11);
        WeightImporter.Import(network, [new WeightTensor("kernel", layer.KernelShape, keras), new WeightTensor("bias", [spec.Filters], bias)],
            new WeightImportOptions { Convention = WeightConvention.Keras });
        Assert.Equal(keras, network.Parameters[..layer.KernelLength].ToArray());

        // A Conv's (out, in, k...) layout is refused with the layout expected.
        var before = network.Parameters.ToArray();
        int[] convShape = [spec.Filters, spec.Channels, .. spec.Kernel];
        var error = Assert.Throws<WeightImportException>(() => WeightImporter.Import(network,
            [new WeightTensor("up.weight", convShape, torch), new WeightTensor("up.bias", [spec.Filters], bias)], new WeightImportOptions { Convention = WeightConvention.PyTorch }));
        var expected = spec.Rank == 2
            ? $"tensor 'up.weight' for the kernel of Conv2DTranspose 'up' has shape (2, 3, 3, 3), expected (3, 2, 3, 3) (PyTorch ConvTranspose2d weight: in_channels, out_channels, kernel_height, kernel_width)"
            : $"tensor 'up.weight' for the kernel of Conv1DTranspose 'up' has shape (5, 3, 3), expected (3, 5, 3) (PyTorch ConvTranspose1d weight: in_channels, out_channels, kernel_size)";
        Assert.Contains(expected, error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Theory]
    [InlineData("conv_transpose.onnx")]
    [InlineData("unet_transposed.onnx")]
    [InlineData("conv_transpose_padded.onnx")]
    [InlineData("conv_transpose1d.onnx")]
    [InlineData("conv_transpose1d_short.onnx")]
    public void AnImportedModelExportedAgainComputesWhatTheFileComputes(string file)
    {
        // The imported layers (pads, output padding, 'same', kernels in Keras layout, a folded batch
        // norm) exported by CnnGen and run in ONNX Runtime next to PyTorch's file: import and export
        // checked against each other without generated code.
        var imported = OnnxImport.ImportedModels.Import(file);
        var network = new DescribedNetwork(imported.Architecture, imported.Parameters.ToArray(), imported.State.ToArray());
        using var session = new InferenceSession(OnnxExporter.ExportToBytes(network));
        foreach (var batch in new[] { 1, 2 })
        {
            var input = Numerics.Random(batch * network.InputSize, seed: 30 + batch, scale: 2f);
            var expected = OnnxImport.ImportedModels.RunOnnxRuntime(file, input, [.. imported.InputShape], batch);
            var dims = new[] { batch }.Concat(network.Architecture.InputShape).ToArray();
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(OnnxExporter.InputName, new DenseTensor<float>(input, dims))]);
            var actual = results.Single().AsTensor<float>().ToArray();
            Numerics.AssertClose(expected.Select(v => (double)v).ToArray(), actual, $"{file} (batch {batch}) exported again vs the file");
        }
    }

    /// <summary>The output (in the network's data format) of PyTorch's transposed convolution, with bias and activation.</summary>
    private static double[] Reference(Case spec, float[] parameters, float[] input, int batch)
    {
        var (cin, filters, rank) = (spec.Channels, spec.Filters, spec.Rank);
        int[] inSize = rank == 2 ? spec.Input : [1, spec.Input[0]];
        var outSize = rank == 2 ? spec.Output : [1, spec.Output[0]];
        int[] k = rank == 2 ? spec.Kernel : [1, spec.Kernel[0]];
        int[] s = rank == 2 ? spec.Strides : [1, spec.Strides[0]];
        int[] d = rank == 2 ? spec.Dilations : [1, spec.Dilations[0]];
        int[] before = rank == 2 ? spec.Before : [0, spec.Before[0]];
        var inPositions = inSize[0] * inSize[1];
        var outPositions = outSize[0] * outSize[1];
        var kernelLength = k[0] * k[1] * filters * cin;
        var result = new double[batch * filters * outPositions];
        int InIndex(int c, int y, int x) => spec.ChannelsFirst ? (c * inSize[0] + y) * inSize[1] + x : (y * inSize[1] + x) * cin + c;
        int OutIndex(int f, int y, int x) => spec.ChannelsFirst ? (f * outSize[0] + y) * outSize[1] + x : (y * outSize[1] + x) * filters + f;
        for (var n = 0; n < batch; n++)
        {
            var x0 = n * cin * inPositions;
            var y0 = n * filters * outPositions;
            for (var f = 0; f < filters; f++)
            for (var oy = 0; oy < outSize[0]; oy++)
            for (var ox = 0; ox < outSize[1]; ox++)
            {
                result[y0 + OutIndex(f, oy, ox)] = spec.UseBias ? parameters[kernelLength + f] : 0;
            }

            for (var c = 0; c < cin; c++)
            for (var iy = 0; iy < inSize[0]; iy++)
            for (var ix = 0; ix < inSize[1]; ix++)
            for (var ky = 0; ky < k[0]; ky++)
            for (var kx = 0; kx < k[1]; kx++)
            {
                var oy = iy * s[0] + ky * d[0] - before[0];
                var ox = ix * s[1] + kx * d[1] - before[1];
                if (oy < 0 || oy >= outSize[0] || ox < 0 || ox >= outSize[1])
                {
                    continue;
                }

                for (var f = 0; f < filters; f++)
                {
                    result[y0 + OutIndex(f, oy, ox)] += (double)parameters[((ky * k[1] + kx) * filters + f) * cin + c] * input[x0 + InIndex(c, iy, ix)];
                }
            }
        }

        return result.Select(v => spec.Activation switch
        {
            Activation.Linear => v,
            Activation.Relu => Math.Max(v, 0),
            Activation.Tanh => Math.Tanh(v),
            Activation.Elu => v > 0 ? v : Math.Exp(v) - 1,
            _ => throw new ArgumentException("No reference for " + spec.Activation),
        }).ToArray();
    }

    /// <summary>
    /// A network of one transposed convolution named 'up' with random parameters: only what the
    /// exporter and the weight importer read (architecture, parameters); it has no code to run.
    /// </summary>
    private sealed class OneLayerNetwork(Case spec, int seed) : DescribedNetwork(Describe(spec), Numerics.Random(Describe(spec).ParameterCount, seed), [])
    {
        private static NetworkArchitecture Describe(Case spec)
        {
            var rank = spec.Rank;
            int[] Shape(int channels, int[] spatial) => spec.ChannelsFirst ? [channels, .. spatial] : [.. spatial, channels];
            int At(int[] values, int dim, int fallback) => rank == 2 ? values[dim] : dim == 1 ? values[0] : fallback;
            var kernelLength = spec.Kernel.Aggregate(1, (a, b) => a * b) * spec.Filters * spec.Channels;
            var biasLength = spec.UseBias ? spec.Filters : 0;
            var layer = new LayerInfo
            {
                Kind = rank == 2 ? LayerKind.Conv2DTranspose : LayerKind.Conv1DTranspose,
                Name = "up",
                InputShape = Shape(spec.Channels, spec.Input),
                OutputShape = Shape(spec.Filters, spec.Output),
                KernelHeight = At(spec.Kernel, 0, 1),
                KernelWidth = At(spec.Kernel, 1, 1),
                StrideHeight = At(spec.Strides, 0, 1),
                StrideWidth = At(spec.Strides, 1, 1),
                DilationHeight = At(spec.Dilations, 0, 1),
                DilationWidth = At(spec.Dilations, 1, 1),
                Padding = spec.Padding,
                PadTop = At(spec.Before, 0, 0),
                PadBottom = At(spec.After, 0, 0),
                PadLeft = At(spec.Before, 1, 0),
                PadRight = At(spec.After, 1, 0),
                OutputPaddingHeight = At(spec.OutputPadding, 0, 0),
                OutputPaddingWidth = At(spec.OutputPadding, 1, 0),
                Activation = spec.Activation,
                UseBias = spec.UseBias,
                KernelLength = kernelLength,
                BiasLength = biasLength,
                KernelShape = [.. spec.Kernel, spec.Filters, spec.Channels],
            };
            return new NetworkArchitecture
            {
                Name = "Transposed" + spec.Name,
                DataFormat = spec.ChannelsFirst ? DataFormat.ChannelsFirst : DataFormat.ChannelsLast,
                InputShape = layer.InputShape,
                OutputShape = layer.OutputShape,
                Layers = [layer],
                ParameterCount = kernelLength + biasLength,
            };
        }
    }

    /// <summary>
    /// A network that is only its description and its numbers: what the exporter and the weight
    /// importer read (architecture, parameters, state); it has no code to run.
    /// </summary>
    private class DescribedNetwork(NetworkArchitecture architecture, float[] parameters, float[] state) : INetwork
    {
        private readonly float[] _parameters = parameters;
        private readonly float[] _state = state;

        public int StateCount => _state.Length;

        public Span<float> State => _state;

        public NetworkArchitecture Architecture { get; } = architecture;

        public int InputSize => Architecture.InputShape.Aggregate(1, (a, b) => a * b);

        public int OutputSize => Architecture.OutputShape.Aggregate(1, (a, b) => a * b);

        public int ParameterCount => _parameters.Length;

        public Span<float> Parameters => _parameters;

        public Span<float> Gradients => throw new NotSupportedException();

        public void Forward(ReadOnlySpan<float> input, Span<float> output) => throw new NotSupportedException();

        public void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize) => throw new NotSupportedException();

        public void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient) => throw new NotSupportedException();

        public Workspace CreateWorkspace() => throw new NotSupportedException();

        public void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize, Workspace workspace) => throw new NotSupportedException();

        public void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, Workspace workspace, Span<float> parameterGradients) =>
            throw new NotSupportedException();

        public void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, Workspace workspace, Span<float> parameterGradients,
            bool outputGradientIsPreActivation) => throw new NotSupportedException();
    }
}
