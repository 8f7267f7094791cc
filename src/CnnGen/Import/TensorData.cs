using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;

namespace CnnGen;

/// <summary>The element types the weight readers convert to float32.</summary>
internal enum ElementType
{
    Float16,
    BFloat16,
    Float32,
    Float64,
}

/// <summary>
/// Reading the bytes of another framework's weight file without trusting its sizes: every
/// allocation is bounded by what the source can hold (its known length, checked first) or,
/// when the length is unknown, by what actually arrives (buffers grow as data comes).
/// </summary>
internal static class TensorData
{
    private const int ChunkBytes = 1 << 16;

    public static int ItemSize(ElementType type) => type switch
    {
        ElementType.Float64 => 8,
        ElementType.Float32 => 4,
        _ => 2,
    };

    public static string TypeName(ElementType type) => type switch
    {
        ElementType.Float16 => "float16",
        ElementType.BFloat16 => "bfloat16",
        ElementType.Float32 => "float32",
        _ => "float64",
    };

    /// <summary>The bytes left in a stream from its position, when it can tell.</summary>
    public static long? Remaining(Stream stream) => stream.CanSeek ? Math.Max(0, stream.Length - stream.Position) : null;

    /// <summary>
    /// Reads exactly <paramref name="count"/> bytes. <paramref name="available"/>, when known, is
    /// checked first; otherwise the buffer grows with the data, so a false count costs only the
    /// bytes that are really there. <paramref name="truncated"/> makes the error from the bytes found.
    /// </summary>
    public static byte[] ReadBytes(Stream stream, long count, long? available, Func<long, Exception> truncated)
    {
        if (available is { } left && left < count)
        {
            throw truncated(left);
        }

        // Callers bound what they ask for (headers of at most 100 MB); this is not a size from the file.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Array.MaxLength);

        var buffer = new byte[available is null ? Math.Min(count, ChunkBytes) : count];
        long got = 0;
        while (got < count)
        {
            if (got == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(count, 2L * buffer.Length));
            }

            var read = stream.Read(buffer, (int)got, buffer.Length - (int)got);
            if (read == 0)
            {
                throw truncated(got);
            }

            got += read;
        }

        return buffer;
    }

    /// <summary>True when the stream has at least one more byte (it is consumed).</summary>
    public static bool HasMore(Stream stream) => stream.ReadByte() >= 0;

    /// <summary>
    /// Reads <paramref name="elements"/> little-endian values of <paramref name="type"/> and
    /// converts them to float32, in chunks (no copy of the raw bytes is kept). The caller has
    /// checked the byte count against the source's length when it knows it
    /// (<paramref name="lengthChecked"/>); otherwise the array grows as values arrive.
    /// A non-finite result is an error unless the options allow it.
    /// </summary>
    public static float[] ReadValues(Stream stream, long elements, ElementType type, bool lengthChecked, Func<long, Exception> truncated,
        string file, string tensor, WeightReadOptions options)
    {
        var itemSize = ItemSize(type);
        var values = new float[lengthChecked ? elements : Math.Min(elements, ChunkBytes / 4)];
        var chunk = new byte[(int)Math.Min(ChunkBytes, elements * itemSize)];
        long index = 0;
        while (index < elements)
        {
            var take = (int)Math.Min(chunk.Length / itemSize, elements - index) * itemSize;
            var got = stream.ReadAtLeast(chunk.AsSpan(0, take), take, throwOnEndOfStream: false);
            if (got < take)
            {
                throw truncated(index * itemSize + got);
            }

            if (index + take / itemSize > values.Length)
            {
                Array.Resize(ref values, (int)Math.Min(elements, Math.Max(2L * values.Length, index + take / itemSize)));
            }

            for (var offset = 0; offset < take; offset += itemSize, index++)
            {
                var item = chunk.AsSpan(offset, itemSize);
                var value = type switch
                {
                    ElementType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(item),
                    ElementType.Float64 => (float)BinaryPrimitives.ReadDoubleLittleEndian(item),
                    ElementType.Float16 => (float)BinaryPrimitives.ReadHalfLittleEndian(item),
                    // bfloat16 is the upper half of a float32.
                    _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(item) << 16),
                };
                if (!float.IsFinite(value) && !options.AllowNonFinite)
                {
                    throw NonFinite(file, tensor, index, type, item, value);
                }

                values[index] = value;
            }
        }

        return values;
    }

    private static WeightImportException NonFinite(string file, string tensor, long index, ElementType type, ReadOnlySpan<byte> item, float value)
    {
        var source = type == ElementType.Float64 ? BinaryPrimitives.ReadDoubleLittleEndian(item) : value;
        var what = double.IsFinite(source)
            ? string.Create(CultureInfo.InvariantCulture, $"the float64 value {source:R} is beyond the range of float32 (about 3.4e38) and would become infinity")
            : $"the file holds {(double.IsNaN(source) ? "NaN" : source > 0 ? "+infinity" : "-infinity")} ({TypeName(type)})";
        return new WeightImportException(
            $"'{file}': tensor '{tensor}' has a non-finite value at index {index}: {what}. " +
            "Set WeightReadOptions.AllowNonFinite to read such values anyway.");
    }
}
