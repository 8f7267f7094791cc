using CnnGen.Generators.Tests.Infrastructure;
using CnnGen.Onnx;
using CnnGen.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CnnGen.Tests.OnnxImport;

/// <summary>PyTorch models imported with OnnxImporter compute what ONNX Runtime computes on the same file, and read like hand-written declarations.</summary>
public sealed class OnnxImportTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cnngen-onnx-import-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string> Models => new(ImportedModels.All.Select(model => model.Name));

    [Theory]
    [MemberData(nameof(Models))]
    public void TheGeneratedNetworkWithItsWeightFileComputesWhatOnnxRuntimeComputes(string name)
    {
        var (file, _, _) = ImportedModels.All.Single(model => model.Name == name);
        var imported = ImportedModels.Imported(name);
        var network = ImportedModels.Create(name);
        var weights = Path.Combine(_directory, imported.WeightsFileName);
        imported.SaveWeights(weights);
        network.LoadWeights(weights);
        Assert.Equal(imported.Parameters.ToArray(), network.Parameters.ToArray());
        Assert.Equal(imported.State.ToArray(), network.State.ToArray());

        foreach (var batch in new[] { 1, 3 })
        {
            var input = Numerics.Random(batch * network.InputSize, seed: 40 + batch, scale: 2f);
            var actual = new float[batch * network.OutputSize];
            network.Forward(input, actual, batch);
            var expected = ImportedModels.RunOnnxRuntime(file, input, [.. imported.InputShape], batch);
            var used = ImportedModels.AssertClose(expected, actual, $"{name} (batch {batch})");
            log.WriteLine($"{name}, batch {batch}: the largest error is {used:P1} of the limit |a - e| <= 1e-4 * (|e| + max|e|).");
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void TheImportedArchitectureIsTheOneTheGeneratedClassReports(string name)
    {
        // Field by field, so that a difference shows where it is; the fingerprint in the weight file depends on it.
        var imported = ImportedModels.Imported(name).Architecture;
        var generated = ImportedModels.Create(name).Architecture;
        Assert.Equal(generated.Name, imported.Name);
        Assert.Equal(generated.DataFormat, imported.DataFormat);
        Assert.Equal(generated.InputShape, imported.InputShape);
        Assert.Equal(generated.OutputShape, imported.OutputShape);
        Assert.Equal(generated.ParameterCount, imported.ParameterCount);
        Assert.Equal(generated.Layers.Count, imported.Layers.Count);
        foreach (var (expected, actual) in generated.Layers.Zip(imported.Layers))
        {
            Assert.Equivalent(expected, actual, strict: true);
        }

        Assert.Equal(generated.CanonicalDescription(), imported.CanonicalDescription());
        Assert.Equal(generated.Fingerprint, imported.Fingerprint);
    }

    [Fact]
    public void LeNetReadsLikeAHandWrittenDeclaration()
    {
        Assert.Equal("""
            // Imported from lenet.onnx (pytorch 1.13.0, opset 13) by cnngen import; the weights are in LeNet.cnnw.
            // Channels first, as in ONNX: the input is N x 1 x 28 x 28, the array ONNX Runtime takes.

            namespace Imported;

            network LeNet(input: 1x28x28, format: channels_first) {
                conv2d(6, kernel: 5, padding: same, activation: relu, name: conv1)
                max_pool2d(2, name: pool)
                conv2d(16, kernel: 5, activation: relu, name: conv2)
                max_pool2d(2, name: pool_1)
                flatten()
                dense(120, activation: relu, name: fc1)
                dense(84, activation: relu, name: fc2)
                dense(10, name: fc3)
            }

            """.Replace("\r\n", "\n"), ImportedModels.Imported("LeNet").ToCnn());
    }

    [Fact]
    public void TheExampleInDocsImportMdIsWhatTheImporterWrites()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "CnnGen.sln")))
        {
            directory = directory.Parent;
        }

        var page = File.ReadAllText(Path.Combine(directory.FullName, "docs", "import.md")).Replace("\r\n", "\n");
        var example = System.Text.RegularExpressions.Regex.Match(page, "```cnn\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        var imported = OnnxImporter.Import(ImportedModels.DataPath("lenet.onnx"), new OnnxImportOptions { Name = "LeNet", Namespace = "Demo" });
        Assert.Equal(imported.ToCnn(), example);
    }

    [Fact]
    public void TheOtherPatternsReadLikeHandWrittenDeclarationsToo()
    {
        // Dilation, causal and asymmetric 'same' pads from F.pad, strided valid, 'same' max pooling, mean over the length.
        Assert.EndsWith("""
            network Conv1dStack(input: 3x50, format: channels_first) {
                conv1d(8, kernel: 3, dilation: 2, padding: same, activation: elu, name: dilated)
                conv1d(8, kernel: 3, dilation: 2, padding: causal, activation: tanh, name: causal)
                conv1d(16, kernel: 5, stride: 2, activation: softplus, name: strided)
                conv1d(16, kernel: 4, padding: same, name: even)
                max_pool1d(3, stride: 2, padding: same, name: pool)
                avg_pool1d(2, name: average)
                global_avg_pool()
                dense(5, activation: softmax, name: head)
            }

            """.Replace("\r\n", "\n"), ImportedModels.Imported("Conv1dStack").ToCnn());

        // Silu from x * Sigmoid(x), a 3x5 kernel, non-square pooling, LeakyReLU(0.3), GlobalAveragePool + Flatten.
        Assert.EndsWith("""
            network StridedSame(input: 3x15x17, format: channels_first) {
                conv2d(8, kernel: 3, stride: 2, padding: same, activation: silu, name: stem)
                conv2d(8, kernel: 3x5, padding: same, activation: sigmoid, name: wide)
                max_pool2d(2x3, name: pool)
                avg_pool2d(2, stride: 1, name: smooth)
                conv2d(6, kernel: 1, activation: leaky_relu, name: pointwise)
                global_avg_pool(name: gap)
                dense(4, activation: sigmoid, name: classifier)
            }

            """.Replace("\r\n", "\n"), ImportedModels.Imported("StridedSame").ToCnn());

        // A vector network needs no data format; MatMul + Add is one dense layer, and a Linear without bias says so.
        Assert.Equal("""
            // Imported from vector_mlp.onnx (pytorch 1.13.0, opset 13) by cnngen import; the weights are in VectorMlp.cnnw.

            using CnnGen;

            namespace Imported;

            [Network]
            [Input(20)]
            [Dense(16, Activation = Activation.LeakyRelu)]
            [Dense(8, Activation = Activation.Tanh, Name = "hidden")]
            [Dense(3, Activation = Activation.Softmax, UseBias = false, Name = "out")]
            public partial class VectorMlp;

            """.Replace("\r\n", "\n"), ImportedModels.Imported("VectorMlp").ToCSharp());
    }

    [Fact]
    public void ResNetBlocksImportWithTheirShortcutsAndBatchNormsFolded()
    {
        // Conv-BN pairs fold into the convolution (no batch_norm layer is left), the relu after each
        // Add fuses into it, a projection shortcut reads the block's input with from:, and PyTorch's
        // scope names shorten without repeating themselves (/layer3/downsample/downsample.0 is layer3_downsample_0).
        Assert.EndsWith("""
            network ResNetBlocks(input: 3x16x16, format: channels_first) {
                conv2d(16, kernel: 3, padding: same, activation: relu, name: stem_0)
                conv2d(16, kernel: 3, padding: same, activation: relu, name: conv1)
                conv2d(16, kernel: 3, padding: same, name: conv2)
                add(conv2, stem_0, activation: relu, name: layer1)
                conv2d(24, kernel: 3, stride: 2, pad: 1, activation: relu, name: layer2_conv1)
                conv2d(24, kernel: 3, padding: same, name: layer2_conv2)
                conv2d(24, kernel: 1, stride: 2, from: layer1, name: downsample_0)
                add(layer2_conv2, downsample_0, activation: relu, name: layer2)
                conv2d(8, kernel: 1, activation: relu, name: layer3_conv1)
                conv2d(8, kernel: 3, padding: same, activation: relu, name: layer3_conv2)
                conv2d(32, kernel: 1, name: conv3)
                conv2d(32, kernel: 1, from: layer2, name: layer3_downsample_0)
                add(conv3, layer3_downsample_0, activation: relu, name: layer3)
                global_avg_pool(name: pool)
                dense(10, name: fc)
            }

            """.Replace("\r\n", "\n"), ImportedModels.Imported("ResNetBlocks").ToCnn());
        Assert.Empty(ImportedModels.Imported("ResNetBlocks").State.ToArray());
    }

    [Fact]
    public void SqueezeAndExcitationGatesImportAsKeepDimsPoolingAndAMultiply()
    {
        // MobileNetV3's SE: adaptive_avg_pool2d read by 1x1 convolutions keeps its 1x1 map, and the
        // Hardsigmoid gate multiplies the block's feature map at every position.
        var cs = ImportedModels.Imported("MobileNetV3Blocks").ToCSharp();
        Assert.Contains("""
            [DepthwiseConv2D(3, Stride = 2, Pad = 1, Activation = Activation.Relu, Name = "block_0_0")]
            [GlobalAvgPool(KeepDims = true, Name = "avgpool")]
            [Conv2D(8, 1, Activation = Activation.Relu, Name = "fc1")]
            [Conv2D(16, 1, Activation = Activation.HardSigmoid, Name = "fc2")]
            [Multiply("fc2", "block_0_0", Name = "block_1")]
            """.Replace("\r\n", "\n"), cs);
        var pools = ImportedModels.Imported("MobileNetV3Blocks").Architecture.Layers.Where(layer => layer.Kind == LayerKind.GlobalAvgPool).ToList();
        Assert.Equal([true, true, false], pools.Select(pool => pool.KeepDims));
        Assert.Equal(new[] { 16, 1, 1 }, pools[0].OutputShape);

        // The classifier's pooling, read by Flatten only, stays the channel vector.
        Assert.Equal(new[] { 24 }, pools[2].OutputShape);
    }

    [Fact]
    public void FireModulesImportAsBranchesJoinedByConcatenate()
    {
        Assert.EndsWith("""
            network FireModules(input: 3x33x33, format: channels_first) {
                conv2d(16, kernel: 3, stride: 2, activation: relu, name: stem_0)
                max_pool2d(3, stride: 2, ceil_mode: true, name: stem_2)
                conv2d(8, kernel: 1, activation: relu, name: squeeze)
                conv2d(16, kernel: 1, activation: relu, name: expand1x1)
                conv2d(16, kernel: 3, padding: same, activation: relu, from: squeeze, name: expand3x3)
                concatenate(expand1x1, expand3x3, name: fire1)
                conv2d(8, kernel: 1, activation: relu, name: fire2_squeeze)
                conv2d(16, kernel: 1, activation: relu, name: fire2_expand1x1)
                conv2d(16, kernel: 3, padding: same, activation: relu, from: fire2_squeeze, name: fire2_expand3x3)
                concatenate(fire2_expand1x1, fire2_expand3x3, name: fire2)
                max_pool2d(3, stride: 2, ceil_mode: true, name: pool)
                conv2d(10, kernel: 1, activation: relu, name: classifier_1)
                global_avg_pool(name: classifier_3)
            }

            """.Replace("\r\n", "\n"), ImportedModels.Imported("FireModules").ToCnn());
    }

    [Fact]
    public void BatchNormsThatCannotFoldAreLayersWithTheirMovingStatistics()
    {
        // On the input, after an Add, after a pooling, and after a linear layer that a relu reads first.
        var imported = ImportedModels.Imported("BatchNormLayers");
        var norms = imported.Layers.Where(layer => layer.Kind == LayerKind.BatchNormalization).ToList();
        Assert.Equal(["bn_in", "bn_add", "bn_pool", "bn_fc"], norms.Select(layer => layer.Name));
        Assert.Equal([0.9f, 0.9f, 0.9f, 0.9f], norms.Select(layer => layer.Info.Momentum));
        Assert.Equal([1e-5f, 1e-3f, 1e-5f, 1e-5f], norms.Select(layer => layer.Info.Epsilon));
        Assert.Equal([0, 6, 12, 18], norms.Select(layer => layer.Info.StateOffset));
        Assert.Equal(imported.State.ToArray(), norms.SelectMany(layer => layer.State.ToArray()));

        // Statistics as make_models.py drew them (not PyTorch's 0 and 1), and a variance is never negative.
        Assert.Contains(imported.State[..3].ToArray(), mean => Math.Abs(mean) > 0.01f);
        Assert.All(norms.SelectMany(layer => layer.State.ToArray()[(layer.State.Length / 2)..]), variance => Assert.InRange(variance, 0.25f, 1.75f));
        Assert.Contains("    batch_norm(momentum: 0.9, epsilon: 0.00001, name: bn_in)\n", imported.ToCnn());
        Assert.Contains("[BatchNormalization(Momentum = 0.9f, Name = \"bn_add\")]\n", imported.ToCSharp());
    }

    [Theory]
    [InlineData("Conv1dStack")]
    [InlineData("StridedSame")]
    public void Opset9ModelsImportAsTheSameNetwork(string name)
    {
        // Pad, Slice and Unsqueeze with attributes; a ceil_mode MaxPool exported as pads no window reaches.
        static IEnumerable<string> Body(ImportedNetwork network, string name) =>
            network.ToCnn().Replace(name, "Model", StringComparison.Ordinal).Split('\n').SkipWhile(line => !line.StartsWith("network ", StringComparison.Ordinal));
        Assert.Equal(Body(ImportedModels.Imported(name), name), Body(ImportedModels.Imported(name + "Opset9"), name + "Opset9"));
        Assert.Contains("opset 9", ImportedModels.Imported(name + "Opset9").ToCnn());
    }

    [Fact]
    public void Relu6HardSwishHardSigmoidAndGeluImportFusedIntoTheLayerBefore()
    {
        // Clip(0, 6), HardSwish, HardSigmoid(1/6) after convolutions and gelu's erf pattern after a
        // Gemm are fused; gelu after a pooling is a layer of its own.
        var imported = ImportedModels.Imported("HardActivations");
        var layers = imported.Architecture.Layers;
        Assert.Equal([LayerKind.Conv2D, LayerKind.MaxPool2D, LayerKind.Activation, LayerKind.Conv2D, LayerKind.Conv2D, LayerKind.Flatten, LayerKind.Dense, LayerKind.Dense],
            layers.Select(layer => layer.Kind));
        Assert.Equal([Activation.Relu6, Activation.Linear, Activation.Gelu, Activation.HardSwish, Activation.HardSigmoid, Activation.Linear, Activation.Gelu, Activation.Linear],
            layers.Select(layer => layer.Activation));
        var cnn = imported.ToCnn();
        Assert.Contains("activation: relu6", cnn);
        Assert.Contains("activation: hard_swish", cnn);
        Assert.Contains("activation: hard_sigmoid", cnn);
        Assert.Contains("activation: gelu", cnn);

        // Opset 13 writes nn.Hardswish as x * HardSigmoid(x): the same network.
        static IEnumerable<string> Body(ImportedNetwork network, string name) =>
            network.ToCnn().Replace(name, "Model", StringComparison.Ordinal).Split('\n').SkipWhile(line => !line.StartsWith("network ", StringComparison.Ordinal));
        Assert.Equal(Body(imported, "HardActivations"), Body(ImportedModels.Imported("HardActivationsOpset13"), "HardActivationsOpset13"));
    }

    [Fact]
    public void PyTorchPaddingImportsAsPadCeilModeAndCountPadding()
    {
        // nn.MaxPool2d(2, ceil_mode=True) on 9x9; nn.AvgPool2d(3, stride=1, padding=1) (a Pad node whose
        // zeros count; its pads are Keras 'same'); nn.Conv2d(3, 4, 3, stride=2, padding=1) on 16x16, which is not.
        Assert.Contains("max_pool2d(2, ceil_mode: true", ImportedModels.Imported("CeilMode").ToCnn());
        Assert.Contains("avg_pool2d(3, stride: 1, padding: same, count_padding: true", ImportedModels.Imported("AvgPoolPadding").ToCnn());
        Assert.Contains("[AvgPool2D(3, Stride = 1, Padding = Padding.Same, CountPadding = true", ImportedModels.Imported("AvgPoolPadding").ToCSharp());
        Assert.Contains("conv2d(4, kernel: 3, stride: 2, pad: 1", ImportedModels.Imported("StrideTwoEven").ToCnn());
        var pool = ImportedModels.Imported("CeilMode").Architecture.Layers.Single(layer => layer.Kind == LayerKind.MaxPool2D);
        Assert.True(pool.CeilMode);
        Assert.Equal(new[] { 4, 5, 5 }, pool.OutputShape);
    }

    [Fact]
    public void TheCnnAndCSharpDeclarationsGenerateTheSameCode()
    {
        var networks = ImportedModels.All.Select(model => ImportedModels.Imported(model.Name)).ToList();
        var fromCnn = GeneratorHarness.Run([string.Empty], [.. networks.Select(n => (n.DeclarationFileName(ImportFormat.Cnn), n.ToCnn()))]);
        var fromCSharp = GeneratorHarness.Run([.. networks.Select(n => n.ToCSharp())]);
        Assert.Empty(fromCSharp.CnnDiagnostics);
        Assert.Empty(fromCSharp.BuildErrors);
        foreach (var network in networks)
        {
            var hint = ImportedModels.Namespace + "." + network.Name + ".g.cs";
            var cnnLines = fromCnn.Sources[hint].Split('\n');
            var csharpLines = fromCSharp.Sources[hint].Split('\n');
            Assert.Equal(cnnLines.Length, csharpLines.Length);
            // Only the line that says where the network was declared differs.
            Assert.Equal([1], Enumerable.Range(0, cnnLines.Length).Where(i => cnnLines[i] != csharpLines[i]));
            Assert.Equal($"// CnnGen network {network.Name}, declared in {network.Name}.cnn.", cnnLines[1]);
        }
    }

    [Fact]
    public void WriteFilesWritesTheDeclarationAndTheWeightsAndTheirNames()
    {
        var imported = ImportedModels.Imported("GlobalMax");
        var paths = imported.WriteFiles(Path.Combine(_directory, "out"), ImportFormat.CSharp);
        Assert.Equal([Path.Combine(_directory, "out", "GlobalMax.cs"), Path.Combine(_directory, "out", "GlobalMax.cnnw")], paths);
        Assert.Equal(imported.ToCSharp(), File.ReadAllText(paths[0]));
        var info = WeightFile.ReadInfo(paths[1]);
        Assert.Equal(("GlobalMax", imported.Architecture.Fingerprint, imported.Architecture.ParameterCount), (info.NetworkName, info.Fingerprint, info.ParameterCount));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_directory, "out")).Length);
    }

    [Fact]
    public void WriteFilesWritesNeitherFileWhenOneCannotBeWritten()
    {
        var imported = ImportedModels.Imported("VectorMlp");
        var directory = Path.Combine(_directory, "blocked");
        Directory.CreateDirectory(Path.Combine(directory, imported.WeightsFileName));
        File.WriteAllText(Path.Combine(directory, "VectorMlp.cnn"), "old");
        Assert.ThrowsAny<IOException>(() => imported.WriteFiles(directory, ImportFormat.Cnn));
        Assert.Equal("old", File.ReadAllText(Path.Combine(directory, "VectorMlp.cnn")));
        Assert.Equal([Path.Combine(directory, "VectorMlp.cnn")], Directory.GetFiles(directory));
    }

    [Theory]
    [InlineData("lenet_mnist.onnx", "LenetMnist")]
    [InlineData("resnet-18.v2.onnx", "Resnet18V2")]
    [InlineData("3d_model.onnx", "Model3dModel")]
    [InlineData("MobileNet.onnx", "MobileNet")]
    [InlineData("---.onnx", "ImportedModel")]
    public void TheDefaultNameIsTheFileNameInPascalCase(string file, string expected) =>
        Assert.Equal(expected, OnnxImporter.DefaultName(file));
}
