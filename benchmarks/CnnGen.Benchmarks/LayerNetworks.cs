using CnnGen;

namespace CnnGen.Benchmarks;

// LeNet-5's layers one at a time, to see where the time goes.

/// <summary>LeNet-5 conv1: 28x28x1 -> 28x28x6, 5x5 same.</summary>
[Network]
[Input(28, 28, 1)]
[Conv2D(6, 5, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class LeNetConv1;

/// <summary>LeNet-5 pool1: 28x28x6 -> 14x14x6.</summary>
[Network]
[Input(28, 28, 6)]
[MaxPool2D(2)]
public partial class LeNetPool1;

/// <summary>LeNet-5 conv2: 14x14x6 -> 10x10x16, 5x5 valid.</summary>
[Network]
[Input(14, 14, 6)]
[Conv2D(16, 5, Activation = Activation.Relu)]
public partial class LeNetConv2;

/// <summary>LeNet-5 dense1: 400 -> 120.</summary>
[Network]
[Input(400)]
[Dense(120, Activation = Activation.Relu)]
public partial class LeNetDense1;

/// <summary>LeNet-5 dense2 and dense3: 120 -> 84 -> 10.</summary>
[Network]
[Input(120)]
[Dense(84, Activation = Activation.Relu)]
[Dense(10, Activation = Activation.Softmax)]
public partial class LeNetHead;
