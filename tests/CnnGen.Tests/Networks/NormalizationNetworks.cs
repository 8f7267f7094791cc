namespace CnnGen.Tests.Networks;

// Networks with batch normalisation, declared a second time in Data/torch/make_reference.py and
// checked against PyTorch in inference and training mode (odd channel counts, both data formats,
// 1-D and 2-D, a vector input, a BN reading the network input, BN outputs stored in a padded frame).

/// <summary>Channels-last 2-D: Conv (no bias, no activation) -> BN -> tanh, a strided 'same' convolution reading it, BN on a dense layer's vector.</summary>
[Network]
[Input(6, 5, 3)]
[Conv2D(5, 3, Padding = Padding.Same, UseBias = false)] // a bias before batch norm has a zero gradient in training mode
[BatchNormalization]
[Activation(Activation.Tanh)] // not relu: a channel relu passes whole would give beta an exactly zero gradient in training mode
[Conv2D(4, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Tanh)] // a linear path from a bias to BN in training gives it a zero gradient
[Flatten]
[Dense(7, Activation = Activation.Tanh)]
[BatchNormalization(Momentum = 0.9f, Epsilon = 1e-5f)]
[Dense(3)]
public partial class BatchNormNet;

/// <summary>Channels-first 1-D: BN of the network input, BN without scale, BN without center feeding global pooling, a BN output in a 'same' frame.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(3, 10)]
[BatchNormalization(Momentum = 0.8f)]
[Conv1D(7, 3, Activation = Activation.Tanh)]
[BatchNormalization(Scale = false)]
[Conv1D(5, 3, Padding = Padding.Same, UseBias = false)]
[BatchNormalization(Center = false, Epsilon = 0.01f)]
[GlobalAvgPool]
[Dense(2)]
public partial class BatchNormSignalNetChannelsFirst;

/// <summary>The PyTorch model Norm of Data/Weights/make_weights.py, for importing batch normalisation's weights and running statistics (PyTorch's epsilon 1e-5).</summary>
[Network]
[Input(9, 9, 3)]
[Conv2D(6, 3, UseBias = false)]
[BatchNormalization(Epsilon = 1e-5f)]
[Activation(Activation.Relu)]
[Conv2D(5, 3, Stride = 2)]
[BatchNormalization(Epsilon = 1e-5f, Scale = false, Center = false)]
[Flatten]
[Dense(8)]
[BatchNormalization(Epsilon = 1e-5f)]
[Activation(Activation.Tanh)]
[Dense(3)]
public partial class TorchNormNet;

/// <summary><see cref="TorchNormNet"/> in channels-first layout.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(3, 9, 9)]
[Conv2D(6, 3, UseBias = false)]
[BatchNormalization(Epsilon = 1e-5f)]
[Activation(Activation.Relu)]
[Conv2D(5, 3, Stride = 2)]
[BatchNormalization(Epsilon = 1e-5f, Scale = false, Center = false)]
[Flatten]
[Dense(8)]
[BatchNormalization(Epsilon = 1e-5f)]
[Activation(Activation.Tanh)]
[Dense(3)]
public partial class TorchNormNetChannelsFirst;
