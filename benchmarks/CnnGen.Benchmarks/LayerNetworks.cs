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

// The convolutions of DigitNet, Conv1DNet (and LargeLayer, itself one layer), one at a time, for ConvLayerBenchmarks.

/// <summary>DigitNet conv1: 8x8x1 -> 8x8x8, 3x3 same.</summary>
[Network]
[Input(8, 8, 1)]
[Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class DigitConv1;

/// <summary>DigitNet conv2: 4x4x8 -> 2x2x16, 3x3 valid.</summary>
[Network]
[Input(4, 4, 8)]
[Conv2D(16, 3, Activation = Activation.Relu)]
public partial class DigitConv2;

/// <summary>Conv1DNet conv1: 256x8 -> 256x32, kernel 5, same.</summary>
[Network]
[Input(256, 8)]
[Conv1D(32, 5, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class Conv1DLayer1;

/// <summary>Conv1DNet conv2: 256x32 -> 256x32, kernel 5, dilation 2, same.</summary>
[Network]
[Input(256, 32)]
[Conv1D(32, 5, Dilation = 2, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class Conv1DLayer2;

/// <summary>Conv1DNet conv3: 256x32 -> 256x32, kernel 5, same.</summary>
[Network]
[Input(256, 32)]
[Conv1D(32, 5, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class Conv1DLayer3;

// The 3x3 convolutions of ResNet-18's later stages (channels last, 'same', relu): few positions
// and large kernels (2.4 MB and 9.4 MB), the layers that decide whole imported models.

/// <summary>ResNet-18 stage 2: 28x28x128 -> 28x28x128, 3x3 same.</summary>
[Network]
[Input(28, 28, 128)]
[Conv2D(128, 3, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class ResNetStage2Conv;

/// <summary>ResNet-18 stage 3: 14x14x256 -> 14x14x256, 3x3 same.</summary>
[Network]
[Input(14, 14, 256)]
[Conv2D(256, 3, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class ResNetStage3Conv;

/// <summary>ResNet-18 stage 4: 7x7x512 -> 7x7x512, 3x3 same.</summary>
[Network]
[Input(7, 7, 512)]
[Conv2D(512, 3, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class ResNetStage4Conv;

/// <summary>ResNeXt-50 (32x4d) stage 1's grouped 3x3: 56x56x128 in 32 groups of 4 channels.</summary>
[Network]
[Input(56, 56, 128)]
[Conv2D(128, 3, Padding = Padding.Same, Groups = 32, Activation = Activation.Relu)]
public partial class ResNeXtGroupedConv;

/// <summary>A U-Net decoder's up-convolution: 28x28x128 -> 56x56x64, 2x2 transposed at stride 2 (PyTorch's ConvTranspose2d(128, 64, 2, 2)).</summary>
[Network]
[Input(28, 28, 128)]
[Conv2DTranspose(64, 2, Stride = 2)]
public partial class UNetUpConv;

/// <summary>A decoder's 3x3 transposed convolution at stride 2 with pad 1 and output padding 1: 14x14x256 -> 28x28x128.</summary>
[Network]
[Input(14, 14, 256)]
[Conv2DTranspose(128, 3, Stride = 2, Pad = 1, OutputPadding = 1, Activation = Activation.Relu)]
public partial class DecoderUpConv3x3;

/// <summary>A 3x3 depthwise filter on an RGB image (a blur or edge detector per channel): 64x64x3, 'same'; 3 channels, fewer than any vector.</summary>
[Network]
[Input(64, 64, 3)]
[DepthwiseConv2D(3, Padding = Padding.Same)]
public partial class RgbDepthwiseFilter;

/// <summary>A decoder's last layer to RGB: 32x32x32 -> 64x64x3, a 4x4 transposed convolution at stride 2, 'same'.</summary>
[Network]
[Input(32, 32, 32)]
[Conv2DTranspose(3, 4, Stride = 2, Padding = Padding.Same)]
public partial class DecoderRgbHead;
