namespace CnnGen.Tests.Networks;

// Zero padding and up-sampling (Data/torch/make_reference.py declares these networks a second
// time): symmetric and asymmetric pads, up-sampling by 2 and by (2, 3), nearest and bilinear
// (linear in 1-D) on odd sizes, the first layer reading the network input, a 'same' convolution
// reading the layer's output from a frame, both data formats (ResamplingTests, TorchReferenceTests).

/// <summary>Channels-last 2-D: zero padding of the input (1 on every side), asymmetric padding (2, 0, 1, 3) before a strided 'same' convolution.</summary>
[Network]
[Input(7, 6, 3)]
[ZeroPadding2D(1)] // 9x8x3
[Conv2D(4, 3, Activation = Activation.Tanh)] // 7x6x4
[ZeroPadding2D(2, 0, 1, 3)] // 9x10x4
[Conv2D(5, 3, Stride = 2, Padding = Padding.Same)] // 5x5x5
[Flatten]
[Dense(3)]
public partial class ZeroPaddingNet;

/// <summary>Channels-first 1-D: asymmetric (2, 1) and symmetric (1) padding, padding (0, 3) before global average pooling.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(3, 11)]
[Conv1D(4, 3, Activation = Activation.Tanh)] // 4x9
[ZeroPadding1D(2, 1)] // 4x12
[ZeroPadding1D(1)] // 4x14
[Conv1D(5, 3, Stride = 2)] // 5x6
[ZeroPadding1D(0, 3)] // 5x9
[GlobalAvgPool]
[Dense(2)]
public partial class ZeroPaddingSignalNetChannelsFirst;

/// <summary>
/// Channels-first 2-D: bilinear by 2 of the 5x3 input, nearest by (2, 3), nearest by 2 before a
/// convolution, bilinear by (2, 3) of a 7x5 map.
/// </summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(2, 5, 3)]
[UpSampling2D(2, Interpolation = Interpolation.Bilinear)] // 2x10x6
[Conv2D(4, 3, Activation = Activation.Tanh)] // 4x8x4
[UpSampling2D(2, 3)] // 4x16x12
[Conv2D(3, 3, Stride = 2, Padding = Padding.Same)] // 3x8x6
[UpSampling2D(2)] // 3x16x12
[Conv2D(3, 3, Stride = 2, Activation = Activation.Tanh)] // 3x7x5
[UpSampling2D(2, 3, Interpolation = Interpolation.Bilinear)] // 3x14x15
[GlobalAvgPool]
[Dense(2)]
public partial class UpSamplingNetChannelsFirst;

/// <summary>Channels-last 1-D: nearest by 2 of the input, linear by 3, linear by 2 of an odd length (5) before a flatten.</summary>
[Network]
[Input(7, 3)]
[UpSampling1D(2)] // 14x3
[Conv1D(4, 3, Activation = Activation.Tanh)] // 12x4
[UpSampling1D(3, Interpolation = Interpolation.Bilinear)] // 36x4
[Conv1D(5, 3, Stride = 2, Padding = Padding.Same)] // 18x5
[Conv1D(4, 4, Stride = 3)] // 5x4
[UpSampling1D(2, Interpolation = Interpolation.Bilinear)] // 10x4
[Flatten]
[Dense(2)]
public partial class UpSamplingSignalNet;

/// <summary>
/// Channels-last 2-D graph with 9 channels (a vector and a remainder): one tensor up-sampled
/// twice (nearest and bilinear, so the second gradient is added to the first), the sum zero
/// padded, then pooled.
/// </summary>
[Network]
[Input(5, 3, 2)]
[Conv2D(9, 3, Padding = Padding.Same, Activation = Activation.Tanh)] // 5x3x9
[UpSampling2D(2, 3)] // 10x9x9
[UpSampling2D(2, 3, Interpolation = Interpolation.Bilinear, From = "conv2d_1")] // 10x9x9
[Add("up_sampling2d_1", "up_sampling2d_2")]
[ZeroPadding2D(1, 0, 0, 1)] // 11x10x9
[MaxPool2D(2)] // 5x5x9
[Flatten]
[Dense(2)]
public partial class ResamplingGraphNet;

/// <summary>Channels-first 1-D with one channel: zero padding and both up-samplings of the network input itself, by 1 (the identity) and by 4.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(1, 6)]
[UpSampling1D(1, Interpolation = Interpolation.Bilinear)] // 1x6
[ZeroPadding1D(3, 0)] // 1x9
[UpSampling1D(4, Interpolation = Interpolation.Bilinear)] // 1x36
[UpSampling1D(1)] // 1x36
[Conv1D(2, 5, Stride = 4)] // 2x8
[Flatten]
[Dense(2)]
public partial class OneChannelResamplingNet;

/// <summary>
/// Bilinear up-sampling of rows too long for the separable kernels' stack row (5,500 x 3 floats
/// past 16K): four cells per output cell, forward and backward.
/// </summary>
[Network]
[Input(5500, 3)]
[UpSampling1D(2, Interpolation = Interpolation.Bilinear)] // 11000x3
public partial class LongRowBilinearNet;
