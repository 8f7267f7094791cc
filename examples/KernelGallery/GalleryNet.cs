using CnnGen;

namespace KernelGallery;

/// <summary>
/// One convolution and nothing else: each of its 11 filters is a hand-made kernel from
/// <see cref="HandMadeKernels.All"/>, so each output feature map answers one question about every
/// 5x5 window of the photograph ("how much does this window look like a vertical edge?").
/// The kernels are 5x5 because the Gaussian blur needs it; the 3x3 ones sit in the centre,
/// surrounded by zeros. 'Same' padding keeps every map the size of the photograph.
/// The input size is part of the generated code: photographs are scaled to 480x320 first.
/// </summary>
[Network]
[Input(Photo.Height, Photo.Width, 1)]
[Conv2D(11, 5, Padding = Padding.Same, UseBias = false)]
public partial class GalleryNet;
