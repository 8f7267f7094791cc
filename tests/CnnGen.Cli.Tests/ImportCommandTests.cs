using CnnGen.Cli;

namespace CnnGen.Cli.Tests;

/// <summary>cnngen import run in-process on the models of tests/CnnGen.Tests/Data/onnx: files, summary, errors, exit codes.</summary>
public sealed class ImportCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cnngen-import-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Model(string file) => Path.Combine(AppContext.BaseDirectory, "Data", "onnx", file);

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void ImportWritesTheDeclarationAndWeightsAndPrintsTheSummaryThatSummaryPrints()
    {
        var output = Path.Combine(_directory, "out");
        var (code, text, error) = Run("import", Model("lenet.onnx"), "--name", "LeNet", "--namespace", "Demo.Models", "-o", output);
        Assert.Equal(0, code);
        Assert.Empty(error);
        var cnn = Path.Combine(output, "LeNet.cnn");
        var weights = Path.Combine(output, "LeNet.cnnw");
        Assert.Equal(["LeNet.cnn", "LeNet.cnnw"], Directory.GetFiles(output).Select(Path.GetFileName).Order());

        var (summaryCode, summary, _) = Run("summary", cnn);
        Assert.Equal(0, summaryCode);
        Assert.Equal(summary + $"wrote {cnn}\nwrote {weights}\n", text);
        Assert.StartsWith("Network: LeNet (channels_first)\n", text);
        Assert.Contains("conv1 (Conv2D)       6x28x28           156    117,600\n", text);
        Assert.Contains("namespace Demo.Models;\n\nnetwork LeNet(input: 1x28x28, format: channels_first) {\n", File.ReadAllText(cnn));

        var info = WeightFile.ReadInfo(weights);
        Assert.Equal(("LeNet", 61_706), (info.NetworkName, info.ParameterCount));
    }

    [Fact]
    public void AGraphWithBatchNormsImportsWithItsMergesAndMovingStatistics()
    {
        var (code, text, error) = Run("import", Model("batch_norm_layers.onnx"), "-o", _directory);
        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains("Connected to", text);
        Assert.Contains("\nadd_1 (Add)                   3x8x8               0          0  bn_in, conv\n", text);
        var cnn = File.ReadAllText(Path.Combine(_directory, "BatchNormLayers.cnn"));
        Assert.Contains("    batch_norm(momentum: 0.9, epsilon: 0.00001, name: bn_in)\n    conv2d(3, kernel: 3, padding: same, name: conv)\n    add(bn_in, conv)\n", cnn);

        // Batch normalisation's moving statistics make it a version-2 file: 4 layers x 2 x channels.
        var info = WeightFile.ReadInfo(Path.Combine(_directory, "BatchNormLayers.cnnw"));
        Assert.Equal((2u, 2 * (3 + 3 + 3 + 6)), (info.FormatVersion, info.StateCount));
    }

    [Fact]
    public void TheImportedModelExampleHoldsWhatImportWritesToday()
    {
        // examples/ImportedModel commits the output of this command; a change to the importer must update it.
        var example = Path.Combine(AppContext.BaseDirectory, "Data", "example");
        var (code, _, error) = Run("import", Path.Combine(example, "digits_resnet.onnx"), "--name", "DigitsResNet", "--namespace", "ImportedModel", "-o", _directory);
        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Equal(File.ReadAllText(Path.Combine(example, "DigitsResNet.cnn")).Replace("\r\n", "\n"), File.ReadAllText(Path.Combine(_directory, "DigitsResNet.cnn")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(example, "DigitsResNet.cnnw")), File.ReadAllBytes(Path.Combine(_directory, "DigitsResNet.cnnw")));
    }

    [Fact]
    public void FormatCsWritesTheSameNetworkAsAttributes()
    {
        var (code, text, _) = Run("import", Model("conv1d_stack.onnx"), "--format", "cs", "--output", _directory);
        Assert.Equal(0, code);
        var cs = File.ReadAllText(Path.Combine(_directory, "Conv1dStack.cs"));
        Assert.Contains("[Network(DataFormat = DataFormat.ChannelsFirst)]\n[Input(3, 50)]\n[Conv1D(8, 3, Dilation = 2, Padding = Padding.Same, Activation = Activation.Elu, Name = \"dilated\")]\n", cs);
        Assert.EndsWith("public partial class Conv1dStack;\n", cs);
        Assert.False(File.Exists(Path.Combine(_directory, "Conv1dStack.cnn")));
        Assert.EndsWith($"wrote {Path.Combine(_directory, "Conv1dStack.cs")}\nwrote {Path.Combine(_directory, "Conv1dStack.cnnw")}\n", text);
    }

    [Fact]
    public void SymbolicSizesNeedInputShape()
    {
        var (code, output, error) = Run("import", Model("dynamic_spatial.onnx"), "-o", _directory);
        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Equal("cnngen: error: dynamic_spatial.onnx: the input 'input' is N x 3 x height x width: its height is symbolic ('height'). CnnGen generates code for fixed sizes; " +
            "give them without the batch dimension with --input-shape (e.g. --input-shape 3x224x224).\ncnngen: nothing written.\n", error);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));

        (code, output, _) = Run("import", Model("dynamic_spatial.onnx"), "-o", _directory, "--input-shape", "3x32x40");
        Assert.Equal(0, code);
        Assert.Contains("Input: 3x32x40 (3,840 floats); output: 2 (2 floats)\n", output);
    }

    public static TheoryData<string, string> Refused => new()
    {
        { "selu.onnx", "cnngen: error: selu.onnx: node '/Selu' (Selu) is not supported: CnnGen has no layer for the operator Selu. Supported: " },
        { "leaky_relu_default.onnx", "cnngen: error: leaky_relu_default.onnx: node '/act/LeakyRelu' (LeakyRelu) has alpha 0.01; " },
        { "conv_transpose_grouped.onnx", "cnngen: error: conv_transpose_grouped.onnx: node '/up/ConvTranspose' (ConvTranspose) has group 2; CnnGen's conv2d_transpose has one group" },
        { "two_outputs.onnx", "cnngen: error: 'two_outputs.onnx' has 2 graph outputs ('output0', 'output1'); a CnnGen network has one output." },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void AModelThatCannotBeImportedExitsOneAndWritesNothing(string file, string start)
    {
        // An earlier import's files stay as they were.
        File.WriteAllText(Path.Combine(_directory, "Net.cnn"), "old declaration");
        File.WriteAllText(Path.Combine(_directory, "Net.cnnw"), "old weights");
        var (code, output, error) = Run("import", Model(file), "--name", "Net", "-o", _directory);
        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.StartsWith(start, error);
        Assert.EndsWith("\ncnngen: nothing written.\n", error);
        Assert.Equal(["Net.cnn", "Net.cnnw"], Directory.GetFileSystemEntries(_directory).Select(Path.GetFileName).Order());
        Assert.Equal("old declaration", File.ReadAllText(Path.Combine(_directory, "Net.cnn")));
        Assert.Equal("old weights", File.ReadAllText(Path.Combine(_directory, "Net.cnnw")));
    }

    [Fact]
    public void ACorruptOrTruncatedFileExitsOneAndWritesNothing()
    {
        var bytes = File.ReadAllBytes(Model("lenet.onnx"));
        var truncated = Path.Combine(_directory, "truncated.onnx");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 3)]);
        var corrupt = Path.Combine(_directory, "corrupt.onnx");
        File.WriteAllText(corrupt, "this is not a model");
        var output = Path.Combine(_directory, "out");
        foreach (var path in new[] { truncated, corrupt })
        {
            var (code, text, error) = Run("import", path, "-o", output);
            Assert.Equal(1, code);
            Assert.Empty(text);
            Assert.StartsWith($"cnngen: error: '{Path.GetFileName(path)}' is not an ONNX model, or it is damaged or truncated (", error);
            Assert.False(Directory.Exists(output));
        }
    }

    [Fact]
    public void CommandLineMistakesExitTwo()
    {
        var missing = Path.Combine(_directory, "missing.onnx");
        Assert.Equal((2, string.Empty, $"cnngen: error: file not found: '{missing}'\n"), Run("import", missing));
        Assert.Equal((2, string.Empty, $"cnngen: error: '{_directory}' is a directory; give an .onnx file\n"), Run("import", _directory));

        var (code, _, error) = Run("import", Model("lenet.onnx"), "--input-shape", "1x28xa");
        Assert.Equal(2, code);
        Assert.Equal("cnngen: error: --input-shape '1x28xa' is not a shape such as 3x224x224 (channels first, without the batch)\n", error);

        (code, _, error) = Run("import", Model("lenet.onnx"), "--name", "class", "-o", _directory);
        Assert.Equal(2, code);
        Assert.Equal("cnngen: error: 'class' cannot be a network name: use a C# name (a letter or underscore, then letters, digits or underscores; not a keyword).\n", error);

        (code, _, error) = Run("import", Model("lenet.onnx"), "--format", "py");
        Assert.Equal(2, code);
        Assert.Contains("'py'", error);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void HelpDescribesImport()
    {
        var (code, output, _) = Run("import", "--help");
        Assert.Equal(0, code);
        Assert.Contains("cnngen import <model> [options]", output);
        Assert.Contains("--input-shape", output);
        Assert.Contains("--format <cnn|cs>", output);
        Assert.Contains("import", Run("--help").Output);
    }
}
