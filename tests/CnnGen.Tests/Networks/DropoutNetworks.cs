namespace CnnGen.Tests.Networks;

// Networks with dropout: on a feature map, on a dense layer's vector, on the network input, in
// both data formats, with and without a seed (DropoutTests).

/// <summary>Channels-last 2-D: dropout of a feature map between convolutions and of a dense layer's vector.</summary>
[Network]
[Input(6, 5, 3)]
[Conv2D(4, 3, Padding = Padding.Same, Activation = Activation.Tanh)]
[Dropout(0.3f, Seed = 7)]
[Conv2D(5, 3, Stride = 2, Activation = Activation.Tanh)]
[Flatten]
[Dense(6, Activation = Activation.Tanh)]
[Dropout(0.5f)]
[Dense(3)]
public partial class DropoutNet;

/// <summary>Channels-first 1-D: dropout of the network input, and of a feature map that a 'same' convolution reads.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(3, 10)]
[Dropout(0.25f)]
[Conv1D(4, 3, Activation = Activation.Tanh)]
[Dropout(0.4f, Seed = 3)]
[Conv1D(5, 3, Padding = Padding.Same, Activation = Activation.Tanh)]
[GlobalAvgPool]
[Dense(2)]
public partial class DropoutSignalNetChannelsFirst;

/// <summary>One wide dropout, for the statistics of its mask.</summary>
[Network]
[Input(4000)]
[Dropout(0.3f, Seed = 11)]
public partial class WideDropoutNet;
