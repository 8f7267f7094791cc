using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using Google.Protobuf;
using Onnx;

namespace CnnGen.Onnx;

/// <summary>Appends nodes and float32 initializers to an ONNX graph, giving every value a unique name.</summary>
internal sealed class OnnxGraphBuilder(GraphProto graph)
{
    private readonly HashSet<string> _names = [];

    public GraphProto Graph { get; } = graph;

    /// <summary>A float32 constant of <paramref name="dims"/>, stored little-endian in raw_data.</summary>
    public string Initializer(string name, IReadOnlyList<int> dims, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        var tensor = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims.Select(d => (long)d));
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>An int64 constant (the axes of Unsqueeze, which opset 13 takes as an input).</summary>
    public string Int64Initializer(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>True when the last node added writes <paramref name="value"/>.</summary>
    public bool LastNodeWrites(string value) => Graph.Node.Count > 0 && Graph.Node.Last().Output[0] == value;

    /// <summary>Adds a node of <paramref name="opType"/> and returns the name of its one output.</summary>
    public string Node(string opType, string name, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Unique(name) };
        node.Input.AddRange(inputs);
        node.Output.Add(node.Name);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return node.Name;
    }

    /// <summary>Renames the output of the last node (used for the graph's output).</summary>
    public void RenameLastOutput(string from, string to)
    {
        var node = Graph.Node.Last();
        if (node.Output[0] != from)
        {
            throw new InvalidOperationException($"The last node writes '{node.Output[0]}', not '{from}'.");
        }

        node.Output[0] = to;
    }

    public static AttributeProto Ints(string name, params int[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values.Select(v => (long)v));
        return attribute;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>A float32 tensor value of shape (batch, dims...), the batch dimension symbolic.</summary>
    public static ValueInfoProto BatchedTensor(string name, IReadOnlyList<int> dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (var dim in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private string Unique(string name)
    {
        var candidate = name;
        for (var i = 2; !_names.Add(candidate); i++)
        {
            candidate = name + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }
}
