using CnnGen.Cli;
using CnnGen.Generators;
using CnnGen.Generators.Dsl;
using CnnGen.Generators.Shapes;

namespace CnnGen.Cli.Tests;

/// <summary>cnngen run in-process on files in a temporary directory: output, errors and exit codes.</summary>
public sealed class CliTests : IDisposable
{
    private const string Digits = """
        // digits.cnn
        namespace Examples.Digits;

        network DigitNet(input: 8x8x1) {
            conv2d(8, kernel: 3, padding: same, activation: relu)
            max_pool2d(2)
            conv2d(16, kernel: 3, activation: relu)
            flatten()
            dense(10, activation: softmax)
        }
        """;

    private const string Head = "namespace Examples.Digits;\nnetwork Head(input: DigitNet) { dense(3) }\n";

    private const string Broken = "network Broken(input: 8x8x1) {\n    conv2(8, 3)\n    conv2d(8, kernel: 9)\n}\nnetwork Empty(input: 4) { }\n";

    private readonly string _directory = Directory.CreateTempSubdirectory("cnngen-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void CheckOfAValidFileSaysSoAndExitsZero()
    {
        var path = Write("digits.cnn", Digits);
        var (code, output, error) = Run("check", path);
        Assert.Equal(0, code);
        Assert.Equal("Checked 1 network in 1 file: 0 errors, 0 warnings.\n", output);
        Assert.Empty(error);
    }

    [Fact]
    public void CheckPrintsEveryDiagnosticInTheCompilerFormatAndExitsOne()
    {
        var path = Write("broken.cnn", Broken);
        var (code, output, _) = Run("check", path);
        Assert.Equal(1, code);
        Assert.Equal(
            $"{path}(2,5): error CNN0206: Unknown layer 'conv2'. Did you mean 'conv2d'? The layers are conv1d, conv2d, max_pool1d, max_pool2d, avg_pool1d, avg_pool2d, global_max_pool, global_avg_pool, flatten, dense, activation, add, multiply, concatenate, zero_padding1d, zero_padding2d, up_sampling1d, up_sampling2d, depthwise_conv1d, depthwise_conv2d, conv1d_transpose, conv2d_transpose, batch_norm, dropout.\n" +
            $"{path}(5,9): warning CNN0016: The network 'Empty' has no layers, so its output is its input; add layers such as conv2d(8, 3) or dense(10)\n" +
            "Checked 2 networks in 1 file: 1 error, 1 warning.\n",
            output);
    }

    [Fact]
    public void CheckReportsShapeErrorsAtTheToken()
    {
        var path = Write("shapes.cnn", "network N(input: 8x8x1) {\n    conv2d(8, kernel: 9)\n}\n");
        var (code, output, _) = Run("check", path);
        Assert.Equal(1, code);
        Assert.StartsWith(
            $"{path}(2,23): error CNN0103: conv2d 'conv2d_1' has a 9x9 kernel but its input is 8x8x1 with padding 'valid'; the output height would be 0.",
            output);
    }

    [Fact]
    public void WarningsAloneExitZero()
    {
        var path = Write("empty.cnn", "network Empty(input: 4) { }");
        var (code, output, _) = Run("check", path);
        Assert.Equal(0, code);
        Assert.Contains("warning CNN0016", output);
    }

    [Fact]
    public void FilesGivenTogetherFormOneCatalog()
    {
        var digits = Write("digits.cnn", Digits);
        var head = Write("head.cnn", Head);
        Assert.Equal(0, Run("check", digits, head).Code);

        var (code, output, _) = Run("check", head);
        Assert.Equal(1, code);
        Assert.StartsWith($"{head}(2,21): error CNN0008: The network 'Head' takes its input from 'DigitNet', which is not a network", output);
    }

    [Fact]
    public void SummaryPrintsTheTableOfEachNetwork()
    {
        var (code, output, error) = Run("summary", Write("digits.cnn", Digits), Write("head.cnn", Head));
        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Equal("""
            Network: DigitNet (channels_last)
            Layer (type)              Output shape  Param #  Mult-adds
            ==========================================================
            input (Input)             8x8x1               0          0
            conv2d_1 (Conv2D)         8x8x8              80      4,608
            max_pool2d_1 (MaxPool2D)  4x4x8               0          0
            conv2d_2 (Conv2D)         2x2x16          1,168      4,608
            flatten_1 (Flatten)       64                  0          0
            dense_1 (Dense)           10                650        640
            ==========================================================
            Total params: 1,898
            Total mult-adds per sample: 9,856
            Input: 8x8x1 (64 floats); output: 10 (10 floats)

            Network: Head (channels_last)
            Layer (type)                           Output shape  Param #  Mult-adds
            =======================================================================
            input (from Examples.Digits.DigitNet)  10                  0          0
            dense_1 (Dense)                        3                  33         30
            =======================================================================
            Total params: 33
            Total mult-adds per sample: 30
            Input: 10 (10 floats); output: 3 (3 floats)

            """.Replace("\r\n", "\n"), output);
    }

    [Fact]
    public void TheSummaryOfANetworkWithSkipConnectionsSaysWhatEachLayerReads()
    {
        const string residual = """
            network Residual(input: 8x8x4) {
                conv2d(4, 3, padding: same, activation: relu)
                conv2d(4, 3, padding: same)
                add(conv2d_2, input, activation: relu)
                concatenate(add_1, conv2d_1)
            }
            """;
        var (code, output, error) = Run("summary", Write("residual.cnn", residual));
        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Equal("""
            Network: Residual (channels_last)
            Layer (type)                 Output shape  Param #  Mult-adds  Connected to
            ==============================================================================
            input (Input)                8x8x4               0          0
            conv2d_1 (Conv2D)            8x8x4             148      9,216  input
            conv2d_2 (Conv2D)            8x8x4             148      9,216  conv2d_1
            add_1 (Add)                  8x8x4               0          0  conv2d_2, input
            concatenate_1 (Concatenate)  8x8x8               0          0  add_1, conv2d_1
            ==============================================================================
            Total params: 296
            Total mult-adds per sample: 18,432
            Input: 8x8x4 (256 floats); output: 8x8x8 (512 floats)

            """.Replace("\r\n", "\n"), output);
    }

    [Fact]
    public void SummaryOfAFileWithErrorsPrintsTheValidNetworksAndExitsOne()
    {
        var path = Write("mixed.cnn", "network Broken(input: 8x8x1) { conv2(8, 3) }\nnetwork Fine(input: 4) { dense(2) }\n");
        var (code, output, error) = Run("summary", path);
        Assert.Equal(1, code);
        Assert.StartsWith("Network: Fine (channels_last)\n", output);
        Assert.DoesNotContain("Broken", output);
        Assert.StartsWith($"{path}(1,32): error CNN0206: Unknown layer 'conv2'.", error);
    }

    [Fact]
    public void CompileWritesExactlyWhatTheGeneratorEmits()
    {
        var digits = Write("digits.cnn", Digits);
        var head = Write("head.cnn", Head);
        var outputDirectory = Path.Combine(_directory, "out", "generated");
        var (code, output, error) = Run("compile", digits, head, "-o", outputDirectory);
        Assert.Equal(0, code);
        Assert.Empty(error);
        var digitNet = Path.Combine(outputDirectory, "Examples.Digits.DigitNet.g.cs");
        var headNet = Path.Combine(outputDirectory, "Examples.Digits.Head.g.cs");
        Assert.Equal($"wrote {digitNet}\nwrote {headNet}\n", output);

        var files = new[] { DslFile.Parse(digits, Digits), DslFile.Parse(head, Head) };
        var analyses = NetworkCompiler.AnalyzeAll(NetworkCatalog.Create([], [.. files.Select(f => f.Networks)]));
        Assert.Equal(NetworkCompiler.Emit(analyses[0].Model).Source, File.ReadAllText(digitNet));
        Assert.Equal(NetworkCompiler.Emit(analyses[1].Model).Source, File.ReadAllText(headNet));
        Assert.StartsWith("// <auto-generated/>\n// CnnGen network DigitNet, declared in digits.cnn.\n", File.ReadAllText(digitNet));
    }

    [Fact]
    public void CompileWritesNothingWhenThereAreErrors()
    {
        var outputDirectory = Path.Combine(_directory, "out");
        var (code, output, error) = Run("compile", Write("broken.cnn", Broken), "--output", outputDirectory);
        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.EndsWith("cnngen: 1 error; no file written.\n", error);
        Assert.False(Directory.Exists(outputDirectory));
    }

    [Fact]
    public void AMissingFileIsAClearErrorWithExitCodeTwo()
    {
        var missing = Path.Combine(_directory, "nope.cnn");
        var (code, output, error) = Run("check", missing);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal($"cnngen: error: file not found: '{missing}'\n", error);
    }

    [Fact]
    public void ADirectoryIsNotAFile()
    {
        var (code, _, error) = Run("summary", _directory);
        Assert.Equal(2, code);
        Assert.Equal($"cnngen: error: '{_directory}' is a directory; give .cnn files\n", error);
    }

    [Fact]
    public void UsageErrorsExitTwo()
    {
        var (code, _, error) = Run("check");
        Assert.Equal(2, code);
        Assert.Contains("Required argument missing for command: 'check'.", error);
        Assert.Contains("Run 'cnngen --help' or 'cnngen COMMAND --help' for usage.", error);

        Assert.Equal(2, Run().Code);
        Assert.Equal(2, Run("frobnicate", "x.cnn").Code);
    }

    [Theory]
    [InlineData(new[] { "--help" }, "cnngen [command] [options]")]
    [InlineData(new[] { "check", "--help" }, "cnngen check <files>... [options]")]
    [InlineData(new[] { "summary", "-h" }, "cnngen summary <files>... [options]")]
    [InlineData(new[] { "compile", "--help" }, "-o, --output")]
    public void HelpIsAvailableForEveryCommand(string[] args, string expected)
    {
        var (code, output, _) = Run(args);
        Assert.Equal(0, code);
        Assert.Contains(expected, output);
    }

    [Fact]
    public void AnUnexpectedExceptionIsOneLineOnStandardErrorAndExitCodeTwo()
    {
        // Standard output fails while the check prints its result: nothing the commands expect.
        var path = Write("digits.cnn", Digits);
        var error = new StringWriter { NewLine = "\n" };
        var code = CliApp.Run(["check", path], new FailingWriter(), error);
        Assert.Equal(2, code);
        Assert.Equal("cnngen: internal error: IOException: The pipe is closed (simulated).\n", error.ToString());

        // Standard error failing too still gives the exit code.
        Assert.Equal(2, CliApp.Run(["check", path], new FailingWriter(), new FailingWriter()));
    }

    [Fact]
    public void AFileLargerThan16MiBIsRefused()
    {
        // A comment of 16 MiB + 1 byte after a valid network.
        const string network = "network N(input: 4) { dense(2) }\n// ";
        var path = Write("huge.cnn", network + new string('x', CliApp.MaxFileBytes + 1 - network.Length));

        Assert.Equal(CliApp.MaxFileBytes + 1, new FileInfo(path).Length);
        var (code, output, error) = Run("check", path);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal($"cnngen: error: '{path}' is larger than 16 MiB (16,777,216 bytes), the most a .cnn file may be\n", error);

        // One byte less is read and checked.
        File.WriteAllText(path, network + new string('x', CliApp.MaxFileBytes - network.Length));
        Assert.Equal(0, Run("check", path).Code);
    }

    [Fact]
    public void ADeviceThatNeverEndsIsRefusedAtTheLimit()
    {
        if (!File.Exists("/dev/zero"))
        {
            return; // Linux and macOS only; the CI runs on Linux
        }

        // Its length reads as 0, so only a bounded read stops it.
        var (code, _, error) = Run("check", "/dev/zero");
        Assert.Equal(2, code);
        Assert.Equal("cnngen: error: '/dev/zero' is larger than 16 MiB (16,777,216 bytes), the most a .cnn file may be\n", error);
    }

    private sealed class FailingWriter : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => throw new IOException("The pipe is closed (simulated).");

        public override void Write(string? value) => throw new IOException("The pipe is closed\n(simulated).");
    }
}
