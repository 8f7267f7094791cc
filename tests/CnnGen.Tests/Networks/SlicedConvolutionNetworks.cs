namespace CnnGen.Tests.Networks;

/// <summary>
/// Convolutions whose filter groups' weights exceed 64 KB, so their forward runs the input
/// channels in slices at every vector width (3x3x256 with 80 filters: 4 slices of 64 at 256
/// bits, 2 of 128 at 128 bits, 8 of 32 at 512 bits, where 80 filters make an overlapping last
/// group of 48). The output is the convolution itself, so every element is compared; 7 columns
/// make a row of 6 plus a last column taken six rows at a time.
/// </summary>
[Network]
[Input(6, 7, 256)]
[Conv2D(80, 3, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class SlicedConvolutionNet;

/// <summary>
/// See <see cref="SlicedConvolutionNet"/>: 32 filters with leaky relu in the last slice, then a
/// convolution sliced at 512 bits only (3x3x32 with 64 filters: 2 slices of 16) whose tanh runs
/// as a separate pass after the slices.
/// </summary>
[Network]
[Input(6, 7, 256)]
[Conv2D(32, 3, Padding = Padding.Same, Activation = Activation.LeakyRelu)]
[Conv2D(64, 3, Padding = Padding.Same, Activation = Activation.Tanh)]
public partial class SlicedConvolutionChainNet;

/// <summary>A sliced Conv1D, channels first (256 channels x 20 steps, 40 filters of 5 taps).</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(256, 20)]
[Conv1D(40, 5, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class SlicedSignalNet;

/// <summary>
/// Kernels over 256 KB, whose input gradient runs channel group by channel group and tap by
/// tap: 64 channels to 128 filters on a 7-wide map (the last column blocked across rows), then
/// a 1-D layer of 256 filters reading 32 channels.
/// </summary>
[Network]
[Input(5, 7, 64)]
[Conv2D(128, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[GlobalAvgPool]
[Dense(2)]
public partial class TapByTapGradientNet;

/// <summary>A 1-D layer of 256 filters on 32 channels (a 295 KB kernel): its input gradient runs tap by tap.</summary>
[Network]
[Input(20, 32)]
[Conv1D(256, 9, Padding = Padding.Same, Activation = Activation.Tanh)]
[GlobalAvgPool]
[Dense(2)]
public partial class TapByTapGradientSignalNet;

/// <summary>
/// A sliced convolution whose output per sample and filter group (36x30 positions x 64 filters,
/// 270 KB) exceeds the sample block's 256 KB: at 512 bits each sample is a block of its own,
/// packs the weights again and keeps its partial sums in the cache across the 2 slices of 16
/// channels, so a batch of 4 runs 4 blocks.
/// </summary>
[Network]
[Input(36, 30, 32)]
[Conv2D(64, 3, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class SlicedSampleBlockNet;

/// <summary>
/// Kernels over 512 KB on rows shorter than a block: each input-channel slice's weights are
/// packed for every filter group at once (read row by row) at every width. The first layer's
/// 3x3 map runs in blocks of whole rows and a last row; the second's 2x2 map in one block.
/// </summary>
[Network]
[Input(3, 3, 128)]
[Conv2D(256, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2D(256, 2)]
public partial class ShortRowSlicedNet;

/// <summary>
/// A residual block of two deep convolutions that pack every filter group's slice into the
/// forward scratch: its inference workspace (tensors sharing memory) puts the scratch after
/// fewer floats per sample than the default one.
/// </summary>
[Network]
[Input(5, 7, 128)]
[Conv2D(128, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2D(128, 3, Padding = Padding.Same, Name = "second")]
[Add("second", "input", Activation = Activation.Relu)]
[GlobalAvgPool]
[Dense(3)]
public partial class SlicedResidualNet;

/// <summary>
/// A deep convolution that packs every filter group's slice at every width, with a batch
/// normalisation and relu that inference folds into its stores, in a residual block whose second
/// convolution reads a 2x2 map (one block of all positions): PackWeights keeps both kernels packed.
/// </summary>
[Network]
[Input(3, 3, 128)]
[Conv2D(256, 3, Padding = Padding.Same, UseBias = false)]
[BatchNormalization]
[Activation(Activation.Relu, Name = "normalized")]
[Conv2D(256, 3, Padding = Padding.Same, Name = "second")]
[Add("second", "normalized", Activation = Activation.Relu)]
[Conv2D(256, 2)]
[Flatten]
[Dense(3)]
public partial class PackedNormalizedNet;

/// <summary>
/// A 1x1 convolution whose 614 KB kernel fits one filter group's slice at every width but is
/// streamed (ConvolutionForwardEmitter.StreamedSlices): two slices of 80 input channels, every
/// group's slice packed at once, hard swish applied in the last slice's stores in inference
/// (MobileNetV3's 7x7x160 to 960 layers, on 5x7).
/// </summary>
[Network]
[Input(5, 7, 160)]
[Conv2D(960, 1, Activation = Activation.HardSwish)]
public partial class StreamedPointwiseNet;
