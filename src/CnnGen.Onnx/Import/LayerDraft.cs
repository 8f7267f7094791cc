using System;
using System.Collections.Generic;

namespace CnnGen.Onnx;

/// <summary>
/// A CnnGen layer while the graph is mapped: what the nodes it came from say, in CnnGen's terms
/// (kernels already in Keras layout). Later nodes may still fuse an activation or a bias into it.
/// Shapes are channels first, as the imported network's data format.
/// </summary>
internal sealed class LayerDraft(LayerKind kind, int[] inputShape, int[] outputShape)
{
    public LayerKind Kind { get; } = kind;

    /// <summary>The ONNX nodes this layer implements, the one that names it first.</summary>
    public List<global::Onnx.NodeProto> Nodes { get; } = [];

    /// <summary>The layers it reads, by draft (null: the network input): one, or a merge's inputs in order.</summary>
    public List<LayerDraft?> Inputs { get; } = [];

    public int[] InputShape { get; } = inputShape;

    public int[] OutputShape { get; } = outputShape;

    /// <summary>Window, strides and dilations per spatial dimension (empty for layers without a window).</summary>
    public int[] Window { get; init; } = [];

    public int[] Strides { get; init; } = [];

    public int[] Dilations { get; init; } = [];

    public Padding Padding { get; init; } = Padding.Valid;

    /// <summary>Padding before and after each spatial dimension, as the padding mode gives it.</summary>
    public int[] PadBefore { get; init; } = [];

    public int[] PadAfter { get; init; } = [];

    /// <summary>Transposed convolutions: cells added after the output per spatial dimension (output_padding; empty for other layers).</summary>
    public int[] OutputPadding { get; init; } = [];

    /// <summary>The pads are declared (pad, pads) rather than a padding mode's.</summary>
    public bool ExplicitPads { get; init; }

    /// <summary>Pooling rounds its output up (ceil_mode).</summary>
    public bool CeilMode { get; init; }

    /// <summary>Average pooling divides by the whole window within the pads (count_include_pad, or a Pad node's zeros).</summary>
    public bool CountPadding { get; init; }

    public Activation Activation { get; set; } = Activation.Linear;

    /// <summary>The kernel in Keras layout: (kh, kw, in, out), (k, in, out) or (in, units) ((kh, kw, out, in) for a transposed convolution); null without parameters.</summary>
    public float[]? Kernel { get; init; }

    /// <summary>The kernel's shape in Keras layout.</summary>
    public int[] KernelShape { get; init; } = [];

    /// <summary>The bias, or null for a layer without one (use_bias: false).</summary>
    public float[]? Bias { get; set; }

    /// <summary>Convolutions and dense layers take a fused bias, and a batch normalisation folded into their kernel and bias.</summary>
    public bool TakesBias => Kind is LayerKind.Conv1D or LayerKind.Conv2D or LayerKind.Dense or LayerKind.DepthwiseConv1D or LayerKind.DepthwiseConv2D
        or LayerKind.Conv1DTranspose or LayerKind.Conv2DTranspose;

    /// <summary>
    /// The output channel of the kernel's element <paramref name="index"/> (Keras layout): the
    /// last index (a depthwise kernel's last two), or for a transposed convolution, whose kernel
    /// is (k..., filters, in), the one before it.
    /// </summary>
    public int OutputChannelOf(int index, int channels) =>
        Kind is LayerKind.Conv1DTranspose or LayerKind.Conv2DTranspose ? index / KernelShape[^1] % channels : index % channels;

    /// <summary>Convolutions, dense layers and the add merge take a fused activation (ResNet's relu after the shortcut).</summary>
    public bool TakesActivation => TakesBias || Kind == LayerKind.Add;

    /// <summary>Up-sampling: the factor of each spatial dimension.</summary>
    public int[] UpSampling { get; init; } = [];

    /// <summary>Up-sampling: nearest or bilinear (linear in 1-D) with half-pixel centres.</summary>
    public Interpolation Interpolation { get; init; }

    /// <summary>A global pooling that keeps its spatial dimensions as 1 (C x 1 x 1): a convolution or a merge reads it.</summary>
    public bool KeepDims { get; init; }

    /// <summary>A grouped convolution's groups (ONNX's group); 1 otherwise.</summary>
    public int Groups { get; init; } = 1;

    public int SpatialRank => Window.Length;

    /// <summary>
    /// Values the layer keeps besides its parameters: batch normalisation's moving mean, then
    /// its moving variance; null for layers without state.
    /// </summary>
    public float[]? State { get; init; }

    /// <summary>Batch normalisation's momentum (Keras's and ONNX's: the share of the old moving statistics kept).</summary>
    public float Momentum { get; init; }

    /// <summary>Batch normalisation's epsilon.</summary>
    public float Epsilon { get; init; }

    /// <summary>The node that names the layer.</summary>
    public global::Onnx.NodeProto NamingNode => Nodes.Count > 0 ? Nodes[0] : throw new InvalidOperationException("A layer without a node.");
}
