namespace CnnGen;

/// <summary>The kind of a layer, one per layer attribute.</summary>
public enum LayerKind
{
    /// <summary>A 1-D convolution.</summary>
    Conv1D,
    /// <summary>A 2-D convolution.</summary>
    Conv2D,
    /// <summary>1-D max pooling.</summary>
    MaxPool1D,
    /// <summary>2-D max pooling.</summary>
    MaxPool2D,
    /// <summary>1-D average pooling.</summary>
    AvgPool1D,
    /// <summary>2-D average pooling.</summary>
    AvgPool2D,
    /// <summary>The maximum over all spatial positions.</summary>
    GlobalMaxPool,
    /// <summary>The mean over all spatial positions.</summary>
    GlobalAvgPool,
    /// <summary>Flattening to a vector.</summary>
    Flatten,
    /// <summary>A fully connected layer.</summary>
    Dense,
    /// <summary>An activation as a layer of its own.</summary>
    Activation,
    /// <summary>The element-wise sum of two or more layers' outputs.</summary>
    Add,
    /// <summary>The element-wise product of two or more layers' outputs.</summary>
    Multiply,
    /// <summary>Two or more layers' outputs joined along the channel axis.</summary>
    Concatenate,

    // Padding and resampling: 20-29.

    /// <summary>Zeros added before and after a sequence.</summary>
    ZeroPadding1D = 20,
    /// <summary>Zeros added around an image (top, bottom, left, right).</summary>
    ZeroPadding2D = 21,
    /// <summary>A sequence stretched by a whole factor (nearest or linear interpolation).</summary>
    UpSampling1D = 22,
    /// <summary>An image enlarged by whole factors per axis (nearest or bilinear interpolation).</summary>
    UpSampling2D = 23,

    /// <summary>A 1-D depthwise convolution: each input channel convolved with its own kernels.</summary>
    DepthwiseConv1D = 30,
    /// <summary>A 2-D depthwise convolution: each input channel convolved with its own kernels.</summary>
    DepthwiseConv2D = 31,
    /// <summary>A 1-D transposed convolution (the adjoint of Conv1D: a sequence stretched by its stride).</summary>
    Conv1DTranspose = 32,
    /// <summary>A 2-D transposed convolution (the adjoint of Conv2D: an image enlarged by its strides).</summary>
    Conv2DTranspose = 33,

    // Normalisation and regularisation: 40-49.

    /// <summary>Batch normalisation: each channel normalised by batch statistics (training) or moving statistics (inference), then scaled and shifted.</summary>
    BatchNormalization = 40,
    /// <summary>Inverted dropout: identity in inference; in training, each value zeroed with probability rate and the rest scaled by 1 / (1 - rate).</summary>
    Dropout = 41,
}
