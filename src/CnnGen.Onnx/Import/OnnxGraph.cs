using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Google.Protobuf;
using Onnx;

namespace CnnGen.Onnx;

/// <summary>
/// A parsed model, checked for what the importer relies on: one float input, one output, the
/// nodes that compute the output (in order; nodes that do not feed it are left out), the
/// initializers and who reads each value.
/// </summary>
internal sealed class OnnxGraph
{
    private readonly Dictionary<string, List<NodeProto>> _consumers;

    private OnnxGraph(string fileName, ModelProto model, int opset, ValueInfoProto input, ValueInfoProto output,
        IReadOnlyList<NodeProto> nodes, IReadOnlyDictionary<string, TensorProto> initializers, Dictionary<string, List<NodeProto>> consumers)
    {
        FileName = fileName;
        Model = model;
        Opset = opset;
        Input = input;
        Output = output;
        Nodes = nodes;
        Initializers = initializers;
        _consumers = consumers;
    }

    /// <summary>The file name as given (for messages).</summary>
    public string FileName { get; }

    public ModelProto Model { get; }

    /// <summary>The version of the default (ai.onnx) operator set.</summary>
    public int Opset { get; }

    public ValueInfoProto Input { get; }

    public ValueInfoProto Output { get; }

    /// <summary>The nodes that contribute to the output, in the file's (topological) order.</summary>
    public IReadOnlyList<NodeProto> Nodes { get; }

    public IReadOnlyDictionary<string, TensorProto> Initializers { get; }

    /// <summary>The nodes (of <see cref="Nodes"/>) that read <paramref name="value"/>.</summary>
    public IReadOnlyList<NodeProto> Consumers(string value) =>
        _consumers.TryGetValue(value, out var nodes) ? nodes : (IReadOnlyList<NodeProto>)Array.Empty<NodeProto>();

    /// <summary>How many times <paramref name="value"/> is read as data: by nodes other than Shape (which reads only its shape), and as the graph output.</summary>
    public int DataUses(string value) =>
        Consumers(value).Sum(node => node.OpType == "Shape" ? 0 : node.Input.Count(input => input == value)) + (value == Output.Name ? 1 : 0);

    /// <summary>Parses <paramref name="bytes"/> and checks the graph's frame.</summary>
    public static OnnxGraph Read(byte[] bytes, string fileName)
    {
        if (bytes.Length == 0)
        {
            throw new OnnxImportException($"'{fileName}' is empty; an ONNX model was expected.");
        }

        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException exception)
        {
            throw new OnnxImportException(
                $"'{fileName}' is not an ONNX model, or it is damaged or truncated ({bytes.Length} bytes): {exception.Message}", innerException: exception);
        }

        var graph = model.Graph;
        if (graph is null || graph.Node.Count == 0)
        {
            throw new OnnxImportException($"'{fileName}' holds no ONNX graph (no nodes); is it an ONNX model, and is it complete?");
        }

        var opset = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version
            ?? throw new OnnxImportException($"'{fileName}' declares no version of the ONNX operator set (opset_import); is the file complete?");

        var initializers = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (var initializer in graph.Initializer)
        {
            initializers[initializer.Name] = initializer;
        }

        // Older exporters list initializers among the inputs too; the real inputs are the others.
        var inputs = graph.Input.Where(i => !initializers.ContainsKey(i.Name)).ToList();
        if (inputs.Count != 1)
        {
            throw new OnnxImportException(inputs.Count == 0
                ? $"'{fileName}' has no graph input; a CnnGen network has one input."
                : $"'{fileName}' has {inputs.Count} graph inputs ({Names(inputs.Select(i => i.Name))}); a CnnGen network has one input.");
        }

        if (graph.Output.Count != 1)
        {
            throw new OnnxImportException(graph.Output.Count == 0
                ? $"'{fileName}' has no graph output; a CnnGen network has one output."
                : $"'{fileName}' has {graph.Output.Count} graph outputs ({Names(graph.Output.Select(o => o.Name))}); a CnnGen network has one output. " +
                  "Export the model with one output (return one tensor from forward).");
        }

        var nodes = LiveNodes(graph, fileName, inputs[0].Name, initializers);
        var consumers = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            foreach (var name in node.Input.Where(n => n.Length > 0).Distinct())
            {
                if (!consumers.TryGetValue(name, out var list))
                {
                    consumers[name] = list = [];
                }

                list.Add(node);
            }
        }

        return new OnnxGraph(fileName, model, (int)opset, inputs[0], graph.Output[0], nodes, initializers, consumers);
    }

    /// <summary>The nodes the output depends on, in file order; checks that every value they read is defined before.</summary>
    private static List<NodeProto> LiveNodes(GraphProto graph, string fileName, string input, Dictionary<string, TensorProto> initializers)
    {
        var producers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Node.Count; i++)
        {
            foreach (var output in graph.Node[i].Output.Where(o => o.Length > 0))
            {
                producers[output] = i;
            }
        }

        var outputName = graph.Output[0].Name;
        if (!producers.ContainsKey(outputName))
        {
            throw new OnnxImportException(outputName == input
                ? $"'{fileName}' computes nothing: its output is its input."
                : $"No node of '{fileName}' computes the graph output '{outputName}'; is the file complete?");
        }

        var live = new bool[graph.Node.Count];
        var pending = new Stack<int>();
        pending.Push(producers[outputName]);
        while (pending.Count > 0)
        {
            var index = pending.Pop();
            if (live[index])
            {
                continue;
            }

            live[index] = true;
            foreach (var name in graph.Node[index].Input.Where(n => n.Length > 0))
            {
                if (producers.TryGetValue(name, out var producer))
                {
                    if (producer >= index)
                    {
                        throw new OnnxImportException(
                            $"Node {Describe(graph.Node[index])} of '{fileName}' reads '{name}', which a later node computes; the nodes are not in topological order as ONNX requires.",
                            graph.Node[index].Name, graph.Node[index].OpType);
                    }

                    pending.Push(producer);
                }
                else if (name != input && !initializers.ContainsKey(name))
                {
                    throw new OnnxImportException(
                        $"Node {Describe(graph.Node[index])} of '{fileName}' reads '{name}', which no node, initializer or input defines; is the file complete?",
                        graph.Node[index].Name, graph.Node[index].OpType);
                }
            }
        }

        return graph.Node.Where((_, i) => live[i]).ToList();
    }

    /// <summary>"'/conv1/Conv' (Conv)", or "the Conv node computing 'x'" when the node has no name.</summary>
    public static string Describe(NodeProto node) =>
        node.Name.Length > 0
            ? $"'{node.Name}' ({node.OpType})"
            : $"({node.OpType} computing '{node.Output.FirstOrDefault() ?? string.Empty}')";

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => "'" + n + "'"));

    /// <summary>The producer and version of the model, for the header of the generated declaration: "pytorch 1.13.0, opset 13".</summary>
    public string Provenance()
    {
        var producer = (Model.ProducerName + " " + Model.ProducerVersion).Trim();
        var opset = "opset " + Opset.ToString(CultureInfo.InvariantCulture);
        return producer.Length > 0 ? producer + ", " + opset : opset;
    }
}
