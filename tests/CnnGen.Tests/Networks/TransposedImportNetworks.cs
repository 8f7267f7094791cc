namespace CnnGen.Tests.Networks;

// The CnnGen counterparts of the transposed-convolution models in Data/Weights/make_weights.py.

/// <summary>PyTorch model "up": ConvTranspose2d(3, 4, 3, stride=2, padding=1, output_padding=1) relu, ConvTranspose2d(4, 2, 2, stride=2), mean, Linear.</summary>
[Network]
[Input(5, 6, 3)]
[Conv2DTranspose(4, 3, Stride = 2, Pad = 1, OutputPadding = 1, Activation = Activation.Relu)]
[Conv2DTranspose(2, 2, Stride = 2)]
[GlobalAvgPool]
[Dense(3)]
public partial class TorchUpNet;

/// <summary><see cref="TorchUpNet"/> in channels-first layout.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(3, 5, 6)]
[Conv2DTranspose(4, 3, Stride = 2, Pad = 1, OutputPadding = 1, Activation = Activation.Relu)]
[Conv2DTranspose(2, 2, Stride = 2)]
[GlobalAvgPool]
[Dense(3)]
public partial class TorchUpNetChannelsFirst;

/// <summary>PyTorch model "up_signal": ConvTranspose1d(2, 3, 3, stride=2, dilation=2, padding=2, output_padding=1) tanh, ConvTranspose1d(3, 2, 2, stride=3, bias=False), mean, Linear.</summary>
[Network]
[Input(6, 2)]
[Conv1DTranspose(3, 3, Stride = 2, Dilation = 2, Pad = 2, OutputPadding = 1, Activation = Activation.Tanh)]
[Conv1DTranspose(2, 2, Stride = 3, UseBias = false)]
[GlobalAvgPool]
[Dense(2)]
public partial class TorchUpSignalNet;
