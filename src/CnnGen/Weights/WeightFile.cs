using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace CnnGen;

/// <summary>
/// The CnnGen weight file: a network's <see cref="INetwork.Parameters"/> with what is needed
/// to refuse them for the wrong network or after damage. Version 1 (networks without state), all
/// integers little-endian:
/// <code>
/// offset     size  field
/// 0          8     magic 89 43 4E 4E 47 45 4E 0A ("\x89CNNGEN\n")
/// 8          4     format version, uint32 = 1
/// 12         2     n = byte length of the network name, uint16
/// 14         n     network name, UTF-8
/// 14+n       32    architecture fingerprint, 32 lower-case hexadecimal ASCII digits
/// 46+n       4     c = parameter count, int32
/// 50+n       4c    the parameters, float32, in INetwork.Parameters order (Keras layout)
/// 50+n+4c    32    SHA-256 of bytes 0 .. 50+n+4c-1 (everything before it)
/// </code>
/// Version 2, written for networks with state (<see cref="INetwork.State"/>, batch
/// normalisation's moving statistics), has the state count s (int32) at 50+n, the parameters at
/// 54+n, the state (float32, in INetwork.State order) at 54+n+4c and the SHA-256 of everything
/// before it at 54+n+4c+4s. Version 1 files load as before.
/// Saving to a path writes a temporary file in the same directory and renames it over the
/// target, so a crash never leaves a half-written file in place of a good one. Loading reads
/// and checks everything (magic, version, lengths, checksum, fingerprint, count) before it
/// writes a single weight, and throws <see cref="WeightFileException"/> otherwise, leaving the
/// network as it was. docs/weights.md describes the format and its guarantees.
/// </summary>
public static class WeightFile
{
    /// <summary>The format version this library writes and reads.</summary>
    public const int FormatVersion = 2;

    /// <summary>The conventional file extension.</summary>
    public const string Extension = ".cnnw";

    private const int MagicLength = 8;
    private const int FingerprintLength = 32;
    private const int ChecksumLength = 32;
    private const int ChunkBytes = 1 << 16;

    private static ReadOnlySpan<byte> Magic => [0x89, (byte)'C', (byte)'N', (byte)'N', (byte)'G', (byte)'E', (byte)'N', (byte)'\n'];

    /// <summary>
    /// Writes the network's weights to <paramref name="path"/>: to a temporary file in the same
    /// directory first, flushed to the disk, then renamed over <paramref name="path"/>. If anything
    /// fails, an existing file at <paramref name="path"/> is left untouched. When
    /// <paramref name="path"/> is a symbolic link, the file it points to is replaced and the link kept.
    /// </summary>
    /// <exception cref="IOException">The path is a directory, or the file cannot be written (the message names <paramref name="path"/>).</exception>
    public static void Save(INetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var header = BuildHeader(network);
        AtomicFile.Replace(path, stream => Write(network.Parameters, network.State, header, stream));
    }

    /// <summary>
    /// Writes the network's weights to <paramref name="stream"/> at its current position. The
    /// stream is written in order and not closed; there is no protection against a failure
    /// half-way (use <see cref="Save(INetwork, string)"/> for that).
    /// </summary>
    public static void Save(INetwork network, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        Write(network.Parameters, network.State, BuildHeader(network), stream);
    }

    /// <summary>
    /// Writes a weight record for <paramref name="architecture"/> without an instance of its
    /// network: the ONNX importer writes the weights of a network that is not compiled yet.
    /// </summary>
    internal static void Save(NetworkArchitecture architecture, ReadOnlySpan<float> parameters, ReadOnlySpan<float> state, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(stream);
        Write(parameters, state, BuildHeader(architecture, architecture.ParameterCount, parameters.Length, nameof(architecture), state.Length), stream);
    }

    /// <summary>
    /// Reads the weights in <paramref name="path"/> into <paramref name="network"/> after checking
    /// the whole file: that it is a CnnGen weight file of a supported version, neither truncated
    /// nor longer than its header says, that its checksum holds, and that it was saved from a
    /// network with the same architecture fingerprint and parameter count.
    /// </summary>
    /// <exception cref="WeightFileException">A check failed; the network's weights are unchanged.</exception>
    /// <exception cref="IOException">The file cannot be opened (it does not exist or is a directory).</exception>
    public static void Load(INetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = WeightPaths.OpenRead(path, "A weight file", ChunkBytes);
        var content = Read(stream, stream.Length, network.ParameterCount, network.StateCount);
        Apply(network, content);
    }

    /// <summary>
    /// Reads one weight record from <paramref name="stream"/> (from its current position to the
    /// end of the checksum; bytes after it are not read) into <paramref name="network"/> after the
    /// same checks as <see cref="Load(INetwork, string)"/>.
    /// </summary>
    /// <exception cref="WeightFileException">A check failed; the network's weights are unchanged.</exception>
    public static void Load(INetwork network, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        var content = Read(stream, totalLength: null, network.ParameterCount, network.StateCount);
        Apply(network, content);
    }

    /// <summary>Reads and checks the header and checksum of a weight file without loading it into a network.</summary>
    /// <exception cref="WeightFileException">The file is not an intact CnnGen weight file.</exception>
    public static WeightFileInfo ReadInfo(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = WeightPaths.OpenRead(path, "A weight file", ChunkBytes);
        var content = Read(stream, stream.Length, expectedCount: -1, expectedStateCount: -1);
        ValidateHeaderText(content.Info);
        return content.Info;
    }

    private static byte[] BuildHeader(INetwork network)
    {
        if (network.State.Length != network.StateCount)
        {
            throw new ArgumentException($"The network reports {network.StateCount} floats of state, but its State span has {network.State.Length}.", nameof(network));
        }

        return BuildHeader(network.Architecture, network.ParameterCount, network.Parameters.Length, nameof(network), network.StateCount);
    }

    /// <summary>
    /// The header: version 1 for a network without state (the layout every version reads), version 2,
    /// with the state count after the parameter count, for a network with state.
    /// </summary>
    private static byte[] BuildHeader(NetworkArchitecture architecture, int parameterCount, int spanLength, string parameterName, int stateCount)
    {
        if (spanLength != parameterCount || architecture.ParameterCount != parameterCount)
        {
            throw new ArgumentException(
                $"The network reports {parameterCount} parameters, its architecture {architecture.ParameterCount}, and its Parameters span has {spanLength}.",
                parameterName);
        }

        var name = Encoding.UTF8.GetBytes(architecture.Name);
        if (name.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"The network name takes {name.Length} bytes in UTF-8; a weight file holds at most {ushort.MaxValue}.", parameterName);
        }

        var fingerprint = Encoding.ASCII.GetBytes(architecture.Fingerprint);
        if (fingerprint.Length != FingerprintLength)
        {
            throw new ArgumentException($"The architecture fingerprint '{architecture.Fingerprint}' has {fingerprint.Length} characters, not {FingerprintLength}.", parameterName);
        }

        var version = stateCount > 0 ? (uint)FormatVersion : 1u;
        var header = new byte[HeaderLength(name.Length, version)];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), version);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(12), (ushort)name.Length);
        name.CopyTo(header.AsSpan(14));
        fingerprint.CopyTo(header.AsSpan(14 + name.Length));
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(46 + name.Length), parameterCount);
        if (version >= 2)
        {
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(50 + name.Length), stateCount);
        }

        return header;
    }

    private static int HeaderLength(int nameLength, uint version) => 50 + nameLength + (version >= 2 ? 4 : 0);

    private static void Write(ReadOnlySpan<float> parameters, ReadOnlySpan<float> state, byte[] header, Stream stream)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        stream.Write(header);
        hash.AppendData(header);
        var chunk = new byte[ChunkBytes];
        WriteFloats(parameters, chunk, stream, hash);
        WriteFloats(state, chunk, stream, hash);
        stream.Write(hash.GetHashAndReset());
    }

    private static void WriteFloats(ReadOnlySpan<float> parameters, byte[] chunk, Stream stream, IncrementalHash hash)
    {
        for (var start = 0; start < parameters.Length; start += ChunkBytes / 4)
        {
            var count = Math.Min(ChunkBytes / 4, parameters.Length - start);
            for (var i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(chunk.AsSpan(i * 4), parameters[start + i]);
            }

            stream.Write(chunk, 0, count * 4);
            hash.AppendData(chunk, 0, count * 4);
        }
    }

    /// <summary>What a weight file holds, after its checks: the header and, when asked for, the parameters.</summary>
    private readonly record struct Content(WeightFileInfo Info, float[]? Parameters, float[]? State);

    /// <summary>
    /// Reads a whole record, checking structure and checksum. The parameters are kept only when
    /// the file holds exactly <paramref name="expectedCount"/> of them: a damaged count cannot
    /// make it allocate more than the network needs.
    /// </summary>
    private static Content Read(Stream stream, long? totalLength, int expectedCount, int expectedStateCount)
    {
        var reader = new RecordReader(stream);

        // Magic: anything else is not ours, and says so even for a short file.
        var magic = new byte[MagicLength];
        var got = reader.ReadUpTo(magic);
        if (!magic.AsSpan(0, got).SequenceEqual(Magic[..got]))
        {
            throw new WeightFileException(WeightFileError.NotAWeightFile,
                $"This is not a CnnGen weight file: it starts with {Convert.ToHexString(magic, 0, got)}, not {Convert.ToHexString(Magic)} (\"\\x89CNNGEN\\n\").");
        }

        if (got < MagicLength)
        {
            throw Truncated(reader.Position, "the magic", 0, MagicLength, totalLength);
        }

        var fixedHeader = new byte[6];
        reader.ReadField(fixedHeader.AsSpan(0, 4), "the format version", totalLength);
        var version = BinaryPrimitives.ReadUInt32LittleEndian(fixedHeader);
        if (version is < 1 or > FormatVersion)
        {
            throw new WeightFileException(WeightFileError.UnsupportedVersion,
                $"The weight file has format version {version}; this library reads versions 1 to {FormatVersion}.");
        }

        reader.ReadField(fixedHeader.AsSpan(4, 2), "the name length", totalLength);
        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(fixedHeader.AsSpan(4));
        var rest = new byte[nameLength + FingerprintLength + 8];
        reader.ReadField(rest.AsSpan(0, nameLength), "the network name", totalLength);
        reader.ReadField(rest.AsSpan(nameLength, FingerprintLength), "the architecture fingerprint", totalLength);
        reader.ReadField(rest.AsSpan(nameLength + FingerprintLength, 4), "the parameter count", totalLength);
        var count = BinaryPrimitives.ReadInt32LittleEndian(rest.AsSpan(nameLength + FingerprintLength));
        if (count < 0)
        {
            throw new WeightFileException(WeightFileError.InvalidHeader,
                $"The weight file's parameter count is {count}; it cannot be negative (the header is damaged).");
        }

        // Version 2 adds the floats of state (moving statistics), stored after the parameters.
        var stateCount = 0;
        if (version >= 2)
        {
            reader.ReadField(rest.AsSpan(nameLength + FingerprintLength + 4, 4), "the state count", totalLength);
            stateCount = BinaryPrimitives.ReadInt32LittleEndian(rest.AsSpan(nameLength + FingerprintLength + 4));
            if (stateCount < 0)
            {
                throw new WeightFileException(WeightFileError.InvalidHeader,
                    $"The weight file's state count is {stateCount}; it cannot be negative (the header is damaged).");
            }
        }

        var expectedLength = (long)HeaderLength(nameLength, version) + 4L * count + 4L * stateCount + ChecksumLength;
        if (totalLength is { } length && length != expectedLength)
        {
            if (length < expectedLength)
            {
                throw new WeightFileException(WeightFileError.Truncated,
                    $"The weight file is truncated: its header says {count} parameters{StateWords(stateCount)}, so it should be {expectedLength} bytes long, but it has {length} bytes.");
            }

            throw new WeightFileException(WeightFileError.TrailingData,
                $"The weight file has {length - expectedLength} bytes after its checksum: its header says {count} parameters{StateWords(stateCount)}, so it should be {expectedLength} bytes long, but it has {length} bytes.");
        }

        // Data and checksum, hashed as they stream by.
        var chunk = new byte[ChunkBytes];
        var parameters = ReadFloats(reader, chunk, count, count == expectedCount && stateCount == expectedStateCount, expectedLength);
        var state = ReadFloats(reader, chunk, stateCount, parameters is not null, expectedLength);

        var computed = reader.Hash();
        var stored = new byte[ChecksumLength];
        reader.ReadData(stored, expectedLength);
        if (!CryptographicOperations.FixedTimeEquals(computed, stored))
        {
            throw new WeightFileException(WeightFileError.ChecksumMismatch,
                $"The weight file is damaged: its SHA-256 checksum is {Convert.ToHexString(stored).ToLowerInvariant()}, but its {expectedLength - ChecksumLength} bytes hash to {Convert.ToHexString(computed).ToLowerInvariant()}.");
        }

        string name;
        try
        {
            name = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(rest, 0, nameLength);
        }
        catch (DecoderFallbackException exception)
        {
            throw new WeightFileException(WeightFileError.InvalidHeader, "The weight file's network name is not valid UTF-8.", exception);
        }

        var fingerprint = Encoding.ASCII.GetString(rest, nameLength, FingerprintLength);
        return new Content(new WeightFileInfo(version, name, fingerprint, count) { StateCount = stateCount }, parameters, state);
    }

    private static string StateWords(int stateCount) => stateCount > 0 ? $" and {stateCount} floats of state" : string.Empty;

    /// <summary>Reads <paramref name="count"/> floats (kept only when <paramref name="keep"/>; otherwise only hashed).</summary>
    private static float[]? ReadFloats(RecordReader reader, byte[] chunk, int count, bool keep, long expectedLength)
    {
        var values = keep ? new float[count] : null;
        long remaining = 4L * count;
        var index = 0;
        while (remaining > 0)
        {
            var take = (int)Math.Min(ChunkBytes, remaining);
            reader.ReadData(chunk.AsSpan(0, take), expectedLength);
            if (values is not null)
            {
                for (var i = 0; i < take; i += 4)
                {
                    values[index++] = BinaryPrimitives.ReadSingleLittleEndian(chunk.AsSpan(i));
                }
            }

            remaining -= take;
        }

        return values;
    }

    private static void ValidateHeaderText(WeightFileInfo info)
    {
        foreach (var c in info.Fingerprint)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                throw new WeightFileException(WeightFileError.InvalidHeader,
                    $"The weight file's architecture fingerprint '{info.Fingerprint}' is not 32 lower-case hexadecimal digits.");
            }
        }
    }

    private static void Apply(INetwork network, Content content)
    {
        ValidateHeaderText(content.Info);
        var info = content.Info;
        var architecture = network.Architecture;
        if (info.Fingerprint != architecture.Fingerprint)
        {
            throw new WeightFileException(WeightFileError.ArchitectureMismatch,
                $"The weight file holds the weights of another architecture: it was saved from '{info.NetworkName}' (fingerprint {info.Fingerprint}, {info.ParameterCount} parameters), " +
                $"but the network is '{architecture.Name}' (fingerprint {architecture.Fingerprint}, {network.ParameterCount} parameters).");
        }

        if (info.StateCount != network.StateCount && info.ParameterCount == network.ParameterCount)
        {
            throw new WeightFileException(WeightFileError.ParameterCountMismatch,
                $"The weight file holds {info.StateCount} floats of state, but '{architecture.Name}' has {network.StateCount} (same fingerprint {info.Fingerprint}).");
        }

        if (info.ParameterCount != network.ParameterCount || content.Parameters is null)
        {
            throw new WeightFileException(WeightFileError.ParameterCountMismatch,
                $"The weight file holds {info.ParameterCount} parameters, but '{architecture.Name}' has {network.ParameterCount} (same fingerprint {info.Fingerprint}).");
        }

        var target = network.Parameters;
        if (target.Length != content.Parameters.Length)
        {
            throw new WeightFileException(WeightFileError.ParameterCountMismatch,
                $"The weight file holds {content.Parameters.Length} parameters, but the Parameters span of '{architecture.Name}' has {target.Length}.");
        }

        content.Parameters.CopyTo(target);
        content.State?.CopyTo(network.State);
    }

    private static WeightFileException Truncated(long position, string field, long fieldStart, long fieldEnd, long? totalLength) =>
        new(WeightFileError.Truncated,
            $"The weight file is truncated: it ends after {position} bytes, inside {field} (bytes {fieldStart} to {fieldEnd - 1})" +
            (totalLength is { } length ? $"; the file has {length} bytes." : "."));

    /// <summary>Reads from the stream, counting positions from where the record starts and hashing every byte.</summary>
    private sealed class RecordReader(Stream stream)
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public long Position { get; private set; }

        public int ReadUpTo(Span<byte> buffer)
        {
            var got = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            _hash.AppendData(buffer[..got]);
            Position += got;
            return got;
        }

        public void ReadField(Span<byte> buffer, string field, long? totalLength)
        {
            var start = Position;
            if (ReadUpTo(buffer) < buffer.Length)
            {
                throw Truncated(Position, field, start, start + buffer.Length, totalLength);
            }
        }

        public void ReadData(Span<byte> buffer, long expectedLength)
        {
            if (ReadUpTo(buffer) < buffer.Length)
            {
                throw new WeightFileException(WeightFileError.Truncated,
                    $"The weight file is truncated: its header says it is {expectedLength} bytes long, but it ends after {Position} bytes.");
            }
        }

        public byte[] Hash() => _hash.GetCurrentHash();
    }
}

/// <summary>The header of an intact weight file.</summary>
/// <param name="FormatVersion">The format version: 1 (no state) or 2 (state after the parameters).</param>
/// <param name="NetworkName">The class name of the network that saved it.</param>
/// <param name="Fingerprint">Its <see cref="NetworkArchitecture.Fingerprint"/>.</param>
/// <param name="ParameterCount">The number of float32 parameters it holds.</param>
public sealed record WeightFileInfo(uint FormatVersion, string NetworkName, string Fingerprint, int ParameterCount)
{
    /// <summary>Floats of state (batch normalisation's moving statistics) after the parameters: 0 in version 1 files.</summary>
    public int StateCount { get; init; }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"CnnGen weight file v{FormatVersion}: '{NetworkName}', fingerprint {Fingerprint}, {ParameterCount} parameters") +
        (StateCount > 0 ? string.Create(CultureInfo.InvariantCulture, $", {StateCount} floats of state") : string.Empty);
}
