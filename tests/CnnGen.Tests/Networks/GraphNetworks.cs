namespace CnnGen.Tests.Networks;

// Networks with skip connections, branches and merges, for the PyTorch references
// (Data/torch/make_reference.py declares them a second time, layer by layer). Together they
// cover Add, Multiply and Concatenate in both data formats, 1-D and 2-D; broadcasting of a
// channel vector and of a 1x1xC map; a tensor read by layers that need different frames (a
// copy); gradients summed where a tensor has several readers, through merges, through layers
// that write their input gradient and through a flatten that is a view; From = "input".

/// <summary>
/// Channels-last 2-D, a ResNet projection block and an identity block: the block input feeds a
/// 3x3 'same' convolution of stride 2 (pads 0/1) and a strided 1x1 shortcut (no frame: read
/// from a copy); Add with relu; the identity block adds its own input, stored in the frame of
/// the 3x3 convolution that also reads it.
/// </summary>
[Network]
[Input(8, 8, 3)]
[Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu)] // conv2d_1: 8x8x8
[Conv2D(16, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu)] // conv2d_2: 4x4x16, pads 0/1
[Conv2D(16, 3, Padding = Padding.Same)] // conv2d_3: 4x4x16
[Conv2D(16, 1, Stride = 2, From = "conv2d_1")] // conv2d_4: the projection shortcut
[Add("conv2d_3", "conv2d_4", Activation = Activation.Relu)] // add_1
[Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.Relu)] // conv2d_5
[Conv2D(16, 3, Padding = Padding.Same)] // conv2d_6
[Add("conv2d_6", "add_1", Activation = Activation.Relu)] // add_2: the identity shortcut
[GlobalAvgPool]
[Dense(4)]
public partial class ResNetBlockNet;

/// <summary>
/// Channels-first 2-D, squeeze and excitation: global average pooling, two dense layers and a
/// sigmoid gate multiplying every position of the feature map (a channel vector broadcast),
/// then a residual Add of the map itself. The map's gradient sums three readers.
/// </summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(4, 6, 6)]
[Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu)] // conv2d_1: 8x6x6
[GlobalAvgPool] // 8
[Dense(2, Activation = Activation.Relu)]
[Dense(8, Activation = Activation.Sigmoid)] // dense_2: the gate
[Multiply("conv2d_1", "dense_2")]
[Add("multiply_1", "conv2d_1")]
[MaxPool2D(2)] // 8x3x3
[Flatten]
[Dense(3, Activation = Activation.Softmax)]
public partial class SqueezeExciteNet;

/// <summary>
/// Channels-first 2-D, a SqueezeNet fire module: a 1x1 squeeze feeds a 1x1 and a 3x3 'same'
/// expansion (the second reads a copy in its frame), concatenated in that order; then overlapping
/// 'same' max pooling and a gate of 1x1xC (average pooling to one position, 1x1 convolution,
/// sigmoid) multiplying it.
/// </summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(4, 6, 6)]
[Conv2D(3, 1, Activation = Activation.Relu)] // conv2d_1: squeeze, 3x6x6
[Conv2D(4, 1, Activation = Activation.Relu)] // conv2d_2: expand 1x1
[Conv2D(5, 3, Padding = Padding.Same, Activation = Activation.Relu, From = "conv2d_1")] // conv2d_3: expand 3x3
[Concatenate("conv2d_2", "conv2d_3")] // 9x6x6
[MaxPool2D(3, Stride = 2, Padding = Padding.Same)] // 9x3x3
[AvgPool2D(3)] // 9x1x1
[Conv2D(9, 1, Activation = Activation.Sigmoid)] // conv2d_4: 9x1x1
[Multiply("max_pool2d_1", "conv2d_4")] // 9x3x3
[Flatten]
[Dense(3)]
public partial class FireModuleNet;

/// <summary>
/// Channels-last 1-D: a three-input Add (plus a broadcast channel vector) with a sigmoid after
/// the sum; a causal convolution and a 'same' one both read the input (in different frames);
/// an Elu layer reads a tensor the Add also reads (its gradient is added through the scratch);
/// Concatenate reads the network input; a flatten (a view) is read by two dense layers.
/// </summary>
[Network]
[Input(12, 3)]
[Conv1D(4, 3, Padding = Padding.Same, Activation = Activation.Tanh)] // conv1d_1: 12x4
[Conv1D(4, 3, Dilation = 2, Padding = Padding.Causal, From = "input")] // conv1d_2: 12x4
[Activation(Activation.Elu, From = "conv1d_1")] // activation_1
[GlobalMaxPool(From = "conv1d_2")] // global_max_pool_1: 4
[Add("conv1d_1", "conv1d_2", "activation_1", "global_max_pool_1", Activation = Activation.Sigmoid)] // add_1: 12x4
[Concatenate("add_1", "input")] // 12x7
[Conv1D(2, 3, Stride = 2, Padding = Padding.Same)] // conv1d_3: 6x2
[Flatten] // 12
[Dense(3, Activation = Activation.Relu)] // dense_1
[Dense(3, From = "flatten_1")] // dense_2
[Add("dense_1", "dense_2")]
public partial class ThreeInputAddNet;

/// <summary>
/// Channels-first 1-D: a gated signal, x * g * x with the same tensor twice among three inputs;
/// flatten in channels-first order (a transpose, not a view) read by two dense layers whose
/// outputs are multiplied.
/// </summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(3, 10)]
[Conv1D(4, 3, Padding = Padding.Same)] // conv1d_1: 4x10
[Conv1D(4, 1, Activation = Activation.Sigmoid, From = "input")] // conv1d_2: the gate
[Multiply("conv1d_1", "conv1d_2", "conv1d_1")]
[AvgPool1D(2)] // 4x5
[Flatten] // 20
[Dense(6, Activation = Activation.Tanh)] // dense_1
[Dense(6, From = "flatten_1")] // dense_2
[Multiply("dense_1", "dense_2")]
[Dense(2)]
public partial class GatedSignalNetChannelsFirst;

/// <summary>
/// A U-Net level: a 'same' convolution whose output is kept as the skip, pooling and a deeper
/// convolution, a 2x2 transposed convolution at stride 2 back to the skip's size, the two
/// concatenated and convolved; the transposed convolution's output keeps the frame the last
/// convolution reads, and the inference workspace has room for its repacked kernel.
/// </summary>
[Network]
[Input(8, 6, 3)]
[Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu)] // conv2d_1: the skip, 8x6x8
[MaxPool2D(2)] // 4x3x8
[Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.Relu)] // conv2d_2: 4x3x16
[Conv2DTranspose(8, 2, Stride = 2, Activation = Activation.Relu)] // 8x6x8
[Concatenate("conv2d_1", "conv2d_transpose_1")] // 8x6x16
[Conv2D(4, 3, Padding = Padding.Same)] // conv2d_3: 8x6x4
[GlobalAvgPool]
[Dense(3)]
public partial class UNetLevelNet;

/// <summary>
/// Large tensors for little arithmetic (128x128 maps, 1x1 convolutions): over 2 MB of tensors
/// per sample in the inference workspace, so its Forward runs a batch in blocks of one sample
/// (ForwardEmitter.InferenceBlock); a batch normalisation, whose training mode must still see
/// the whole batch.
/// </summary>
[Network]
[Input(128, 128, 8)]
[Conv2D(16, 1, Name = "expand")]
[BatchNormalization(Name = "bn")]
[Activation(Activation.Relu)]
[Conv2D(8, 1, Name = "project")]
[Add("project", "input", Name = "block")]
[GlobalAvgPool]
[Dense(3)]
public partial class LargeTensorBlockNet;

/// <summary>
/// LargeTensorBlockNet without its batch normalisation: Backward then reads the activations the
/// blocks of an inference-mode Forward wrote (with a fold, it would run the layers again).
/// </summary>
[Network]
[Input(128, 128, 8)]
[Conv2D(16, 1, Activation = Activation.Relu, Name = "expand")]
[Conv2D(8, 1, Name = "project")]
[Add("project", "input", Name = "block")]
[GlobalAvgPool]
[Dense(3)]
public partial class LargeTensorResidualNet;
