namespace CnnGen.Tests.Networks;

/// <summary>
/// Convolutions of fewer than 8 filters on several input channels, whose forward runs
/// vectorised over output positions from a copy of each sample's window in one plane per
/// channel (where a row holds a whole vector of positions at the width: 16 at 512 bits).
/// 16 channels take the transposition in blocks of 8x8 on x86; 5 channels the plane-by-plane
/// copy. The output is the convolution itself, so every element is compared.
/// </summary>
[Network]
[Input(28, 28, 16)]
[Conv2D(6, 5, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class PlanarSixFilterNet;

/// <summary>
/// See <see cref="PlanarSixFilterNet"/>: 3 filters on 5 channels with a bias and no activation,
/// 20 columns (one vector and an overlapping last one at 512 bits), then 2 filters with a stride
/// of 2 down the rows and a 3x5 kernel dilated by 2 across them.
/// </summary>
[Network]
[Input(20, 20, 5)]
[Conv2D(3, 3, Padding = Padding.Same)]
[Conv2D(2, 3, 5, Strides = new[] { 2, 1 }, Dilations = new[] { 1, 2 }, Activation = Activation.Tanh)]
public partial class PlanarStridedNet;

/// <summary>
/// The shape of LeNet-5's input gradient as a forward convolution: 16 channels of 18x18 to 6
/// filters of 5x5, valid. Its 14 columns are less than a 512-bit vector, so only the 256- and
/// 128-bit paths read planes.
/// </summary>
[Network]
[Input(18, 18, 16)]
[Conv2D(6, 5, UseBias = false)]
public partial class PlanarNarrowRowNet;

/// <summary>A Conv1D of 4 filters on 3 channels, dilated, causal, channels first (so the input is transposed first).</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(3, 64)]
[Conv1D(4, 5, Padding = Padding.Causal, Dilation = 2, Activation = Activation.Elu)]
public partial class PlanarSignalNet;

/// <summary>
/// A super-resolution network's last layer: 3 filters on 32x32x32. Its window's planes (37K
/// floats) exceed the stack buffer, so the output runs in two bands of 13 rows (a loop) and a last one of 6,
/// each copying the input rows its windows read; 256-bit vectors at 512 bits (two 16-position
/// vectors would keep only 6 accumulators).
/// </summary>
[Network]
[Input(32, 32, 32)]
[Conv2D(3, 3, Padding = Padding.Same)]
public partial class PlanarBandNet;

/// <summary>See <see cref="PlanarBandNet"/>: two whole bands of 26 rows and a last one of 12.</summary>
[Network]
[Input(64, 16, 32)]
[Conv2D(5, 3, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class PlanarBandLoopNet;

/// <summary>See <see cref="PlanarBandNet"/>: one whole band of 29 rows (no loop) and a last one of 11.</summary>
[Network]
[Input(40, 20, 24)]
[Conv2D(5, 3, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class PlanarOneBandNet;
