namespace CnnGen;

/// <summary>An element-wise (or, for softmax, channel-wise) non-linearity.</summary>
public enum Activation
{
    /// <summary>The identity: no activation.</summary>
    Linear,
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>x for x &gt; 0, 0.3 x otherwise (the Keras default slope).</summary>
    LeakyRelu,
    /// <summary>x for x &gt; 0, exp(x) - 1 otherwise.</summary>
    Elu,
    /// <summary>1 / (1 + exp(-x)).</summary>
    Sigmoid,
    /// <summary>The hyperbolic tangent.</summary>
    Tanh,
    /// <summary>exp(x_c) / sum over channels of exp(x_k), computed stably, over the channel axis.</summary>
    Softmax,
    /// <summary>log(1 + exp(x)).</summary>
    Softplus,
    /// <summary>x * sigmoid(x), also called swish.</summary>
    Silu,
    /// <summary>min(max(x, 0), 6).</summary>
    Relu6,
    /// <summary>relu6(x + 3) / 6, as PyTorch's nn.Hardsigmoid and Keras 3 (not Keras 2's 0.2 x + 0.5).</summary>
    HardSigmoid,
    /// <summary>x * relu6(x + 3) / 6, as PyTorch's nn.Hardswish (Keras 3's hard_silu).</summary>
    HardSwish,
    /// <summary>0.5 x (1 + erf(x / sqrt 2)), the exact gelu (PyTorch's nn.GELU() default, Keras's approximate=False).</summary>
    Gelu,
}
