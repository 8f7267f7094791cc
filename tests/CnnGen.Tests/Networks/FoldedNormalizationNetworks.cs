namespace CnnGen.Tests.Networks;

// Batch normalisations that inference folds into the layer before them (NormalizationFold):
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
/// activation to fold), and a grouped convolution whose normalisation is followed by silu (a pass, not folded).
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
