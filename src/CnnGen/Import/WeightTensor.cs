using System;
using System.Collections.Generic;
using System.Linq;

namespace CnnGen;

/// <summary>
/// One named array read from a weight file of another framework (.npy, .npz, safetensors):
/// its shape as stored, in C (row-major) order, and its values converted to float32.
/// </summary>
public sealed class WeightTensor
{
    /// <summary>A tensor named <paramref name="name"/> of <paramref name="shape"/> holding <paramref name="values"/> in row-major order.</summary>
    /// <exception cref="ArgumentException">The number of values is not the product of the shape.</exception>
    public WeightTensor(string name, IReadOnlyList<int> shape, float[] values, string sourceType = "float32")
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(values);
        var elements = ElementCount(shape);
        if (elements != values.Length)
        {
            throw new ArgumentException($"Tensor '{name}' has shape {FormatShape(shape)} ({elements} elements) but {values.Length} values.", nameof(values));
        }

        Name = name;
        Shape = shape.ToArray();
        Values = values;
        SourceType = sourceType;
    }

    /// <summary>The name in the file: a state_dict key such as <c>conv1.weight</c>, an .npz entry such as <c>arr_0</c>.</summary>
    public string Name { get; }

    /// <summary>The shape as stored (empty for a scalar).</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The values in row-major order, as float32.</summary>
    public ReadOnlyMemory<float> Values { get; }

    /// <summary>The element type in the file before conversion: float16, bfloat16, float32 or float64.</summary>
    public string SourceType { get; }

    /// <summary>"(8, 1, 3, 3)": the shape as PyTorch and NumPy print it.</summary>
    public static string FormatShape(IReadOnlyList<int> shape) =>
        shape.Count == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";

    /// <summary>The element count of a shape read from <paramref name="file"/>; a count past a long is refused as a malformed file.</summary>
    internal static long ElementCountIn(IReadOnlyList<int> shape, string file, string tensor)
    {
        try
        {
            return ElementCount(shape);
        }
        catch (OverflowException)
        {
            throw new WeightImportException($"'{file}': tensor '{tensor}' has shape {FormatShape(shape)}, whose element count does not fit in 64 bits.");
        }
    }

    /// <summary>The number of elements of <paramref name="shape"/>, checked against overflow.</summary>
    public static long ElementCount(IReadOnlyList<int> shape)
    {
        long count = 1;
        foreach (var dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentException($"Shape {FormatShape(shape)} has a negative dimension.", nameof(shape));
            }

            count = checked(count * dimension);
        }

        return count;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {FormatShape(Shape)} {SourceType}";
}
