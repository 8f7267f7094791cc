using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using CnnGen.Tests.Networks;

namespace CnnGen.Tests.Weights;

/// <summary>The CnnGen weight file: exact round trips, and every kind of damage refused with its own error and no change to the weights.</summary>
public sealed class WeightFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cnngen-weights-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string> Networks => ForwardTests.Networks;

    [Theory]
    [MemberData(nameof(Networks))]
    public void SaveThenLoadIsBitExact(string name)
    {
        var source = ForwardTests.Create(name, seed: 1);
        ForwardTests.RandomizeBiases(source, seed: 2);
        var path = Path.Combine(_directory, name + WeightFile.Extension);
        source.SaveWeights(path);

        var target = ForwardTests.Create(name, seed: 99);
        Assert.False(Bytes(source).SequenceEqual(Bytes(target)));
        target.LoadWeights(path);
        Assert.True(Bytes(source).SequenceEqual(Bytes(target)));
        Assert.Equal(HeaderLength(source) + 4L * source.ParameterCount + 32, new FileInfo(path).Length);
    }

    [Fact]
    public void SpecialValuesSurviveBitForBit()
    {
        var source = new DigitNet(1);
        float[] specials = [0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity,
            BitConverter.Int32BitsToSingle(0x7FC0_1234), BitConverter.Int32BitsToSingle(unchecked((int)0xFFA0_0001)), 1e-40f];
        specials.CopyTo(source.Parameters);
        var stream = new MemoryStream();
        WeightFile.Save(source, stream);
        var target = new DigitNet(2);
        stream.Position = 0;
        WeightFile.Load(target, stream);
        Assert.True(Bytes(source).SequenceEqual(Bytes(target)));
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void TheFileIsLaidOutAsDocumented()
    {
        var network = new SignalNet(3);
        var bytes = Save(network);
        var name = Encoding.UTF8.GetBytes(nameof(SignalNet));
        Assert.Equal(new byte[] { 0x89, (byte)'C', (byte)'N', (byte)'N', (byte)'G', (byte)'E', (byte)'N', (byte)'\n' }, bytes[..8]);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(name.Length, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(name, bytes[14..(14 + name.Length)]);
        Assert.Equal(SignalNet.Architecture.Fingerprint, Encoding.ASCII.GetString(bytes, 14 + name.Length, 32));
        Assert.Equal(SignalNet.ParameterCount, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(46 + name.Length)));
        var data = 50 + name.Length;
        for (var i = 0; i < SignalNet.ParameterCount; i++)
        {
            Assert.Equal(network.Parameters[i], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(data + 4 * i)));
        }

        Assert.Equal(SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)), bytes[^32..]);
        var info = WeightFile.ReadInfo(Write("info", bytes));
        Assert.Equal(new WeightFileInfo(1, nameof(SignalNet), SignalNet.Architecture.Fingerprint, SignalNet.ParameterCount), info);
    }

    [Fact]
    public void WrongMagicIsNotAWeightFile()
    {
        var bytes = Save(new DigitNet(1));
        bytes[1] = (byte)'X';
        AssertRejected(bytes, WeightFileError.NotAWeightFile, "not a CnnGen weight file", "89584E4E47454E0A");
        AssertRejected(Encoding.ASCII.GetBytes("PK\u0003\u0004 a zip, not weights"), WeightFileError.NotAWeightFile, "not a CnnGen weight file");
        AssertRejected([0x89, (byte)'C', (byte)'N', (byte)'X'], WeightFileError.NotAWeightFile, "not a CnnGen weight file");
    }

    [Fact]
    public void AnotherVersionIsRefused()
    {
        var bytes = Save(new DigitNet(1));
        // Version 2 exists (files with state, StateWeightFileTests); 3 does not.
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 3);
        AssertRejected(Reseal(bytes), WeightFileError.UnsupportedVersion, "format version 3", "versions 1 to 2");
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 0);
        AssertRejected(bytes, WeightFileError.UnsupportedVersion, "format version 0");
    }

    [Fact]
    public void AnotherArchitectureNamesBothFingerprintsAndNetworks()
    {
        var path = Path.Combine(_directory, "lenet.cnnw");
        new LeNet5(1).SaveWeights(path);
        var exception = AssertRejected(File.ReadAllBytes(path), WeightFileError.ArchitectureMismatch,
            "another architecture", "'LeNet5'", LeNet5.Architecture.Fingerprint, $"{LeNet5.ParameterCount} parameters",
            "'DigitNet'", DigitNet.Architecture.Fingerprint, $"{DigitNet.ParameterCount} parameters");
        Assert.NotEqual(LeNet5.Architecture.Fingerprint, DigitNet.Architecture.Fingerprint);

        // The channels-first twin of DigitNet has the same parameter count but another meaning for it.
        Assert.Equal(DigitNet.ParameterCount, DigitNetChannelsFirst.ParameterCount);
        AssertRejected(Save(new DigitNetChannelsFirst(1)), WeightFileError.ArchitectureMismatch,
            DigitNetChannelsFirst.Architecture.Fingerprint, DigitNet.Architecture.Fingerprint);
        Assert.IsType<WeightFileException>(exception);
    }

    [Fact]
    public void AlteredFingerprintIsAnotherArchitectureWhenResealedAndDamageOtherwise()
    {
        var bytes = Save(new DigitNet(1));
        var at = 14 + nameof(DigitNet).Length;
        bytes[at] = (byte)(bytes[at] == (byte)'0' ? '1' : '0');
        var altered = Encoding.ASCII.GetString(bytes, at, 32);
        AssertRejected(bytes, WeightFileError.ChecksumMismatch, "damaged");
        AssertRejected(Reseal(bytes), WeightFileError.ArchitectureMismatch, altered, DigitNet.Architecture.Fingerprint);
        bytes[at] = (byte)'G';
        AssertRejected(Reseal(bytes), WeightFileError.InvalidHeader, "not 32 lower-case hexadecimal digits");
    }

    [Fact]
    public void AlteredNameIsDamageButARenamedIntactFileLoads()
    {
        var source = new DigitNet(1);
        var bytes = Save(source);
        bytes[14] = (byte)'X';
        AssertRejected(bytes, WeightFileError.ChecksumMismatch, "damaged");

        // The fingerprint, not the class name, decides whether weights fit (NetworkArchitecture.Fingerprint).
        var target = new DigitNet(2);
        WeightFile.Load(target, Write("renamed", Reseal(bytes)));
        Assert.True(Bytes(source).SequenceEqual(Bytes(target)));

        var invalidUtf8 = (byte[])bytes.Clone();
        invalidUtf8[14] = 0xFF;
        AssertRejected(Reseal(invalidUtf8), WeightFileError.InvalidHeader, "not valid UTF-8");
    }

    [Fact]
    public void AlteredParameterCountIsRefused()
    {
        var bytes = Save(new DigitNet(1));
        var countAt = 46 + nameof(DigitNet).Length;
        var count = DigitNet.ParameterCount;

        // A consistent file with one parameter less (same fingerprint): the count check.
        var shorter = new byte[bytes.Length - 4];
        bytes.AsSpan(0, bytes.Length - 36).CopyTo(shorter);
        BinaryPrimitives.WriteInt32LittleEndian(shorter.AsSpan(countAt), count - 1);
        AssertRejected(Reseal(shorter), WeightFileError.ParameterCountMismatch, $"holds {count - 1} parameters", $"has {count}");

        // The count changed in place: the file no longer has the length its header implies.
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(countAt), count + 1);
        AssertRejected(bytes, WeightFileError.Truncated, $"{count + 1} parameters", $"should be {bytes.Length + 4} bytes long", $"has {bytes.Length} bytes");
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(countAt), count - 1);
        AssertRejected(bytes, WeightFileError.TrailingData, "4 bytes after its checksum");
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(countAt), -5);
        AssertRejected(bytes, WeightFileError.InvalidHeader, "parameter count is -5");
    }

    [Fact]
    public void TruncationAnywhereIsRefused()
    {
        var bytes = Save(new SignalNet(1));
        var header = HeaderLength(new SignalNet(1));
        var cuts = Enumerable.Range(0, header + 1)
            .Concat([header + 1, header + 3, header + 4, header + 100, bytes.Length / 2, bytes.Length - 33, bytes.Length - 32, bytes.Length - 31, bytes.Length - 1]);
        foreach (var cut in cuts)
        {
            var exception = AssertRejected(bytes[..cut], WeightFileError.Truncated, "truncated");
            Assert.Contains(cut < header ? $"ends after {cut} bytes" : $"has {cut} bytes", exception.Message);
        }
    }

    [Fact]
    public void TruncatedStreamIsRefused()
    {
        var bytes = Save(new SignalNet(1));
        foreach (var cut in new[] { 3, 12, 20, 70, bytes.Length / 2, bytes.Length - 1 })
        {
            var network = new SignalNet(7);
            var before = Bytes(network);
            var exception = Assert.Throws<WeightFileException>(() => WeightFile.Load(network, new MemoryStream(bytes[..cut])));
            Assert.Equal(WeightFileError.Truncated, exception.Error);
            Assert.Contains($"{cut} bytes", exception.Message);
            Assert.True(before.SequenceEqual(Bytes(network)));
        }
    }

    [Fact]
    public void BytesAfterTheChecksumAreRefused()
    {
        var bytes = Save(new DigitNet(1));
        AssertRejected([.. bytes, 0], WeightFileError.TrailingData, "1 bytes after its checksum");
    }

    [Fact]
    public void AFlippedBitAnywhereIsRefusedWithTheErrorOfItsField()
    {
        var network = new DigitNet(1);
        var bytes = Save(network);
        var nameLength = nameof(DigitNet).Length;
        var header = HeaderLength(network);
        var positions = Enumerable.Range(0, header).Concat(Enumerable.Range(header, bytes.Length - header).Where(i => i % 61 == 0 || i >= bytes.Length - 32));
        foreach (var position in positions)
        {
            foreach (var bit in new[] { 0, 7 })
            {
                var damaged = (byte[])bytes.Clone();
                damaged[position] ^= (byte)(1 << bit);
                var expected = position switch
                {
                    < 8 => WeightFileError.NotAWeightFile,
                    < 12 => WeightFileError.UnsupportedVersion,
                    // A different name length moves every later field: the length no longer adds up.
                    < 14 => ExpectedForNameLength(damaged),
                    _ when position >= 46 + nameLength && position < 50 + nameLength =>
                        LengthError(damaged.Length, header, BinaryPrimitives.ReadInt32LittleEndian(damaged.AsSpan(46 + nameLength))),
                    _ => WeightFileError.ChecksumMismatch,
                };
                AssertRejected(damaged, expected);
            }
        }
    }

    [Fact]
    public void AFailedSaveLeavesThePreviousFileIntact()
    {
        var path = Path.Combine(_directory, "digits.cnnw");
        var original = new DigitNet(1);
        original.SaveWeights(path);
        var before = File.ReadAllBytes(path);

        // A writer that dies half-way, as a crash or a full disk would.
        var exception = Assert.Throws<IOException>(() => AtomicFile.Replace(path, stream =>
        {
            stream.Write(before.AsSpan(0, before.Length / 2));
            throw new IOException("No space left on device (simulated).");
        }));
        Assert.Contains("simulated", exception.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(_directory));

        // A save into a directory that does not exist fails before touching anything.
        Assert.Throws<DirectoryNotFoundException>(() => new DigitNet(2).SaveWeights(Path.Combine(_directory, "missing", "digits.cnnw")));

        // A save whose rename cannot happen (the target is a directory) leaves no temporary file behind.
        var directoryTarget = Directory.CreateDirectory(Path.Combine(_directory, "occupied.cnnw")).FullName;
        Assert.ThrowsAny<IOException>(() => new DigitNet(2).SaveWeights(directoryTarget));
        Assert.Equal(new[] { path }, Directory.GetFiles(_directory));

        // The good file still loads to the original weights.
        var reloaded = new DigitNet(3);
        reloaded.LoadWeights(path);
        Assert.True(Bytes(original).SequenceEqual(Bytes(reloaded)));
    }

    [Fact]
    public void SavingOverAnExistingFileReplacesItWhole()
    {
        var path = Path.Combine(_directory, "digits.cnnw");
        new LeNet5(1).SaveWeights(path);
        var network = new DigitNet(4);
        network.SaveWeights(path);
        Assert.Equal(Save(network), File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(_directory));
    }

    [Fact]
    public void AStreamThatFailsMidwayPropagatesTheError()
    {
        var stream = new FailingStream(failAfter: 100);
        var exception = Assert.Throws<IOException>(() => WeightFile.Save(new DigitNet(1), stream));
        Assert.Contains("after 100 bytes", exception.Message);
    }

    /// <summary>What a reader must conclude when the name length says n: the header ends at 50 + n and the count sits at 46 + n.</summary>
    private static WeightFileError ExpectedForNameLength(byte[] bytes)
    {
        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(12));
        return 50 + nameLength > bytes.Length
            ? WeightFileError.Truncated
            : LengthError(bytes.Length, 50 + nameLength, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(46 + nameLength)));
    }

    private static WeightFileError LengthError(int actualLength, int headerLength, int count)
    {
        var expected = headerLength + 4L * count + 32;
        return count < 0 ? WeightFileError.InvalidHeader
            : actualLength < expected ? WeightFileError.Truncated
            : actualLength > expected ? WeightFileError.TrailingData
            : WeightFileError.ChecksumMismatch;
    }

    /// <summary>Loads the bytes from a file and from a stream into a DigitNet-sized network of the right type, expecting the error, the message parts and no change.</summary>
    private WeightFileException AssertRejected(byte[] bytes, WeightFileError error, params string[] messageParts)
    {
        var path = Write("damaged", bytes);
        var network = NetworkFor(bytes);
        var before = Bytes(network);
        var exception = Assert.Throws<WeightFileException>(() => network.LoadWeights(path));
        Assert.True(error == exception.Error, $"Expected {error}, got {exception.Error}: {exception.Message}");
        foreach (var part in messageParts)
        {
            Assert.Contains(part, exception.Message);
        }

        Assert.True(before.SequenceEqual(Bytes(network)), "The weights changed although the load failed.");

        // Through a stream the same damage is refused too (length errors show up as truncation or damage there);
        // a stream is read up to the checksum, so bytes after it are not its business.
        if (error == WeightFileError.TrailingData)
        {
            return exception;
        }

        var fromStream = Assert.Throws<WeightFileException>(() => WeightFile.Load(network, new MemoryStream(bytes)));
        if (error is not (WeightFileError.Truncated or WeightFileError.InvalidHeader))
        {
            Assert.Equal(error, fromStream.Error);
        }

        Assert.True(before.SequenceEqual(Bytes(network)), "The weights changed although the load from a stream failed.");
        return exception;
    }

    /// <summary>Every damaged file in these tests comes from a DigitNet except those of SignalNet (by length of name).</summary>
    private static INetwork NetworkFor(byte[] bytes) =>
        bytes.Length > 14 && bytes[14] == (byte)'S' ? new SignalNet(5) : new DigitNet(5);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory, name + WeightFile.Extension);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Save(INetwork network)
    {
        var stream = new MemoryStream();
        WeightFile.Save(network, stream);
        return stream.ToArray();
    }

    /// <summary>Recomputes the checksum, as a genuine writer of the altered content would have.</summary>
    private static byte[] Reseal(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        SHA256.HashData(copy.AsSpan(0, copy.Length - 32)).CopyTo(copy.AsSpan(copy.Length - 32));
        return copy;
    }

    private static int HeaderLength(INetwork network) => 50 + Encoding.UTF8.GetByteCount(network.Architecture.Name);

    private static byte[] Bytes(INetwork network) => MemoryMarshal.AsBytes(network.Parameters).ToArray();

    private sealed class FailingStream(int failAfter) : MemoryStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Length + count > failAfter)
            {
                throw new IOException($"The device failed after {failAfter} bytes (simulated).");
            }

            base.Write(buffer, offset, count);
        }
    }
}
