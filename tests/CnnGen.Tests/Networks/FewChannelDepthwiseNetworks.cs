namespace CnnGen.Tests.Networks;

/// <summary>
/// Depthwise layers of 3 channels swept as runs of floats: rows of 70 x 3 = 210 floats (whole
/// blocks at every width, the rest, and a last vector shifted back over the one before), a
/// stride of 2 down the columns with a fused relu, then a 2x3 kernel dilated 2 along the row
/// without a bias (each tap 6 floats on).
/// </summary>
[Network]
[Input(7, 70, 3)]
[DepthwiseConv2D(3, Strides = new[] { 2, 1 }, Padding = Padding.Same, Activation = Activation.Relu)]
[DepthwiseConv2D(2, 3, Dilations = new[] { 1, 2 }, UseBias = false)]
public partial class RgbRowRunNet;

/// <summary>A grey image (1 channel): a 5x5 kernel on rows of 20 floats (one whole vector of 16 and one shifted back), tanh.</summary>
[Network]
[Input(9, 20, 1)]
[DepthwiseConv2D(5, Padding = Padding.Same, Activation = Activation.Tanh)]
public partial class GreyRowRunNet;

/// <summary>Two channels, channels-first, a 3x3 kernel dilated 2 ('same'): rows of 18 floats, the channels' period within every vector.</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(2, 6, 9)]
[DepthwiseConv2D(3, Dilation = 2, Padding = Padding.Same)]
public partial class TwoChannelRowRunNetChannelsFirst;

/// <summary>A 1-D signal of 3 channels, causal, a kernel of 7 dilated 3 (the kernel gradient's taps in passes).</summary>
[Network]
[Input(90, 3)]
[DepthwiseConv1D(7, Padding = Padding.Causal, Dilation = 3, Activation = Activation.Elu)]
public partial class FewChannelSignalNet;

/// <summary>
/// Kernels too large to unroll on runs: a 7x7 kernel on 3 channels (kernel rows in a loop over
/// rows of 96 floats, the kernel gradient a tap at a time) and a kernel of 30 on 1 channel (every
/// tap in a loop).
/// </summary>
[Network]
[Input(8, 32, 3)]
[DepthwiseConv2D(7, Padding = Padding.Same)]
public partial class LargeKernelRowRunNet;

/// <summary>See <see cref="LargeKernelRowRunNet"/>.</summary>
[Network]
[Input(400, 1)]
[DepthwiseConv1D(30, Activation = Activation.Relu)]
public partial class LongKernelRowRunNet;

/// <summary>A depthwise layer of 3 channels without a bias, its batch normalisation folded into it in inference (tiled scales and shifts).</summary>
[Network]
[Input(6, 11, 3)]
[DepthwiseConv2D(3, Padding = Padding.Same, UseBias = false)]
[BatchNormalization]
[Activation(Activation.Relu)]
public partial class FoldedRowRunNet;

/// <summary>
/// A stride of 2 along the row on 3 channels (the row run at stride 1 on the stack, every second
/// position kept; the gradients spread over it with zeros between): 'same' on an odd width of 33,
/// then a 2x3 kernel dilated 2 along the row at strides 2x2; and 1-D, causal, stride 2 on 2 channels.
/// </summary>
[Network]
[Input(7, 33, 3)]
[DepthwiseConv2D(3, Strides = new[] { 1, 2 }, Padding = Padding.Same, Activation = Activation.Relu)]
[DepthwiseConv2D(2, 3, Strides = new[] { 2, 2 }, Dilations = new[] { 1, 2 })]
public partial class StridedRowRunNet;

/// <summary>See <see cref="StridedRowRunNet"/>.</summary>
[Network]
[Input(41, 2)]
[DepthwiseConv1D(4, Stride = 2, Padding = Padding.Causal, UseBias = false)]
public partial class StridedRowRunSignalNet;

/// <summary>
/// Few channels whose rows are not runs, run as convolutions of one group per channel (blocks of
/// floats where a group has fewer than 4 filters): rows of 3 floats (shorter than any vector), a
/// stride of 3 along the row, a depth multiplier of 2.
/// </summary>
[Network]
[Input(6, 3, 1)]
[DepthwiseConv2D(3, Padding = Padding.Same)]
[DepthwiseConv2D(3, Strides = new[] { 1, 2 }, Padding = Padding.Same, DepthMultiplier = 2)]
[DepthwiseConv2D(2, Strides = new[] { 1, 3 })]
public partial class GroupedFewChannelNet;

/// <summary>
/// A depth multiplier of 4 or more on few channels, run as a grouped convolution with vectors of
/// a group's filters: a grey image times 8 (the convolution of one input channel: positions in
/// the lanes), then 8 channels of a vector.
/// </summary>
[Network]
[Input(10, 21, 1)]
[DepthwiseConv2D(3, Padding = Padding.Same, DepthMultiplier = 8, Activation = Activation.Relu)]
[DepthwiseConv2D(3, Strides = new[] { 2, 2 })]
public partial class MultipliedGreyNet;

/// <summary>See <see cref="MultipliedGreyNet"/>: 3 channels times 4, strides 2 and dilations 2, no bias, its batch normalisation folded into it in inference.</summary>
[Network]
[Input(11, 17, 3)]
[DepthwiseConv2D(5, Strides = new[] { 2, 2 }, Dilation = 2, Padding = Padding.Same, DepthMultiplier = 4, UseBias = false)]
[BatchNormalization]
[Activation(Activation.Relu6)]
public partial class FoldedMultipliedRgbNet;

/// <summary>See <see cref="MultipliedGreyNet"/>: 1-D, channels first, 3 channels times 3, causal, dilated 2 (blocks of floats, 3 filters a group).</summary>
[Network(DataFormat = DataFormat.ChannelsFirst)]
[Input(3, 50)]
[DepthwiseConv1D(5, Padding = Padding.Causal, Dilation = 2, DepthMultiplier = 3, Activation = Activation.Tanh)]
public partial class MultipliedSignalNetChannelsFirst;

/// <summary>
/// A graph around depthwise layers run as grouped convolutions: one reads the network input, whose
/// gradient a shortcut (the Add) also writes; a second reads the sum at a stride of 3 along the row
/// and is concatenated with the sum's other reader.
/// </summary>
[Network]
[Input(9, 10, 2)]
[DepthwiseConv2D(3, Padding = Padding.Same, DepthMultiplier = 4, Activation = Activation.Relu)] // 9x10x8
[Conv2D(2, 1, Name = "project")] // 9x10x2
[Add("project", "input", Name = "sum")] // 9x10x2
[DepthwiseConv2D(3, Strides = new[] { 1, 3 }, Padding = Padding.Same, DepthMultiplier = 2, Name = "strided")] // 9x4x4
[MaxPool2D(1, 3, Padding = Padding.Same, From = "sum", Name = "pooled")] // 9x4x2
[Concatenate("strided", "pooled")] // 9x4x6
public partial class GroupedDepthwiseGraphNet;
