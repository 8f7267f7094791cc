namespace CnnGen.Tests.Networks;

/// <summary>
/// Depthwise convolutions, channels-last: 19 channels (a whole vector and an overlapping one at
/// every width), 'same' with a fused relu, stride 2 on an odd size with depth multiplier 2,
/// rectangular kernel with per-dimension strides and dilations, multiplier 3 (lanes that do
/// not divide the vectors), no bias, an activation in a pass of its own.
/// </summary>
[Network]
[Input(9, 9, 19)]
[DepthwiseConv2D(3, Padding = Padding.Same, Activation = Activation.Relu)]
[DepthwiseConv2D(3, Stride = 2, DepthMultiplier = 2)]
[DepthwiseConv2D(2, 3, Strides = new[] { 2, 1 }, Dilations = new[] { 1, 2 }, Padding = Padding.Same, DepthMultiplier = 3, UseBias = false, Activation = Activation.Tanh)]
public partial class DepthwiseImageNet;

/// <summary>Channels-first depthwise convolutions: 5 channels, stride 2 'same' on an even size (the extra row after), a 5x5 kernel with multiplier 2 and leaky relu.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(5, 8, 8)]
[DepthwiseConv2D(3, Stride = 2, Padding = Padding.Same)]
[DepthwiseConv2D(5, Padding = Padding.Same, DepthMultiplier = 2, Activation = Activation.LeakyRelu)]
[Flatten]
[Dense(3)]
public partial class DepthwiseChannelsFirstNet;

/// <summary>1-D depthwise convolutions: 3 channels (narrower than any vector), causal with dilation and multiplier 4, then stride 2 'same' on an even length.</summary>
[Network]
[Input(20, 3)]
[DepthwiseConv1D(3, Padding = Padding.Causal, Dilation = 2, DepthMultiplier = 4, Activation = Activation.Elu)]
[DepthwiseConv1D(5, Stride = 2, Padding = Padding.Same)]
public partial class DepthwiseSignalNet;

/// <summary>A 1-D depthwise convolution with stride 2 on an odd length, 33 channels, relu.</summary>
[Network]
[Input(17, 33)]
[DepthwiseConv1D(4, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class DepthwiseOddSignalNet;

/// <summary>
/// Kernels too large to unroll: a 7x7 kernel with multiplier 8 (kernel rows in a loop) and a
/// length-40 kernel with multiplier 8 (every tap in a loop, kernel gradient tap by tap).
/// </summary>
[Network]
[Input(9, 9, 4)]
[DepthwiseConv2D(7, Padding = Padding.Same, DepthMultiplier = 8)]
public partial class DepthwiseLargeKernelNet;

/// <summary>See <see cref="DepthwiseLargeKernelNet"/>.</summary>
[Network]
[Input(50, 4)]
[DepthwiseConv1D(40, DepthMultiplier = 8, Activation = Activation.Relu)]
public partial class DepthwiseLongKernelNet;

/// <summary>For the PyTorch reference (Data/torch/make_reference.py): 7 channels, 'same' with stride 2 on an odd height and an even width, multipliers 2 and 3.</summary>
[Network]
[Input(9, 8, 7)]
[DepthwiseConv2D(3, Padding = Padding.Same, Activation = Activation.Relu)]
[DepthwiseConv2D(3, Stride = 2, Padding = Padding.Same, DepthMultiplier = 2)]
[DepthwiseConv2D(2, 3, Strides = new[] { 2, 1 }, Dilations = new[] { 1, 2 }, Padding = Padding.Same, DepthMultiplier = 3, Activation = Activation.Tanh, UseBias = false)]
[GlobalAvgPool]
[Dense(3)]
public partial class DepthwiseTorchNet;

/// <summary>For the PyTorch reference: channels-first 1-D, causal with dilation and multiplier 2, stride 2 'same' on an odd length.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(5, 11)]
[DepthwiseConv1D(3, DepthMultiplier = 2, Dilation = 2, Padding = Padding.Causal, Activation = Activation.Elu)]
[DepthwiseConv1D(4, Stride = 2, Padding = Padding.Same, Activation = Activation.LeakyRelu)]
[Conv1D(3, 1)]
public partial class DepthwiseTorchNetChannelsFirst;

/// <summary>A MobileNet-style block for the PyTorch weights of Data/Weights/make_weights.py (Mobile): depthwise 3x3 with multiplier 2 and stride 2, pointwise 1x1.</summary>
[Network]
[Input(9, 9, 6)]
[DepthwiseConv2D(3, Stride = 2, Padding = Padding.Same, DepthMultiplier = 2, Activation = Activation.Relu)]
[Conv2D(8, 1, Activation = Activation.Relu)]
[GlobalAvgPool]
[Dense(3)]
public partial class TorchMobileNet;

/// <summary><see cref="TorchMobileNet"/> in channels-first layout.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(6, 9, 9)]
[DepthwiseConv2D(3, Stride = 2, Padding = Padding.Same, DepthMultiplier = 2, Activation = Activation.Relu)]
[Conv2D(8, 1, Activation = Activation.Relu)]
[GlobalAvgPool]
[Dense(3)]
public partial class TorchMobileNetChannelsFirst;

/// <summary>
/// Explicit pads: MobileNet's stride-2 depthwise convolution with PyTorch's padding=1 on an even
/// size (one more row and column than Keras 'same' reads), asymmetric pads with a dilation and a
/// multiplier, and a pad larger than any window reaches.
/// </summary>
[Network]
[Input(8, 8, 10)]
[DepthwiseConv2D(3, Stride = 2, Pad = 1, Activation = Activation.Relu6)]
[DepthwiseConv2D(3, Pads = new[] { 2, 0, 1, 3 }, Dilation = 2, DepthMultiplier = 2)]
public partial class DepthwisePaddedNet;

/// <summary>See <see cref="DepthwisePaddedNet"/>: 1-D, channels first, pads before and after, stride 2 on an odd length.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(6, 13)]
[DepthwiseConv1D(3, Stride = 2, Pads = new[] { 2, 1 }, Activation = Activation.Tanh)]
[DepthwiseConv1D(5, Pad = 2, DepthMultiplier = 3)]
public partial class DepthwisePaddedSignalNet;
