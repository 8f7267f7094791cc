namespace CnnGen;

/// <summary>How a convolution or pooling window treats the border of its input (Keras semantics).</summary>
public enum Padding
{
    /// <summary>No padding: the window stays inside the input, so the output shrinks.</summary>
    Valid,
    /// <summary>Zero padding so that the output size is ceil(input / stride); the odd extra cell goes after.</summary>
    Same,
    /// <summary>Conv1D only: pad (kernel - 1) * dilation before the sequence, nothing after.</summary>
    Causal,
}
