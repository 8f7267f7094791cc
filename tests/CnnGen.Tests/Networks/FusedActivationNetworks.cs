namespace CnnGen.Tests.Networks;

// Relu6 and hard sigmoid are applied in registers before a layer's store (and their
// derivatives read from the output), on every kind of kernel that fuses an activation.

/// <summary>
/// Channels-last 2-D: relu6 on a one-input-channel convolution (position vectors), hard sigmoid
/// on a register-blocked convolution, relu6 on an Add, hard sigmoid on a depthwise convolution,
/// relu6 and hard sigmoid on dense layers.
/// </summary>
[Network]
[Input(11, 13, 1)]
[Conv2D(6, 3, Padding = Padding.Same, Activation = Activation.Relu6)] // 11x13x6
[Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.HardSigmoid, Name = "blocked")] // 11x13x16
[Conv2D(16, 1, Name = "pointwise")] // 11x13x16
[Add("blocked", "pointwise", Activation = Activation.Relu6)]
[DepthwiseConv2D(3, Strides = new[] { 2, 2 }, Padding = Padding.Same, Activation = Activation.HardSigmoid)] // 6x7x16
[MaxPool2D(2)] // 3x3x16
[Flatten]
[Dense(9, Activation = Activation.Relu6)]
[Dense(4, Activation = Activation.HardSigmoid)]
public partial class FusedHardActivationNet;

/// <summary>Channels-first 1-D: relu6 on a one-channel convolution, hard sigmoid on a five-channel one, relu6 on a dense layer.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(1, 40)]
[Conv1D(4, 5, Activation = Activation.Relu6)] // 4x36
[Conv1D(12, 3, Stride = 2, Activation = Activation.HardSigmoid)] // 12x17
[Flatten]
[Dense(5, Activation = Activation.Relu6)]
public partial class FusedHardActivationSignalNetChannelsFirst;
