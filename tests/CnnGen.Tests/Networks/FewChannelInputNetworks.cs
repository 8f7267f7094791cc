using CnnGen;

namespace CnnGen.Tests.Networks;

// Convolutions of 1 to 3 input channels from 4 or more filters (a first layer on a grey or RGB
// image), whose input gradient takes dot products over each position's filters: the shapes
// that change what the kernels do (strides, dilation, 'same' pads into the frame, a kernel
// too long to unroll whole, filters past 8 vectors at 128 bits), small enough for the gradient check.

/// <summary>An RGB stem at stride 2 'same' on an odd size, then a 1x1 layer.</summary>
[Network]
[Input(9, 11, 3)]
[Conv2D(8, 3, Strides = new[] { 2, 2 }, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2D(4, 1)]
[Flatten]
[Dense(3)]
public partial class RgbStemInputGradientNet;

/// <summary>LeNet-5's first layer on an odd width: 6 filters (a vector and a shifted one at 128 bits), 5x5 'same'.</summary>
[Network]
[Input(12, 13, 1)]
[Conv2D(6, 5, Padding = Padding.Same, Activation = Activation.Tanh)]
[MaxPool2D(2)]
[Flatten]
[Dense(2)]
public partial class GreyStemInputGradientNet;

/// <summary>Two channels, a dilated kernel (rows 2 apart, columns adjacent) and 5 filters, no pads.</summary>
[Network]
[Input(10, 12, 2)]
[Conv2D(5, 3, Dilations = new[] { 2, 1 }, UseBias = false)]
[GlobalAvgPool]
[Dense(2)]
public partial class DilatedTwoChannelInputGradientNet;

/// <summary>
/// 40 filters: 3 vectors at 512 bits and 5 at 256 run the dot products, 10 at 128 bits keep the
/// channel vectors over the padded copy; and a 7x7 kernel of 3 channels, past the budget of
/// multiply-adds unrolled in one method at 256 and 128 bits (a loop over kernel rows).
/// </summary>
[Network]
[Input(8, 9, 3)]
[Conv2D(40, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2D(4, 1)]
[Flatten]
[Dense(2)]
public partial class WideStemInputGradientNet;

/// <summary>A ResNet-style 7x7 stem at stride 2 'same' with 16 filters.</summary>
[Network]
[Input(11, 12, 3)]
[Conv2D(16, 7, Strides = new[] { 2, 2 }, Padding = Padding.Same)]
[GlobalAvgPool]
[Dense(2)]
public partial class SevenBySevenStemInputGradientNet;

/// <summary>1-D, channels first: 2 channels, 12 filters at stride 3, causal pads, then 3 channels in again (a layer inside the network).</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(2, 50)]
[Conv1D(12, 7, Stride = 3, Padding = Padding.Causal, Activation = Activation.Relu)]
[Conv1D(3, 1)]
[Conv1D(4, 3, Dilation = 2, Padding = Padding.Same)]
[Flatten]
[Dense(2)]
public partial class SignalInputGradientNet;

/// <summary>
/// A dilation longer than the output row (8 channels, one vector at 256 bits): the input
/// gradient's row has positions no tap reaches between the kernel's two taps, which the row
/// gather leaves out (a fuzz declaration with a dilation of 1,000 found them unhandled).
/// </summary>
[Network]
[Input(30, 8)]
[Conv1D(5, 2, Dilation = 25, Activation = Activation.Tanh)]
[Conv1D(3, 3, Dilation = 2, Padding = Padding.Same)]
[Flatten]
[Dense(2)]
public partial class GappedDilationSignalNet;
