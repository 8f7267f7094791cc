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
/// and BF16 are read (converted to float32); others are refused by name. The files are untrusted:
/// sizes are checked against what the source holds before anything is allocated, and gaps,
/// overlaps, trailing bytes and non-finite values are refused (<see cref="WeightReadOptions"/>).
/// </summary>
public static class SafeTensorsFile
{
    private const long MaxHeaderLength = 100L << 20;

    /// <summary>
    /// Reads every tensor of a safetensors file, in the order of their data in the file (which is
    /// the order they were written; the <c>safetensors</c> library sorts them by name). As in the
    /// reference implementation, the tensors' data must follow one another without gaps or
    /// overlaps and end where the file does.
    /// </summary>
    /// <exception cref="WeightImportException">The file is not a valid safetensors file or holds an unsupported element type.</exception>
    /// <exception cref="IOException">The file cannot be opened (it does not exist or is a directory).</exception>
    public static IReadOnlyList<WeightTensor> Read(string path, WeightReadOptions? options = null)
    {
        using var stream = WeightPaths.OpenRead(path, "A safetensors file");
        return Read(stream, Path.GetFileName(path), options);
    }

    /// <summary>
    /// Reads every tensor of the safetensors data in <paramref name="stream"/> (to its end);
    /// <paramref name="fileName"/> is used in messages. A seekable stream's length is checked
    /// before anything is allocated; from another stream, memory grows only as data arrives.
    /// </summary>
    /// <exception cref="WeightImportException">The data is not valid safetensors or holds an unsupported element type.</exception>
    public static IReadOnlyList<WeightTensor> Read(Stream stream, string fileName = "the safetensors file", WeightReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= WeightReadOptions.Default;
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

        var header = TensorData.ReadBytes(stream, (long)headerLength, TensorData.Remaining(stream), left =>
            new WeightImportException($"'{fileName}' is truncated: its JSON header should be {headerLength} bytes but only {left} are left."));

        // The data, in file order: each tensor starts where the previous one ends.
        var entries = ParseHeader(header, fileName);
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long dataLength = 0;
        foreach (var entry in entries)
        {
            if (entry.Begin != dataLength)
            {
                throw new WeightImportException(
                    $"'{fileName}': tensor '{entry.Name}' has data_offsets [{entry.Begin}, {entry.End}], but " +
                    (entry.Begin > dataLength ? $"the data before it ends at byte {dataLength}, leaving a gap" : $"the data before it runs to byte {dataLength}, an overlap") +
                    " (tensors must follow one another, as the safetensors library writes them).");
            }

            dataLength = entry.End;
        }

        var remaining = TensorData.Remaining(stream);
        if (remaining is { } left && left != dataLength)
        {
            throw new WeightImportException(left < dataLength
                ? $"'{fileName}' is truncated: its header places tensor data up to byte {dataLength} after the header, but only {left} bytes follow it."
                : $"'{fileName}' has {left - dataLength} bytes of trailing data: its header places tensor data up to byte {dataLength} after the header, but {left} bytes follow it.");
        }

        var tensors = new List<WeightTensor>(entries.Count);
        foreach (var entry in entries)
        {
            var values = TensorData.ReadValues(stream, entry.Elements, entry.Type, lengthChecked: remaining is not null,
                read => new WeightImportException(
                    $"'{fileName}' is truncated: its header places tensor data up to byte {dataLength} after the header, but only {entry.Begin + read} bytes follow it."),
                fileName, entry.Name, options);
            tensors.Add(new WeightTensor(entry.Name, entry.Shape, values, TensorData.TypeName(entry.Type)));
        }

        if (remaining is null && TensorData.HasMore(stream))
        {
            throw new WeightImportException($"'{fileName}' has trailing data: its header places tensor data up to byte {dataLength} after the header, but more bytes follow it.");
        }

        return tensors;
    }

    private sealed record Entry(string Name, ElementType Type, int[] Shape, long Elements, long Begin, long End);

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
                if (property.NameEquals("__metadata__"))
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
        // Few allocations per entry: a header may list many tensors, and parsing must cost a small multiple of its size.
        var name = property.Name;
        var value = property.Value;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array || offsetsElement.GetArrayLength() != 2)
        {
            throw Malformed(fileName, name, "lacks 'dtype', 'shape' or 'data_offsets'");
        }

        var dtype = dtypeElement.GetString()!;
        var type = dtype switch
        {
            "F32" => ElementType.Float32,
            "F64" => ElementType.Float64,
            "F16" => ElementType.Float16,
            "BF16" => ElementType.BFloat16,
            _ => throw new WeightImportException(
                $"'{fileName}': tensor '{name}' has element type {dtype}; only F32, F64, F16 and BF16 are supported (convert it with tensor.float() before saving)."),
        };

        var shape = new int[shapeElement.GetArrayLength()];
        for (var d = 0; d < shape.Length; d++)
        {
            var dimension = shapeElement[d];
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt32(out var size) || size < 0)
            {
                throw Malformed(fileName, name, $"has a shape entry {dimension.GetRawText()} that is not a dimension");
            }

            shape[d] = size;
        }

        if (!offsetsElement[0].TryGetInt64(out var begin) || !offsetsElement[1].TryGetInt64(out var end) || begin < 0 || end < begin)
        {
            throw Malformed(fileName, name, $"has data offsets {offsetsElement.GetRawText()}, which are not a range");
        }

        var elements = WeightTensor.ElementCountIn(shape, fileName, name);
        var itemSize = TensorData.ItemSize(type);
        if (elements > long.MaxValue / itemSize)
        {
            throw Malformed(fileName, name, $"has shape {WeightTensor.FormatShape(shape)} of {dtype}, whose size in bytes does not fit in 64 bits");
        }

        if (end - begin != elements * itemSize)
        {
            throw Malformed(fileName, name, $"has shape {WeightTensor.FormatShape(shape)} of {dtype} ({elements * itemSize} bytes) but data offsets [{begin}, {end}] ({end - begin} bytes)");
        }

        if (elements > Array.MaxLength)
        {
            throw Malformed(fileName, name, $"has shape {WeightTensor.FormatShape(shape)}: {elements} elements is more than an array can hold");
        }

        return new Entry(name, type, shape, elements, begin, end);
    }

    private static WeightImportException Malformed(string fileName, string name, string what) =>
        new($"'{fileName}': the header entry of tensor '{name}' {what}.");
}
