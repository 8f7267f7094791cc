namespace CnnGen.Generators.Model;

/// <summary>Every layer kind. Mirrors CnnGen.LayerKind in the runtime (a test checks that names and values agree).</summary>
internal enum LayerKind
{
    Conv1D,
    Conv2D,
    MaxPool1D,
    MaxPool2D,
    AvgPool1D,
    AvgPool2D,
    GlobalMaxPool,
    GlobalAvgPool,
    Flatten,
    Dense,
    Activation,
    Add,
    Multiply,
    Concatenate,

    // Padding and resampling: 20-29.
    ZeroPadding1D = 20,
    ZeroPadding2D = 21,
    UpSampling1D = 22,
    UpSampling2D = 23,

    // Depthwise, grouped and transposed convolutions: 30-39.
    DepthwiseConv1D = 30,
    DepthwiseConv2D = 31,
    Conv1DTranspose = 32,
    Conv2DTranspose = 33,

    // Normalisation and regularisation: 40-49.
    BatchNormalization = 40,
    Dropout = 41,
}
