namespace CnnGen.Tests.Networks;

/// <summary>
/// Layers that share their generated kernels (layers of one shape run one layer's code): a chain
/// of equal convolutions, two equal residual blocks whose second convolution differs from the
/// first in its activation, and equal dense layers.
/// </summary>
[Network]
[Input(10, 10, 6)]
[Conv2D(6, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2D(6, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2D(6, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2D(6, 3, Padding = Padding.Same, Activation = Activation.Tanh, Name = "block1_conv")]
[Add("conv2d_3", "block1_conv", Activation = Activation.Relu, Name = "block1")]
[Conv2D(6, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2D(6, 3, Padding = Padding.Same, Activation = Activation.Tanh, Name = "block2_conv")]
[Add("block1", "block2_conv", Activation = Activation.Relu, Name = "block2")]
[GlobalAvgPool]
[Dense(6, Activation = Activation.Relu)]
[Dense(6, Activation = Activation.Relu)]
[Dense(6, Activation = Activation.Relu)]
[Dense(3)]
public partial class SharedKernelNet;

/// <summary>See <see cref="SharedKernelNet"/>: 1-D, channels first, strided equal layers.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(5, 40)]
[Conv1D(5, 3, Stride = 1, Padding = Padding.Same, Activation = Activation.Elu)]
[Conv1D(5, 3, Stride = 1, Padding = Padding.Same, Activation = Activation.Elu)]
[Conv1D(5, 3, Stride = 1, Padding = Padding.Same, Activation = Activation.Elu)]
[MaxPool1D(2)]
[Conv1D(5, 3, Padding = Padding.Same, Activation = Activation.Elu)]
[Conv1D(5, 3, Padding = Padding.Same, Activation = Activation.Elu)]
[Conv1D(2, 1)]
public partial class SharedKernelSignalNet;

/// <summary>
/// Layers of different shapes that share leaf kernels: two convolutions with 8 and 16 input
/// channels and the same framed 9x7x16 output (one bias-gradient code), and two max pools over
/// equal windows and channels in different places.
/// </summary>
[Network]
[Input(9, 7, 8)]
[Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2D(16, 3, Padding = Padding.Same)]
[MaxPool2D(2, Padding = Padding.Same)] // 5x4x16
[Conv2D(16, 1, Activation = Activation.Relu)]
[MaxPool2D(2, Padding = Padding.Same)] // 3x2x16
[Flatten]
[Dense(3)]
public partial class SharedLeafKernelNet;
