using CnnGen;

namespace CnnGen.Benchmarks;

/// <summary>LeNet-5: 28x28x1, conv 6@5x5 same, max pool 2, conv 16@5x5, max pool 2, dense 120, 84, 10.</summary>
[Network]
[Input(28, 28, 1)]
[Conv2D(6, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(120, Activation = Activation.Relu)]
[Dense(84, Activation = Activation.Relu)]
[Dense(10, Activation = Activation.Softmax)]
public partial class LeNet5;

/// <summary>The digits network of the README.</summary>
[Network]
[Input(8, 8, 1)]
[Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(16, 3, Activation = Activation.Relu)]
[Flatten]
[Dense(10, Activation = Activation.Softmax)]
public partial class DigitNet;

/// <summary>256 samples x 8 channels, three Conv1D of 32 filters with kernel 5, one dilated.</summary>
[Network]
[Input(256, 8)]
[Conv1D(32, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv1D(32, 5, Dilation = 2, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv1D(32, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[GlobalAvgPool]
[Dense(4, Activation = Activation.Softmax)]
public partial class Conv1DNet;

/// <summary>One large layer: 56x56x64, 3x3 convolution to 64 filters, same padding.</summary>
[Network]
[Input(56, 56, 64)]
[Conv2D(64, 3, Padding = Padding.Same)]
public partial class LargeLayer;
