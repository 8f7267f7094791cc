using CnnGen;

namespace CnnGen.Tests.Networks;

/// <summary>
/// Transposed convolutions in the shapes the issue asks for: stride 2 'same' on an odd size
/// (k > s), explicit pads with output padding, a kernel smaller than the stride (k < s, whose
/// skipped cells hold only the bias), an odd number of filters, a separate-pass activation,
/// and a dilated stride-1 layer; small, so that float32 sums stay within the gradient check's tolerance.
/// </summary>
[Network]
[Input(3, 4, 3)]
[Conv2DTranspose(5, 3, Strides = new[] { 2, 2 }, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2DTranspose(4, 3, Strides = new[] { 2, 1 }, Pads = new[] { 1, 2, 0, 1 }, OutputPaddings = new[] { 1, 0 }, Activation = Activation.Tanh)]
[Conv2DTranspose(3, 3, Dilation = 2, Pad = 1, UseBias = false)]
[Conv2DTranspose(2, 2, Stride = 3)]
[GlobalAvgPool]
[Dense(2)]
public partial class TransposedConvolutionNet;

/// <summary>
/// Enough channels for the register-blocked kernels at every width: 32 to 24 filters (not a
/// whole 512-bit vector, so the exact channel split) at stride 2 on 9x9, then 24 to 17 at
/// stride 1 'same', whose adjoint convolution has 17 input channels.
/// </summary>
[Network]
[Input(9, 9, 32)]
[Conv2DTranspose(24, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2DTranspose(17, 3, Padding = Padding.Same)]
[Conv2D(8, 3, Stride = 3)]
[Flatten]
[Dense(2)]
public partial class TransposedLargeNet;

/// <summary>
/// 1-D in channels-first order: a sequence stretched at stride 2 with output padding, a
/// dilated layer with asymmetric pads, and a U-Net style 2x up-sampling whose kernel equals its stride.
/// </summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(4, 7)]
[Conv1DTranspose(6, 3, Stride = 2, Pad = 1, OutputPadding = 1, Activation = Activation.LeakyRelu)]
[Conv1DTranspose(5, 3, Dilation = 2, Pads = new[] { 2, 1 })]
[Conv1DTranspose(3, 2, Stride = 2, Activation = Activation.Sigmoid)]
[Flatten]
[Dense(2)]
public partial class TransposedSignalNet;

/// <summary>
/// Transposed convolutions as Data/torch/make_reference.py declares them (TransposedTorchNet):
/// 'same' at stride 2, asymmetric pads with output padding, dilation with pads, k &lt; s.
/// </summary>
[Network]
[Input(4, 5, 3)]
[Conv2DTranspose(5, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2DTranspose(4, 3, Strides = new[] { 2, 1 }, Pads = new[] { 1, 2, 0, 1 }, OutputPaddings = new[] { 1, 0 }, Activation = Activation.Tanh)]
[Conv2DTranspose(3, 3, Dilation = 2, Pad = 1, UseBias = false)]
[Conv2DTranspose(2, 2, Stride = 3)]
[GlobalAvgPool]
[Dense(2)]
public partial class TransposedTorchNet;

/// <summary>Conv1DTranspose, channels first, as make_reference.py declares it (TransposedTorchSignalNetChannelsFirst): 'same' with k &lt; s and k &gt; s.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(4, 7)]
[Conv1DTranspose(6, 3, Stride = 2, Pad = 1, OutputPadding = 1, Activation = Activation.LeakyRelu)]
[Conv1DTranspose(5, 3, Dilation = 2, Pads = new[] { 2, 1 })]
[Conv1DTranspose(3, 2, Stride = 3, Padding = Padding.Same, Activation = Activation.Sigmoid)]
[Conv1DTranspose(4, 4, Stride = 2, Padding = Padding.Same)]
[Flatten]
[Dense(2)]
public partial class TransposedTorchSignalNetChannelsFirst;

/// <summary>
/// Decoder heads to few channels, whose forward takes dot products over the input position's
/// channels: 20 channels to RGB with a 4x4 kernel at stride 2 'same' (a vector of 16 and one
/// shifted back over it at 512 bits; crop pads) and a sigmoid, then 1-D from 37 channels to one
/// with a kernel of 5, stride 2 and output padding 1.
/// </summary>
[Network]
[Input(4, 5, 20)]
[Conv2DTranspose(3, 4, Stride = 2, Padding = Padding.Same, Activation = Activation.Sigmoid)]
public partial class TransposedRgbHeadNet;

/// <summary>See <see cref="TransposedRgbHeadNet"/>.</summary>
[Network]
[Input(6, 37)]
[Conv1DTranspose(1, 5, Stride = 2, Pad = 2, OutputPadding = 1)]
public partial class TransposedMonoHeadNet;
