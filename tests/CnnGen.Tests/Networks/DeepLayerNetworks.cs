namespace CnnGen.Tests.Networks;

/// <summary>
/// Deep layers as ResNet's last stages have them: few positions, kernels too large for the L1
/// cache, rows that do not divide into blocks (14 = 12 + 2, 7 = 6 + 1), whose last columns the
/// kernels take several rows at a time, forward and in the input gradient.
/// </summary>
[Network]
[Input(14, 14, 40)]
[Conv2D(48, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2D(64, 3, Strides = new[] { 2, 2 }, Pad = 1, Activation = Activation.Relu)]
[Conv2D(64, 3, Padding = Padding.Same, Activation = Activation.Tanh)]
[GlobalAvgPool]
[Dense(5)]
public partial class DeepLayerNet;

/// <summary>See <see cref="DeepLayerNet"/>, channels first, with odd channel counts.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(72, 7, 7)]
[Conv2D(72, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2D(37, 3, Padding = Padding.Same)]
[Flatten]
[Dense(3)]
public partial class DeepLayerChannelsFirstNet;
