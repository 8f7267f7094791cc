namespace CnnGen.Tests.Networks;

/// <summary>
/// Grouped convolutions: 12 channels in 3 groups of 4 to 18 filters (6 a group), then 18 in 2
/// groups of 9 to 8 filters at stride 2, then one channel a group (8 groups, as a depthwise
/// layer with a full kernel layout). Odd group sizes give narrow vectors and single floats.
/// </summary>
[Network]
[Input(9, 10, 12)]
[Conv2D(18, 3, Padding = Padding.Same, Groups = 3, Activation = Activation.Relu)]
[Conv2D(8, 3, Strides = new[] { 2, 2 }, Groups = 2, Activation = Activation.Tanh)]
[Conv2D(8, 1, Groups = 8, Activation = Activation.LeakyRelu)]
[Flatten]
[Dense(3)]
public partial class GroupedConvolutionNet;

/// <summary>
/// Grouped layers large enough for the blocked paths: 32 channels in 8 groups of 4 at 36x36,
/// whose kernel gradient sums one sample at a time (over 64K floats of input and output), and
/// a 7-wide map whose last column is blocked across rows (2 groups of 32 channels, 37 KB of
/// kernel), then one channel a group at stride 2.
/// </summary>
[Network]
[Input(36, 36, 32)]
[Conv2D(32, 3, Padding = Padding.Same, Groups = 8, Activation = Activation.Relu)]
[MaxPool2D(5)]
[Conv2D(64, 3, Padding = Padding.Same, Groups = 2)]
[Conv2D(32, 3, Strides = new[] { 2, 2 }, Pad = 1, Groups = 32)]
[GlobalAvgPool]
[Dense(4)]
public partial class GroupedLargeNet;

/// <summary>Channels-first Conv1D with groups: 6 channels in 3 groups to 9 filters, then 9 in 3 groups, dilated.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(6, 30)]
[Conv1D(9, 5, Padding = Padding.Same, Groups = 3, Activation = Activation.Relu)]
[Conv1D(6, 3, Dilation = 2, Groups = 3)]
[Flatten]
[Dense(2)]
public partial class GroupedSignalNet;

/// <summary>
/// Grouped convolutions as Data/torch/make_reference.py declares them (GroupedTorchNet): 6
/// channels in 3 groups to 9, 9 in 3 groups to 6 at stride 2, one channel a group.
/// </summary>
[Network]
[Input(7, 8, 6)]
[Conv2D(9, 3, Padding = Padding.Same, Groups = 3, Activation = Activation.Relu)]
[Conv2D(6, 3, Strides = new[] { 2, 2 }, Groups = 3, Activation = Activation.Tanh)]
[Conv2D(6, 1, Groups = 6)]
[Flatten]
[Dense(3)]
public partial class GroupedTorchNet;

/// <summary>Grouped Conv1D, channels first, as make_reference.py declares it (GroupedTorchSignalNetChannelsFirst).</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(4, 13)]
[Conv1D(8, 3, Padding = Padding.Same, Groups = 2, Activation = Activation.Tanh)]
[Conv1D(4, 3, Stride = 2, Dilation = 2, Groups = 4)]
[GlobalAvgPool]
[Dense(2)]
public partial class GroupedTorchSignalNetChannelsFirst;
