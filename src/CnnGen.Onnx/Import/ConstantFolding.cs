using System;
using System.Collections.Generic;
using System.Linq;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace CnnGen.Onnx;

/// <summary>
/// Evaluates nodes whose inputs are all constants at import time: the shape arithmetic that
/// exporters emit around Reshape and Pad (F.pad writes ConstantOfShape, Concat, Reshape, Slice,
/// Transpose and Cast; x.view(x.size(0), -1) writes Shape, Gather, Unsqueeze and Concat) and
/// reshaped or transposed weights. The batch size stays symbolic.
/// </summary>
internal static class ConstantFolding
{
    private delegate ConstTensor Folder(MappingContext context, NodeProto node, ConstTensor[] inputs);

    private static readonly Dictionary<string, Folder> Folders = new(StringComparer.Ordinal)
    {
        ["Gather"] = Gather,
        ["Unsqueeze"] = Unsqueeze,
        ["Squeeze"] = Squeeze,
        ["Concat"] = Concat,
        ["Slice"] = Slice,
        ["Cast"] = Cast,
        ["ConstantOfShape"] = ConstantOfShape,
        ["Transpose"] = Transpose,
        ["Reshape"] = Reshape,
        ["Identity"] = (_, _, inputs) => inputs[0],
        ["Add"] = (context, node, inputs) => Arithmetic(context, node, inputs, (a, b) => a + b),
        ["Sub"] = (context, node, inputs) => Arithmetic(context, node, inputs, (a, b) => a - b),
        ["Mul"] = (context, node, inputs) => Arithmetic(context, node, inputs, (a, b) => a * b),
        ["Div"] = (context, node, inputs) => Arithmetic(context, node, inputs, (a, b) => a / b),
    };

    /// <summary>The operators evaluated on constants (with Constant and Shape).</summary>
    public static IEnumerable<string> Operators => Folders.Keys.Append("Constant").Append("Shape");

    /// <summary>Evaluates Constant, Shape (of anything) and any folder whose inputs are all constants; false when the node is not one of those.</summary>
    public static bool TryFold(MappingContext context, NodeProto node)
    {
        switch (node.OpType)
        {
            case "Constant":
                context.Define(node, 0, new ConstantValue(ConstantNode(context, node)));
                return true;
            case "Shape":
                context.Define(node, 0, new ConstantValue(Shape(context, node)));
                return true;
        }

        if (!Folders.TryGetValue(node.OpType, out var folder))
        {
            return false;
        }

        var inputs = new ConstTensor[node.Input.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            if (!MappingContext.Has(node, i))
            {
                continue;
            }

            if (context.Value(node, i) is not ConstantValue constant)
            {
                return false;
            }

            inputs[i] = constant.Tensor;
        }

        context.Define(node, 0, new ConstantValue(folder(context, node, inputs)));
        return true;
    }

    private static ConstTensor ConstantNode(MappingContext context, NodeProto node)
    {
        var attribute = node.Attribute.FirstOrDefault() ?? throw context.Error(node, "has no value");
        return attribute.Name switch
        {
            "value" => TensorReader.Read(context.Tensor(node, attribute), $"value of Constant node {OnnxGraph.Describe(node)}"),
            "value_float" => ConstTensor.OfFloats([], [attribute.F]),
            "value_floats" => ConstTensor.OfFloats([attribute.Floats.Count], attribute.Floats.ToArray()),
            "value_int" => ConstTensor.OfInts([], [attribute.I]),
            "value_ints" => ConstTensor.OfInts([attribute.Ints.Count], attribute.Ints.ToArray()),
            _ => throw context.Error(node, $"holds a {attribute.Name}; the importer reads numeric constants"),
        };
    }

    /// <summary>The shape of a feature map (the batch size symbolic) or of a constant; opset 15's start and end slice it.</summary>
    private static ConstTensor Shape(MappingContext context, NodeProto node)
    {
        var dims = context.Value(node, 0) switch
        {
            ConstantValue constant => constant.Tensor.Dims.Select(d => (IntDim)d).ToArray(),
            FeatureValue feature => feature.Dims.Select(d => (IntDim)d).Prepend(IntDim.Batch).ToArray(),
            PaddedValue padded => throw context.Planned(padded.Node, "Pad", "pads a feature map whose shape a Shape node reads"),
            _ => throw context.Error(node, "reads the shape of a value the importer does not map"),
        };
        var start = Clamp(context.Int(node, "start", 0), dims.Length);
        var end = Clamp(context.Int(node, "end", dims.Length), dims.Length);
        return ConstTensor.Vector(dims.Skip(start).Take(Math.Max(end - start, 0)).ToArray());

        static int Clamp(long index, int rank) => (int)Math.Clamp(index < 0 ? index + rank : index, 0, rank);
    }

    private static ConstTensor Gather(MappingContext context, NodeProto node, ConstTensor[] inputs)
    {
        var (data, indices) = (inputs[0], inputs[1]);
        var axis = Axis(context, node, context.Int(node, "axis", 0), data.Rank);
        var picks = context.KnownInts(node, indices, "the indices").Select(i => (int)(i < 0 ? i + data.Dims[axis] : i)).ToArray();
        if (picks.Any(i => i < 0 || i >= data.Dims[axis]))
        {
            throw context.Error(node, $"gathers indices {indices.Describe()} from an axis of size {data.Dims[axis]}");
        }

        var outer = data.Dims.Take(axis).Aggregate(1, (a, b) => a * b);
        var inner = data.Dims.Skip(axis + 1).Aggregate(1, (a, b) => a * b);
        var source = new List<int>();
        for (var o = 0; o < outer; o++)
        {
            foreach (var pick in picks)
            {
                for (var i = 0; i < inner; i++)
                {
                    source.Add((o * data.Dims[axis] + pick) * inner + i);
                }
            }
        }

        return data.Select([.. data.Dims.Take(axis), .. indices.Dims, .. data.Dims.Skip(axis + 1)], source.ToArray());
    }

    private static ConstTensor Unsqueeze(MappingContext context, NodeProto node, ConstTensor[] inputs)
    {
        var axes = AxesOf(context, node, inputs) ?? throw context.Error(node, "has no axes");
        var rank = inputs[0].Rank + axes.Length;
        var normalized = axes.Select(a => Axis(context, node, a, rank)).ToHashSet();
        var dims = new List<int>();
        var next = 0;
        for (var i = 0; i < rank; i++)
        {
            dims.Add(normalized.Contains(i) ? 1 : inputs[0].Dims[next++]);
        }

        return inputs[0].WithDims(dims.ToArray());
    }

    private static ConstTensor Squeeze(MappingContext context, NodeProto node, ConstTensor[] inputs)
    {
        var data = inputs[0];
        var axes = AxesOf(context, node, inputs)?.Select(a => Axis(context, node, a, data.Rank)).ToHashSet()
            ?? Enumerable.Range(0, data.Rank).Where(i => data.Dims[i] == 1).ToHashSet();
        if (axes.Any(a => data.Dims[a] != 1))
        {
            throw context.Error(node, $"squeezes an axis larger than 1 of shape ({string.Join(", ", data.Dims)})");
        }

        return data.WithDims(data.Dims.Where((_, i) => !axes.Contains(i)).ToArray());
    }

    private static ConstTensor Concat(MappingContext context, NodeProto node, ConstTensor[] inputs)
    {
        var parts = inputs.Where(t => t is not null).ToArray();
        var first = parts[0];
        var axis = Axis(context, node, context.Int(node, "axis", 0), first.Rank);
        if (parts.Any(p => p.Rank != first.Rank || p.IsFloat != first.IsFloat ||
            Enumerable.Range(0, first.Rank).Any(d => d != axis && p.Dims[d] != first.Dims[d])))
        {
            throw context.Error(node, "concatenates constants of different shapes or types");
        }

        var outer = first.Dims.Take(axis).Aggregate(1, (a, b) => a * b);
        var inner = first.Dims.Skip(axis + 1).Aggregate(1, (a, b) => a * b);
        var dims = first.Dims.ToArray();
        dims[axis] = parts.Sum(p => p.Dims[axis]);
        var floats = new List<float>();
        var ints = new List<IntDim>();
        for (var o = 0; o < outer; o++)
        {
            foreach (var part in parts)
            {
                var block = part.Dims[axis] * inner;
                for (var i = 0; i < block; i++)
                {
                    if (part.IsFloat)
                    {
                        floats.Add(part.Floats![o * block + i]);
                    }
                    else
                    {
                        ints.Add(part.Ints![o * block + i]);
                    }
                }
            }
        }

        return first.IsFloat ? ConstTensor.OfFloats(dims, floats.ToArray()) : ConstTensor.OfInts(dims, ints.ToArray());
    }

    private static ConstTensor Slice(MappingContext context, NodeProto node, ConstTensor[] inputs)
    {
        var data = inputs[0];
        long[] starts, ends;
        long[]? axes, steps = null;
        if (context.Opset < 10)
        {
            starts = context.Ints(node, "starts") ?? throw context.Error(node, "has no starts");
            ends = context.Ints(node, "ends") ?? throw context.Error(node, "has no ends");
            axes = context.Ints(node, "axes");
        }
        else
        {
            starts = context.KnownInts(node, inputs[1], "the starts");
            ends = context.KnownInts(node, inputs[2], "the ends");
            axes = inputs.Length > 3 && inputs[3] is not null ? context.KnownInts(node, inputs[3], "the axes") : null;
            steps = inputs.Length > 4 && inputs[4] is not null ? context.KnownInts(node, inputs[4], "the steps") : null;
        }

        axes ??= Enumerable.Range(0, starts.Length).Select(a => (long)a).ToArray();
        steps ??= Enumerable.Repeat(1L, starts.Length).ToArray();
        var picks = data.Dims.Select(n => Enumerable.Range(0, n).ToArray()).ToArray();
        for (var i = 0; i < axes.Length; i++)
        {
            var axis = Axis(context, node, axes[i], data.Rank);
            var n = data.Dims[axis];
            var step = steps[i];
            if (step == 0)
            {
                throw context.Error(node, "slices with a step of 0");
            }

            // ONNX clamps starts and ends to [0, n] going forward and [-1, n - 1] going backward.
            var start = starts[i] < 0 ? starts[i] + n : starts[i];
            var end = ends[i] < 0 ? ends[i] + n : ends[i];
            var list = new List<int>();
            if (step > 0)
            {
                for (var k = Math.Clamp(start, 0, n); k < Math.Clamp(end, 0, n); k += step)
                {
                    list.Add((int)k);
                }
            }
            else
            {
                for (var k = Math.Clamp(start, -1, n - 1); k > Math.Clamp(end, -1, n - 1); k += step)
                {
                    list.Add((int)k);
                }
            }

            picks[axis] = list.ToArray();
        }

        return Pick(data, picks);
    }

    private static ConstTensor Cast(MappingContext context, NodeProto node, ConstTensor[] inputs)
    {
        var data = inputs[0];
        var to = (DataType)context.Int(node, "to", (long)DataType.Float);
        var toFloat = to is DataType.Float or DataType.Double or DataType.Float16 or DataType.Bfloat16;
        if (toFloat == data.IsFloat)
        {
            return data;
        }

        if (toFloat)
        {
            return ConstTensor.OfFloats(data.Dims, context.KnownInts(node, data, "the values").Select(v => (float)v).ToArray());
        }

        return ConstTensor.OfInts(data.Dims, data.Floats!.Select(v => (long)v).ToArray());
    }

    private static ConstTensor ConstantOfShape(MappingContext context, NodeProto node, ConstTensor[] inputs)
    {
        var dims = context.KnownInts(node, inputs[0], "the shape").Select(d => (int)d).ToArray();
        var value = MappingContext.Attribute(node, "value") is { } attribute
            ? TensorReader.Read(context.Tensor(node, attribute), $"value of {OnnxGraph.Describe(node)}")
            : ConstTensor.OfFloats([1], [0f]);
        var count = ConstTensor.Product(dims);
        return value.IsFloat
            ? ConstTensor.OfFloats(dims, Enumerable.Repeat(value.Floats![0], count).ToArray())
            : ConstTensor.OfInts(dims, Enumerable.Repeat(value.Ints![0], count).ToArray());
    }

    private static ConstTensor Transpose(MappingContext context, NodeProto node, ConstTensor[] inputs)
    {
        var data = inputs[0];
        var perm = context.Ints(node, "perm")?.Select(p => (int)p).ToArray() ?? Enumerable.Range(0, data.Rank).Reverse().ToArray();
        if (perm.Length != data.Rank || perm.Order().Where((p, i) => p != i).Any())
        {
            throw context.Error(node, $"has perm [{string.Join(", ", perm)}] for a rank-{data.Rank} tensor");
        }

        return Pick(data, Enumerable.Range(0, data.Rank).Select(d => Enumerable.Range(0, data.Dims[d]).ToArray()).ToArray(), perm);
    }

    private static ConstTensor Reshape(MappingContext context, NodeProto node, ConstTensor[] inputs)
    {
        var data = inputs[0];
        var target = context.KnownInts(node, inputs[1], "the shape");
        var allowZero = context.Int(node, "allowzero", 0) != 0;
        var dims = target.Select((d, i) => d == 0 && !allowZero ? data.Dims[i] : d).ToArray();
        var known = dims.Where(d => d != -1).Aggregate(1L, (a, b) => a * b);
        if (dims.Count(d => d == -1) > 1 || dims.Any(d => d < -1) || known == 0 && dims.Contains(-1))
        {
            throw context.Error(node, $"reshapes a constant to [{string.Join(", ", target)}]");
        }

        var resolved = dims.Select(d => (int)(d == -1 ? data.Count / known : d)).ToArray();
        if (ConstTensor.Product(resolved) != data.Count)
        {
            throw context.Error(node, $"reshapes a constant of {data.Count} values to [{string.Join(", ", target)}]");
        }

        return data.WithDims(resolved);
    }

    /// <summary>Element-wise arithmetic with numpy broadcasting; integers must be known.</summary>
    private static ConstTensor Arithmetic(MappingContext context, NodeProto node, ConstTensor[] inputs, Func<double, double, double> operation)
    {
        var (a, b) = (inputs[0], inputs[1]);
        var rank = Math.Max(a.Rank, b.Rank);
        var aDims = Enumerable.Repeat(1, rank - a.Rank).Concat(a.Dims).ToArray();
        var bDims = Enumerable.Repeat(1, rank - b.Rank).Concat(b.Dims).ToArray();
        var dims = new int[rank];
        for (var d = 0; d < rank; d++)
        {
            if (aDims[d] != bDims[d] && aDims[d] != 1 && bDims[d] != 1)
            {
                throw context.Error(node, $"combines constants of shapes ({string.Join(", ", a.Dims)}) and ({string.Join(", ", b.Dims)}), which do not broadcast");
            }

            dims[d] = Math.Max(aDims[d], bDims[d]);
        }

        if (!a.AllKnown || !b.AllKnown)
        {
            throw context.Error(node, "computes with the batch size, which the importer keeps symbolic");
        }

        var (aStrides, bStrides, strides) = (ConstTensor.Strides(aDims), ConstTensor.Strides(bDims), ConstTensor.Strides(dims));
        var count = ConstTensor.Product(dims);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            int ai = 0, bi = 0;
            for (var d = 0; d < rank; d++)
            {
                var index = i / strides[d] % dims[d];
                ai += aDims[d] == 1 ? 0 : index * aStrides[d];
                bi += bDims[d] == 1 ? 0 : index * bStrides[d];
            }

            values[i] = operation(a.ValueAt(ai), b.ValueAt(bi));
        }

        return a.IsFloat || b.IsFloat
            ? ConstTensor.OfFloats(dims, values.Select(v => (float)v).ToArray())
            : ConstTensor.OfInts(dims, values.Select(v => (long)Math.Truncate(v)).ToArray());
    }

    /// <summary>The elements at the chosen indices of each axis, the axes in the order of <paramref name="perm"/>.</summary>
    private static ConstTensor Pick(ConstTensor data, int[][] picks, int[]? perm = null)
    {
        perm ??= Enumerable.Range(0, data.Rank).ToArray();
        var dims = perm.Select(p => picks[p].Length).ToArray();
        var strides = ConstTensor.Strides(data.Dims);
        var outStrides = ConstTensor.Strides(dims);
        var count = ConstTensor.Product(dims);
        var source = new int[count];
        for (var i = 0; i < count; i++)
        {
            var offset = 0;
            for (var d = 0; d < dims.Length; d++)
            {
                offset += picks[perm[d]][i / outStrides[d] % dims[d]] * strides[perm[d]];
            }

            source[i] = offset;
        }

        return data.Select(dims, source);
    }

    private static long[]? AxesOf(MappingContext context, NodeProto node, ConstTensor[] inputs) =>
        context.Ints(node, "axes") ?? (inputs.Length > 1 && inputs[1] is not null ? context.KnownInts(node, inputs[1], "the axes") : null);

    private static int Axis(MappingContext context, NodeProto node, long axis, int rank)
    {
        var normalized = axis < 0 ? axis + rank : axis;
        return normalized >= 0 && normalized < rank
            ? (int)normalized
            : throw context.Error(node, $"has axis {axis} for a rank-{rank} tensor");
    }
}
