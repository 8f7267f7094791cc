namespace CnnGen.Tests.Networks;

// Layers of 1 to 3 filters or units on many inputs, whose forward sums each output as a dot
// product over vectors of inputs (the lanes summed at the end, four outputs at a time) and whose
// kernel gradient runs vectors of inputs times each output gradient broadcast.

/// <summary>
/// A segmentation head: 3 filters of 1x1 on 40 channels (two and a half 16-float vectors: the last
/// one shifted back and masked), rows of 7 positions (a block of 4 and a rest of 3, whose 9 outputs
/// end in two sums of four and a single one), then one filter on those 3 channels, too few for a
/// vector, which keeps the filter-blocked path.
/// </summary>
[Network]
[Input(9, 7, 40)]
[Conv2D(3, 1, Activation = Activation.Relu)]
[Conv2D(1, 1, Activation = Activation.Tanh)]
public partial class PointwiseHeadNet;

/// <summary>
/// 2 filters of 3x3 with a stride of 2 and same padding on 5 channels (a framed input; runs of 15
/// inputs per kernel row), then 1 filter of 3x3 dilated by 2 across the rows with a stride of 2 there
/// (a run per tap: the 2 channels are too few for a vector, so it keeps the filter-blocked path).
/// </summary>
[Network]
[Input(11, 12, 5)]
[Conv2D(2, 3, Stride = 2, Padding = Padding.Same)]
[Conv2D(1, 3, Strides = new[] { 1, 2 }, Dilations = new[] { 1, 2 }, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class StridedFewFilterNet;

/// <summary>
/// 3 filters dilated by 2 across the rows with a stride of 2 there, on 12 channels: a run of 12
/// inputs per tap (one 8-float vector and a masked one at 512 and 256 bits, three of 4 at 128).
/// </summary>
[Network]
[Input(8, 13, 12)]
[Conv2D(3, 3, Strides = new[] { 1, 2 }, Dilations = new[] { 1, 2 }, Activation = Activation.Relu6)]
public partial class DilatedFewFilterNet;

/// <summary>A Conv1D of one filter of 7 with a stride of 3 on 8 channels, channels first (runs of 56 inputs).</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(8, 64)]
[Conv1D(1, 7, Stride = 3, Activation = Activation.LeakyRelu)]
public partial class FewFilterSignalNetChannelsFirst;

/// <summary>
/// Dense heads: 3 units on 37 inputs (a masked last vector), 2 units on 20, and a binary
/// classifier's single unit on 600.
/// </summary>
[Network]
[Input(37)]
[Dense(3, Activation = Activation.Relu)]
[Dense(600, Activation = Activation.Tanh)]
[Dense(1, Activation = Activation.Sigmoid)]
public partial class DenseHeadNet;

/// <summary>See <see cref="DenseHeadNet"/>: 2 units on 20 inputs without a bias.</summary>
[Network]
[Input(20)]
[Dense(2, UseBias = false)]
public partial class TwoUnitHeadNet;

/// <summary>One unit on 3,528 inputs: each sum over 3,528 products, split into parts of at most 512 vectors.</summary>
[Network]
[Input(3528)]
[Dense(1)]
public partial class LongDenseHeadNet;

/// <summary>A 1x1 convolution of 2 filters without a bias, its batch normalisation folded into it in inference.</summary>
[Network]
[Input(6, 5, 24)]
[Conv2D(2, 1, UseBias = false)]
[BatchNormalization]
[Activation(Activation.Relu)]
public partial class FoldedFewFilterNet;

/// <summary>Dense layers of 7 units on 100 inputs (a block of one sample) and of 5 on those 7 (two samples a block, a masked 4-float vector).</summary>
[Network]
[Input(100)]
[Dense(7, Activation = Activation.Relu)]
[Dense(5)]
public partial class SevenUnitHeadNet;
