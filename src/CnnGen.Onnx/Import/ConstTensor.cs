using System;
using System.Globalization;
using System.Linq;

namespace CnnGen.Onnx;

/// <summary>
/// One integer of a shape computation: a known value, or the batch size, which ONNX models may
/// leave symbolic (x.view(x.size(0), -1) reads it with Shape and Gather).
/// </summary>
internal readonly record struct IntDim(long Value, bool IsBatch)
{
    public static readonly IntDim Batch = new(0, true);

    public static implicit operator IntDim(long value) => new(value, false);

    public override string ToString() => IsBatch ? "N" : Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// A constant tensor of the graph (an initializer, a Constant node, or a value computed from
/// them): floats, or integers that may hold the symbolic batch size. Row-major like ONNX.
/// </summary>
internal sealed class ConstTensor
{
    private ConstTensor(int[] dims, float[]? floats, IntDim[]? ints)
    {
        Dims = dims;
        Floats = floats;
        Ints = ints;
    }

    public int[] Dims { get; }

    /// <summary>The values of a float tensor (FLOAT or DOUBLE in the file), else null.</summary>
    public float[]? Floats { get; }

    /// <summary>The values of an integer or boolean tensor, else null.</summary>
    public IntDim[]? Ints { get; }

    public int Rank => Dims.Length;

    public int Count => Floats?.Length ?? Ints!.Length;

    public bool IsFloat => Floats is not null;

    public static ConstTensor OfFloats(int[] dims, float[] values) => new(Check(dims, values.Length), values, null);

    public static ConstTensor OfInts(int[] dims, IntDim[] values) => new(Check(dims, values.Length), null, values);

    public static ConstTensor OfInts(int[] dims, long[] values) => OfInts(dims, values.Select(v => (IntDim)v).ToArray());

    /// <summary>A rank-1 tensor of integers.</summary>
    public static ConstTensor Vector(params IntDim[] values) => OfInts([values.Length], values);

    /// <summary>The same elements picked by <paramref name="source"/> (output index -> input index) into <paramref name="dims"/>: every data-movement operator is one.</summary>
    public ConstTensor Select(int[] dims, int[] source) =>
        IsFloat
            ? OfFloats(dims, source.Select(i => Floats![i]).ToArray())
            : OfInts(dims, source.Select(i => Ints![i]).ToArray());

    public ConstTensor WithDims(int[] dims) => IsFloat ? OfFloats(dims, Floats!) : OfInts(dims, Ints!);

    /// <summary>Whether every integer is known (no batch size among them).</summary>
    public bool AllKnown => Ints is null || Ints.All(v => !v.IsBatch);

    /// <summary>The values as doubles (integers must be known).</summary>
    public double ValueAt(int index) => IsFloat ? Floats![index] : Ints![index].Value;

    public static int Product(int[] dims)
    {
        long product = 1;
        foreach (var dim in dims)
        {
            product *= dim;
        }

        return (int)product;
    }

    /// <summary>Row-major strides of <paramref name="dims"/>.</summary>
    public static int[] Strides(int[] dims)
    {
        var strides = new int[dims.Length];
        var stride = 1;
        for (var i = dims.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= dims[i];
        }

        return strides;
    }

    public string Describe() =>
        "(" + string.Join(", ", Enumerable.Range(0, Math.Min(Count, 8)).Select(i => IsFloat
            ? Floats![i].ToString("G6", CultureInfo.InvariantCulture)
            : Ints![i].ToString())) + (Count > 8 ? ", ..." : string.Empty) + ")";

    private static int[] Check(int[] dims, int count)
    {
        if (Product(dims) != count)
        {
            throw new ArgumentException($"A tensor of shape ({string.Join(", ", dims)}) holds {Product(dims)} values, not {count}.");
        }

        return dims;
    }
}
