namespace CnnGen.Tests.Networks;

// The CnnGen counterparts of the PyTorch models in Data/Weights/make_weights.py (DigitNet is
// in TestNetworks.cs). Each comes in both data formats: the same PyTorch (NCHW) weights load
// into the channels-last one with the flatten permutation and into the channels-first one without.

/// <summary>PyTorch model "lenet": same padding (2,2,2,2), stride-2 same padding (0 top, 1 bottom), flatten 3x3x8.</summary>
[Network]
[Input(12, 12, 2)]
[Conv2D(6, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(8, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.LeakyRelu)]
[Flatten]
[Dense(16, Activation = Activation.Tanh)]
[Dense(10, Activation = Activation.Softmax)]
public partial class TorchLeNet;

/// <summary><see cref="TorchLeNet"/> in channels-first layout.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(2, 12, 12)]
[Conv2D(6, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(8, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.LeakyRelu)]
[Flatten]
[Dense(16, Activation = Activation.Tanh)]
[Dense(10, Activation = Activation.Softmax)]
public partial class TorchLeNetChannelsFirst;

/// <summary>PyTorch model "signal": causal dilated, strided same (pads 1, 2), average and max pooling with same padding, flatten 2x5.</summary>
[Network]
[Input(21, 3)]
[Conv1D(8, 3, Padding = Padding.Causal, Dilation = 2, Activation = Activation.Tanh)]
[Conv1D(6, 4, Stride = 2, Padding = Padding.Same, Activation = Activation.Elu)]
[AvgPool1D(3, Stride = 2, Padding = Padding.Same)]
[Conv1D(5, 3, Dilation = 2, Activation = Activation.Silu)]
[MaxPool1D(3, Stride = 1, Padding = Padding.Same)]
[Flatten]
[Dense(4, Activation = Activation.Softplus)]
public partial class TorchSignalNet;

/// <summary><see cref="TorchSignalNet"/> in channels-first layout.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(3, 21)]
[Conv1D(8, 3, Padding = Padding.Causal, Dilation = 2, Activation = Activation.Tanh)]
[Conv1D(6, 4, Stride = 2, Padding = Padding.Same, Activation = Activation.Elu)]
[AvgPool1D(3, Stride = 2, Padding = Padding.Same)]
[Conv1D(5, 3, Dilation = 2, Activation = Activation.Silu)]
[MaxPool1D(3, Stride = 1, Padding = Padding.Same)]
[Flatten]
[Dense(4, Activation = Activation.Softplus)]
public partial class TorchSignalNetChannelsFirst;
