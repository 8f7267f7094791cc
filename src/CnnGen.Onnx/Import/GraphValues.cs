using Onnx;

namespace CnnGen.Onnx;

/// <summary>What an ONNX value is while the graph is mapped: a constant, a feature map of the network, or a pattern half seen.</summary>
internal abstract class GraphValue
{
    /// <summary>How many reads of this value are still to come (as data: Shape does not count), from nodes and the graph output.</summary>
    public int Uses { get; set; }
}

/// <summary>An initializer, a Constant node, or a value computed from constants (a shape, a reshaped weight).</summary>
internal sealed class ConstantValue(ConstTensor tensor) : GraphValue
{
    public ConstTensor Tensor { get; } = tensor;
}

/// <summary>
/// A tensor the network computes: the network input or a layer's output, per sample (the batch
/// dimension left out), in ONNX's N x C x spatial layout.
/// </summary>
internal sealed class FeatureValue(LayerDraft? producer, int[] dims) : GraphValue
{
    /// <summary>The layer whose output this is; null for the network input.</summary>
    public LayerDraft? Producer { get; } = producer;

    /// <summary>ONNX's shape without the batch dimension: (C, H, W), (C, L) or (units).</summary>
    public int[] Dims { get; } = dims;

    /// <summary>
    /// A global pooling's output that ONNX keeps as C x 1 x 1 while CnnGen's global pooling
    /// gives the channel vector C: the same numbers in the same order. Flatten and Reshape to
    /// N x -1 take it as it is; a layer that needs the C x 1 x 1 map waits for keep_dims.
    /// </summary>
    public bool PooledKeepDims { get; init; }

    /// <summary>Every value is at least 0 (after relu, sigmoid, softplus or softmax): zero padding cannot change a maximum.</summary>
    public bool NonNegative { get; init; }

    /// <summary>The shape CnnGen gives the tensor (channels first): as <see cref="Dims"/>, or the channel vector for a pooled C x 1 x 1.</summary>
    public int[] NetworkDims => PooledKeepDims ? [Dims[0]] : Dims;

    /// <summary>The spatial rank in ONNX's terms: 0 for a vector, 1 for C x L, 2 for C x H x W.</summary>
    public int SpatialRank => Dims.Length - 1;
}

/// <summary>Sigmoid(x) whose only reader is Mul(x, Sigmoid(x)): the first half of silu.</summary>
internal sealed class SigmoidGate(FeatureValue input, NodeProto node) : GraphValue
{
    public FeatureValue Input { get; } = input;

    public NodeProto Node { get; } = node;
}

/// <summary>A constant zero Pad of the spatial dimensions, waiting for the convolution or pooling that reads it to take its pads.</summary>
internal sealed class PaddedValue(FeatureValue input, int[] before, int[] after, NodeProto node) : GraphValue
{
    public FeatureValue Input { get; } = input;

    /// <summary>Cells added before each spatial dimension.</summary>
    public int[] Before { get; } = before;

    /// <summary>Cells added after each spatial dimension.</summary>
    public int[] After { get; } = after;

    public NodeProto Node { get; } = node;
}
