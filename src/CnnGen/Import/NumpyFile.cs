using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace CnnGen;

/// <summary>
/// Reads NumPy's <c>.npy</c> (one array) and <c>.npz</c> (a zip of <c>.npy</c> files, as
/// <c>np.savez</c> and <c>np.savez_compressed</c> write them). Supported: format versions 1.0,
/// 2.0 and 3.0; little-endian float16, float32 and float64 (<c>&lt;f2</c>, <c>&lt;f4</c>,
/// <c>&lt;f8</c>) in C order. Fortran order, big-endian data and other element types are
/// refused with a message that says how to re-save the array. The files are untrusted: sizes are
/// checked against what the source holds before anything is allocated, trailing bytes and
/// non-finite values are refused (<see cref="WeightReadOptions"/>; docs/weights.md).
/// </summary>
public static class NumpyFile
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>
    /// Reads the array in an .npy file; its name is the file name without the extension. The file
    /// must end where the array does: trailing bytes are an error.
    /// </summary>
    /// <exception cref="WeightImportException">The file is not a supported .npy file.</exception>
    /// <exception cref="IOException">The file cannot be opened (it does not exist or is a directory).</exception>
    public static WeightTensor ReadNpy(string path, WeightReadOptions? options = null)
    {
        using var stream = WeightPaths.OpenRead(path, "An .npy array");
        return ReadArray(stream, Path.GetFileNameWithoutExtension(path), stream.Length, exact: true, options ?? WeightReadOptions.Default);
    }

    /// <summary>
    /// Reads one .npy array from <paramref name="stream"/> and names it <paramref name="name"/>.
    /// The stream is left after the array (arrays written one after another with <c>np.save</c>
    /// to one file can be read one by one). A seekable stream's length is checked before
    /// anything is allocated; from another stream, memory grows only as data arrives.
    /// </summary>
    /// <exception cref="WeightImportException">The data is not a supported .npy array.</exception>
    public static WeightTensor ReadNpy(Stream stream, string name, WeightReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        return ReadArray(stream, name, TensorData.Remaining(stream), exact: false, options ?? WeightReadOptions.Default);
    }

    /// <summary>
    /// Reads an array from a source of <paramref name="length"/> bytes from the stream's position
    /// (null: unknown); <paramref name="exact"/>: the array must fill it, trailing bytes are an error.
    /// </summary>
    private static WeightTensor ReadArray(Stream stream, string name, long? length, bool exact, WeightReadOptions options)
    {
        long consumed = 0;
        long? Left() => length - consumed;
        byte[] Read(int count, string what)
        {
            var bytes = TensorData.ReadBytes(stream, count, Left(), got =>
                new WeightImportException($"'{name}' is truncated: {what} needs {count} bytes but only {got} are left."));
            consumed += count;
            return bytes;
        }

        var preamble = new byte[8];
        var got = stream.ReadAtLeast(preamble, preamble.Length, throwOnEndOfStream: false);
        if (got < Magic.Length || !preamble.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new WeightImportException($"'{name}' is not a NumPy .npy array: it does not start with \\x93NUMPY.");
        }

        if (got < preamble.Length)
        {
            throw new WeightImportException($"'{name}' is truncated: it ends after {got} bytes, inside the .npy preamble (8 bytes).");
        }

        consumed = preamble.Length;
        int major = preamble[6], minor = preamble[7];
        int headerLength;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(Read(2, "the header length"));
        }
        else if (major is 2 or 3)
        {
            var declared = BinaryPrimitives.ReadUInt32LittleEndian(Read(4, "the header length"));
            if (declared > 1 << 20)
            {
                throw new WeightImportException($"'{name}' has a .npy header of {declared} bytes; a header longer than 1 MiB is not a weight array.");
            }

            headerLength = (int)declared;
        }
        else
        {
            throw new WeightImportException($"'{name}' is a .npy file of format version {major}.{minor}; versions 1.0, 2.0 and 3.0 are supported.");
        }

        var headerBytes = Read(headerLength, "the header");
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var (descr, fortranOrder, shape) = ParseHeader(header, name);
        if (fortranOrder)
        {
            throw new WeightImportException(
                $"'{name}' is stored in Fortran (column-major) order; save it in C order, e.g. np.save(path, np.ascontiguousarray(array)).");
        }

        var type = descr switch
        {
            "<f4" => ElementType.Float32,
            "<f8" => ElementType.Float64,
            "<f2" => ElementType.Float16,
            _ => throw new WeightImportException(UnsupportedType(name, descr)),
        };

        // Sizes in checked long arithmetic, compared with what the source holds before any allocation.
        var elements = WeightTensor.ElementCountIn(shape, name, name);
        var itemSize = TensorData.ItemSize(type);
        var typeName = TensorData.TypeName(type);
        var what = $"the data ({elements} x {typeName})";
        if (elements > long.MaxValue / itemSize)
        {
            throw new WeightImportException($"'{name}' has shape {WeightTensor.FormatShape(shape)} of {typeName}, whose size in bytes does not fit in 64 bits.");
        }

        var dataBytes = elements * itemSize;
        if (Left() is { } left)
        {
            if (dataBytes > left)
            {
                throw new WeightImportException($"'{name}' is truncated: {what} needs {dataBytes} bytes but only {left} are left.");
            }

            if (exact && dataBytes < left)
            {
                throw new WeightImportException(
                    $"'{name}' has {left - dataBytes} bytes of trailing data: its header says {WeightTensor.FormatShape(shape)} {typeName} ({dataBytes} bytes), but {left} bytes follow the header.");
            }
        }

        if (elements > Array.MaxLength)
        {
            throw new WeightImportException($"'{name}' has shape {WeightTensor.FormatShape(shape)}: {elements} elements is more than an array can hold.");
        }

        var values = TensorData.ReadValues(stream, elements, type, lengthChecked: length is not null,
            read => new WeightImportException($"'{name}' is truncated: {what} needs {dataBytes} bytes but only {read} are left."),
            name, name, options);
        return new WeightTensor(name, shape, values, typeName);
    }

    /// <summary>
    /// Reads every array of an .npz archive, in the order of the archive (the order they were
    /// passed to <c>np.savez</c>). Before decompressing anything, the entries' declared sizes are
    /// checked against the archive's length (<see cref="WeightReadOptions.MaxCompressionRatio"/>);
    /// each entry must hold exactly one array.
    /// </summary>
    /// <exception cref="WeightImportException">The file is not a zip archive or holds an unsupported array.</exception>
    /// <exception cref="IOException">The file cannot be opened (it does not exist or is a directory).</exception>
    public static IReadOnlyList<WeightTensor> ReadNpz(string path, WeightReadOptions? options = null)
    {
        using var stream = WeightPaths.OpenRead(path, "An .npz archive");
        return ReadNpz(stream, Path.GetFileName(path), options);
    }

    /// <summary>Reads every array of an .npz archive in <paramref name="stream"/>; <paramref name="fileName"/> is used in messages.</summary>
    /// <exception cref="WeightImportException">The data is not a zip archive or holds an unsupported array.</exception>
    public static IReadOnlyList<WeightTensor> ReadNpz(Stream stream, string fileName = "the .npz archive", WeightReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= WeightReadOptions.Default;
        if (!stream.CanSeek)
        {
            // A zip is read from its end; a stream that cannot seek is copied first (its real bytes only).
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }

        var archiveLength = stream.Length;
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException exception)
        {
            throw new WeightImportException($"'{fileName}' is not an .npz file (a zip archive of .npy arrays): {exception.Message}", exception);
        }

        using (archive)
        {
            CheckExpansion(archive, archiveLength, fileName, options);
            var tensors = new List<WeightTensor>();
            foreach (var entry in archive.Entries)
            {
                if (entry.FullName.EndsWith('/'))
                {
                    continue;
                }

                var name = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName;
                try
                {
                    // The entry stream ends at the declared size; the array must fill it exactly.
                    using var entryStream = entry.Open();
                    tensors.Add(ReadArray(entryStream, name, entry.Length, exact: true, options));
                }
                catch (InvalidDataException exception)
                {
                    throw new WeightImportException($"Entry '{entry.FullName}' of '{fileName}' cannot be decompressed: {exception.Message}", exception);
                }
            }

            return tensors;
        }
    }

    /// <summary>Refuses an archive whose entries declare more uncompressed bytes than the ratio limit allows.</summary>
    private static void CheckExpansion(ZipArchive archive, long archiveLength, string fileName, WeightReadOptions options)
    {
        long total = 0;
        ZipArchiveEntry? largest = null;
        foreach (var entry in archive.Entries)
        {
            if (entry.Length < 0 || long.MaxValue - total < entry.Length)
            {
                throw new WeightImportException($"'{fileName}': the declared uncompressed sizes of its entries add up to more than 64 bits can count.");
            }

            total += entry.Length;
            largest = largest is null || entry.Length > largest.Length ? entry : largest;
        }

        var limit = Math.Max(WeightReadOptions.CompressionAllowance, options.MaxCompressionRatio * archiveLength);
        if (total > limit)
        {
            var ratio = (double)total / Math.Max(1, archiveLength);
            throw new WeightImportException(string.Create(CultureInfo.InvariantCulture,
                $"'{fileName}': the declared uncompressed size of its entries is {total:N0} bytes ('{largest!.FullName}' alone {largest.Length:N0}), {ratio:N0} times the archive's {archiveLength:N0} bytes; WeightReadOptions.MaxCompressionRatio allows {options.MaxCompressionRatio:G} times (or {WeightReadOptions.CompressionAllowance:N0} bytes). Nothing was decompressed; if the archive is genuine (mostly constant data), raise MaxCompressionRatio."));
        }
    }

    private static string UnsupportedType(string name, string descr)
    {
        if (descr.Length > 1 && descr[0] == '>' && descr[1] == 'f')
        {
            return $"'{name}' holds big-endian floats ('{descr}'); save it little-endian, e.g. array.astype('<f4').";
        }

        return $"'{name}' has element type '{descr}'; only little-endian float16, float32 and float64 ('<f2', '<f4', '<f8') are supported: save it with array.astype(np.float32).";
    }

    /// <summary>
    /// Parses the Python dict literal of an .npy header, e.g.
    /// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (8, 1, 3, 3), }</c>.
    /// </summary>
    private static (string Descr, bool FortranOrder, int[] Shape) ParseHeader(string header, string name)
    {
        var parser = new DictParser(header, name);
        string? descr = null;
        bool? fortranOrder = null;
        int[]? shape = null;
        parser.Expect('{');
        while (!parser.TryConsume('}'))
        {
            var key = parser.ReadString();
            parser.Expect(':');
            switch (key)
            {
                case "descr":
                    descr = parser.TryPeek('[')
                        ? throw new WeightImportException($"'{name}' holds a structured array; only plain float arrays are supported.")
                        : parser.ReadString();
                    break;
                case "fortran_order":
                    fortranOrder = parser.ReadBool();
                    break;
                case "shape":
                    shape = parser.ReadShape();
                    break;
                default:
                    parser.SkipValue();
                    break;
            }

            if (!parser.TryConsume(','))
            {
                parser.Expect('}');
                break;
            }
        }

        if (descr is null || fortranOrder is null || shape is null)
        {
            throw new WeightImportException($"'{name}' has an .npy header without 'descr', 'fortran_order' or 'shape': {header.Trim()}");
        }

        return (descr, fortranOrder.Value, shape);
    }

    /// <summary>Just enough of Python's literal syntax for .npy headers.</summary>
    private sealed class DictParser(string text, string name)
    {
        private int _position;

        public void Expect(char c)
        {
            if (!TryConsume(c))
            {
                throw Error($"expected '{c}'");
            }
        }

        public bool TryConsume(char c)
        {
            if (TryPeek(c))
            {
                _position++;
                return true;
            }

            return false;
        }

        public bool TryPeek(char c)
        {
            SkipSpace();
            return _position < text.Length && text[_position] == c;
        }

        public string ReadString()
        {
            SkipSpace();
            if (_position >= text.Length || (text[_position] != '\'' && text[_position] != '"'))
            {
                throw Error("expected a string");
            }

            var quote = text[_position++];
            var end = text.IndexOf(quote, _position);
            if (end < 0)
            {
                throw Error("unterminated string");
            }

            var value = text[_position..end];
            _position = end + 1;
            return value;
        }

        public bool ReadBool()
        {
            SkipSpace();
            foreach (var (word, value) in new[] { ("True", true), ("False", false) })
            {
                if (string.CompareOrdinal(text, _position, word, 0, word.Length) == 0)
                {
                    _position += word.Length;
                    return value;
                }
            }

            throw Error("expected True or False");
        }

        public int[] ReadShape()
        {
            Expect('(');
            var dimensions = new List<int>();
            while (!TryConsume(')'))
            {
                SkipSpace();
                var start = _position;
                while (_position < text.Length && (char.IsAsciiDigit(text[_position]) || text[_position] == 'L'))
                {
                    _position++;
                }

                if (!int.TryParse(text.AsSpan(start, _position - start).TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out var dimension))
                {
                    throw Error("expected a dimension");
                }

                dimensions.Add(dimension);
                if (!TryConsume(','))
                {
                    Expect(')');
                    break;
                }
            }

            return dimensions.ToArray();
        }

        public void SkipValue()
        {
            SkipSpace();
            var depth = 0;
            while (_position < text.Length)
            {
                var c = text[_position];
                if (c is '\'' or '"')
                {
                    ReadString();
                    continue;
                }

                if (c is '(' or '[' or '{')
                {
                    depth++;
                }
                else if (c is ')' or ']' or '}')
                {
                    if (depth == 0)
                    {
                        return;
                    }

                    depth--;
                }
                else if (c == ',' && depth == 0)
                {
                    return;
                }

                _position++;
            }
        }

        private void SkipSpace()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }

        private WeightImportException Error(string what) =>
            new($"'{name}' has a malformed .npy header ({what} at character {_position}): {text.Trim()}");
    }
}
