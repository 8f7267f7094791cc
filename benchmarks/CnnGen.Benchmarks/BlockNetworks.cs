using CnnGen;

namespace CnnGen.Benchmarks;

// Two blocks of real models declared by hand, channels last, at 56x56: as written for training
// (convolutions without bias, each followed by a batch norm) and in the Conv-ReLU form a
// batch norm folds into for inference (bias and activation in the convolution). The pairs
// compute the same kind of function with the same multiply-adds in the convolutions, so
// "Conv-BN-ReLU in inference is no slower than Conv-ReLU" can be read off their times.

/// <summary>ResNet's basic block at stage 1: 56x56x64, two 3x3 convolutions with batch norm and relu, the input added before the last relu.</summary>
[Network]
[Input(56, 56, 64)]
[Conv2D(64, 3, Padding = Padding.Same, UseBias = false, Name = "conv1")]
[BatchNormalization(Name = "bn1")]
[Activation(Activation.Relu, Name = "relu1")]
[Conv2D(64, 3, Padding = Padding.Same, UseBias = false, Name = "conv2")]
[BatchNormalization(Name = "bn2")]
[Add("bn2", "input", Activation = Activation.Relu, Name = "block")]
public partial class ResNetBasicBlock;

/// <summary>ResNetBasicBlock with its batch norms folded into the convolutions: Conv-ReLU, Conv, Add-ReLU.</summary>
[Network]
[Input(56, 56, 64)]
[Conv2D(64, 3, Padding = Padding.Same, Activation = Activation.Relu, Name = "conv1")]
[Conv2D(64, 3, Padding = Padding.Same, Name = "conv2")]
[Add("conv2", "input", Activation = Activation.Relu, Name = "block")]
public partial class ResNetBasicBlockFused;

/// <summary>
/// MobileNetV2's inverted residual at 56x56x24 (stage 2, expansion 6): 1x1 convolution to 144
/// channels, depthwise 3x3, 1x1 projection back to 24, each with batch norm, relu6 after the
/// first two, and the input added (no activation after the sum).
/// </summary>
[Network]
[Input(56, 56, 24)]
[Conv2D(144, 1, UseBias = false, Name = "expand")]
[BatchNormalization(Name = "bn1")]
[Activation(Activation.Relu6, Name = "relu1")]
[DepthwiseConv2D(3, Padding = Padding.Same, UseBias = false, Name = "depthwise")]
[BatchNormalization(Name = "bn2")]
[Activation(Activation.Relu6, Name = "relu2")]
[Conv2D(24, 1, UseBias = false, Name = "project")]
[BatchNormalization(Name = "bn3")]
[Add("bn3", "input", Name = "block")]
public partial class InvertedResidualBlock;

/// <summary>InvertedResidualBlock with its batch norms folded into the convolutions: Conv-ReLU6, DepthwiseConv-ReLU6, Conv, Add.</summary>
[Network]
[Input(56, 56, 24)]
[Conv2D(144, 1, Activation = Activation.Relu6, Name = "expand")]
[DepthwiseConv2D(3, Padding = Padding.Same, Activation = Activation.Relu6, Name = "depthwise")]
[Conv2D(24, 1, Name = "project")]
[Add("project", "input", Name = "block")]
public partial class InvertedResidualBlockFused;
