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
/// refused with a message that says how to re-save the array.
/// </summary>
public static class NumpyFile
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads the array in an .npy file; its name is the file name without the extension.</summary>
    /// <exception cref="WeightImportException">The file is not a supported .npy file.</exception>
    public static WeightTensor ReadNpy(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return ReadNpy(stream, Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>Reads one .npy array from <paramref name="stream"/> and names it <paramref name="name"/>.</summary>
    /// <exception cref="WeightImportException">The data is not a supported .npy array.</exception>
    public static WeightTensor ReadNpy(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
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

        int major = preamble[6], minor = preamble[7];
        int headerLength;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(ReadExactly(stream, 2, name, "the header length"));
        }
        else if (major is 2 or 3)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(ReadExactly(stream, 4, name, "the header length"));
            if (length > 1 << 20)
            {
                throw new WeightImportException($"'{name}' has a .npy header of {length} bytes; a header longer than 1 MiB is not a weight array.");
            }

            headerLength = (int)length;
        }
        else
        {
            throw new WeightImportException($"'{name}' is a .npy file of format version {major}.{minor}; versions 1.0, 2.0 and 3.0 are supported.");
        }

        var headerBytes = ReadExactly(stream, headerLength, name, "the header");
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var (descr, fortranOrder, shape) = ParseHeader(header, name);
        if (fortranOrder)
        {
            throw new WeightImportException(
                $"'{name}' is stored in Fortran (column-major) order; save it in C order, e.g. np.save(path, np.ascontiguousarray(array)).");
        }

        var (itemSize, typeName) = descr switch
        {
            "<f4" => (4, "float32"),
            "<f8" => (8, "float64"),
            "<f2" => (2, "float16"),
            _ => throw new WeightImportException(UnsupportedType(name, descr)),
        };

        var elements = WeightTensor.ElementCountIn(shape, name, name);
        if (elements > Array.MaxLength)
        {
            throw new WeightImportException($"'{name}' has shape {WeightTensor.FormatShape(shape)}: {elements} elements is more than an array can hold.");
        }

        var data = ReadExactly(stream, checked((int)(elements * itemSize)), name, $"the data ({elements} x {typeName})");
        return new WeightTensor(name, shape, Decode(data, itemSize, (int)elements), typeName);
    }

    /// <summary>Reads every array of an .npz archive, in the order of the archive (the order they were passed to <c>np.savez</c>).</summary>
    /// <exception cref="WeightImportException">The file is not a zip archive or holds an unsupported array.</exception>
    public static IReadOnlyList<WeightTensor> ReadNpz(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return ReadNpz(stream, Path.GetFileName(path));
    }

    /// <summary>Reads every array of an .npz archive in <paramref name="stream"/>; <paramref name="fileName"/> is used in messages.</summary>
    /// <exception cref="WeightImportException">The data is not a zip archive or holds an unsupported array.</exception>
    public static IReadOnlyList<WeightTensor> ReadNpz(Stream stream, string fileName = "the .npz archive")
    {
        ArgumentNullException.ThrowIfNull(stream);
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
                    using var entryStream = entry.Open();
                    tensors.Add(ReadNpy(entryStream, name));
                }
                catch (InvalidDataException exception)
                {
                    throw new WeightImportException($"Entry '{entry.FullName}' of '{fileName}' cannot be decompressed: {exception.Message}", exception);
                }
            }

            return tensors;
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

    private static byte[] ReadExactly(Stream stream, int count, string name, string what)
    {
        var buffer = new byte[count];
        var got = stream.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
        if (got < count)
        {
            throw new WeightImportException($"'{name}' is truncated: {what} needs {count} bytes but only {got} are left.");
        }

        return buffer;
    }

    private static float[] Decode(byte[] data, int itemSize, int elements)
    {
        var values = new float[elements];
        for (var i = 0; i < elements; i++)
        {
            var bytes = data.AsSpan(i * itemSize, itemSize);
            values[i] = itemSize switch
            {
                4 => BinaryPrimitives.ReadSingleLittleEndian(bytes),
                8 => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes),
                _ => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes),
            };
        }

        return values;
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
