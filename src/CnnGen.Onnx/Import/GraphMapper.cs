using System.Collections.Generic;
using System.Linq;
using Onnx;

namespace CnnGen.Onnx;

/// <summary>Walks the graph's nodes in order and maps each through <see cref="OnnxOperators"/>, or folds it when it computes constants.</summary>
internal static class GraphMapper
{
    /// <summary>The layers of the network; the input's shape (channels first, no batch) comes from <see cref="InputShape"/>.</summary>
    public static IReadOnlyList<LayerDraft> Map(OnnxGraph graph, int[] inputDims)
    {
        var context = new MappingContext(graph, new FeatureValue(null, inputDims));
        foreach (var node in graph.Nodes)
        {
            if (node.Domain is not ("" or "ai.onnx"))
            {
                throw context.Error(node, $"is an operator of the domain '{node.Domain}'; the importer maps the standard ONNX operators (ai.onnx)");
            }

            if (ConstantFolding.TryFold(context, node))
            {
                continue;
            }

            if (OnnxOperators.Mappings.TryGetValue(node.OpType, out var mapping))
            {
                mapping(context, node);
            }
            else if (OnnxOperators.Planned.TryGetValue(node.OpType, out var needs))
            {
                throw context.Error(node, $"is not supported: it needs {needs}. docs/import.md lists what imports today");
            }
            else
            {
                throw context.Error(node, $"is not supported: CnnGen has no layer for the operator {node.OpType}. Supported: {OnnxOperators.SupportedList}");
            }
        }

        return Finish(context);
    }

    /// <summary>The graph output must be the last layer's output: CnnGen's network output is its last layer.</summary>
    private static IReadOnlyList<LayerDraft> Finish(MappingContext context)
    {
        var graph = context.Graph;
        var output = context.OutputValue;
        var last = context.Last;
        switch (output)
        {
            case FeatureValue feature when feature.Producer is not null && feature.Producer == last:
                CheckDeclaredShape(graph, feature);
                return context.Layers;
            case FeatureValue { Producer: null }:
                throw new OnnxImportException($"{graph.FileName}: the output '{graph.Output.Name}' is the network input with nothing but Identity, Dropout or reshaping nodes between them; there is no layer to import.");
            case FeatureValue:
                throw new OnnxImportException($"{graph.FileName}: the output '{graph.Output.Name}' is not computed by the last node that maps to a layer ({OnnxGraph.Describe(last!.NamingNode)}); " +
                    "CnnGen's network output is its last layer, so the nodes must be in an order that computes the output last (as torch.onnx.export writes them).");
            case PaddedValue padded:
                context.ZeroPadding(padded);
                return context.Layers;
            case ActivationPattern pattern:
                throw context.Error(pattern.Nodes[^1], "is the network's output in the middle of an activation's pattern (x * HardSigmoid(x), or gelu's erf pattern)");
            default:
                throw new OnnxImportException($"{graph.FileName}: the output '{graph.Output.Name}' is a constant; it does not depend on the input.");
        }
    }

    /// <summary>The output shape the file declares, where it declares sizes, must be the one the mapping found.</summary>
    private static void CheckDeclaredShape(OnnxGraph graph, FeatureValue output)
    {
        var dims = graph.Output.Type?.TensorType?.Shape?.Dim;
        if (dims is null || dims.Count == 0)
        {
            return;
        }

        var declared = dims.Skip(1).Select(d => d.DimValue).ToArray();
        var matches = declared.Length == output.Dims.Length && declared.Zip(output.Dims).All(pair => pair.First <= 0 || pair.First == pair.Second);
        if (!matches)
        {
            throw new OnnxImportException($"{graph.FileName}: the output '{graph.Output.Name}' is declared as N x {string.Join(" x ", dims.Skip(1).Select(d => d.DimValue > 0 ? d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.DimParam))}, " +
                $"but the layers compute N x {MappingContext.Shape(output.Dims)} (with --input-shape, does it fit the model?).");
        }
    }

    /// <summary>
    /// The input's per-sample shape (C, spatial...) from the file and --input-shape: a vector
    /// (N x F), a sequence (N x C x L) or an image (N x C x H x W), float32, every size fixed.
    /// </summary>
    public static int[] InputShape(OnnxGraph graph, IReadOnlyList<int>? given)
    {
        var input = graph.Input;
        var name = input.Name;
        var tensor = input.Type?.TensorType;
        if (tensor is null)
        {
            throw new OnnxImportException($"{graph.FileName}: the input '{name}' is not a tensor.");
        }

        if (tensor.ElemType != (int)TensorProto.Types.DataType.Float)
        {
            throw new OnnxImportException($"{graph.FileName}: the input '{name}' holds {(TensorProto.Types.DataType)tensor.ElemType} values; CnnGen networks take float32.");
        }

        var declared = tensor.Shape?.Dim.Skip(1).ToList();
        if (declared is null)
        {
            return given?.ToArray() ?? throw new OnnxImportException(
                $"{graph.FileName}: the input '{name}' has no declared shape; give it without the batch dimension, channels first, with --input-shape (e.g. --input-shape 3x224x224).");
        }

        if (given is not null && given.Count != declared.Count)
        {
            throw new OnnxImportException($"{graph.FileName}: the input '{name}' is N x {Describe(declared)} ({declared.Count} sizes after the batch), " +
                $"but the input shape given is {string.Join("x", given)} ({given.Count} sizes).");
        }

        if (declared.Count is < 1 or > 3)
        {
            throw new OnnxImportException($"{graph.FileName}: the input '{name}' is N x {Describe(declared)}; CnnGen networks take N x F vectors, N x C x L sequences and N x C x H x W images.");
        }

        var dims = new int[declared.Count];
        for (var i = 0; i < dims.Length; i++)
        {
            var fixedSize = declared[i].DimValue > 0 ? (int)declared[i].DimValue : (int?)null;
            if (given is not null && fixedSize is { } size && given[i] != size)
            {
                throw new OnnxImportException($"{graph.FileName}: the input '{name}' is N x {Describe(declared)}, but the input shape given is {string.Join("x", given)}; " +
                    "--input-shape may only fill in the sizes the model leaves symbolic.");
            }

            dims[i] = fixedSize ?? given?[i] ?? throw new OnnxImportException(
                $"{graph.FileName}: the input '{name}' is N x {Describe(declared)}: its {AxisName(i, dims.Length)} is symbolic ('{declared[i].DimParam}'). " +
                $"CnnGen generates code for fixed sizes; give them without the batch dimension with --input-shape (e.g. --input-shape {Example(declared)}).");
        }

        return dims;
    }

    private static string Describe(IEnumerable<TensorShapeProto.Types.Dimension> dims) =>
        string.Join(" x ", dims.Select(d => d.DimValue > 0 ? d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.DimParam.Length > 0 ? d.DimParam : "?"));

    private static string Example(IReadOnlyList<TensorShapeProto.Types.Dimension> dims) =>
        string.Join("x", dims.Select((d, i) => d.DimValue > 0 ? d.DimValue : i == 0 ? 3 : 224));

    private static string AxisName(int index, int rank) => (rank, index) switch
    {
        (1, _) => "size",
        (_, 0) => "channel count",
        (2, _) => "length",
        (3, 1) => "height",
        _ => "width",
    };
}
