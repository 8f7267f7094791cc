using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace CnnGen;

/// <summary>
/// Reads the safetensors format (what <c>safetensors.torch.save_file(model.state_dict(), path)</c>
/// writes): an 8-byte little-endian header length N, N bytes of JSON mapping each tensor name to
/// <c>{"dtype", "shape", "data_offsets": [begin, end]}</c> (offsets into the bytes after the
/// header), an optional <c>"__metadata__"</c> entry, then the data. Element types F32, F64, F16
/// and BF16 are read (converted to float32); others are refused by name.
/// </summary>
public static class SafeTensorsFile
{
    private const long MaxHeaderLength = 100L << 20;

    /// <summary>
    /// Reads every tensor of a safetensors file, in the order of their data in the file (which is
    /// the order they were written; the <c>safetensors</c> library sorts them by name).
    /// </summary>
    /// <exception cref="WeightImportException">The file is not a valid safetensors file or holds an unsupported element type.</exception>
    public static IReadOnlyList<WeightTensor> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return Read(stream, Path.GetFileName(path));
    }

    /// <summary>Reads every tensor of the safetensors data in <paramref name="stream"/>; <paramref name="fileName"/> is used in messages.</summary>
    /// <exception cref="WeightImportException">The data is not valid safetensors or holds an unsupported element type.</exception>
    public static IReadOnlyList<WeightTensor> Read(Stream stream, string fileName = "the safetensors file")
    {
        ArgumentNullException.ThrowIfNull(stream);
        var lengthBytes = new byte[8];
        var got = stream.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false);
        if (got < 8)
        {
            throw new WeightImportException($"'{fileName}' is not a safetensors file: it has {got} bytes, fewer than the 8-byte header length.");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength < 2 || headerLength > MaxHeaderLength)
        {
            throw new WeightImportException($"'{fileName}' is not a safetensors file: its first 8 bytes give a header length of {headerLength} bytes.");
        }

        var header = new byte[headerLength];
        got = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got < header.Length)
        {
            throw new WeightImportException($"'{fileName}' is truncated: its JSON header should be {headerLength} bytes but only {got} are left.");
        }

        var entries = ParseHeader(header, fileName);
        var dataLength = entries.Count == 0 ? 0 : entries.Max(e => e.End);
        if (dataLength > Array.MaxLength)
        {
            throw new WeightImportException($"'{fileName}' has {dataLength} bytes of tensor data; more than this reader holds in memory.");
        }

        var data = new byte[dataLength];
        got = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (got < data.Length)
        {
            throw new WeightImportException($"'{fileName}' is truncated: its header places tensor data up to byte {dataLength} after the header, but only {got} bytes follow it.");
        }

        return entries.OrderBy(e => e.Begin).ThenBy(e => e.End)
            .Select(e => new WeightTensor(e.Name, e.Shape, Decode(data.AsSpan((int)e.Begin, (int)(e.End - e.Begin)), e.DType), TypeName(e.DType)))
            .ToList();
    }

    private sealed record Entry(string Name, string DType, int[] Shape, long Begin, long End);

    private static List<Entry> ParseHeader(byte[] header, string fileName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException exception)
        {
            throw new WeightImportException($"'{fileName}' is not a safetensors file: its header is not JSON ({exception.Message}).", exception);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new WeightImportException($"'{fileName}' is not a safetensors file: its header is not a JSON object.");
            }

            var entries = new List<Entry>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    continue;
                }

                entries.Add(ParseEntry(property, fileName));
            }

            return entries;
        }
    }

    private static Entry ParseEntry(JsonProperty property, string fileName)
    {
        var name = property.Name;
        WeightImportException Malformed(string what) => new($"'{fileName}': the header entry of tensor '{name}' {what}.");
        var value = property.Value;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array || offsetsElement.GetArrayLength() != 2)
        {
            throw Malformed("lacks 'dtype', 'shape' or 'data_offsets'");
        }

        var dtype = dtypeElement.GetString()!;
        var itemSize = dtype switch
        {
            "F32" => 4,
            "F64" => 8,
            "F16" or "BF16" => 2,
            _ => throw new WeightImportException(
                $"'{fileName}': tensor '{name}' has element type {dtype}; only F32, F64, F16 and BF16 are supported (convert it with tensor.float() before saving)."),
        };

        var shape = new List<int>();
        foreach (var dimension in shapeElement.EnumerateArray())
        {
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt32(out var size) || size < 0)
            {
                throw Malformed($"has a shape entry {dimension.GetRawText()} that is not a dimension");
            }

            shape.Add(size);
        }

        var offsets = offsetsElement.EnumerateArray().ToArray();
        if (!offsets[0].TryGetInt64(out var begin) || !offsets[1].TryGetInt64(out var end) || begin < 0 || end < begin)
        {
            throw Malformed($"has data offsets {offsetsElement.GetRawText()}, which are not a range");
        }

        var elements = WeightTensor.ElementCountIn(shape, fileName, name);
        if (elements > long.MaxValue / itemSize || end - begin != elements * itemSize)
        {
            throw Malformed($"has shape {WeightTensor.FormatShape(shape)} of {dtype} ({elements * itemSize} bytes) but data offsets [{begin}, {end}] ({end - begin} bytes)");
        }

        return new Entry(name, dtype, shape.ToArray(), begin, end);
    }

    private static string TypeName(string dtype) => dtype switch
    {
        "F32" => "float32",
        "F64" => "float64",
        "F16" => "float16",
        _ => "bfloat16",
    };

    private static float[] Decode(ReadOnlySpan<byte> bytes, string dtype)
    {
        var itemSize = dtype switch { "F32" => 4, "F64" => 8, _ => 2 };
        var values = new float[bytes.Length / itemSize];
        for (var i = 0; i < values.Length; i++)
        {
            var item = bytes.Slice(i * itemSize, itemSize);
            values[i] = dtype switch
            {
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(item),
                "F64" => (float)BinaryPrimitives.ReadDoubleLittleEndian(item),
                "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(item),
                // bfloat16 is the upper half of a float32.
                _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(item) << 16),
            };
        }

        return values;
    }
}
