namespace CnnGen.Generators.Model;

// Mirrors of the runtime enums (CnnGen.Padding, CnnGen.Activation, CnnGen.DataFormat, CnnGen.Interpolation): the
// generator cannot reference the runtime assembly. Values must match; a test checks them.

internal enum PaddingMode
{
    Valid,
    Same,
    Causal,
}

internal enum ActivationKind
{
    Linear,
    Relu,
    LeakyRelu,
    Elu,
    Sigmoid,
    Tanh,
    Softmax,
    Softplus,
    Silu,
    Relu6,
    HardSigmoid,
    HardSwish,
    Gelu,
}

internal enum DataFormat
{
    ChannelsLast,
    ChannelsFirst,
}

internal enum InterpolationMode
{
    Nearest,
    Bilinear,
}
