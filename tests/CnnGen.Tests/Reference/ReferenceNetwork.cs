namespace CnnGen.Tests.Reference;

/// <summary>
/// A naive implementation of every layer, straight from the definitions in docs/shapes.md, in
/// double precision and in the network's own data format (no internal re-layout, no
/// padding frames): the reference the generated code is compared with. It reads only the
/// architecture (kinds, shapes, windows, padding modes, which layers each layer reads) and
/// computes the padding itself.
/// </summary>
internal static class ReferenceNetwork
{
    /// <summary>The output of one sample, and every intermediate tensor (index 0 is the input, i + 1 the output of layer i).</summary>
    /// <remarks>Inference: batch normalisation uses <paramref name="state"/> (moving mean 0 and variance 1 when it is empty).</remarks>
    public static double[][] ForwardAll(NetworkArchitecture network, ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> state = default) =>
        Walk(network, parameters.ToArray().Select(v => (double)v).ToArray(), input.ToArray().Select(v => (double)v).ToArray(),
            state.IsEmpty ? null : state.ToArray().Select(v => (double)v).ToArray());

    public static double[] Forward(NetworkArchitecture network, ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> state = default) =>
        ForwardAll(network, parameters, input, state)[^1];

    /// <summary>Every layer in order, each on the outputs it reads (the previous one, From's, or a merge's inputs).</summary>
    public static double[][] Walk(NetworkArchitecture network, double[] parameters, double[] input, double[]? state = null)
    {
        var format = network.DataFormat;
        var outputs = new double[network.Layers.Count + 1][];
        outputs[0] = input;
        for (var i = 0; i < network.Layers.Count; i++)
        {
            var layer = network.Layers[i];
            var inputs = network.LayerInputs(i).Select(k => new Tensor(outputs[k + 1], network.OutputShapeOf(k), format)).ToArray();
            var w = parameters.AsSpan(layer.ParameterOffset, layer.ParameterCount).ToArray();
            outputs[i + 1] = (layer.Kind is LayerKind.Add or LayerKind.Multiply or LayerKind.Concatenate
                ? Merge(layer, inputs, format)
                : ForwardLayer(layer, inputs.Length == 1 ? inputs[0] : throw new InvalidOperationException($"{layer.Name} reads {inputs.Length} tensors"), w, format,
                    state?.AsSpan(layer.StateOffset, layer.StateLength).ToArray())).Data;
        }

        return outputs;
    }

    /// <summary>
    /// Add and Multiply at every output position, an input of one position taking part at each
    /// (broadcast); Concatenate with the inputs' channels one after another.
    /// </summary>
    public static Tensor Merge(LayerInfo layer, IReadOnlyList<Tensor> inputs, DataFormat format)
    {
        var y = new Tensor(new double[layer.OutputShape.Aggregate(1, (a, b) => a * b)], layer.OutputShape, format);
        for (var h = 0; h < y.Height; h++)
        for (var w = 0; w < y.Width; w++)
        {
            if (layer.Kind == LayerKind.Concatenate)
            {
                var offset = 0;
                foreach (var x in inputs)
                {
                    for (var c = 0; c < x.Channels; c++)
                    {
                        y[h, w, offset + c] = x[h, w, c];
                    }

                    offset += x.Channels;
                }

                continue;
            }

            for (var c = 0; c < y.Channels; c++)
            {
                var value = layer.Kind == LayerKind.Add ? 0.0 : 1.0;
                foreach (var x in inputs)
                {
                    var single = x.Height * x.Width == 1;
                    var v = single ? x[0, 0, c] : x[h, w, c];
                    value = layer.Kind == LayerKind.Add ? value + v : value * v;
                }

                y[h, w, c] = value;
            }
        }

        Activate(y, layer.Activation);
        return y;
    }

    /// <summary>The cells a transposed convolution crops before: 'same' like TensorFlow (half of max(k' - s, 0)), otherwise the declared pad.</summary>
    private static int TransposedCrop(CnnGen.Padding padding, int kernel, int stride, int dilation, int declared) =>
        padding == CnnGen.Padding.Same ? Math.Max((kernel - 1) * dilation + 1 - stride, 0) / 2 : declared;

    public static Tensor ForwardLayer(LayerInfo layer, Tensor x, double[] w, DataFormat format, double[]? state = null)
    {
        var y = new Tensor(new double[layer.OutputShape.Aggregate(1, (a, b) => a * b)], layer.OutputShape, format);
        switch (layer.Kind)
        {
            case LayerKind.Conv1D:
            case LayerKind.Conv2D:
            {
                var (padTop, padLeft) = (Padding(layer, x, height: true).Before, Padding(layer, x, height: false).Before);
                for (var oh = 0; oh < y.Height; oh++)
                for (var ow = 0; ow < y.Width; ow++)
                for (var f = 0; f < y.Channels; f++)
                {
                    double sum = layer.UseBias ? w[layer.KernelLength + f] : 0;
                    var (khFrom, khTo) = Taps(oh, layer.StrideHeight, layer.DilationHeight, padTop, layer.KernelHeight, x.Height);
                    var (kwFrom, kwTo) = Taps(ow, layer.StrideWidth, layer.DilationWidth, padLeft, layer.KernelWidth, x.Width);
                    for (var kh = khFrom; kh <= khTo; kh++)
                    for (var kw = kwFrom; kw <= kwTo; kw++)
                    {
                        var ih = (int)((long)oh * layer.StrideHeight + (long)kh * layer.DilationHeight - padTop);
                        var iw = (int)((long)ow * layer.StrideWidth + (long)kw * layer.DilationWidth - padLeft);
                        // Groups: filter f reads the input channels of its group, the kernel's third axis.
                        var groupChannels = x.Channels / layer.Groups;
                        var first = f / (y.Channels / layer.Groups) * groupChannels;
                        for (var c = 0; c < groupChannels; c++)
                        {
                            sum += x[ih, iw, first + c] * w[(((long)kh * layer.KernelWidth + kw) * groupChannels + c) * y.Channels + f];
                        }
                    }

                    y[oh, ow, f] = sum;
                }

                Activate(y, layer.Activation);
                break;
            }

            case LayerKind.Conv1DTranspose:
            case LayerKind.Conv2DTranspose:
            {
                // The definition (PyTorch's ConvTranspose): input position i's channels times the
                // kernel, added at output position i * stride + tap * dilation - crop; kernel (kh, kw, f, c).
                var cropTop = TransposedCrop(layer.Padding, layer.KernelHeight, layer.StrideHeight, layer.DilationHeight, layer.PadTop);
                var cropLeft = TransposedCrop(layer.Padding, layer.KernelWidth, layer.StrideWidth, layer.DilationWidth, layer.PadLeft);
                for (var oh = 0; oh < y.Height; oh++)
                for (var ow = 0; ow < y.Width; ow++)
                for (var f = 0; f < y.Channels; f++)
                {
                    y[oh, ow, f] = layer.UseBias ? w[layer.KernelLength + f] : 0;
                }

                for (var ih = 0; ih < x.Height; ih++)
                for (var iw = 0; iw < x.Width; iw++)
                for (var kh = 0; kh < layer.KernelHeight; kh++)
                for (var kw = 0; kw < layer.KernelWidth; kw++)
                {
                    var oh = ih * layer.StrideHeight + kh * layer.DilationHeight - cropTop;
                    var ow = iw * layer.StrideWidth + kw * layer.DilationWidth - cropLeft;
                    if (oh < 0 || oh >= y.Height || ow < 0 || ow >= y.Width)
                    {
                        continue;
                    }

                    for (var f = 0; f < y.Channels; f++)
                    for (var c = 0; c < x.Channels; c++)
                    {
                        y[oh, ow, f] += x[ih, iw, c] * w[((kh * layer.KernelWidth + kw) * y.Channels + f) * x.Channels + c];
                    }
                }

                Activate(y, layer.Activation);
                break;
            }

            case LayerKind.DepthwiseConv1D:
            case LayerKind.DepthwiseConv2D:
            {
                // Output channel c * m + j reads input channel c only; kernel (kh, kw, c, m).
                var m = y.Channels / x.Channels;
                var (padTop, padLeft) = (Padding(layer, x, height: true).Before, Padding(layer, x, height: false).Before);
                for (var oh = 0; oh < y.Height; oh++)
                for (var ow = 0; ow < y.Width; ow++)
                for (var f = 0; f < y.Channels; f++)
                {
                    var c = f / m;
                    double sum = layer.UseBias ? w[layer.KernelLength + f] : 0;
                    var (khFrom, khTo) = Taps(oh, layer.StrideHeight, layer.DilationHeight, padTop, layer.KernelHeight, x.Height);
                    var (kwFrom, kwTo) = Taps(ow, layer.StrideWidth, layer.DilationWidth, padLeft, layer.KernelWidth, x.Width);
                    for (var kh = khFrom; kh <= khTo; kh++)
                    for (var kw = kwFrom; kw <= kwTo; kw++)
                    {
                        var ih = (int)((long)oh * layer.StrideHeight + kh * layer.DilationHeight - padTop);
                        var iw = (int)((long)ow * layer.StrideWidth + kw * layer.DilationWidth - padLeft);
                        sum += x[ih, iw, c] * w[((kh * layer.KernelWidth + kw) * x.Channels + c) * m + f % m];
                    }

                    y[oh, ow, f] = sum;
                }

                Activate(y, layer.Activation);
                break;
            }

            case LayerKind.MaxPool1D:
            case LayerKind.MaxPool2D:
            case LayerKind.AvgPool1D:
            case LayerKind.AvgPool2D:
            {
                var isMax = layer.Kind is LayerKind.MaxPool1D or LayerKind.MaxPool2D;
                var (padTop, padLeft) = (Padding(layer, x, height: true).Before, Padding(layer, x, height: false).Before);
                for (var oh = 0; oh < y.Height; oh++)
                for (var ow = 0; ow < y.Width; ow++)
                for (var c = 0; c < y.Channels; c++)
                {
                    var best = double.NegativeInfinity;
                    var sum = 0.0;
                    var count = 0;
                    var (padBottom, padRight) = (Padding(layer, x, height: true).After, Padding(layer, x, height: false).After);
                    var (khFrom, khTo) = Taps(oh, layer.StrideHeight, 1, padTop, layer.KernelHeight, x.Height);
                    var (kwFrom, kwTo) = Taps(ow, layer.StrideWidth, 1, padLeft, layer.KernelWidth, x.Width);
                    for (var kh = khFrom; kh <= khTo; kh++)
                    for (var kw = kwFrom; kw <= kwTo; kw++)
                    {
                        var ih = (int)((long)oh * layer.StrideHeight + kh - padTop);
                        var iw = (int)((long)ow * layer.StrideWidth + kw - padLeft);
                        best = Math.Max(best, x[ih, iw, c]);
                        sum += x[ih, iw, c];
                        count++;
                    }

                    // CountPadding (PyTorch's count_include_pad): the whole window within the declared
                    // padding, which only the last window of ceil mode reaches past.
                    var divisor = layer.CountPadding
                        ? Within(oh, layer.StrideHeight, padTop, layer.KernelHeight, x.Height + padBottom) *
                          Within(ow, layer.StrideWidth, padLeft, layer.KernelWidth, x.Width + padRight)
                        : count;
                    y[oh, ow, c] = isMax ? best : sum / divisor;
                }

                break;
            }

            case LayerKind.GlobalMaxPool:
            case LayerKind.GlobalAvgPool:
                for (var c = 0; c < x.Channels; c++)
                {
                    var values = new List<double>();
                    for (var h = 0; h < x.Height; h++)
                    for (var w2 = 0; w2 < x.Width; w2++)
                    {
                        values.Add(x[h, w2, c]);
                    }

                    y.Data[c] = layer.Kind == LayerKind.GlobalMaxPool ? values.Max() : values.Average();
                }

                break;

            case LayerKind.Flatten:
                // The memory order of the data format is the flattened order.
                Array.Copy(x.Data, y.Data, x.Data.Length);
                break;

            case LayerKind.Dense:
            {
                var inputs = x.Data.Length;
                var units = y.Data.Length;
                for (var u = 0; u < units; u++)
                {
                    double sum = layer.UseBias ? w[layer.KernelLength + u] : 0;
                    for (var i = 0; i < inputs; i++)
                    {
                        sum += x.Data[i] * w[i * units + u];
                    }

                    y.Data[u] = sum;
                }

                Activate(y, layer.Activation);
                break;
            }

            case LayerKind.Activation:
                Array.Copy(x.Data, y.Data, x.Data.Length);
                Activate(y, layer.Activation);
                break;

            case LayerKind.BatchNormalization:
            {
                // Inference: gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta, per channel.
                var channels = x.Channels;
                for (var h = 0; h < x.Height; h++)
                for (var col = 0; col < x.Width; col++)
                for (var c = 0; c < channels; c++)
                {
                    var mean = state is null ? 0 : state[c];
                    var variance = state is null ? 1 : state[channels + c];
                    var gamma = layer.Scale ? w[c] : 1;
                    var beta = layer.Center ? w[layer.KernelLength + c] : 0;
                    y[h, col, c] = gamma * (x[h, col, c] - mean) / Math.Sqrt(variance + layer.Epsilon) + beta;
                }

                break;
            }

            case LayerKind.Dropout:
                // Inference: the identity (inverted dropout scales in training instead).
                Array.Copy(x.Data, y.Data, x.Data.Length);
                break;

            case LayerKind.ZeroPadding1D:
            case LayerKind.ZeroPadding2D:
                // Zeros around the input: output cell (h, w) is input cell (h - top, w - left) where that exists.
                for (var h = 0; h < x.Height; h++)
                for (var col = 0; col < x.Width; col++)
                for (var c = 0; c < x.Channels; c++)
                {
                    y[h + layer.PadTop, col + layer.PadLeft, c] = x[h, col, c];
                }

                break;

            case LayerKind.UpSampling1D:
            case LayerKind.UpSampling2D:
                for (var h = 0; h < y.Height; h++)
                for (var col = 0; col < y.Width; col++)
                for (var c = 0; c < y.Channels; c++)
                {
                    if (layer.Interpolation == Interpolation.Nearest)
                    {
                        y[h, col, c] = x[h / layer.UpSamplingHeight, col / layer.UpSamplingWidth, c];
                        continue;
                    }

                    // Half-pixel centres: source coordinate (i + 0.5) / s - 0.5, at least 0; the last cell repeats past the border.
                    var (h0, h1, dh) = Between(h, layer.UpSamplingHeight, x.Height);
                    var (w0, w1, dw) = Between(col, layer.UpSamplingWidth, x.Width);
                    y[h, col, c] = (1 - dh) * ((1 - dw) * x[h0, w0, c] + dw * x[h0, w1, c]) + dh * ((1 - dw) * x[h1, w0, c] + dw * x[h1, w1, c]);
                }

                break;
        }

        return y;
    }

    /// <summary>The two input cells output cell <paramref name="o"/> of an up-sampling by <paramref name="size"/> lies between, and the weight of the second.</summary>
    private static (int First, int Second, double Weight) Between(int o, int size, int input)
    {
        var source = Math.Max((o + 0.5) / size - 0.5, 0);
        var first = Math.Min((int)Math.Floor(source), input - 1);
        return (first, Math.Min(first + 1, input - 1), source - first);
    }

    /// <summary>
    /// The taps k in [0, kernel) of output o whose input cell o * stride + k * dilation - pad lies
    /// inside [0, size): the others read padding, which adds nothing (and is never the maximum).
    /// Computed, not searched, so that a kernel of a million taps costs its real taps only.
    /// </summary>
    private static (long From, long To) Taps(int o, int stride, int dilation, int pad, int kernel, int size)
    {
        var start = (long)o * stride - pad;
        var from = Math.Max(0, CeilingDivide(-start, dilation));
        var to = Math.Min(kernel - 1, FloorDivide(size - 1 - start, dilation));
        return (from, to);
    }

    /// <summary>The cells of window o from its start (in the padding before) up to <paramref name="end"/>, the end of the input and its padding after.</summary>
    private static int Within(int o, int stride, int pad, int kernel, int end)
    {
        var start = o * stride - pad;
        return Math.Min(start + kernel, end) - start;
    }

    private static long FloorDivide(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static long CeilingDivide(long a, long b) => -FloorDivide(-a, b);

    /// <summary>The Keras padding of one spatial dimension, computed from the formulas (not read from the layer).</summary>
    public static (int Before, int After) Padding(LayerInfo layer, Tensor x, bool height)
    {
        if (height && layer.SpatialRank == 1)
        {
            return (0, 0);
        }

        var n = height ? x.Height : x.Width;
        var k = height ? layer.KernelHeight : layer.KernelWidth;
        var s = height ? layer.StrideHeight : layer.StrideWidth;
        var d = height ? layer.DilationHeight : layer.DilationWidth;
        // In long: a stride or dilation may be near int.MaxValue (the generator accepts it when it moves nothing).
        var effective = (long)(k - 1) * d + 1;
        switch (layer.Padding)
        {
            case CnnGen.Padding.Same:
                var output = ((long)n + s - 1) / s;
                var total = Math.Max((output - 1) * s + effective - n, 0);
                return (checked((int)(total / 2)), checked((int)(total - total / 2)));
            case CnnGen.Padding.Causal:
                return (checked((int)(effective - 1)), 0);
            default:
                // Valid: none, or the pads declared (Pad, Pads), as PyTorch's padding. Ceil mode's
                // last window may reach past them: Taps skips whatever lies outside the input.
                return height ? (layer.PadTop, layer.PadBottom) : (layer.PadLeft, layer.PadRight);
        }
    }

    public static void Activate(Tensor y, Activation activation)
    {
        var data = y.Data;
        if (activation == Activation.Softmax)
        {
            // Over the channel axis, at every position.
            for (var h = 0; h < y.Height; h++)
            for (var w = 0; w < y.Width; w++)
            {
                var max = double.NegativeInfinity;
                for (var c = 0; c < y.Channels; c++)
                {
                    max = Math.Max(max, y[h, w, c]);
                }

                var sum = 0.0;
                for (var c = 0; c < y.Channels; c++)
                {
                    sum += Math.Exp(y[h, w, c] - max);
                }

                for (var c = 0; c < y.Channels; c++)
                {
                    y[h, w, c] = Math.Exp(y[h, w, c] - max) / sum;
                }
            }

            return;
        }

        for (var i = 0; i < data.Length; i++)
        {
            data[i] = Apply(activation, data[i]);
        }
    }

    public static double Apply(Activation activation, double v) => activation switch
    {
        Activation.Relu => Math.Max(v, 0),
        Activation.LeakyRelu => v > 0 ? v : 0.3 * v,
        Activation.Elu => v > 0 ? v : Math.Exp(v) - 1,
        Activation.Sigmoid => 1 / (1 + Math.Exp(-v)),
        Activation.Tanh => Math.Tanh(v),
        Activation.Softplus => Math.Log(1 + Math.Exp(v)),
        Activation.Silu => v / (1 + Math.Exp(-v)),
        Activation.Relu6 => Math.Min(Math.Max(v, 0), 6),
        Activation.HardSigmoid => Math.Min(Math.Max(v + 3, 0), 6) / 6,
        Activation.HardSwish => v * Math.Min(Math.Max(v + 3, 0), 6) / 6,
        Activation.Gelu => 0.5 * v * ReferenceErf.Erfc(-v / Math.Sqrt(2)),
        _ => v,
    };
}

/// <summary>A sample tensor in a data format: indexed by (h, w, c) whatever its layout. Vectors are 1x1xC; sequences 1xLxC.</summary>
internal sealed class Tensor
{
    private readonly DataFormat _format;

    public Tensor(double[] data, IReadOnlyList<int> shape, DataFormat format)
    {
        Data = data;
        _format = format;
        switch (shape.Count)
        {
            case 1:
                (Height, Width, Channels) = (1, 1, shape[0]);
                break;
            case 2:
                (Height, Width, Channels) = format == DataFormat.ChannelsLast ? (1, shape[0], shape[1]) : (1, shape[1], shape[0]);
                break;
            default:
                (Height, Width, Channels) = format == DataFormat.ChannelsLast ? (shape[0], shape[1], shape[2]) : (shape[1], shape[2], shape[0]);
                break;
        }
    }

    public double[] Data { get; }

    public int Height { get; }

    public int Width { get; }

    public int Channels { get; }

    public int Index(int h, int w, int c) => _format == DataFormat.ChannelsLast ? (h * Width + w) * Channels + c : (c * Height + h) * Width + w;

    public double this[int h, int w, int c]
    {
        get => Data[Index(h, w, c)];
        set => Data[Index(h, w, c)] = value;
    }
}
