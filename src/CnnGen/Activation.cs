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
}
