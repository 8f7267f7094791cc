using System;
using System.Collections.Generic;

namespace CnnGen;

/// <summary>
/// One layer of a generated network as the generator resolved it: shapes, window, padding and
/// where its parameters sit in <see cref="INetwork.Parameters"/>. Used by weight files,
/// importers and the ONNX exporter.
/// </summary>
public sealed class LayerInfo
{
    /// <summary>The layer kind.</summary>
    public required LayerKind Kind { get; init; }

    /// <summary>The layer name, e.g. conv2d_1.</summary>
    public required string Name { get; init; }

    /// <summary>The input shape of one sample, in the network's data format (of the first input, for merges).</summary>
    public required IReadOnlyList<int> InputShape { get; init; }

    /// <summary>The output shape of one sample, in the network's data format.</summary>
    public required IReadOnlyList<int> OutputShape { get; init; }

    /// <summary>
    /// The names of the layers whose outputs this layer reads (<c>"input"</c>: the network's
    /// input), in order. Empty when the layer reads the previous layer's output (or the input,
    /// for the first layer), as every layer of a chain does. <see cref="NetworkArchitecture.LayerInputs"/>
    /// resolves both cases to layer indices.
    /// </summary>
    public IReadOnlyList<string> Inputs { get; init; } = Array.Empty<string>();

    /// <summary>Spatial dimensions of the input: 0 (vector), 1 (sequence) or 2 (image).</summary>
    public int SpatialRank => InputShape.Count - 1;

    /// <summary>Kernel or pool height (1 for 1-D layers).</summary>
    public int KernelHeight { get; init; } = 1;

    /// <summary>Kernel or pool width (the length for 1-D layers).</summary>
    public int KernelWidth { get; init; } = 1;

    /// <summary>Vertical stride.</summary>
    public int StrideHeight { get; init; } = 1;

    /// <summary>Horizontal stride.</summary>
    public int StrideWidth { get; init; } = 1;

    /// <summary>Vertical dilation.</summary>
    public int DilationHeight { get; init; } = 1;

    /// <summary>Horizontal dilation.</summary>
    public int DilationWidth { get; init; } = 1;

    /// <summary>The padding mode as declared.</summary>
    public Padding Padding { get; init; }

    /// <summary>Cells of padding above the input (zero padding: rows of zeros added above).</summary>
    public int PadTop { get; init; }

    /// <summary>Cells of padding below the input.</summary>
    public int PadBottom { get; init; }

    /// <summary>Cells of padding left of the input (before, for 1-D).</summary>
    public int PadLeft { get; init; }

    /// <summary>Cells of padding right of the input (after, for 1-D).</summary>
    public int PadRight { get; init; }

    /// <summary>
    /// Pooling rounds its output size up (PyTorch's ceil_mode): the last window may reach past
    /// <see cref="PadBottom"/> and <see cref="PadRight"/>, but never starts in that padding.
    /// </summary>
    public bool CeilMode { get; init; }

    /// <summary>
    /// Average pooling divides by the whole window, padding included, as PyTorch's default
    /// count_include_pad=True (cells past the declared padding, which ceil mode can reach, do not count).
    /// False: by the real cells only, as Keras.
    /// </summary>
    public bool CountPadding { get; init; }

    /// <summary>Global pooling keeps the spatial dimensions, as 1: its output is 1x1xC (1xC in 1-D) rather than C.</summary>
    public bool KeepDims { get; init; }

    /// <summary>
    /// Convolution groups (1: none): group g reads input channels g * c / groups... and writes
    /// filters g * f / groups...; the kernel shape is (kh, kw, c / groups, f).
    /// </summary>
    public int Groups { get; init; } = 1;

    /// <summary>
    /// Transposed convolutions: rows added after the output (PyTorch's <c>output_padding</c>),
    /// so that the output height is <c>(h - 1) * stride + (kernel - 1) * dilation + 1 - PadTop - PadBottom + OutputPaddingHeight</c>.
    /// Includes what padding 'same' adds when the kernel is smaller than the stride. 0 for other layers.
    /// </summary>
    public int OutputPaddingHeight { get; init; }

    /// <summary>Transposed convolutions: columns (1-D: positions) added after the output, as <see cref="OutputPaddingHeight"/>.</summary>
    public int OutputPaddingWidth { get; init; }

    /// <summary>The fused activation (or the activation of an Activation layer).</summary>
    public Activation Activation { get; init; }

    /// <summary>Whether the layer has a bias.</summary>
    public bool UseBias { get; init; }

    /// <summary>Where the kernel starts in the network's parameters (for layers without parameters: where the next layer's start).</summary>
    public int ParameterOffset { get; init; }

    /// <summary>The number of kernel weights.</summary>
    public int KernelLength { get; init; }

    /// <summary>The number of biases.</summary>
    public int BiasLength { get; init; }

    /// <summary>Kernel weights plus biases.</summary>
    public int ParameterCount => KernelLength + BiasLength;

    /// <summary>The kernel shape in Keras layout: (kh, kw, cin, filters), (k, cin, filters) or (in, units); empty without parameters.</summary>
    public IReadOnlyList<int> KernelShape { get; init; } = Array.Empty<int>();

    /// <summary>Glorot fan-in: receptive field x input channels, or input units; 0 without parameters.</summary>
    public int FanIn => KernelShape.Count < 2 ? 0 : Kind == LayerKind.Dense ? KernelShape[0] : KernelHeight * KernelWidth * KernelShape[^2];

    /// <summary>Glorot fan-out: receptive field x filters, or units; 0 without parameters.</summary>
    public int FanOut => KernelShape.Count < 2 ? 0 : Kind == LayerKind.Dense ? KernelShape[1] : KernelHeight * KernelWidth * KernelShape[^1];

    /// <summary>Multiply-adds per sample.</summary>
    public long MultiplyAdds { get; init; }

    // Batch normalisation: state and options (zero or default for other layers).

    /// <summary>Where the layer's state (moving mean, then moving variance) starts in <see cref="INetwork.State"/>.</summary>
    public int StateOffset { get; init; }

    /// <summary>Floats of state: 2 x channels for batch normalisation, 0 otherwise.</summary>
    public int StateLength { get; init; }

    /// <summary>Batch normalisation's momentum of the moving statistics (Keras semantics: 0.99 keeps 99% of the old value).</summary>
    public float Momentum { get; init; }

    /// <summary>Batch normalisation's epsilon, added to the variance.</summary>
    public float Epsilon { get; init; }

    /// <summary>Batch normalisation: whether the layer has gamma (the kernel, one per channel).</summary>
    public bool Scale { get; init; }

    /// <summary>Dropout: the probability of zeroing a value in training mode (0 for other layers).</summary>
    public float Rate { get; init; }

    /// <summary>Dropout: the seed of its masks.</summary>
    public int Seed { get; init; }

    /// <summary>Up-sampling: the factor of the height (1 for 1-D layers and other layers).</summary>
    public int UpSamplingHeight { get; init; } = 1;

    /// <summary>Up-sampling: the factor of the width, or of the length of a sequence (1 for other layers).</summary>
    public int UpSamplingWidth { get; init; } = 1;

    /// <summary>Up-sampling: nearest (also the value of other layers) or bilinear (linear in 1-D), with half-pixel centres.</summary>
    public Interpolation Interpolation { get; init; }

    /// <summary>Batch normalisation: whether the layer has beta (the bias, one per channel).</summary>
    public bool Center => UseBias;
}
