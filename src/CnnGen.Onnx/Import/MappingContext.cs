using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Onnx;
using AttributeType = Onnx.AttributeProto.Types.AttributeType;

namespace CnnGen.Onnx;

/// <summary>
/// The state of one import while the nodes are mapped in order: what every ONNX value is, the
/// layers so far, and the checks and messages the operator mappings share.
/// </summary>
internal sealed class MappingContext
{
    private readonly Dictionary<string, GraphValue> _values = new(StringComparer.Ordinal);
    private readonly List<LayerDraft> _layers = [];

    public MappingContext(OnnxGraph graph, FeatureValue input)
    {
        Graph = graph;
        input.Uses = graph.DataUses(graph.Input.Name);
        _values[graph.Input.Name] = input;
    }

    public OnnxGraph Graph { get; }

    public IReadOnlyList<LayerDraft> Layers => _layers;

    public int Opset => Graph.Opset;

    // ---- Reading inputs --------------------------------------------------------------------

    /// <summary>Whether the node has its <paramref name="index"/>th input (optional inputs may be missing or named "").</summary>
    public static bool Has(NodeProto node, int index) => index < node.Input.Count && node.Input[index].Length > 0;

    public GraphValue Value(NodeProto node, int index)
    {
        if (!Has(node, index))
        {
            throw Error(node, $"has no input {index + 1}, which it needs");
        }

        var name = node.Input[index];
        if (_values.TryGetValue(name, out var value))
        {
            return value;
        }

        if (Graph.Initializers.TryGetValue(name, out var initializer))
        {
            var constant = new ConstantValue(TensorReader.Read(initializer, $"initializer '{name}'"));
            _values[name] = constant;
            return constant;
        }

        // OnnxGraph checked that every input is defined, so this is a value no mapping defined.
        throw Error(node, $"reads '{name}', which the importer did not map");
    }

    /// <summary>A feature map (or vector) of the network; a pooled C x 1 x 1 only when <paramref name="acceptPooled"/>.</summary>
    public FeatureValue Feature(NodeProto node, int index, bool acceptPooled = false)
    {
        switch (Value(node, index))
        {
            case FeatureValue { PooledKeepDims: true } pooled when !acceptPooled:
                throw Error(node, $"reads the C x 1 x 1 output of global pooling '{pooled.Producer?.NamingNode.Name}' through a Flatten or Reshape that keeps it a map, " +
                    "which the importer does not map");
            case FeatureValue feature:
                return feature;
            case PaddedValue padded:
                return ZeroPadding(padded);
            case SigmoidGate gate:
                throw Error(node, $"reads the output of {OnnxGraph.Describe(gate.Node)} in a way the importer does not map");
            case ActivationPattern pattern:
                throw Error(node, $"reads the output of {OnnxGraph.Describe(pattern.Nodes[^1])} in a way the importer does not map");
            default:
                throw Error(node, $"takes a constant as input {index + 1} ('{node.Input[index]}') where a feature map computed from the network input was expected");
        }
    }

    /// <summary>A constant input (initializer, Constant node, or computed from them); <paramref name="role"/> names it in messages ("the weights").</summary>
    public ConstTensor Constant(NodeProto node, int index, string role) =>
        Value(node, index) is ConstantValue constant
            ? constant.Tensor
            : throw Error(node, $"computes {role} ('{node.Input[index]}') from the network input; the importer needs {role} as an initializer or a constant");

    public ConstTensor? OptionalConstant(NodeProto node, int index, string role) => Has(node, index) ? Constant(node, index, role) : null;

    /// <summary>Integers that must be known (not the symbolic batch size).</summary>
    public long[] KnownInts(NodeProto node, ConstTensor tensor, string role)
    {
        if (tensor.Ints is null)
        {
            throw Error(node, $"has {role} of floats where integers were expected");
        }

        if (!tensor.AllKnown)
        {
            throw Error(node, $"computes {role} from the batch size, which the importer cannot do");
        }

        return tensor.Ints.Select(v => v.Value).ToArray();
    }

    // ---- Defining outputs ------------------------------------------------------------------

    /// <summary>Gives the node's <paramref name="outputIndex"/>th output its value.</summary>
    public void Define(NodeProto node, int outputIndex, GraphValue value)
    {
        var name = node.Output[outputIndex];
        value.Uses = Graph.DataUses(name);
        _values[name] = value;
    }

    /// <summary>The node's output is <paramref name="value"/> itself (Identity, Dropout, a Flatten of a vector).</summary>
    public void Alias(NodeProto node, GraphValue value)
    {
        var name = node.Output[0];
        value.Uses += Graph.DataUses(name) - 1;
        _values[name] = value;
    }

    /// <summary>Whether the node's <paramref name="outputIndex"/>th output is read by any node that matters, or is the graph output.</summary>
    public bool IsUsed(NodeProto node, int outputIndex) =>
        outputIndex < node.Output.Count && node.Output[outputIndex].Length > 0 &&
        (Graph.Consumers(node.Output[outputIndex]).Count > 0 || node.Output[outputIndex] == Graph.Output.Name);

    public GraphValue? OutputValue => _values.GetValueOrDefault(Graph.Output.Name);

    // ---- Layers ----------------------------------------------------------------------------

    /// <summary>
    /// Appends a layer that reads <paramref name="input"/> and defines the node's first output as
    /// the layer's output. A layer that does not read the layer before it declares where it reads
    /// from (<c>from:</c>), as a skip connection or a branch does.
    /// </summary>
    public FeatureValue AddLayer(NodeProto node, LayerDraft draft, FeatureValue input, int[] onnxDims, bool pooledKeepDims = false, bool nonNegative = false)
    {
        draft.Inputs.Add(input.Producer);
        return Append(node, draft, onnxDims, pooledKeepDims, nonNegative);
    }

    /// <summary>Appends a merge (add, multiply, concatenate) of <paramref name="inputs"/>, in order.</summary>
    public FeatureValue AddMerge(NodeProto node, LayerDraft draft, IEnumerable<FeatureValue> inputs, int[] onnxDims, bool nonNegative = false)
    {
        draft.Inputs.AddRange(inputs.Select(input => input.Producer));
        return Append(node, draft, onnxDims, pooledKeepDims: false, nonNegative);
    }

    private FeatureValue Append(NodeProto node, LayerDraft draft, int[] onnxDims, bool pooledKeepDims, bool nonNegative)
    {
        draft.Nodes.Insert(0, node);
        _layers.Add(draft);
        var output = new FeatureValue(draft, onnxDims) { PooledKeepDims = pooledKeepDims, NonNegative = nonNegative };
        Define(node, 0, output);
        return output;
    }

    /// <summary>
    /// Applies an activation to <paramref name="x"/>: fused into the layer that computed it when
    /// that layer takes one and nothing else reads its output, else a layer of its own. Returns
    /// the layer that applies it.
    /// </summary>
    public LayerDraft Activate(NodeProto node, FeatureValue x, Activation activation, int usesOfX = 1)
    {
        var nonNegative = activation is Activation.Relu or Activation.Sigmoid or Activation.Softplus or Activation.Softmax or Activation.Relu6 or Activation.HardSigmoid;
        if (SoleReaderMayFold(x, usesOfX) is { TakesActivation: true, Activation: Activation.Linear } producer)
        {
            producer.Activation = activation;
            producer.Nodes.Add(node);
            Define(node, 0, new FeatureValue(producer, x.Dims) { NonNegative = nonNegative });
            return producer;
        }

        var draft = new LayerDraft(LayerKind.Activation, x.NetworkDims, x.NetworkDims) { Activation = activation };
        AddLayer(node, draft, x, x.Dims, x.PooledKeepDims, nonNegative);
        return draft;
    }

    /// <summary>
    /// The layer that computed <paramref name="x"/>, when nothing but the node at hand reads it
    /// (<paramref name="uses"/> reads): a bias, an activation or a batch normalisation can then
    /// be folded into that layer. Once folded, the old value has no reader left.
    /// </summary>
    public static LayerDraft? SoleReaderMayFold(FeatureValue x, int uses = 1) =>
        x.Producer is { } producer && x.Uses == uses && !x.PooledKeepDims ? producer : null;

    /// <summary>
    /// A zero Pad that no convolution or pooling took over, as a zero_padding layer: the Pad
    /// node's output becomes the layer's, so that every later reader shares it.
    /// </summary>
    public FeatureValue ZeroPadding(PaddedValue padded)
    {
        var input = padded.Input;
        var rank = input.SpatialRank;
        int[] dims = [input.Dims[0], .. input.Dims.Skip(1).Select((size, d) => size + padded.Before[d] + padded.After[d])];
        var draft = new LayerDraft(rank == 1 ? LayerKind.ZeroPadding1D : LayerKind.ZeroPadding2D, input.NetworkDims, dims)
        {
            Window = Enumerable.Repeat(1, rank).ToArray(),
            Strides = Enumerable.Repeat(1, rank).ToArray(),
            Dilations = Enumerable.Repeat(1, rank).ToArray(),
            PadBefore = padded.Before,
            PadAfter = padded.After,
            ExplicitPads = true,
        };
        return AddLayer(padded.Node, draft, input, dims, nonNegative: input.NonNegative);
    }

    /// <summary>The layer added last, or null before the first.</summary>
    public LayerDraft? Last => _layers.Count > 0 ? _layers[^1] : null;

    // ---- Attributes ------------------------------------------------------------------------

    public static AttributeProto? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    public long Int(NodeProto node, string name, long fallback) => Attribute(node, name) switch
    {
        null => fallback,
        { Type: AttributeType.Int } attribute => attribute.I,
        _ => throw Error(node, $"has the attribute {name} of an unexpected type; an integer was expected"),
    };

    public float Float(NodeProto node, string name, float fallback) => Attribute(node, name) switch
    {
        null => fallback,
        { Type: AttributeType.Float } attribute => attribute.F,
        _ => throw Error(node, $"has the attribute {name} of an unexpected type; a float was expected"),
    };

    public long[]? Ints(NodeProto node, string name) => Attribute(node, name) switch
    {
        null => null,
        { Type: AttributeType.Ints } attribute => attribute.Ints.ToArray(),
        _ => throw Error(node, $"has the attribute {name} of an unexpected type; a list of integers was expected"),
    };

    public string? String(NodeProto node, string name) => Attribute(node, name) switch
    {
        null => null,
        { Type: AttributeType.String } attribute => attribute.S.ToStringUtf8(),
        _ => throw Error(node, $"has the attribute {name} of an unexpected type; a string was expected"),
    };

    /// <summary>The tensor of a tensor attribute (a Constant's value).</summary>
    public TensorProto Tensor(NodeProto node, AttributeProto attribute) =>
        attribute is { Type: AttributeType.Tensor, T: { } tensor }
            ? tensor
            : throw Error(node, $"has the attribute {attribute.Name} of an unexpected type; a tensor was expected");

    // ---- Messages --------------------------------------------------------------------------

    /// <summary>"lenet.onnx: node '/act/LeakyRelu' (LeakyRelu) has alpha 0.01; ..."</summary>
    public OnnxImportException Error(NodeProto node, string problem) =>
        new($"{Graph.FileName}: node {OnnxGraph.Describe(node)} {problem}.", node.Name, node.OpType);

    /// <summary>An error for something CnnGen cannot express yet, saying what will bring it (<see cref="OnnxOperators.Planned"/>).</summary>
    public OnnxImportException Planned(NodeProto node, string key, string problem, string? hint = null) =>
        Error(node, problem + "; that needs " + OnnxOperators.Planned[key] + (hint is null ? string.Empty : ". " + hint));

    public static string Number(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    public static string Shape(IEnumerable<int> dims) => string.Join(" x ", dims);
}
