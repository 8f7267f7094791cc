using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Google.Protobuf;
using Onnx;
using static CnnGen.Onnx.OnnxGraphBuilder;

namespace CnnGen.Onnx;

/// <summary>
/// Exports a generated network with its current weights to an ONNX model (opset 17) that ONNX
/// Runtime and other engines run with the same results.
/// <para>
/// The graph has one input <c>input</c> and one output <c>output</c>, float32, shaped
/// (batch, ...) in the network's own data format with a symbolic batch dimension. Inside, every
/// feature map is NCHW (or NCL), the layout ONNX's Conv and pooling operators require: a
/// channels-first network needs no re-layout at all; a channels-last one gets a Transpose after
/// the input, a Transpose back to channels-last before each Flatten (so that Flatten keeps
/// CnnGen's (h, w, c) order and the Dense kernel is used unchanged) and one before the output if
/// the output is still a feature map.
/// </para>
/// <para>
/// Per layer: Conv with the exact pads CnnGen uses (TF 'same' puts the odd extra cell after;
/// causal Conv1D pads (k - 1) * d before, explicit pads as declared), strides, dilations, group (Groups), the kernel transposed
/// from (kh, kw, in, out) to (out, in, kh, kw); ConvTranspose (group 1) with the crop pads, strides,
/// dilations and output_padding, the kernel transposed from (kh, kw, filters, in) to (in, filters, kh, kw); MaxPool with pads (ONNX ignores padded cells) and ceil_mode;
/// AveragePool with count_include_pad = 0 (it divides by the real cells, as CnnGen does), or 1 with CountPadding;
/// GlobalMaxPool / GlobalAveragePool followed by Flatten (none with KeepDims); Gemm with the (in, out) kernel; the
/// activations Relu, LeakyRelu (alpha 0.3), Elu (alpha 1), Sigmoid, Tanh, Softmax (axis 1, the
/// channel axis), Softplus, Silu as x * Sigmoid(x), Relu6 as Clip(0, 6), HardSigmoid (alpha 1/6,
/// beta 1/2), HardSwish, and Gelu as the erf pattern. docs/weights.md has the table.
/// </para>
/// <para>
/// A network with skip connections and branches is the same graph: each layer reads the ONNX
/// values of the layers it names; Add and Multiply are chains of Add and Mul nodes (a channel
/// vector broadcast over a feature map is unsqueezed to 1x1 first) and Concatenate a Concat
/// on the channel axis.
/// </para>
/// </summary>
public static class OnnxExporter
{
    /// <summary>The ONNX operator set the models use.</summary>
    public const int OpsetVersion = 17;

    /// <summary>The ONNX IR version of the models (8 goes with opset 17).</summary>
    public const int IrVersion = 8;

    /// <summary>The name of the graph input.</summary>
    public const string InputName = "input";

    /// <summary>The name of the graph output.</summary>
    public const string OutputName = "output";

    /// <summary>
    /// Writes the model to <paramref name="path"/>, atomically as <c>SaveWeights</c> does: to a
    /// temporary file in the same directory, flushed, then renamed over any file there, so a
    /// failure leaves the old file as it was. A symbolic link at <paramref name="path"/> is kept
    /// and the file it points to replaced.
    /// </summary>
    /// <exception cref="IOException">The path is a directory, or the file cannot be written (the message names <paramref name="path"/>).</exception>
    public static void Export(INetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var model = CreateModel(network);
        AtomicFile.Replace(path, model.WriteTo);
    }

    /// <summary>Writes the model to <paramref name="stream"/> (not closed).</summary>
    public static void Export(INetwork network, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        CreateModel(network).WriteTo(stream);
    }

    /// <summary>The model as bytes.</summary>
    public static byte[] ExportToBytes(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return CreateModel(network).ToByteArray();
    }

    /// <summary>The ONNX model of <paramref name="network"/> with a copy of its current weights.</summary>
    /// <exception cref="NotSupportedException">A layer kind or activation this exporter does not know (none today).</exception>
    public static ModelProto CreateModel(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var architecture = network.Architecture;
        if (network.Parameters.Length != architecture.ParameterCount)
        {
            throw new ArgumentException(
                $"'{architecture.Name}' has {network.Parameters.Length} parameters but its architecture says {architecture.ParameterCount}.", nameof(network));
        }

        var graph = new GraphProto { Name = architecture.Name, DocString = $"CnnGen network {architecture.Name}, architecture fingerprint {architecture.Fingerprint}." };
        var builder = new OnnxGraphBuilder(graph);
        graph.Input.Add(BatchedTensor(InputName, architecture.InputShape));
        graph.Output.Add(BatchedTensor(OutputName, architecture.OutputShape));
        new LayerWriter(builder, architecture, network.Parameters, network.State).Write();

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "CnnGen",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0",
            Domain = "cnngen",
            ModelVersion = 1,
            DocString = graph.DocString,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OpsetVersion });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "cnngen.network", Value = architecture.Name });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "cnngen.fingerprint", Value = architecture.Fingerprint });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "cnngen.data_format", Value = architecture.DataFormat.ToString() });
        return model;
    }

    /// <summary>
    /// Walks the layers, keeping the name of each layer's output (NCHW inside the graph for a
    /// feature map): a layer reads the outputs of the layers it names, by default the previous one.
    /// </summary>
    private sealed class LayerWriter(OnnxGraphBuilder builder, NetworkArchitecture network, ReadOnlySpan<float> parameters, ReadOnlySpan<float> state)
    {
        private readonly float[] _parameters = parameters.ToArray();
        private readonly float[] _state = state.ToArray();
        private readonly bool _channelsLast = network.DataFormat == DataFormat.ChannelsLast;
        private string _value = InputName;

        public void Write()
        {
            var inputRank = network.InputShape.Count;
            if (_channelsLast && inputRank >= 2)
            {
                _value = builder.Node("Transpose", "input/to_channels_first", [_value], Ints("perm", ToChannelsFirst(inputRank)));
            }

            // outputs[i + 1]: the value of layer i's output; outputs[0]: the input's.
            var outputs = new string[network.Layers.Count + 1];
            outputs[0] = _value;
            for (var i = 0; i < network.Layers.Count; i++)
            {
                var inputs = network.LayerInputs(i);
                _value = outputs[inputs[0] + 1];
                WriteLayer(i, [.. inputs.Select(k => outputs[k + 1])]);
                outputs[i + 1] = _value;
            }

            var outputRank = network.OutputShape.Count;
            if (_channelsLast && outputRank >= 2)
            {
                _value = builder.Node("Transpose", "output/to_channels_last", [_value], Ints("perm", ToChannelsLast(outputRank)));
            }

            if (_value == InputName || !builder.LastNodeWrites(_value))
            {
                // A network of nothing but Flatten of a vector, or whose last layer passes on an earlier value: still a node that writes the output.
                _value = builder.Node("Identity", "identity", [_value]);
            }

            builder.RenameLastOutput(_value, OutputName);
        }

        private void WriteLayer(int index, string[] inputs)
        {
            var layer = network.Layers[index];
            switch (layer.Kind)
            {
                case LayerKind.Add:
                case LayerKind.Multiply:
                    WriteElementwise(index, inputs);
                    break;
                case LayerKind.Concatenate:
                    // Axis 1 is the channel axis of every value inside the graph.
                    _value = builder.Node("Concat", layer.Name + "/Concat", inputs, Int("axis", 1));
                    break;
                case LayerKind.Conv1D:
                case LayerKind.Conv2D:
                case LayerKind.DepthwiseConv1D:
                case LayerKind.DepthwiseConv2D:
                    WriteConvolution(layer);
                    break;
                case LayerKind.Conv1DTranspose:
                case LayerKind.Conv2DTranspose:
                    WriteTransposedConvolution(layer);
                    break;
                case LayerKind.MaxPool1D:
                case LayerKind.MaxPool2D:
                    ShieldZeroPadding(index);
                    _value = builder.Node("MaxPool", layer.Name + "/MaxPool", [_value], [.. WindowAttributes(layer), .. CeilMode(layer)]);
                    break;
                case LayerKind.AvgPool1D:
                case LayerKind.AvgPool2D:
                    _value = builder.Node("AveragePool", layer.Name + "/AveragePool", [_value], [.. WindowAttributes(layer), .. CeilMode(layer), Int("count_include_pad", layer.CountPadding ? 1 : 0)]);
                    break;
                case LayerKind.GlobalMaxPool:
                    _value = builder.Node("GlobalMaxPool", layer.Name + "/GlobalMaxPool", [_value]);
                    if (!layer.KeepDims)
                    {
                        _value = builder.Node("Flatten", layer.Name + "/Flatten", [_value], Int("axis", 1));
                    }

                    break;
                case LayerKind.GlobalAvgPool:
                    _value = builder.Node("GlobalAveragePool", layer.Name + "/GlobalAveragePool", [_value]);
                    if (!layer.KeepDims)
                    {
                        _value = builder.Node("Flatten", layer.Name + "/Flatten", [_value], Int("axis", 1));
                    }

                    break;
                case LayerKind.Flatten:
                    if (_channelsLast && layer.InputShape.Count >= 2)
                    {
                        // Back to (h, w, c) so that the flattened order is CnnGen's.
                        _value = builder.Node("Transpose", layer.Name + "/to_channels_last", [_value], Ints("perm", ToChannelsLast(layer.InputShape.Count)));
                    }

                    _value = builder.Node("Flatten", layer.Name + "/Flatten", [_value], Int("axis", 1));
                    break;
                case LayerKind.Dense:
                    WriteDense(layer);
                    break;
                case LayerKind.BatchNormalization:
                    WriteBatchNormalization(layer);
                    break;
                case LayerKind.ZeroPadding1D:
                case LayerKind.ZeroPadding2D:
                    WriteZeroPadding(layer);
                    break;
                case LayerKind.UpSampling1D:
                case LayerKind.UpSampling2D:
                    WriteUpSampling(layer);
                    break;
                case LayerKind.Activation:
                case LayerKind.Dropout:
                    // Dropout is the identity in inference, which is what the exported model computes.
                    break;
                default:
                    throw new NotSupportedException($"Layer '{layer.Name}' of kind {layer.Kind} has no ONNX mapping.");
            }

            WriteActivation(layer);
        }

        /// <summary>
        /// Add or Mul, one node per input after the first. A channel vector (batch, C) under a
        /// feature map gets unit spatial axes first (Unsqueeze), so that ONNX broadcasts it over
        /// every position as CnnGen does; a 1x1xC map broadcasts as it is.
        /// </summary>
        private void WriteElementwise(int index, string[] inputs)
        {
            var layer = network.Layers[index];
            var shapes = network.LayerInputs(index).Select(network.OutputShapeOf).ToArray();
            var rank = layer.OutputShape.Count;
            var op = layer.Kind == LayerKind.Add ? "Add" : "Mul";
            string? result = null;
            for (var k = 0; k < inputs.Length; k++)
            {
                var value = inputs[k];
                if (shapes[k].Count < rank)
                {
                    var axes = builder.Int64Initializer(layer.Name + "/axes", [.. Enumerable.Range(2, rank - shapes[k].Count).Select(a => (long)a)]);
                    value = builder.Node("Unsqueeze", layer.Name + "/Unsqueeze", [value, axes]);
                }

                result = result is null ? value : builder.Node(op, layer.Name + "/" + op, [result, value]);
            }

            _value = result!;
        }

        /// <summary>
        /// The Conv or ConvTranspose inputs: the current value, the Keras kernel (kh, kw, a, b)
        /// (1-D: (k, a, b)) as ONNX's (b, a, kh, kw) (1-D: (b, a, k)), and the bias. For Conv, a
        /// is the input channels and b the filters; for ConvTranspose, a is the filters and b the input channels.
        /// </summary>
        private List<string> WeightInputs(LayerInfo layer, int a, int b, bool twoD)
        {
            var (kh, kw) = (layer.KernelHeight, layer.KernelWidth);
            var source = _parameters.AsSpan(layer.ParameterOffset, layer.KernelLength);
            var weight = new float[layer.KernelLength];
            for (var j = 0; j < b; j++)
            for (var i = 0; i < a; i++)
            for (var y = 0; y < kh; y++)
            for (var x = 0; x < kw; x++)
            {
                weight[((j * a + i) * kh + y) * kw + x] = source[((y * kw + x) * a + i) * b + j];
            }

            var names = new List<string>
            {
                _value,
                builder.Initializer(layer.Name + "/kernel", twoD ? [b, a, kh, kw] : [b, a, kw], weight),
            };
            if (layer.UseBias)
            {
                names.Add(builder.Initializer(layer.Name + "/bias", [layer.BiasLength], _parameters.AsSpan(layer.ParameterOffset + layer.KernelLength, layer.BiasLength)));
            }

            return names;
        }

        private void WriteConvolution(LayerInfo layer)
        {
            // Keras (kh, kw, in, out) -> ONNX (out, in, kh, kw); for Conv1D kh = 1 and the ONNX weight is (out, in, k).
            // A depthwise convolution is a Conv with group = input channels: its Keras kernel
            // (kh, kw, c, m) reads as (kh, kw, 1, c * m), output channel c * m + j in group c.
            var depthwise = layer.Kind is LayerKind.DepthwiseConv1D or LayerKind.DepthwiseConv2D;
            var (inputs, outputs) = depthwise ? (1, layer.KernelShape[^2] * layer.KernelShape[^1]) : (layer.KernelShape[^2], layer.KernelShape[^1]);
            var twoD = layer.Kind is LayerKind.Conv2D or LayerKind.DepthwiseConv2D;
            var names = WeightInputs(layer, inputs, outputs, twoD);
            _value = builder.Node("Conv", layer.Name + "/Conv", names,
            [
                .. WindowAttributes(layer),
                twoD ? Ints("dilations", layer.DilationHeight, layer.DilationWidth) : Ints("dilations", layer.DilationWidth),
                Int("group", depthwise ? layer.KernelShape[^2] : layer.Groups),
            ]);
        }

        /// <summary>
        /// ConvTranspose (group 1) with the layer's strides, dilations, crop pads ([top, left,
        /// bottom, right] or [before, after]) and output_padding, so that ONNX's output size
        /// (n - 1) * s + (k - 1) * d + 1 - pads + output_padding is the layer's. The Keras kernel
        /// (kh, kw, filters, in) becomes ONNX's (in, filters, kh, kw); for Conv1DTranspose kh = 1
        /// and the ONNX weight is (in, filters, k).
        /// </summary>
        private void WriteTransposedConvolution(LayerInfo layer)
        {
            var twoD = layer.Kind == LayerKind.Conv2DTranspose;
            var names = WeightInputs(layer, layer.KernelShape[^2], layer.KernelShape[^1], twoD);
            _value = builder.Node("ConvTranspose", layer.Name + "/ConvTranspose", names,
            [
                .. WindowAttributes(layer),
                twoD ? Ints("dilations", layer.DilationHeight, layer.DilationWidth) : Ints("dilations", layer.DilationWidth),
                twoD ? Ints("output_padding", layer.OutputPaddingHeight, layer.OutputPaddingWidth) : Ints("output_padding", layer.OutputPaddingWidth),
                Int("group", 1),
            ]);
        }

        /// <summary>
        /// Inference-mode BatchNormalization over axis 1 (the channels inside the graph, also of a
        /// (batch, C) vector): gamma and beta (ones and zeros where the layer has no Scale or
        /// Center), then the moving mean and variance from the state. ONNX's momentum has Keras's meaning.
        /// </summary>
        private void WriteBatchNormalization(LayerInfo layer)
        {
            var channels = layer.StateLength / 2;
            var gamma = layer.Scale ? _parameters.AsSpan(layer.ParameterOffset, channels) : Enumerable.Repeat(1f, channels).ToArray();
            var beta = layer.Center ? _parameters.AsSpan(layer.ParameterOffset + layer.KernelLength, channels) : new float[channels];
            _value = builder.Node("BatchNormalization", layer.Name + "/BatchNormalization",
            [
                _value,
                builder.Initializer(layer.Name + "/gamma", [channels], gamma),
                builder.Initializer(layer.Name + "/beta", [channels], beta),
                builder.Initializer(layer.Name + "/moving_mean", [channels], _state.AsSpan(layer.StateOffset, channels)),
                builder.Initializer(layer.Name + "/moving_variance", [channels], _state.AsSpan(layer.StateOffset + channels, channels)),
            ],
            [Float("epsilon", layer.Epsilon), Float("momentum", layer.Momentum)]);
        }

        /// <summary>ceil_mode = 1 for pooling in ceil mode; nothing otherwise (ONNX's default is 0).</summary>
        private static AttributeProto[] CeilMode(LayerInfo layer) => layer.CeilMode ? [Int("ceil_mode", 1)] : [];

        /// <summary>kernel_shape, strides and the explicit pads ([top, left, bottom, right] or [before, after]).</summary>
        private static AttributeProto[] WindowAttributes(LayerInfo layer) => layer.SpatialRank == 2
            ?
            [
                Ints("kernel_shape", layer.KernelHeight, layer.KernelWidth),
                Ints("strides", layer.StrideHeight, layer.StrideWidth),
                Ints("pads", layer.PadTop, layer.PadLeft, layer.PadBottom, layer.PadRight),
            ]
            :
            [
                Ints("kernel_shape", layer.KernelWidth),
                Ints("strides", layer.StrideWidth),
                Ints("pads", layer.PadLeft, layer.PadRight),
            ];

        private void WriteDense(LayerInfo layer)
        {
            var (inputs, units) = (layer.KernelShape[0], layer.KernelShape[1]);
            var names = new List<string>
            {
                _value,
                builder.Initializer(layer.Name + "/kernel", [inputs, units], _parameters.AsSpan(layer.ParameterOffset, layer.KernelLength)),
            };
            if (layer.UseBias)
            {
                names.Add(builder.Initializer(layer.Name + "/bias", [units], _parameters.AsSpan(layer.ParameterOffset + layer.KernelLength, layer.BiasLength)));
            }

            _value = builder.Node("Gemm", layer.Name + "/Gemm", names);
        }

        private void WriteActivation(LayerInfo layer)
        {
            var name = layer.Name + "/" + layer.Activation;
            _value = layer.Activation switch
            {
                Activation.Linear => _value,
                Activation.Relu => builder.Node("Relu", name, [_value]),
                Activation.LeakyRelu => builder.Node("LeakyRelu", name, [_value], Float("alpha", 0.3f)),
                Activation.Elu => builder.Node("Elu", name, [_value], Float("alpha", 1f)),
                Activation.Sigmoid => builder.Node("Sigmoid", name, [_value]),
                Activation.Tanh => builder.Node("Tanh", name, [_value]),
                // Axis 1 is the channel axis of every value inside the graph (NCHW, NCL or (N, units)).
                Activation.Softmax => builder.Node("Softmax", name, [_value], Int("axis", 1)),
                Activation.Softplus => builder.Node("Softplus", name, [_value]),
                Activation.Silu => builder.Node("Mul", name, [_value, builder.Node("Sigmoid", name + "/Sigmoid", [_value])]),
                // Clip takes min and max as inputs from opset 11.
                Activation.Relu6 => builder.Node("Clip", name, [_value, Scalar(name + "/min", 0f), Scalar(name + "/max", 6f)]),
                // relu6(x + 3) / 6 is ONNX's HardSigmoid with alpha 1/6 and beta 1/2 (its defaults, 0.2 and 0.5, are Keras 2's).
                Activation.HardSigmoid => builder.Node("HardSigmoid", name, [_value], Float("alpha", 1f / 6f), Float("beta", 0.5f)),
                Activation.HardSwish => builder.Node("HardSwish", name, [_value]),
                Activation.Gelu => WriteGelu(name),
                _ => throw new NotSupportedException($"Activation {layer.Activation} of layer '{layer.Name}' has no ONNX mapping."),
            };
        }

        /// <summary>
        /// Exact gelu as torch.onnx.export writes nn.GELU below opset 20 (which has no Gelu):
        /// Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5).
        /// </summary>
        private string WriteGelu(string name)
        {
            var erf = builder.Node("Erf", name + "/Erf", [builder.Node("Div", name + "/Div", [_value, Scalar(name + "/sqrt2", MathF.Sqrt(2f))])]);
            var product = builder.Node("Mul", name + "/Mul", [_value, builder.Node("Add", name + "/Add", [erf, Scalar(name + "/one", 1f)])]);
            return builder.Node("Mul", name, [product, Scalar(name + "/half", 0.5f)]);
        }

        /// <summary>
        /// Pad with zeros (mode constant, no constant_value: 0). The pads list the starts of every
        /// axis (batch, channel, spatial...), then the ends.
        /// </summary>
        private void WriteZeroPadding(LayerInfo layer)
        {
            long[] pads = layer.SpatialRank == 2
                ? [0, 0, layer.PadTop, layer.PadLeft, 0, 0, layer.PadBottom, layer.PadRight]
                : [0, 0, layer.PadLeft, 0, 0, layer.PadRight];
            _value = builder.Node("Pad", layer.Name + "/Pad", [_value, builder.Int64Initializer(layer.Name + "/pads", pads)], Text("mode", "constant"));
        }

        /// <summary>
        /// Max pooling of a zero-padded tensor: ONNX Runtime's Pad fusion folds a Pad of zeros into
        /// a MaxPool that reads it, as MaxPool's own pads, which count as -infinity, so padded
        /// windows of negative values would lose the zeros. A Pad of -infinity by nothing between
        /// them (the identity) stops the fusion, which takes only a Pad of zeros.
        /// </summary>
        private void ShieldZeroPadding(int index)
        {
            var source = network.LayerInputs(index)[0];
            if (source < 0 || network.Layers[source].Kind is not (LayerKind.ZeroPadding1D or LayerKind.ZeroPadding2D))
            {
                return;
            }

            var layer = network.Layers[index];
            var pads = builder.Int64Initializer(layer.Name + "/no_pads", new long[2 * (layer.SpatialRank + 2)]);
            _value = builder.Node("Pad", layer.Name + "/Pad", [_value, pads, Scalar(layer.Name + "/minus_infinity", float.NegativeInfinity)], Text("mode", "constant"));
        }

        /// <summary>
        /// Resize by the layer's factors: nearest as mode nearest, coordinates asymmetric, rounding
        /// floor (cell floor(i / s)); bilinear as mode linear with half_pixel coordinates. A 1-D
        /// layer is resized as an image of one row (ONNX Runtime's linear Resize wants 4-D), between
        /// Unsqueeze and Squeeze of axis 2.
        /// </summary>
        private void WriteUpSampling(LayerInfo layer)
        {
            var oneDimensional = layer.SpatialRank == 1;
            var axis = oneDimensional ? builder.Int64Initializer(layer.Name + "/row_axis", 2) : null;
            var x = oneDimensional ? builder.Node("Unsqueeze", layer.Name + "/Unsqueeze", [_value, axis!]) : _value;
            var scales = builder.Initializer(layer.Name + "/scales", [4], [1f, 1f, layer.UpSamplingHeight, layer.UpSamplingWidth]);
            var attributes = layer.Interpolation == Interpolation.Bilinear
                ? new[] { Text("mode", "linear"), Text("coordinate_transformation_mode", "half_pixel") }
                : new[] { Text("mode", "nearest"), Text("coordinate_transformation_mode", "asymmetric"), Text("nearest_mode", "floor") };
            // Inputs X, roi (none), scales.
            var y = builder.Node("Resize", layer.Name + "/Resize", [x, string.Empty, scales], attributes);
            _value = oneDimensional ? builder.Node("Squeeze", layer.Name + "/Squeeze", [y, axis!]) : y;
        }

        /// <summary>A string attribute.</summary>
        private static AttributeProto Text(string name, string value) =>
            new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8(value) };

        /// <summary>A float32 scalar (rank 0) initializer.</summary>
        private string Scalar(string name, float value) => builder.Initializer(name, [], [value]);

        /// <summary>(N, spatial..., C) -> (N, C, spatial...) for a per-sample rank of <paramref name="rank"/>.</summary>
        private static int[] ToChannelsFirst(int rank) => [0, rank, .. Enumerable.Range(1, rank - 1)];

        /// <summary>(N, C, spatial...) -> (N, spatial..., C).</summary>
        private static int[] ToChannelsLast(int rank) => [0, .. Enumerable.Range(2, rank - 1), 1];
    }
}
