using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;
using static CnnGen.Tests.Weights.NumpyFormatTests;

namespace CnnGen.Tests.Weights;

/// <summary>
/// Small hostile files cannot make a loader allocate more than the file can hold: declared sizes
/// are checked against the file's length (or an .npz entry's against the archive's, with a
/// compression-ratio limit) before anything is allocated, with the bytes allocated measured.
/// Trailing data and values that are not finite after conversion are errors.
/// </summary>
public sealed class BoundedLoaderTests : IDisposable
{
    /// <summary>Fixed cost of a load whatever the file: stream and chunk buffers, zip directory, JSON, the exception.</summary>
    private const long Overhead = 256 << 10;

    private readonly string _directory = Directory.CreateTempSubdirectory("cnngen-bounded-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string, int, string> HugeNpyDeclarations => new()
    {
        // The issue's files: OverflowException, OutOfMemoryException and 2 GB allocated before "truncated".
        { "<f8", 300_000_000, "the data (300000000 x float64) needs 2400000000 bytes but only 16 are left" },
        { "<f4", 536_870_911, "the data (536870911 x float32) needs 2147483644 bytes but only 16 are left" },
        { "<f4", 500_000_000, "the data (500000000 x float32) needs 2000000000 bytes but only 16 are left" },
        { "<f2", 2_000_000_000, "the data (2000000000 x float16) needs 4000000000 bytes but only 16 are left" },
    };

    [Theory]
    [MemberData(nameof(HugeNpyDeclarations))]
    public void ATinyNpyDeclaringAHugeArrayIsRefusedBeforeAllocating(string descr, int length, string message)
    {
        var bytes = Npy(descr, false, [length], descr == "<f8" ? [1f, 2f] : descr == "<f4" ? [1f, 2f, 3f, 4f] : [1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f]);
        Assert.Equal(144, bytes.Length);
        var path = WriteFile("huge.npy", bytes);
        WarmUp();

        // From the file, from a seekable stream, and from a stream whose length is unknown (memory grows with the data only).
        AssertRefused(() => NumpyFile.ReadNpy(path), bytes.Length, message.Replace("the data", "'huge' is truncated: the data"));
        AssertRefused(() => NumpyFile.ReadNpy(new MemoryStream(bytes), "w"), bytes.Length, message);
        AssertRefused(() => NumpyFile.ReadNpy(new NonSeekableStream(bytes), "w"), bytes.Length, "needs", "but only 16 are left");
        AssertRefused(() => WeightImporter.ReadTensors(path), bytes.Length, message);
    }

    [Fact]
    public void ANpyClaimingMoreElementsThanAnArrayHoldsIsRefusedByItsSize()
    {
        // 3 billion floats do not fit in an array, but the file is checked first: it is simply too short.
        var bytes = Npy("<f4", false, [3, 1_000_000_000], [1f]);
        AssertRefused(() => NumpyFile.ReadNpy(new MemoryStream(bytes), "w"), bytes.Length, "needs 12000000000 bytes but only 4 are left");
        AssertRefused(() => NumpyFile.ReadNpy(new NonSeekableStream(bytes), "w"), bytes.Length, "3000000000 elements is more than an array can hold");
    }

    [Fact]
    public void AVersion2NpyHeaderLongerThanTheFileIsRefusedBeforeAllocating()
    {
        // Header length 1 MiB (the most a header may declare) in a 20-byte file.
        byte[] bytes = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, 0, 0, 16, 0, .. new byte[8]];
        AssertRefused(() => NumpyFile.ReadNpy(new MemoryStream(bytes), "w"), bytes.Length, "the header needs 1048576 bytes but only 8 are left");
        AssertRefused(() => NumpyFile.ReadNpy(new NonSeekableStream(bytes), "w"), bytes.Length, "the header needs 1048576 bytes but only 8 are left");
    }

    [Fact]
    public void AValidLargeNpyCostsItsValuesAndNoCopyOfItsBytes()
    {
        var values = Numerics.Random(1 << 18, seed: 4); // 1 MiB of float32
        var bytes = Npy("<f4", false, [values.Length], values);
        var path = WriteFile("large.npy", bytes);
        WarmUp();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var tensor = NumpyFile.ReadNpy(path);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(values, tensor.Values.ToArray());
        Assert.True(allocated < bytes.Length + Overhead, $"Reading a {bytes.Length}-byte .npy allocated {allocated} bytes.");
    }

    [Fact]
    public void ASafeTensorsFileWithOffsetsUpTo2e9IsRefusedBeforeAllocating()
    {
        // About 1.2 KB: a header placing 2e9 bytes of data, and 1 KB of data.
        var json = "{\"__metadata__\":{\"format\":\"pt\",\"note\":\"" + new string('x', 90) + "\"}," +
            "\"a\":{\"dtype\":\"F32\",\"shape\":[256],\"data_offsets\":[0,1024]}," +
            "\"b\":{\"dtype\":\"F32\",\"shape\":[499999744],\"data_offsets\":[1024,2000000000]}}";
        var bytes = SafeTensorsBytes(json, new byte[1024]);
        Assert.InRange(bytes.Length, 1150, 1300);
        var path = WriteFile("model.safetensors", bytes);
        WarmUp();
        const string message = "is truncated: its header places tensor data up to byte 2000000000 after the header, but only 1024 bytes follow it";
        AssertRefused(() => SafeTensorsFile.Read(path), bytes.Length, message);
        AssertRefused(() => SafeTensorsFile.Read(new MemoryStream(bytes)), bytes.Length, message);
        AssertRefused(() => SafeTensorsFile.Read(new NonSeekableStream(bytes)), bytes.Length, "is truncated", "only 1024 bytes follow it");
    }

    [Fact]
    public void ASafeTensorsHeaderLongerThanTheFileIsRefusedBeforeAllocating()
    {
        // The header length may be up to 100 MB; this 20-byte file declares 99 MB.
        byte[] bytes = [.. BitConverter.GetBytes(99UL << 20), .. Encoding.ASCII.GetBytes("{\"a\":1}     ")];
        const string message = "its JSON header should be 103809024 bytes but only 12 are left";
        AssertRefused(() => SafeTensorsFile.Read(new MemoryStream(bytes)), bytes.Length, message);
        AssertRefused(() => SafeTensorsFile.Read(new NonSeekableStream(bytes)), bytes.Length, message);
    }

    [Fact]
    public void SafeTensorsWhoseDataOverlapsOrLeavesGapsIsRefused()
    {
        // Overlaps would let a small file expand into many copies of the same bytes: 1,000 tensors of the same 4 KB.
        var entries = string.Join(",", Enumerable.Range(0, 1000).Select(i => $"\"t{i}\":{{\"dtype\":\"F32\",\"shape\":[1024],\"data_offsets\":[0,4096]}}"));
        // (Parsing a JSON header costs about ten times its size: the parser's token table and a record per tensor.)
        var overlapping = SafeTensorsBytes("{" + entries + "}", new byte[4096]);
        AssertRefusedWithin(() => SafeTensorsFile.Read(new MemoryStream(overlapping)), overlapping.Length, 16,
            "has data_offsets [0, 4096], but the data before it runs to byte 4096, an overlap");

        var gap = SafeTensorsBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", new byte[12]);
        Assert.Contains("tensor 'b' has data_offsets [8, 12], but the data before it ends at byte 4, leaving a gap",
            Assert.Throws<WeightImportException>(() => SafeTensorsFile.Read(new MemoryStream(gap))).Message);
    }

    [Fact]
    public void ANpzDeclaringOneGigabyteInOneMegabyteIsRefusedBeforeDecompressing()
    {
        // One stored entry of 1 MiB whose header and zip sizes claim 1 GiB: the declared size is checked against the archive.
        var npy = Npy("<f4", false, [1 << 28], []);
        var content = new byte[(1 << 20) + npy.Length];
        npy.CopyTo(content, 0);
        new Random(5).NextBytes(content.AsSpan(npy.Length));
        var bytes = SetDeclaredSize(Npz([("w", content)]), (1u << 30) + (uint)npy.Length);
        var path = WriteFile("huge.npz", bytes);
        WarmUp();
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        AssertRefused(() => NumpyFile.ReadNpz(path), bytes.Length, "the declared uncompressed size of its entries is 1,073,741,952 bytes ('w.npy' alone",
            "MaxCompressionRatio allows 16 times", "Nothing was decompressed");
        AssertRefused(() => NumpyFile.ReadNpz(new NonSeekableStream(bytes)), 2L * bytes.Length, "MaxCompressionRatio allows 16 times");
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(30), "A refusal should not decompress anything."); // not a speed test: 4 s before, and no work now
    }

    [Fact]
    public void AGenuinelyHighlyCompressedNpzNeedsTheCallerToRaiseTheRatio()
    {
        // 32 MiB of zeros deflate to about 32 KB: an honest file, but 1,000 times its size.
        var zeros = Npy("<f4", false, [1 << 23], new float[1 << 23]);
        var bytes = Npz([("zeros", zeros)], CompressionLevel.Optimal);
        Assert.True(bytes.Length < 64 << 10, $"{bytes.Length} bytes");
        WarmUp();
        AssertRefused(() => NumpyFile.ReadNpz(new MemoryStream(bytes)), bytes.Length, "'zeros.npy' alone 33,554,560", "raise MaxCompressionRatio");

        var tensor = Assert.Single(NumpyFile.ReadNpz(new MemoryStream(bytes), "zeros.npz", new WeightReadOptions { MaxCompressionRatio = 2000 }));
        Assert.Equal([1 << 23], tensor.Shape);
        Assert.True(tensor.Values.Span.IndexOfAnyExcept(0f) < 0);
    }

    [Fact]
    public void ANpzEntryDeclaringMoreThanItHoldsIsTruncatedWithinTheRatio()
    {
        // 64 KiB of data; the zip and the .npy header both claim 512 KiB (ratio 8, within the limit).
        var npy = Npy("<f4", false, [1 << 17], Numerics.Random(1 << 14, seed: 6));
        var bytes = SetDeclaredSize(Npz([("w", npy)]), (uint)(npy.Length - (1 << 16) + (1 << 19)));
        WarmUp();
        AssertRefused(() => NumpyFile.ReadNpz(new MemoryStream(bytes)), 8L * bytes.Length, "'w' is truncated: the data (131072 x float32) needs 524288 bytes but only 65536 are left");
    }

    [Fact]
    public void TrailingBytesAfterAnArrayOrTheTensorDataAreRefused()
    {
        float[] values = [1, 2, 3];
        var npy = Npy("<f4", false, [3], values);
        byte[] padded = [.. npy, 0, 0, 0, 0];
        Assert.Contains("'w' has 4 bytes of trailing data: its header says (3,) float32 (12 bytes), but 16 bytes follow the header",
            Assert.Throws<WeightImportException>(() => NumpyFile.ReadNpy(WriteFile("w.npy", padded))).Message);
        Assert.Contains("'w' has 4 bytes of trailing data",
            Assert.Throws<WeightImportException>(() => NumpyFile.ReadNpz(new MemoryStream(Npz([("w", padded)])))).Message);

        // A stream may hold several arrays one after another (np.save to one open file): read one by one.
        var stream = new MemoryStream([.. npy, .. Npy("<f8", false, [2], [4, 5])]);
        Assert.Equal(values, NumpyFile.ReadNpy(stream, "first").Values.ToArray());
        Assert.Equal(new float[] { 4, 5 }, NumpyFile.ReadNpy(stream, "second").Values.ToArray());
        Assert.Equal(stream.Length, stream.Position);

        var safetensors = SafeTensorsBytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[11]);
        const string message = "'model.safetensors' has 3 bytes of trailing data: its header places tensor data up to byte 8 after the header, but 11 bytes follow it";
        Assert.Contains(message, Assert.Throws<WeightImportException>(() => SafeTensorsFile.Read(WriteFile("model.safetensors", safetensors))).Message);
        Assert.Contains("has trailing data", Assert.Throws<WeightImportException>(() => SafeTensorsFile.Read(new NonSeekableStream(safetensors))).Message);
    }

    [Fact]
    public void NonFiniteValuesAfterConversionAreRefusedUnlessAllowed()
    {
        var npy = Npy("<f8", false, [3], []);
        byte[] bytes = [.. npy, .. BitConverter.GetBytes(1.0), .. BitConverter.GetBytes(1e300), .. BitConverter.GetBytes(-1e300)];
        var path = WriteFile("big.npy", bytes);
        Assert.Contains("'big': tensor 'big' has a non-finite value at index 1: the float64 value 1E+300 is beyond the range of float32",
            Assert.Throws<WeightImportException>(() => NumpyFile.ReadNpy(path)).Message);
        Assert.Contains("WeightReadOptions.AllowNonFinite", Assert.Throws<WeightImportException>(() => WeightImporter.ReadTensors(path)).Message);
        var allowed = WeightImporter.ReadTensors(path, new WeightReadOptions { AllowNonFinite = true }).Single();
        Assert.Equal(new[] { 1f, float.PositiveInfinity, float.NegativeInfinity }, allowed.Values.ToArray());

        // NaN and infinities stored as such, in every element type of safetensors.
        var cases = new (string DType, byte[] Data, string Message)[]
        {
            ("F32", [.. BitConverter.GetBytes(0f), .. BitConverter.GetBytes(float.NaN)], "index 1: the file holds NaN (float32)"),
            ("F64", [.. BitConverter.GetBytes(double.NegativeInfinity), .. BitConverter.GetBytes(0.0)], "index 0: the file holds -infinity (float64)"),
            ("F16", [.. BitConverter.GetBytes((Half)1), .. BitConverter.GetBytes(Half.PositiveInfinity)], "index 1: the file holds +infinity (float16)"),
            ("BF16", [0x80, 0x7F, 0, 0], "index 0: the file holds +infinity (bfloat16)"),
        };
        foreach (var (dtype, data, message) in cases)
        {
            var file = SafeTensorsBytes($"{{\"w\":{{\"dtype\":\"{dtype}\",\"shape\":[2],\"data_offsets\":[0,{data.Length}]}}}}", data);
            Assert.Contains("'m.safetensors': tensor 'w' has a non-finite value at " + message,
                Assert.Throws<WeightImportException>(() => SafeTensorsFile.Read(new MemoryStream(file), "m.safetensors")).Message);
            Assert.Equal(2, SafeTensorsFile.Read(new MemoryStream(file), "m.safetensors", new WeightReadOptions { AllowNonFinite = true }).Single().Values.Length);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => new WeightReadOptions { MaxCompressionRatio = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new WeightReadOptions { MaxCompressionRatio = 0.5 });
    }

    [Fact]
    public void ASmallWeightFileClaimingHalfABillionParametersIsRefusedBeforeAllocating()
    {
        var stream = new MemoryStream();
        WeightFile.Save(new DigitNet(1), stream);
        var bytes = stream.ToArray()[..200];
        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(12));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(46 + nameLength), 500_000_000);
        var path = WriteFile("claims.cnnw", bytes);
        var network = new DigitNet(2);
        WarmUp();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var exception = Assert.Throws<WeightFileException>(() => network.LoadWeights(path));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(WeightFileError.Truncated, exception.Error);
        Assert.True(allocated < Overhead, $"Loading a 200-byte weight file allocated {allocated} bytes.");
    }

    [Fact]
    public void ADirectoryGivenAsAWeightFileIsNamedAsADirectory()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_directory, "weights.npz")).FullName;
        foreach (var load in new Action[]
        {
            () => new DigitNet(1).LoadWeights(directory),
            () => WeightFile.ReadInfo(directory),
            () => WeightImporter.ReadTensors(directory),
            () => NumpyFile.ReadNpy(directory),
            () => SafeTensorsFile.Read(directory),
            () => new DigitNet(1).SaveWeights(directory),
        })
        {
            var exception = Assert.Throws<IOException>(load);
            Assert.StartsWith($"'{directory}' is a directory;", exception.Message);
            Assert.DoesNotContain("denied", exception.Message);
        }
    }

    /// <summary>Runs <paramref name="load"/>, expecting a WeightImportException with the message parts, and at most 4 times the file's bytes allocated.</summary>
    private static void AssertRefused(Func<object> load, long fileLength, params string[] messageParts) =>
        AssertRefusedWithin(load, fileLength, 4, messageParts);

    private static void AssertRefusedWithin(Func<object> load, long fileLength, long multiple, params string[] messageParts)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var exception = Assert.Throws<WeightImportException>(() => load());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        foreach (var part in messageParts)
        {
            Assert.Contains(part, exception.Message);
        }

        Assert.True(allocated < multiple * fileLength + Overhead,
            $"Refusing a {fileLength}-byte file allocated {allocated:N0} bytes (allowed: {multiple} x the file + {Overhead:N0}). {exception.Message}");
    }

    /// <summary>Loads small valid files once, so that first-use costs (type initialisation) are not counted.</summary>
    private static void WarmUp()
    {
        float[] values = [1, 2];
        NumpyFile.ReadNpy(new MemoryStream(Npy("<f4", false, [2], values)), "w");
        NumpyFile.ReadNpz(new MemoryStream(Npz([("w", Npy("<f4", false, [2], values))])));
        SafeTensorsFile.Read(new MemoryStream(SafeTensorsBytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4])));
        Assert.Throws<WeightImportException>(() => NumpyFile.ReadNpy(new MemoryStream(Npy("<f4", false, [3], values)), "w"));
    }

    /// <summary>Sets the uncompressed size in every local and central header of a zip (an archive that lies about its entries).</summary>
    private static byte[] SetDeclaredSize(byte[] zip, uint size)
    {
        for (var i = 0; i + 30 < zip.Length; i++)
        {
            switch (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i)))
            {
                case 0x04034b50: BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 22), size); break;
                case 0x02014b50: BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 24), size); break;
                default: break;
            }
        }

        return zip;
    }

    private static byte[] SafeTensorsBytes(string json, byte[] data)
    {
        var header = Encoding.UTF8.GetBytes(json);
        return [.. BitConverter.GetBytes((ulong)header.Length), .. header, .. data];
    }

    private string WriteFile(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A stream that cannot seek or tell its length, as a network stream.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
