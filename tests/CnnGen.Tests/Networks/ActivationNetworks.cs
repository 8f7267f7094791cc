namespace CnnGen.Tests.Networks;

// Networks of relu6, hard sigmoid, hard swish and gelu for the PyTorch references
// (Data/torch/make_reference.py declares them a second time). Their inputs are scaled by 8 in
// the script so that pre-activations reach both saturations of relu6 (0 and 6) and of the hard
// functions (-3 and 3), and gelu's tails.

/// <summary>
/// Channels-last 2-D: relu6 and hard swish after convolutions, hard sigmoid as a layer, gelu
/// after a depthwise convolution and a dense layer, hard sigmoid on the output.
/// </summary>
[Network]
[Input(7, 6, 3)]
[Conv2D(5, 3, Padding = Padding.Same, Activation = Activation.Relu6)] // 7x6x5
[Conv2D(6, 3, Strides = new[] { 2, 2 }, Padding = Padding.Same, Activation = Activation.HardSwish)] // 4x3x6
[Activation(Activation.HardSigmoid)]
[DepthwiseConv2D(3, Padding = Padding.Same, Activation = Activation.Gelu)] // 4x3x6
[Flatten]
[Dense(5, Activation = Activation.Gelu)]
[Dense(3, Activation = Activation.HardSigmoid)]
public partial class HardActivationNet;

/// <summary>
/// Channels-first 1-D: gelu after a convolution, relu6 and hard swish as layers, hard sigmoid
/// after a convolution, relu6 on a dense output.
/// </summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(3, 13)]
[Conv1D(5, 3, Padding = Padding.Same, Activation = Activation.Gelu)] // 5x13
[Activation(Activation.Relu6)]
[Conv1D(7, 2, Stride = 2)] // 7x6
[Activation(Activation.HardSwish)]
[Conv1D(4, 3, Activation = Activation.HardSigmoid)] // 4x4
[Flatten]
[Dense(3, Activation = Activation.Relu6)]
public partial class HardActivationSignalNetChannelsFirst;
