namespace CnnGen.Tests.Networks;

// Networks that exist for the PyTorch references (Data/torch/make_reference.py declares them
// a second time, layer by layer): together with the four of TestNetworks.cs they cover every
// layer kind, every activation, both data formats, strides, dilations, rectangular kernels and
// pools, and every padding mode, including the asymmetric pads of 'same'.

/// <summary>
/// Channels-first 2-D: a strided rectangular 'same' convolution on an even height (the extra
/// row of padding goes below), a dilated one, 'same' average pooling that meets the padding, a
/// convolution without bias, softmax over the channel axis of an image, global average pooling.
/// </summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(3, 12, 10)]
[Conv2D(6, 3, 5, Strides = new[] { 2, 2 }, Padding = Padding.Same, Activation = Activation.LeakyRelu)] // 6x6x5, pads 0/1 top/bottom, 1/2 left/right
[Conv2D(8, 3, Dilations = new[] { 2, 1 }, Padding = Padding.Same, Activation = Activation.Softplus)] // 8x6x5, pads 2/2, 1/1
[AvgPool2D(2, Padding = Padding.Same)] // 8x3x3, pads 0/0, 0/1
[Conv2D(10, 2, 3, Strides = new[] { 1, 2 }, Padding = Padding.Same, UseBias = false)] // 10x3x2, pads 0/1, 1/1
[Activation(Activation.Softmax)]
[GlobalAvgPool]
[Dense(6, Activation = Activation.Silu)]
[Dense(3)]
public partial class StridedNetChannelsFirst;

/// <summary>
/// Channels-last 2-D: strides and dilations that differ per axis, overlapping 'same' max
/// pooling, valid rectangular average pooling that drops the remainder, a 1x1 convolution with
/// softmax over channels, a dense layer without bias, an Activation layer.
/// </summary>
[Network]
[Input(11, 14, 2)]
[Conv2D(5, 3, 2, Strides = new[] { 2, 1 }, Dilations = new[] { 1, 2 }, Padding = Padding.Same, Activation = Activation.Silu)] // 6x14x5
[MaxPool2D(3, Stride = 2, Padding = Padding.Same)] // 3x7x5, pads 0/1, 0/1
[AvgPool2D(2, 3)] // 1x2x5
[Conv2D(7, 1, Activation = Activation.Softmax)]
[Flatten]
[Dense(5, Activation = Activation.Tanh, UseBias = false)]
[Activation(Activation.LeakyRelu)]
[Dense(3, Activation = Activation.Softplus)]
public partial class PoolingNet;

/// <summary>
/// Channels-first 1-D: 'same' stride 2 on an odd length (pads 1 before, 2 after), an Elu layer,
/// overlapping 'same' max pooling, dilated causal convolution, 'same' average pooling with a
/// partial last window, global average pooling and a softmax output.
/// </summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(4, 21)]
[Conv1D(6, 4, Stride = 2, Padding = Padding.Same, UseBias = false)] // 6x11
[Activation(Activation.Elu)]
[MaxPool1D(3, Stride = 2, Padding = Padding.Same)] // 6x6
[Conv1D(8, 2, Dilation = 3, Padding = Padding.Causal, Activation = Activation.Sigmoid)] // 8x6
[AvgPool1D(4, Stride = 3, Padding = Padding.Same)] // 8x2, pads 0/1
[Conv1D(5, 2, Activation = Activation.Relu)] // 5x1
[GlobalAvgPool]
[Dense(4, Activation = Activation.Softmax)]
public partial class SignalNetChannelsFirst;

/// <summary>
/// Channels-last 2-D with PyTorch's padding: padding=1 (Pad = 1), asymmetric pads on a strided
/// rectangular kernel, max pooling in ceil mode (its last row of windows reaches one row past the
/// padding), average pooling that counts the padding (count_include_pad=True), one in ceil mode
/// that does not, one in ceil mode that counts it (the last window is cut at the declared padding),
/// global average pooling that keeps its dimensions, and a 1x1 convolution after it.
/// </summary>
[Network]
[Input(9, 10, 3)]
[Conv2D(4, 3, Pad = 1, Activation = Activation.Relu)] // 9x10x4
[Conv2D(5, 3, 2, Strides = new[] { 2, 2 }, Pads = new[] { 0, 1, 1, 0 })] // 4x5x5
[MaxPool2D(3, Stride = 2, Pad = 1, CeilMode = true)] // 3x3x5
[AvgPool2D(2, Stride = 1, Pad = 1, CountPadding = true)] // 4x4x5
[AvgPool2D(3, Stride = 2, Pad = 1, CeilMode = true)] // 3x3x5
[AvgPool2D(2, CeilMode = true, CountPadding = true)] // 2x2x5
[GlobalAvgPool(KeepDims = true)] // 1x1x5
[Conv2D(3, 1)]
[Flatten]
public partial class PaddedNet;

/// <summary>
/// Channels-first 1-D with PyTorch's padding: a dilated convolution with padding=2, asymmetric pads
/// on a strided one, max pooling with asymmetric pads, average pooling in ceil mode whose last
/// window meets the padding, global max pooling that keeps its dimension, a 1x1 convolution.
/// </summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(3, 13)]
[Conv1D(4, 3, Dilation = 2, Pad = 2, Activation = Activation.Tanh)] // 4x13
[Conv1D(5, 4, Stride = 3, Pads = new[] { 2, 1 })] // 5x5
[MaxPool1D(2, Pads = new[] { 1, 0 })] // 5x3
[AvgPool1D(3, Stride = 2, Pad = 1, CeilMode = true)] // 5x2
[GlobalMaxPool(KeepDims = true)] // 5x1
[Conv1D(3, 1, Activation = Activation.Sigmoid)]
[Flatten]
[Dense(2)]
public partial class PaddedSignalNetChannelsFirst;
