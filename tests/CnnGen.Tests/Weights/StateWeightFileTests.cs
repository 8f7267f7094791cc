using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using CnnGen.Tests.Networks;

namespace CnnGen.Tests.Weights;

/// <summary>
/// Weight files carry State (batch normalisation's moving statistics) in format version 2;
/// networks without state still write version 1, and version-1 files still load.
/// </summary>
public sealed class StateWeightFileTests
{
    /// <summary>Written by WeightFile.Save from SignalNet(seed: 7) before format version 2 (see <see cref="WriteTheVersionOneFile"/>).</summary>
    private static string VersionOnePath => Path.Combine(AppContext.BaseDirectory, "Data", "Weights", "signal_v1.cnnw");

    [Fact]
    public void ParametersAndStateRoundTripBitForBit()
    {
        var source = new BatchNormNet(seed: 1);
        Randomize(source.Parameters, 2);
        Randomize(source.State, 3);
        var stream = new MemoryStream();
        WeightFile.Save(source, stream);
        var bytes = stream.ToArray();

        var target = new BatchNormNet(seed: 9);
        stream.Position = 0;
        WeightFile.Load(target, stream);
        Assert.Equal(source.Parameters.ToArray(), target.Parameters.ToArray());
        Assert.Equal(source.State.ToArray(), target.State.ToArray());

        // Version 2: the state count after the parameter count, the state after the parameters, the checksum over all.
        var name = Encoding.UTF8.GetBytes(nameof(BatchNormNet));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(BatchNormNet.ParameterCount, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(46 + name.Length)));
        Assert.Equal(BatchNormNet.StateCount, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(50 + name.Length)));
        Assert.Equal(54 + name.Length + 4 * (BatchNormNet.ParameterCount + BatchNormNet.StateCount) + 32, bytes.Length);
        var stateStart = 54 + name.Length + 4 * BatchNormNet.ParameterCount;
        for (var i = 0; i < BatchNormNet.StateCount; i++)
        {
            Assert.Equal(source.State[i], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(stateStart + 4 * i)));
        }

        Assert.Equal(SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)), bytes[^32..]);
        var path = Path.Combine(Path.GetTempPath(), "cnngen-state-" + Guid.NewGuid().ToString("N") + WeightFile.Extension);
        try
        {
            File.WriteAllBytes(path, bytes);
            var info = WeightFile.ReadInfo(path);
            Assert.Equal(2u, info.FormatVersion);
            Assert.Equal(BatchNormNet.StateCount, info.StateCount);
            Assert.Contains("24 floats of state", info.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void DamagedStateIsRefusedAndChangesNothing()
    {
        var source = new BatchNormNet(seed: 1);
        Randomize(source.State, 3);
        var stream = new MemoryStream();
        WeightFile.Save(source, stream);
        var bytes = stream.ToArray();
        bytes[^40] ^= 1; // a bit of the last float of state

        var target = new BatchNormNet(seed: 9);
        var before = (target.Parameters.ToArray(), target.State.ToArray());
        var error = Assert.Throws<WeightFileException>(() => WeightFile.Load(target, new MemoryStream(bytes)));
        Assert.Equal(WeightFileError.ChecksumMismatch, error.Error);
        Assert.Equal(before.Item1, target.Parameters.ToArray());
        Assert.Equal(before.Item2, target.State.ToArray());

        var truncated = stream.ToArray()[..^10];
        Assert.Equal(WeightFileError.Truncated, Assert.Throws<WeightFileException>(() => WeightFile.Load(target, new MemoryStream(truncated))).Error);
    }

    [Fact]
    public void NetworksWithoutStateStillWriteVersionOne()
    {
        var stream = new MemoryStream();
        WeightFile.Save(new SignalNet(seed: 7), stream);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(stream.ToArray().AsSpan(8)));
        Assert.Equal(File.ReadAllBytes(VersionOnePath), stream.ToArray());
    }

    [Fact]
    public void ACommittedVersionOneFileLoads()
    {
        var network = new SignalNet(seed: 99);
        network.LoadWeights(VersionOnePath);
        Assert.Equal(new SignalNet(seed: 7).Parameters.ToArray(), network.Parameters.ToArray());
        var info = WeightFile.ReadInfo(VersionOnePath);
        Assert.Equal(1u, info.FormatVersion);
        Assert.Equal(0, info.StateCount);
    }

    /// <summary>Writes Data/Weights/signal_v1.cnnw into the source tree when CNNGEN_WRITE_V1_FILE names the repository root (run once; the file is committed).</summary>
    [Fact]
    public void WriteTheVersionOneFile()
    {
        if (Environment.GetEnvironmentVariable("CNNGEN_WRITE_V1_FILE") is not { Length: > 0 } root)
        {
            return;
        }

        WeightFile.Save(new SignalNet(seed: 7), Path.Combine(root, "tests", "CnnGen.Tests", "Data", "Weights", "signal_v1.cnnw"));
    }

    private static void Randomize(Span<float> values, int seed)
    {
        var random = new SeededRandom(seed);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() + 0.25);
        }
    }
}
