namespace CnnGen.Arm64Check.Networks;

// Small networks (the emulation is slow) whose layers take the 128-bit kernels' main paths.
// At 128 bits (4 lanes) a convolution with one input channel and fewer than 4 filters is
// vectorised over output positions; with 4 or more filters it is register-blocked over the
// filters, the last group shifted back when the count is not a multiple of 4.

/// <summary>LeNet-5's first layer at 12x12: one input channel, 6 filters (blocked at 128 bits, position-vectorised at 256 and 512).</summary>
[Network]
[Input(12, 12, 1)]
[Conv2D(6, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(10, Activation = Activation.Softmax)]
public partial class LeNetFirstLayerNet;

/// <summary>One input channel and 3 filters: the position-vectorised forward and kernel gradient at 128 bits (shuffles and selects); rectangular dilated kernel, average pooling meeting 'same' padding.</summary>
[Network]
[Input(10, 13, 1)]
[Conv2D(3, 3, 4, Padding = Padding.Same, Dilations = new[] { 2, 1 }, Activation = Activation.Tanh)]
[AvgPool2D(3, Strides = new[] { 2, 2 }, Padding = Padding.Same)]
[Flatten]
[Dense(4, Activation = Activation.Sigmoid)]
public partial class FewFilterNet;

/// <summary>Odd channel counts (3 to 5 to 7): a shifted last group of filters, a strided convolution, max pooling with 'same' padding, global average pooling.</summary>
[Network]
[Input(9, 9, 3)]
[Conv2D(5, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2D(7, 3, Stride = 2, Activation = Activation.Elu)]
[MaxPool2D(3, Stride = 2, Padding = Padding.Same)]
[GlobalAvgPool]
[Dense(3, Activation = Activation.Softmax)]
public partial class OddChannelNet;

/// <summary>Channels-first: a one-channel position-vectorised layer, a strided 'same' layer without bias, average pooling.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(1, 7, 10)]
[Conv2D(3, 3, Padding = Padding.Same, Activation = Activation.LeakyRelu)]
[Conv2D(5, 3, Strides = new[] { 2, 2 }, Padding = Padding.Same, UseBias = false, Activation = Activation.Silu)]
[AvgPool2D(2, Padding = Padding.Same)]
[Flatten]
[Dense(4, Activation = Activation.Tanh)]
public partial class ChannelsFirstNet;

/// <summary>
/// A convolution with over 64K floats of input and output per sample (cheap: a 1x1 kernel):
/// its kernel gradient sums one sample at a time.
/// </summary>
[Network]
[Input(128, 128, 2)]
[Conv2D(4, 1)]
[AvgPool2D(8)]
[Flatten]
[Dense(3)]
public partial class LargeLayerNet;

/// <summary>
/// A graph: a 'same' block and a 1x1 projection of the input added with relu, a branch of 2
/// filters from the first layer, Concatenate of the sum, the branch and the input itself
/// (5 + 2 + 3 = 10 channels), a gate of one value per channel (global pooling, dense, sigmoid)
/// multiplying every position. Gradients sum where an output has several readers.
/// </summary>
[Network]
[Input(6, 7, 3)]
[Conv2D(5, 3, Padding = Padding.Same, Activation = Activation.Relu)] // conv2d_1: 6x7x5
[Conv2D(5, 3, Padding = Padding.Same)] // conv2d_2
[Conv2D(5, 1, From = "input")] // conv2d_3: the projection shortcut
[Add("conv2d_2", "conv2d_3", Activation = Activation.Relu)] // add_1
[Conv2D(2, 3, Padding = Padding.Same, Activation = Activation.Tanh, From = "conv2d_1")] // conv2d_4: 6x7x2
[Concatenate("add_1", "conv2d_4", "input")] // concatenate_1: 6x7x10
[GlobalAvgPool] // 10
[Dense(10, Activation = Activation.Sigmoid)] // dense_1: the gate
[Multiply("concatenate_1", "dense_1")] // 6x7x10
[MaxPool2D(2)] // 3x3x10
[Flatten]
[Dense(3)]
public partial class GraphNet;

/// <summary>
/// Zero padding and up-sampling (runtime ResampleKernels, vectorised over channels: 9 is a
/// vector and a remainder at every width): nearest and bilinear by (2, 3), asymmetric pads, a
/// 'same' convolution reading the padded output from a frame.
/// </summary>
[Network]
[Input(5, 3, 9)]
[UpSampling2D(2, 3, Interpolation = Interpolation.Bilinear)] // 10x9x9
[ZeroPadding2D(1, 0, 2, 1)] // 11x12x9
[Conv2D(9, 3, Strides = new[] { 2, 2 }, Padding = Padding.Same, Activation = Activation.Tanh)] // 6x6x9
[UpSampling2D(2)] // 12x12x9
[MaxPool2D(3)] // 4x4x9
[Flatten]
[Dense(3)]
public partial class ResamplingNet;

/// <summary>
/// Grouped convolutions: 12 channels in 3 groups of 4 to 18 filters (6 a group: a vector of 4
/// and a shifted one), then 18 in 2 groups of 9 to 8 filters at stride 2 (9 channels a group:
/// exact vectors and a single float in the input gradient).
/// </summary>
[Network]
[Input(6, 7, 12)]
[Conv2D(18, 3, Padding = Padding.Same, Groups = 3, Activation = Activation.Relu)]
[Conv2D(8, 3, Strides = new[] { 2, 2 }, Groups = 2, Activation = Activation.Tanh)]
[Flatten]
[Dense(3)]
public partial class GroupedNet;

/// <summary>
/// Transposed convolutions: 8 channels to 6 filters at stride 2 'same' (a vector of 4 and two
/// single floats in the adjoint's exact split), then 6 to 4 with asymmetric pads and output padding.
/// </summary>
[Network]
[Input(4, 5, 8)]
[Conv2DTranspose(6, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2DTranspose(4, 3, Strides = new[] { 2, 1 }, Pads = new[] { 1, 2, 0, 1 }, OutputPaddings = new[] { 1, 0 }, Activation = Activation.Tanh)]
[Flatten]
[Dense(3)]
public partial class TransposedNet;

/// <summary>
/// Work inference folds into the stores of the layer before it, at the 128-bit width: a batch
/// norm and relu6 into a convolution, silu into a depthwise convolution, a convolution's own hard
/// swish, a batch norm and a hard swish layer into a 1x1 convolution; the dense layer's gelu stays
/// a pass. The moving statistics are random (NetworkCheck), so every channel scales differently.
/// </summary>
[Network]
[Input(6, 5, 3)]
[Conv2D(8, 3, Padding = Padding.Same, UseBias = false)]
[BatchNormalization]
[Activation(Activation.Relu6)]
[DepthwiseConv2D(3, Padding = Padding.Same, Activation = Activation.Silu)]
[Conv2D(6, 1, Activation = Activation.HardSwish)]
[Conv2D(4, 1, UseBias = false)]
[BatchNormalization]
[Activation(Activation.HardSwish)]
[Flatten]
[Dense(3, Activation = Activation.Gelu)]
public partial class FoldedNet;

/// <summary>3 filters on 5 channels: the 128-bit kernel vectorised over positions reads each sample's window from planes (copied without AVX).</summary>
[Network]
[Input(6, 20, 5)]
[Conv2D(3, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[Flatten]
[Dense(4)]
public partial class PlanarInputNet;

/// <summary>
/// Layers of 1 to 3 outputs as dot products (the lanes summed by Sum4: AdvSimd's pairwise adds
/// on Arm64): 3 filters of 1x1 on 13 channels (a masked last vector), a strided 3x3 filter on
/// them, and a dense head of one unit on its 12 outputs; their kernel gradients in vectors of inputs.
/// </summary>
[Network]
[Input(5, 7, 13)]
[Conv2D(3, 1, Activation = Activation.Relu)]
[Conv2D(2, 3, Stride = 2, Padding = Padding.Same)]
[Flatten]
[Dense(1, Activation = Activation.Sigmoid)]
public partial class FewOutputNet;

/// <summary>
/// Depthwise filters on 3 channels, rows swept as runs of floats (a blocked row of 22 x 3 floats
/// ending with a vector shifted back, the weights tiled along the channels' period), then on the
/// same 3 channels with a 1x3 kernel dilated 2, and at a stride of 2 along the row (the row run at
/// stride 1, every second position kept); then a transposed convolution from 6 channels to
/// 3, whose forward takes dot products over each position's channels (a vector shifted back over
/// the first, masked).
/// </summary>
[Network]
[Input(5, 22, 3)]
[DepthwiseConv2D(3, Padding = Padding.Same, Activation = Activation.Relu)]
[DepthwiseConv2D(1, 3, Dilations = new[] { 1, 2 })]
[DepthwiseConv2D(3, Strides = new[] { 1, 2 }, Padding = Padding.Same)]
[Conv2D(6, 1)]
[Conv2DTranspose(3, 4, Stride = 2, Padding = Padding.Same)]
public partial class RowRunNet;
