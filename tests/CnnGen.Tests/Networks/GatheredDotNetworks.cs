namespace CnnGen.Tests.Networks;

// Convolutions of 4 to 15 input channels from filters in whole vectors at a stride of 1, whose
// input gradient at 512 bits gathers dot products over vectors of the filters (the narrower
// widths keep vectors of channels): GatheredDotInputGradientTests.

/// <summary>LeNet-5's second layer first (its input gradient checked directly): 6 channels, 16 filters, 5x5, no pads; blocks of 4 positions at the row's ends.</summary>
[Network]
[Input(14, 14, 6)]
[Conv2D(16, 5, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(3)]
public partial class LeNetSecondLayerNet;

/// <summary>A wide row (blocks inside it run as a loop), 'same' pads, two vectors of filters (32), 4 channels: 6 positions a block.</summary>
[Network]
[Input(5, 31, 4)]
[Conv2D(32, 3, Padding = Padding.Same, Activation = Activation.Tanh)]
[GlobalAvgPool]
[Dense(2)]
public partial class WideRowGatheredNet;

/// <summary>Inside a network: 8 channels (3 positions a block) from a first layer, a kernel dilated 2 along the height, 'same'.</summary>
[Network]
[Input(9, 10, 3)]
[Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2D(16, 3, Dilations = new[] { 2, 1 }, Padding = Padding.Same, UseBias = false)]
[GlobalAvgPool]
[Dense(2)]
public partial class DilatedHeightGatheredNet;

/// <summary>1-D: 12 channels (2 positions a block), 16 filters, 5 taps dilated 2 along the row, causal pads; then 15 channels (one position a block) from 3 vectors of filters.</summary>
[Network]
[Input(40, 12)]
[Conv1D(16, 5, Dilation = 2, Padding = Padding.Causal, Activation = Activation.Relu)]
[Conv1D(15, 1)]
[Conv1D(48, 3, Padding = Padding.Same)]
[Flatten]
[Dense(2)]
public partial class DilatedSignalGatheredNet;

/// <summary>
/// Channels first, the gathered layer's input read twice (a shortcut adds it back): both input
/// gradients added into the input's; 'valid' pads along the height and 'same' along the row (a 3x5 kernel).
/// </summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(6, 8, 9)]
[Conv2D(16, 3, 5, Padding = Padding.Same, Activation = Activation.Relu, Name = "gathered")] // 8x9x16
[Conv2D(6, 1, Name = "project")] // 8x9x6
[Add("project", "input", Name = "sum")] // 8x9x6
[Conv2D(16, 3, Name = "second")] // 6x7x16
[GlobalAvgPool]
[Dense(2)]
public partial class ShortcutGatheredNetChannelsFirst;

/// <summary>1-D, 5 channels from 8 filters (two vectors of 4 at 128 bits; not a vector at 512), 5 taps dilated 2, 'same'.</summary>
[Network]
[Input(30, 5)]
[Conv1D(8, 5, Dilation = 2, Padding = Padding.Same, Activation = Activation.Tanh)]
[Conv1D(12, 3, Padding = Padding.Causal)]
[Flatten]
[Dense(2)]
public partial class OddChannelSignalGatheredNet;

/// <summary>7 channels from 16 filters, 3x3 'same': 3 positions a block at 512 bits, one position of 4 vectors of filters at 128.</summary>
[Network]
[Input(7, 9, 7)]
[Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[GlobalAvgPool]
[Dense(2)]
public partial class SevenChannelGatheredNet;
