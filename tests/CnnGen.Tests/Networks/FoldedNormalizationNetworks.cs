namespace CnnGen.Tests.Networks;

// Batch normalisations that inference folds into the layer before them (InferenceFold):
// after a position-vectorised, a register-blocked, a 1x1 and a depthwise convolution and a
// dense layer, with and without bias, followed by each fused activation or by none; the
// folded layers write tensors with zero and minus-infinity frames.

/// <summary>Channels-last 2-D chain.</summary>
[Network]
[Input(12, 11, 1)]
[Conv2D(6, 3, Padding = Padding.Same, UseBias = false)] // 12x11x6, position vectors
[BatchNormalization]
[Activation(Activation.LeakyRelu)]
[Conv2D(16, 3, Padding = Padding.Same)] // register-blocked, with bias
[BatchNormalization]
[Activation(Activation.Relu)] // read by a 'same' depthwise convolution: a zero frame
[DepthwiseConv2D(3, Padding = Padding.Same, UseBias = false)]
[BatchNormalization(Scale = false)]
[Activation(Activation.Relu6)]
[Conv2D(8, 1)]
[BatchNormalization(Center = false)] // no activation; read by a 'same' max pool: a -infinity frame
[MaxPool2D(2, Padding = Padding.Same)] // 6x6x8
[Flatten]
[Dense(10, UseBias = false)]
[BatchNormalization(Epsilon = 0.01f)]
[Activation(Activation.HardSigmoid)]
[Dense(3)]
public partial class FoldedNormalizationNet;

/// <summary>
/// Channels-first 1-D graph: a residual block whose second normalisation feeds an Add (no
/// activation to fold), and a grouped convolution whose normalisation and silu fold into it.
/// </summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(4, 20)]
[Conv1D(8, 3, Padding = Padding.Same, UseBias = false)]
[BatchNormalization]
[Activation(Activation.Relu, Name = "block_input")]
[Conv1D(8, 3, Padding = Padding.Same)]
[BatchNormalization(Name = "bn_2")]
[Add("bn_2", "block_input", Activation = Activation.Relu)]
[Conv1D(6, 3, Stride = 2, Groups = 2)] // 6x9, grouped
[BatchNormalization]
[Activation(Activation.Silu)]
[Flatten]
[Dense(3)]
public partial class FoldedNormalizationSignalNetChannelsFirst;

/// <summary>
/// Grouped convolutions without a bias, each with a batch normalisation folded into it in
/// inference: every group reads its own filters' scales and shifts (vectors of a group's 4
/// filters, then blocks of floats for 2 filters a group).
/// </summary>
[Network]
[Input(7, 9, 6)]
[Conv2D(12, 3, Padding = Padding.Same, Groups = 3, UseBias = false)]
[BatchNormalization]
[Activation(Activation.Relu)]
[Conv2D(8, 1, Groups = 4, UseBias = false)]
[BatchNormalization]
public partial class GroupedFoldNet;

/// <summary>
/// Activations that training runs as passes from a pre-activation (hard swish, gelu, silu) and
/// inference applies in the stores of the layer before them: a position-vectorised convolution's
/// own hard swish, a depthwise convolution's own silu, a 1x1 convolution with a batch
/// normalisation and a hard swish layer after it, a linear convolution followed by a hard swish
/// layer, and the output layer's own hard swish. A register-blocked convolution's gelu and a
/// dense layer's gelu stay passes in both modes.
/// </summary>
[Network]
[Input(12, 11, 1)]
[Conv2D(6, 3, Padding = Padding.Same, Activation = Activation.HardSwish)] // position vectors
[Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.Gelu)] // register-blocked: a pass
[DepthwiseConv2D(3, Padding = Padding.Same, Activation = Activation.Silu)]
[Conv2D(8, 1, UseBias = false)]
[BatchNormalization]
[Activation(Activation.HardSwish)] // read by a 'same' max pool: a -infinity frame
[MaxPool2D(2, Padding = Padding.Same)] // 6x6x8
[Conv2D(8, 3)]
[Activation(Activation.HardSwish)]
[Flatten]
[Dense(10)]
[Activation(Activation.Gelu)] // after a dense layer: a pass
[Dense(3, Activation = Activation.HardSwish)]
public partial class InferenceActivationNet;

/// <summary>
/// Channels-first 1-D chain with no training mode (no batch norm, no dropout): its Forward folds
/// in inference too (the hard swish and the depthwise gelu; the first gelu and the silu are passes).
/// </summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(3, 24)]
[Conv1D(8, 3, Padding = Padding.Same, Activation = Activation.Gelu)]
[Conv1D(8, 3, Stride = 2, Activation = Activation.HardSwish)] // 8x11
[DepthwiseConv1D(3, Padding = Padding.Same, Activation = Activation.Gelu)]
[Flatten]
[Dense(4, Activation = Activation.Silu)]
public partial class InferenceActivationSignalNetChannelsFirst;

/// <summary>
/// Batch normalisations after transposed convolutions, which fold into the convolution's pass
/// from its framed sums: a DCGAN-style block (stride 2, 'same', cropped by its pads, the
/// normalisation and a relu folded), a transposed convolution without bias whose normalisation
/// has no activation after it and is read by a 'same' max pool (a minus-infinity frame), and one
/// whose normalisation is read by two layers (it folds; the tanh after it stays a layer).
/// </summary>
[Network]
[Input(5, 4, 3)]
[Conv2DTranspose(6, 3, Stride = 2, Padding = Padding.Same)] // 10x8x6
[BatchNormalization]
[Activation(Activation.Relu)]
[Conv2DTranspose(5, 2, UseBias = false)] // 11x9x5
[BatchNormalization(Scale = false)]
[MaxPool2D(2, Padding = Padding.Same)] // 6x5x5
[Conv2DTranspose(4, 3, Stride = 2, Pads = new[] { 1, 0, 0, 1 }, Name = "up")] // 12x10x4
[BatchNormalization(Name = "bn_up")]
[Activation(Activation.Tanh, Name = "tanh_up")]
[Add("tanh_up", "bn_up")]
[Flatten]
[Dense(3)]
public partial class TransposedFoldNet;

/// <summary>Channels-first 1-D: a transposed convolution with output padding, its normalisation and a hard swish folded.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(4, 9)]
[Conv1DTranspose(6, 4, Stride = 3, OutputPadding = 1)] // 6x29
[BatchNormalization(Epsilon = 0.01f)]
[Activation(Activation.HardSwish)]
[Conv1D(3, 3, Stride = 2)]
[Flatten]
[Dense(2)]
public partial class TransposedFoldSignalNetChannelsFirst;

/// <summary>
/// A deep convolution whose forward packs each input-channel slice's weights of every filter
/// group into the forward scratch at every width (5x7x128 to 128 filters: 8, 4 and 2 slices at
/// 512, 256 and 128 bits), with a batch normalisation folded into it, whose bias, scales and
/// shifts sit in the scratch after the packed weights.
/// </summary>
[Network]
[Input(5, 7, 128)]
[Conv2D(128, 3, Padding = Padding.Same)]
[BatchNormalization]
[Activation(Activation.Relu)]
[GlobalAvgPool]
[Dense(3)]
public partial class SlicedFoldNet;
