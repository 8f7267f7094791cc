namespace CnnGen.Tests.Networks;

/// <summary>The digits network of the README.</summary>
[Network]
[Input(8, 8, 1)]
[Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(16, 3, Activation = Activation.Relu)]
[Flatten]
[Dense(10, Activation = Activation.Softmax)]
public partial class DigitNet;

/// <summary>LeNet-5 as in the forward issue: 28x28x1, conv 6@5x5 same, pool, conv 16@5x5, pool, dense 120, 84, 10.</summary>
[Network]
[Input(28, 28, 1)]
[Conv2D(6, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(120, Activation = Activation.Relu)]
[Dense(84, Activation = Activation.Relu)]
[Dense(10, Activation = Activation.Softmax)]
public partial class LeNet5;

/// <summary>The digits network in channels-first layout (PyTorch's NCHW).</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(1, 8, 8)]
[Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(16, 3, Activation = Activation.Relu)]
[Flatten]
[Dense(10, Activation = Activation.Softmax)]
public partial class DigitNetChannelsFirst;

/// <summary>A multi-channel 1-D network: stride, dilation, causal padding, pooling, global pooling.</summary>
[Network]
[Input(32, 3)]
[Conv1D(8, 5, Padding = Padding.Causal, Dilation = 2, Activation = Activation.Tanh)]
[Conv1D(12, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Elu)]
[AvgPool1D(2, Padding = Padding.Same)]
[Conv1D(16, 3, Activation = Activation.Silu)]
[GlobalMaxPool]
[Dense(4, Activation = Activation.Sigmoid)]
public partial class SignalNet;

/// <summary>The large layer of the performance issue: 56x56x64, 3x3 convolution to 64 filters, same padding.</summary>
[Network]
[Input(56, 56, 64)]
[Conv2D(64, 3, Padding = Padding.Same)]
public partial class LargeConvLayer;

/// <summary>The Conv1D benchmark network: 256 samples x 8 channels, three convolutions of 32 filters, kernel 5, one dilated.</summary>
[Network]
[Input(256, 8)]
[Conv1D(32, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv1D(32, 5, Dilation = 2, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv1D(32, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[GlobalAvgPool]
[Dense(4, Activation = Activation.Softmax)]
public partial class Conv1DNet;

/// <summary>A wide dense layer, to check the unrolling budget on long reductions.</summary>
[Network]
[Input(3136)]
[Dense(512, Activation = Activation.Relu)]
[Dense(10)]
public partial class WideDenseNet;

/// <summary>One input channel and few filters (the position-vectorised AVX-512 kernel): rectangular, dilated, odd widths, no bias.</summary>
[Network]
[Input(9, 37, 1)]
[Conv2D(5, 3, 4, Padding = Padding.Same, Dilations = new[] { 2, 1 }, Activation = Activation.LeakyRelu)]
[MaxPool2D(2, Padding = Padding.Same)]
[Flatten]
[Dense(3)]
public partial class NarrowFilterNet;

/// <summary>The same kind of layer in channels-first layout and in 1-D with causal dilated padding.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(1, 6, 40)]
[Conv2D(12, 2, 5, Strides = new[] { 2, 1 }, UseBias = false, Activation = Activation.Relu)]
[GlobalAvgPool]
public partial class NarrowFilterNetChannelsFirst;

/// <summary>
/// One input channel and an even number of filters (4, then 2 in 1-D): the 256-bit kernels
/// interleave pairs of filters with in-lane unpacks; rows of 21 and 30 positions end in a
/// vector that overlaps the one before.
/// </summary>
[Network]
[Input(7, 21, 1)]
[Conv2D(4, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(3)]
public partial class PairedFilterNet;

/// <summary>The same in 1-D, channels first, with 2 filters.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(1, 34)]
[Conv1D(2, 5, Activation = Activation.Tanh)]
[Conv1D(3, 3)]
public partial class PairedFilterSignalNetChannelsFirst;

/// <summary>A 1-D layer with one input channel, causal dilated padding and 3 filters.</summary>
[Network]
[Input(50, 1)]
[Conv1D(3, 4, Padding = Padding.Causal, Dilation = 3, Activation = Activation.Sigmoid)]
[Conv1D(2, 3)]
public partial class NarrowFilterSignalNet;

/// <summary>
/// A layer with over 64K floats of input and output per sample: its AVX-512 kernel gradient
/// sums one sample at a time, adding into the kernel gradient.
/// </summary>
[Network]
[Input(128, 128, 4)]
[Conv2D(16, 3, Strides = new[] { 4, 4 }, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(4)]
[Flatten]
[Dense(3)]
public partial class SampleAtATimeNet;
