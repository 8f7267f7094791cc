using System;

namespace CnnGen;

/// <summary>
/// A view of one layer's kernel and bias (and their gradients) inside a network's
/// <see cref="INetwork.Parameters"/>: writing to <see cref="Kernel"/> changes the network.
/// </summary>
public readonly struct LayerParameters
{
    private readonly float[] _parameters;
    private readonly int _parametersOrigin;
    private readonly float[] _gradients;
    private readonly int[] _kernelShape;

    /// <summary>Used by generated code.</summary>
    public LayerParameters(string name, float[] parameters, float[] gradients, int offset, int kernelLength, int biasLength, int[] kernelShape)
        : this(name, parameters, 0, gradients, offset, kernelLength, biasLength, kernelShape)
    {
    }

    /// <summary>Used by generated code: the network's parameters start at <paramref name="parametersOrigin"/> of <paramref name="parameters"/> (see <c>AlignedMemory.Origin</c>).</summary>
    public LayerParameters(string name, float[] parameters, int parametersOrigin, float[] gradients, int offset, int kernelLength, int biasLength, int[] kernelShape)
    {
        Name = name;
        _parameters = parameters;
        _parametersOrigin = parametersOrigin;
        _gradients = gradients;
        Offset = offset;
        KernelLength = kernelLength;
        BiasLength = biasLength;
        _kernelShape = kernelShape;
    }

    /// <summary>The layer name.</summary>
    public string Name { get; }

    /// <summary>Where the kernel starts in the network's parameters.</summary>
    public int Offset { get; }

    /// <summary>The number of kernel weights.</summary>
    public int KernelLength { get; }

    /// <summary>The number of biases (0 without bias).</summary>
    public int BiasLength { get; }

    /// <summary>The kernel in Keras layout: (kh, kw, cin, filters), (k, cin, filters) or (in, units).</summary>
    public Span<float> Kernel => _parameters.AsSpan(_parametersOrigin + Offset, KernelLength);

    /// <summary>One bias per output channel or unit.</summary>
    public Span<float> Bias => _parameters.AsSpan(_parametersOrigin + Offset + KernelLength, BiasLength);

    /// <summary>dL/d(kernel) from the last Backward, same layout as <see cref="Kernel"/>.</summary>
    public Span<float> KernelGradient => _gradients.AsSpan(Offset, KernelLength);

    /// <summary>dL/d(bias) from the last Backward.</summary>
    public Span<float> BiasGradient => _gradients.AsSpan(Offset + KernelLength, BiasLength);

    /// <summary>The kernel shape in Keras layout.</summary>
    public ReadOnlySpan<int> KernelShape => _kernelShape;
}
