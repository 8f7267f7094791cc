using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace CnnGen.Tests.Weights;

/// <summary>The .npy/.npz and safetensors readers on files built byte by byte: every header version and element type, and clear refusals.</summary>
public class NumpyFormatTests
{
    private static readonly float[] Values = [1.5f, -2.25f, 0f, 3.75f, -0.125f, 1024f];

    [Theory]
    [InlineData(1, "<f4")]
    [InlineData(2, "<f4")]
    [InlineData(3, "<f4")]
    [InlineData(1, "<f8")]
    [InlineData(1, "<f2")]
    public void NpyVersionsAndFloatTypesAreRead(int version, string descr)
    {
        var tensor = NumpyFile.ReadNpy(new MemoryStream(Npy(descr, false, [2, 3], Values, version)), "w");
        Assert.Equal([2, 3], tensor.Shape);
        Assert.Equal(Values, tensor.Values.ToArray());
        Assert.Equal(descr switch { "<f4" => "float32", "<f8" => "float64", _ => "float16" }, tensor.SourceType);
    }

    [Fact]
    public void NpyScalarsAndVectorsHaveTheirShapes()
    {
        Assert.Empty(NumpyFile.ReadNpy(new MemoryStream(Npy("<f4", false, [], [7f])), "s").Shape);
        Assert.Equal([6], NumpyFile.ReadNpy(new MemoryStream(Npy("<f4", false, [6], Values)), "v").Shape);
    }

    [Theory]
    [InlineData("<f4", true, "Fortran (column-major) order", "np.ascontiguousarray")]
    [InlineData(">f4", false, "big-endian floats ('>f4')", "astype('<f4')")]
    [InlineData("<i8", false, "element type '<i8'", "only little-endian float16, float32 and float64")]
    [InlineData("|u1", false, "element type '|u1'", "astype(np.float32)")]
    public void UnsupportedNpyArraysAreRefusedWithTheFix(string descr, bool fortran, string problem, string fix)
    {
        var exception = Assert.Throws<WeightImportException>(() => NumpyFile.ReadNpy(new MemoryStream(Npy(descr, fortran, [2, 3], Values)), "conv1.weight"));
        Assert.Contains("'conv1.weight'", exception.Message);
        Assert.Contains(problem, exception.Message);
        Assert.Contains(fix, exception.Message);
    }

    [Fact]
    public void DamagedNpyFilesAreRefused()
    {
        var good = Npy("<f4", false, [2, 3], Values);
        Assert.Contains("not a NumPy .npy array", Refused(Encoding.ASCII.GetBytes("hello world")));
        Assert.Contains("format version 4.0", Refused([.. good[..6], 4, 0, .. good[8..]]));
        Assert.Contains("the data (6 x float32) needs 24 bytes but only 20 are left", Refused(good[..^4]));
        Assert.Contains("the header needs", Refused(good[..20]));
        var noShape = Encoding.ASCII.GetBytes("{'descr': '<f4', 'fortran_order': False, }").Concat(Enumerable.Repeat((byte)' ', 21)).Append((byte)'\n').ToArray();
        Assert.Contains("without 'descr', 'fortran_order' or 'shape'", Refused([.. good[..8], (byte)noShape.Length, 0, .. noShape]));

        static string Refused(byte[] bytes) => Assert.Throws<WeightImportException>(() => NumpyFile.ReadNpy(new MemoryStream(bytes), "x")).Message;
    }

    [Fact]
    public void NpzArchivesKeepTheirOrderAndMayBeCompressed()
    {
        foreach (var level in new[] { CompressionLevel.NoCompression, CompressionLevel.Optimal })
        {
            var archive = Npz([("b", Npy("<f4", false, [6], Values)), ("a/kernel:0", Npy("<f8", false, [3, 2], Values))], level);
            var tensors = NumpyFile.ReadNpz(new MemoryStream(archive));
            Assert.Equal(["b", "a/kernel:0"], tensors.Select(t => t.Name));
            Assert.Equal([3, 2], tensors[1].Shape);
            Assert.Equal(Values, tensors[1].Values.ToArray());
        }

        var exception = Assert.Throws<WeightImportException>(() => NumpyFile.ReadNpz(new MemoryStream(Npy("<f4", false, [6], Values)), "weights.npz"));
        Assert.Contains("'weights.npz' is not an .npz file", exception.Message);
    }

    [Fact]
    public void SafeTensorsAreReadInDataOrderWithEveryFloatType()
    {
        var bytes = SafeTensors(
            ("second", "F64", [2], Doubles(3.5, -1)),
            ("first", "F32", [2, 2], Floats(1, 2, 3, 4)),
            ("third", "F16", [2], Halves(0.5f, -8)),
            ("fourth", "BF16", [2], BFloats(-2.5f, 96)));
        var tensors = SafeTensorsFile.Read(new MemoryStream(bytes));
        // The JSON lists them in reverse; the data order is the order they were written in.
        Assert.Equal(["second", "first", "third", "fourth"], tensors.Select(t => t.Name));
        Assert.Equal(new float[] { 1, 2, 3, 4 }, tensors.Single(t => t.Name == "first").Values.ToArray());
        Assert.Equal(new float[] { 3.5f, -1 }, tensors.Single(t => t.Name == "second").Values.ToArray());
        Assert.Equal(new float[] { 0.5f, -8 }, tensors.Single(t => t.Name == "third").Values.ToArray());
        Assert.Equal(new float[] { -2.5f, 96 }, tensors.Single(t => t.Name == "fourth").Values.ToArray());
    }

    [Fact]
    public void DamagedOrUnsupportedSafeTensorsAreRefused()
    {
        Assert.Contains("element type I64; only F32, F64, F16 and BF16", Refused(SafeTensors(("step", "I64", [1], new byte[8]))));
        Assert.Contains("shape (2, 2) of F32 (16 bytes) but data offsets [0, 12] (12 bytes)", Refused(SafeTensorsRaw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", new byte[12])));
        Assert.Contains("only 8 bytes follow it", Refused(SafeTensorsRaw("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8])));
        Assert.Contains("does not fit in 64 bits", Refused(SafeTensorsRaw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2000000000,2000000000,2000000000],\"data_offsets\":[0,4]}}", new byte[4])));
        Assert.Contains("header is not JSON", Refused(SafeTensorsRaw("{not json", [])));
        Assert.Contains("header length of", Refused([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0]));
        Assert.Contains("fewer than the 8-byte header length", Refused([1, 2, 3]));

        static string Refused(byte[] bytes) => Assert.Throws<WeightImportException>(() => SafeTensorsFile.Read(new MemoryStream(bytes), "model.safetensors")).Message;
    }

    /// <summary>An .npy file as numpy.save writes it: magic, version, header length, a padded dict literal, data.</summary>
    internal static byte[] Npy(string descr, bool fortranOrder, int[] shape, float[] values, int version = 1)
    {
        var shapeText = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        var dict = $"{{'descr': '{descr}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {shapeText}, }}";
        var prefix = version == 1 ? 10 : 12;
        var padded = dict.PadRight((prefix + dict.Length + 1 + 63) / 64 * 64 - prefix - 1) + "\n";
        var header = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)version, 0 };
        header.AddRange(version == 1 ? BitConverter.GetBytes((ushort)padded.Length) : BitConverter.GetBytes((uint)padded.Length));
        header.AddRange(Encoding.ASCII.GetBytes(padded));
        var itemSize = descr[1..] switch { "f8" or "i8" => 8, "f2" => 2, "u1" => 1, _ => 4 };
        foreach (var value in values)
        {
            var item = new byte[itemSize];
            switch (descr)
            {
                case "<f8": BinaryPrimitives.WriteDoubleLittleEndian(item, value); break;
                case "<f2": BinaryPrimitives.WriteHalfLittleEndian(item, (Half)value); break;
                case ">f4": BinaryPrimitives.WriteSingleBigEndian(item, value); break;
                case "<f4": BinaryPrimitives.WriteSingleLittleEndian(item, value); break;
                default: break; // other types: the reader refuses them before it looks at the data
            }

            header.AddRange(item);
        }

        return header.ToArray();
    }

    internal static byte[] Npz((string Name, byte[] Npy)[] entries, CompressionLevel level = CompressionLevel.NoCompression)
    {
        var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, npy) in entries)
            {
                using var entry = archive.CreateEntry(name + ".npy", level).Open();
                entry.Write(npy);
            }
        }

        return stream.ToArray();
    }

    private static byte[] SafeTensors(params (string Name, string DType, int[] Shape, byte[] Data)[] tensors)
    {
        // Data in the order given, JSON entries in reverse order (JSON objects have no order).
        var entries = new List<string>();
        var offset = 0;
        foreach (var (name, dtype, shape, data) in tensors)
        {
            entries.Add($"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{offset},{offset + data.Length}]}}");
            offset += data.Length;
        }

        entries.Reverse();
        var json = "{\"__metadata__\":{\"format\":\"pt\"}," + string.Join(",", entries) + "}";
        return SafeTensorsRaw(json, tensors.SelectMany(t => t.Data).ToArray());
    }

    private static byte[] SafeTensorsRaw(string json, byte[] data)
    {
        var header = Encoding.UTF8.GetBytes(json);
        return [.. BitConverter.GetBytes((ulong)header.Length), .. header, .. data];
    }

    private static byte[] Floats(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    private static byte[] Doubles(params double[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    private static byte[] Halves(params float[] values) => values.SelectMany(v => BitConverter.GetBytes((Half)v)).ToArray();

    private static byte[] BFloats(params float[] values) => values.SelectMany(v => BitConverter.GetBytes((ushort)(BitConverter.SingleToInt32Bits(v) >> 16))).ToArray();
}
