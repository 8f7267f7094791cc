using CnnGen;

namespace Digits;

/// <summary>
/// A small CNN for 8x8 handwritten digits. Two 3x3 convolutions with 'same' padding learn 16,
/// then 32 feature maps of the whole image; pooling halves it to 4x4; a last convolution
/// without padding sees 3x3 windows of that and leaves 2x2x64 features for the classifier.
/// The generator checks every shape while you type: make the last kernel 5 and the build fails
/// with CNN0103, because a 5x5 window does not fit in a 4x4 input.
/// </summary>
[Network]
[Input(8, 8, 1)]
[Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2D(32, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(64, 3, Activation = Activation.Relu)]
[Flatten]
[Dense(10, Activation = Activation.Softmax)]
public partial class DigitNet;
