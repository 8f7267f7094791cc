using System.Runtime.InteropServices;
using CnnGen.Onnx;
using CnnGen.Tests.Networks;

namespace CnnGen.Tests.Weights;

/// <summary>
/// Where saved files go: errors name the file asked for (never the temporary file), a symbolic
/// link is followed and kept, and SaveWeights and the ONNX export both replace the file by a
/// rename (a hard link to the old file keeps the old content, which truncating in place would not).
/// </summary>
public sealed class FileTargetTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cnngen-targets-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>The two writers of file paths: both must go through the one atomic writer.</summary>
    public static TheoryData<string> Writers => new() { "weights", "onnx" };

    private static void Write(string writer, INetwork network, string path)
    {
        if (writer == "weights")
        {
            network.SaveWeights(path);
        }
        else
        {
            OnnxExporter.Export(network, path);
        }
    }

    private static byte[] Expected(string writer, INetwork network)
    {
        if (writer == "onnx")
        {
            return OnnxExporter.ExportToBytes(network);
        }

        var stream = new MemoryStream();
        WeightFile.Save(network, stream);
        return stream.ToArray();
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public void AnErrorNamesTheTargetNotTheTemporaryFile(string writer)
    {
        var missing = Path.Combine(_directory, "missing", "net.bin");
        var exception = Assert.Throws<DirectoryNotFoundException>(() => Write(writer, new DigitNet(1), missing));
        Assert.Equal($"Cannot save '{missing}': the directory '{Path.GetDirectoryName(missing)}' does not exist.", exception.Message);

        var directory = Directory.CreateDirectory(Path.Combine(_directory, "occupied")).FullName;
        var isDirectory = Assert.Throws<IOException>(() => Write(writer, new DigitNet(1), directory));
        Assert.StartsWith($"'{directory}' is a directory;", isDirectory.Message);

        if (OperatingSystem.IsLinux() && Directory.Exists("/sys/kernel"))
        {
            // sysfs refuses new files even to root: the one denial a test can count on.
            var denied = Assert.Throws<UnauthorizedAccessException>(() => Write(writer, new DigitNet(1), "/sys/kernel/net.bin"));
            Assert.StartsWith("Cannot save '/sys/kernel/net.bin': access denied.", denied.Message);
            Assert.DoesNotContain(".tmp", denied.Message);
        }

        Assert.Empty(Directory.GetFiles(_directory, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void AFailingWriteNamesTheTargetAndLeavesNothingBehind()
    {
        var path = Path.Combine(_directory, "digits.cnnw");
        var exception = Assert.Throws<IOException>(() => AtomicFile.Replace(path, stream =>
        {
            stream.WriteByte(1);
            throw new IOException($"No space left on device : '{((FileStream)stream).Name}' (simulated)");
        }));
        Assert.Equal($"Cannot save '{path}': No space left on device : '{path}' (simulated)", exception.Message);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public void SavingOverASymbolicLinkReplacesTheFileItPointsTo(string writer)
    {
        var target = Path.Combine(_directory, "real.bin");
        Write(writer, new LeNet5(1), target);
        var link = Path.Combine(_directory, "link.bin");
        File.CreateSymbolicLink(link, "real.bin");
        var chain = Path.Combine(_directory, "chain.bin");
        File.CreateSymbolicLink(chain, "link.bin");

        var network = new DigitNet(2);
        Write(writer, network, chain);
        Assert.Equal("link.bin", new FileInfo(chain).LinkTarget);
        Assert.Equal("real.bin", new FileInfo(link).LinkTarget);
        Assert.Equal(Expected(writer, network), File.ReadAllBytes(target));

        // A link to a file that does not exist yet: the file is created where the link points.
        Directory.CreateDirectory(Path.Combine(_directory, "sub"));
        var dangling = Path.Combine(_directory, "dangling.bin");
        File.CreateSymbolicLink(dangling, Path.Combine("sub", "new.bin"));
        Write(writer, network, dangling);
        Assert.Equal(Path.Combine("sub", "new.bin"), new FileInfo(dangling).LinkTarget);
        Assert.Equal(Expected(writer, network), File.ReadAllBytes(Path.Combine(_directory, "sub", "new.bin")));
        Assert.Equal(["chain.bin", "dangling.bin", "link.bin", "real.bin", Path.Combine("sub", "new.bin")],
            Directory.GetFiles(_directory, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(_directory, p)).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public void TheFileIsReplacedByARenameNotRewrittenInPlace(string writer)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // hard links through libc; the CI runs on Linux
        }

        var path = Path.Combine(_directory, "model.bin");
        var old = new LeNet5(3);
        Write(writer, old, path);
        var hardLink = Path.Combine(_directory, "old.bin");
        Assert.Equal(0, Link(path, hardLink));

        var network = new DigitNet(4);
        Write(writer, network, path);
        Assert.Equal(Expected(writer, network), File.ReadAllBytes(path));
        Assert.Equal(Expected(writer, old), File.ReadAllBytes(hardLink));
        Assert.Equal(2, Directory.GetFiles(_directory).Length);
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existing, string newLink);
}
