using CnnGen.Onnx;
using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;
using CnnGen.Tests.Weights;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CnnGen.Tests.OnnxExport;

/// <summary>Every network exported to ONNX and run in ONNX Runtime gives the generated code's outputs.</summary>
public class OnnxExportTests
{
    public static TheoryData<string> Networks => new()
    {
        "DigitNet", "LeNet5", "DigitNetChannelsFirst", "SignalNet",
        "TorchLeNet", "TorchLeNetChannelsFirst", "TorchSignalNet", "TorchSignalNetChannelsFirst", "VectorNet", "FeatureMapNet",
        "ResNetBlockNet", "SqueezeExciteNet", "FireModuleNet", "ThreeInputAddNet", "GatedSignalNetChannelsFirst",
        "PaddedNet", "PaddedSignalNetChannelsFirst",
        "HardActivationNet", "HardActivationSignalNetChannelsFirst",
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void FixedNetworksRunTheSameInOnnxRuntime(string name)
    {
        var network = name switch
        {
            nameof(VectorNet) => new VectorNet(3),
            nameof(FeatureMapNet) => new FeatureMapNet(3),
            _ when name.StartsWith("Torch", StringComparison.Ordinal) => WeightImportTests.Create(name),
            _ when GraphTests.Names.Contains(name) => GraphTests.Create(name, seed: 3),
            _ => ForwardTests.Create(name, seed: 3),
        };
        ForwardTests.RandomizeBiases(network, seed: 4);
        AssertSameInOnnxRuntime(network, name);
    }

    [Theory]
    [MemberData(nameof(GroupedConvolutionTests.Networks), MemberType = typeof(GroupedConvolutionTests))]
    public void GroupedConvolutionsRunTheSameInOnnxRuntime(string name)
    {
        var network = GroupedConvolutionTests.Create(name, seed: 3);
        ForwardTests.RandomizeBiases(network, seed: 4);
        AssertSameInOnnxRuntime(network, name);
    }

    /// <summary>
    /// Networks with transposed convolutions, compiled by the generator at test time: 'same' with
    /// stride 2 and with a kernel smaller than its stride, explicit pads with output padding,
    /// per-direction strides, dilations and output paddings, 1-D layers, channels last and first,
    /// and a U-Net whose up-sampling path is concatenated with its skip.
    /// </summary>
    public static readonly (string Name, string Source)[] TransposedNetworks =
    [
        ("OnnxTransposedSameNet", """
            [Network]
            [Input(6, 5, 3)]
            [Conv2D(4, 3, Padding = Padding.Same, Activation = Activation.Relu)]
            [Conv2DTranspose(5, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu)]
            [Conv2DTranspose(3, 2, Strides = new[] { 2, 1 }, Padding = Padding.Same)]
            [Conv2DTranspose(2, 1, 2, Stride = 3, Padding = Padding.Same, Activation = Activation.Tanh)]
            public partial class OnnxTransposedSameNet;
            """),
        ("OnnxTransposedPadsNetChannelsFirst", """
            [Network(DataFormat = DataFormat.ChannelsFirst)]
            [Input(3, 5, 6)]
            [Conv2DTranspose(4, 3, Stride = 2, Pad = 1, OutputPadding = 1, Activation = Activation.Tanh)]
            [Conv2DTranspose(3, 3, 2, Strides = new[] { 1, 2 }, Dilations = new[] { 2, 1 }, Pads = new[] { 1, 0, 1, 1 }, OutputPaddings = new[] { 0, 1 }, UseBias = false)]
            [Flatten]
            [Dense(3)]
            public partial class OnnxTransposedPadsNetChannelsFirst;
            """),
        ("OnnxTransposedPadsNet", """
            [Network]
            [Input(5, 6, 3)]
            [Conv2DTranspose(4, 3, Stride = 2, Pad = 1, OutputPadding = 1, Activation = Activation.Relu)]
            [Conv2DTranspose(2, 3, Stride = 3, Pads = new[] { 0, 2, 1, 0 }, OutputPaddings = new[] { 2, 1 })]
            public partial class OnnxTransposedPadsNet;
            """),
        ("OnnxTransposedSignalNet", """
            [Network]
            [Input(7, 3)]
            [Conv1DTranspose(5, 3, Stride = 2, Dilation = 2, Pad = 2, OutputPadding = 1, Activation = Activation.Elu)]
            [Conv1DTranspose(2, 2, Stride = 3, Padding = Padding.Same)]
            [Conv1DTranspose(3, 2, Stride = 3)]
            public partial class OnnxTransposedSignalNet;
            """),
        ("OnnxTransposedSignalNetChannelsFirst", """
            [Network(DataFormat = DataFormat.ChannelsFirst)]
            [Input(3, 9)]
            [Conv1DTranspose(4, 4, Stride = 2, Pads = new[] { 1, 2 }, OutputPadding = 1, Activation = Activation.Relu)]
            [Conv1DTranspose(2, 3, Stride = 2, Dilation = 2, Padding = Padding.Same)]
            [GlobalAvgPool]
            public partial class OnnxTransposedSignalNetChannelsFirst;
            """),
        ("OnnxTransposedUNet", """
            [Network]
            [Input(8, 8, 2)]
            [Conv2D(4, 3, Padding = Padding.Same, Activation = Activation.Relu, Name = "enc")]
            [MaxPool2D(2)]
            [Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu)]
            [Conv2DTranspose(4, 2, Stride = 2, Activation = Activation.Relu, Name = "up")]
            [Concatenate("enc", "up")]
            [Conv2D(3, 3, Padding = Padding.Same)]
            public partial class OnnxTransposedUNet;
            """),
    ];

    public static TheoryData<string> TransposedNetworkNames => new(TransposedNetworks.Select(n => n.Name));

    private static readonly Lazy<CompiledNetworks> CompiledTransposedNetworks = new(() => CompiledNetworks.Compile([.. TransposedNetworks.Select(n => n.Source)]));

    [Theory]
    [MemberData(nameof(TransposedNetworkNames))]
    [MemberData(nameof(TransposedConvolutionTests.Networks), MemberType = typeof(TransposedConvolutionTests))]
    public void TransposedConvolutionsRunTheSameInOnnxRuntime(string name)
    {
        var network = name.StartsWith("Onnx", StringComparison.Ordinal) ? CompiledTransposedNetworks.Value.Create(name, seed: 3) : TransposedConvolutionTests.Create(name, seed: 3);
        ForwardTests.RandomizeBiases(network, seed: 4);
        Assert.Contains(network.Architecture.Layers, layer => layer.Kind is LayerKind.Conv1DTranspose or LayerKind.Conv2DTranspose);
        AssertSameInOnnxRuntime(network, name);
    }

    [Theory]
    [MemberData(nameof(DepthwiseTests.Networks), MemberType = typeof(DepthwiseTests))]
    [InlineData(nameof(DepthwiseTorchNet))]
    [InlineData(nameof(DepthwiseTorchNetChannelsFirst))]
    [InlineData(nameof(TorchMobileNet))]
    [InlineData(nameof(TorchMobileNetChannelsFirst))]
    public void DepthwiseConvolutionsRunTheSameInOnnxRuntimeAsGroupedConvs(string name)
    {
        var network = name switch
        {
            nameof(DepthwiseTorchNet) => new DepthwiseTorchNet(3),
            nameof(DepthwiseTorchNetChannelsFirst) => new DepthwiseTorchNetChannelsFirst(3),
            nameof(TorchMobileNet) => new TorchMobileNet(3),
            nameof(TorchMobileNetChannelsFirst) => new TorchMobileNetChannelsFirst(3),
            _ => DepthwiseTests.Create(name, seed: 3),
        };
        ForwardTests.RandomizeBiases(network, seed: 4);
        AssertSameInOnnxRuntime(network, name);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void RandomConfigurationsRunTheSameInOnnxRuntime(int sweep)
    {
        var declarations = RandomNetworks.Create(60, seed: 7000 + sweep, prefix: "OnnxSweep" + sweep + "Net");
        // The sweep covers both data formats, every padding, strides, dilations and both pooling kinds.
        Assert.Contains(declarations, d => d.ChannelsFirst);
        Assert.Contains(declarations, d => !d.ChannelsFirst);
        foreach (var feature in new[] { "[Conv1D", "[Conv2D", "Padding.Valid", "Padding.Same", "Padding.Causal", "Stride = 2", "Stride = 3", "Dilation = 2",
            "Dilations = new[]", "Strides = new[]", "Groups = ", "[MaxPool1D", "[MaxPool2D", "[AvgPool1D", "[AvgPool2D", "[GlobalMaxPool]", "[GlobalAvgPool]", "[Flatten]", "Activation.Softmax" })
        {
            Assert.Contains(declarations, d => d.Source.Contains(feature, StringComparison.Ordinal));
        }

        var compiled = CompiledNetworks.Compile(declarations.Select(d => d.Source).ToArray());
        foreach (var declaration in declarations)
        {
            var network = compiled.Create(declaration.ClassName, seed: 5);
            ForwardTests.RandomizeBiases(network, seed: 6);
            AssertSameInOnnxRuntime(network, declaration.ClassName + "\n" + declaration.Source);
        }
    }

    [Fact]
    public void RandomGraphsRunTheSameInOnnxRuntime()
    {
        var declarations = RandomGraphs.Create(20, seed: 7100, prefix: "OnnxGraph");
        var compiled = CompiledNetworks.Compile(declarations.Select(d => d.Source).ToArray());
        foreach (var declaration in declarations)
        {
            var network = compiled.Create(declaration.ClassName, seed: 5);
            ForwardTests.RandomizeBiases(network, seed: 6);
            AssertSameInOnnxRuntime(network, declaration.ClassName + "\n" + declaration.Source);
        }
    }

    [Fact]
    public void TheModelDeclaresItsOpsetNamesAndDynamicBatch()
    {
        var network = new DigitNet(1);
        var model = OnnxExporter.CreateModel(network);
        Assert.Equal(OnnxExporter.OpsetVersion, model.OpsetImport.Single().Version);
        Assert.True(model.OpsetImport.Single().Version >= 17);
        Assert.Equal("input", model.Graph.Input.Single().Name);
        Assert.Equal("output", model.Graph.Output.Single().Name);
        Assert.Equal(["batch", "8", "8", "1"], model.Graph.Input.Single().Type.TensorType.Shape.Dim.Select(d => d.DimParam != "" ? d.DimParam : d.DimValue.ToString()));
        Assert.Equal(["batch", "10"], model.Graph.Output.Single().Type.TensorType.Shape.Dim.Select(d => d.DimParam != "" ? d.DimParam : d.DimValue.ToString()));
        Assert.Equal(["Transpose", "Conv", "Relu", "MaxPool", "Conv", "Relu", "Transpose", "Flatten", "Gemm", "Softmax"], model.Graph.Node.Select(n => n.OpType));
        Assert.Contains(model.MetadataProps, p => p.Key == "cnngen.fingerprint" && p.Value == DigitNet.Architecture.Fingerprint);

        // Channels-first: no Transpose at all.
        var channelsFirst = OnnxExporter.CreateModel(new DigitNetChannelsFirst(1));
        Assert.DoesNotContain(channelsFirst.Graph.Node, n => n.OpType == "Transpose");

        Assert.Equal(["Gemm", "Elu", "Softmax", "Gemm", "LeakyRelu"], OnnxExporter.CreateModel(new VectorNet(1)).Graph.Node.Select(n => n.OpType));
        Assert.Equal(["Transpose", "Conv", "Softmax", "AveragePool", "Transpose"], OnnxExporter.CreateModel(new FeatureMapNet(1)).Graph.Node.Select(n => n.OpType));

        // The asymmetric 'same' pads of a stride-2 convolution on an even input: nothing before, one after.
        var conv = OnnxExporter.CreateModel(new TorchLeNet(1)).Graph.Node.Where(n => n.OpType == "Conv").ElementAt(1);
        Assert.Equal([0L, 0L, 1L, 1L], conv.Attribute.Single(a => a.Name == "pads").Ints);
    }

    [Fact]
    public void Relu6HardSigmoidHardSwishAndGeluBecomeClipHardSigmoidHardSwishAndTheErfPattern()
    {
        var graph = OnnxExporter.CreateModel(new HardActivationSignalNetChannelsFirst(1)).Graph;
        Assert.Equal(["Conv", "Div", "Erf", "Add", "Mul", "Mul", "Clip", "Conv", "HardSwish", "Conv", "HardSigmoid", "Flatten", "Gemm", "Clip"],
            graph.Node.Select(n => n.OpType));
        float Scalar(string name)
        {
            var tensor = graph.Initializer.Single(i => i.Name == name);
            Assert.Empty(tensor.Dims);
            return BitConverter.ToSingle(tensor.RawData.Span);
        }

        // Gelu: Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5), x being the convolution's output.
        var nodes = graph.Node.ToDictionary(n => n.Output[0]);
        var gelu = graph.Node.Single(n => n.Name == "conv1d_1/Gelu");
        var product = nodes[gelu.Input[0]];
        Assert.Equal(0.5f, Scalar(gelu.Input[1]));
        Assert.Equal("conv1d_1/Conv", product.Input[0]);
        var add = nodes[product.Input[1]];
        Assert.Equal(1f, Scalar(add.Input[1]));
        var div = nodes[nodes[add.Input[0]].Input[0]];
        Assert.Equal(["conv1d_1/Conv"], div.Input.Take(1));
        Assert.Equal(MathF.Sqrt(2f), Scalar(div.Input[1]));

        // Relu6: Clip with min 0 and max 6 as inputs; hard sigmoid with alpha 1/6, beta 1/2 (not ONNX's 0.2).
        var clip = graph.Node.First(n => n.OpType == "Clip");
        Assert.Equal((0f, 6f), (Scalar(clip.Input[1]), Scalar(clip.Input[2])));
        var hardSigmoid = graph.Node.Single(n => n.OpType == "HardSigmoid");
        Assert.Equal(1f / 6f, hardSigmoid.Attribute.Single(a => a.Name == "alpha").F);
        Assert.Equal(0.5f, hardSigmoid.Attribute.Single(a => a.Name == "beta").F);
    }

    [Fact]
    public void GraphsBecomeAddMulAndConcatNodesThatReadTheNamedValues()
    {
        var resnet = OnnxExporter.CreateModel(new ResNetBlockNet(1)).Graph;
        var adds = resnet.Node.Where(n => n.OpType == "Add").ToList();
        Assert.Equal(2, adds.Count);
        // add_1 reads conv2d_3 and the shortcut conv2d_4 (which reads conv2d_1's relu, like conv2d_2).
        Assert.Equal(["conv2d_3/Conv", "conv2d_4/Conv"], adds[0].Input);
        Assert.Equal(resnet.Node.Single(n => n.Name == "conv2d_2/Conv").Input[0], resnet.Node.Single(n => n.Name == "conv2d_4/Conv").Input[0]);
        Assert.Equal(["conv2d_6/Conv", "add_1/Relu"], adds[1].Input);

        // The gate of squeeze and excitation, a (batch, 8) vector, gets 1x1 spatial axes to multiply the (batch, 8, 6, 6) map.
        var se = OnnxExporter.CreateModel(new SqueezeExciteNet(1)).Graph;
        var unsqueeze = se.Node.Single(n => n.OpType == "Unsqueeze");
        Assert.Equal([2L, 3L], se.Initializer.Single(i => i.Name == unsqueeze.Input[1]).Int64Data);
        Assert.Equal(["conv2d_1/Relu", unsqueeze.Output[0]], se.Node.Single(n => n.OpType == "Mul").Input);

        var fire = OnnxExporter.CreateModel(new FireModuleNet(1)).Graph;
        var concat = fire.Node.Single(n => n.OpType == "Concat");
        Assert.Equal(["conv2d_2/Relu", "conv2d_3/Relu"], concat.Input);
        Assert.Equal(1, concat.Attribute.Single(a => a.Name == "axis").I);

        // Three inputs and a broadcast vector: three Add nodes, then the sigmoid.
        var three = OnnxExporter.CreateModel(new ThreeInputAddNet(1)).Graph;
        Assert.Equal(4, three.Node.Count(n => n.OpType == "Add" && n.Name.StartsWith("add_1/", StringComparison.Ordinal)) + three.Node.Count(n => n.Name == "add_1/Unsqueeze"));
        Assert.Contains(three.Node, n => n.OpType == "Sigmoid" && n.Name == "add_1/Sigmoid");
        Assert.NotEqual(ThreeInputAddNet.Architecture.Fingerprint, DigitNet.Architecture.Fingerprint);
    }

    [Fact]
    public void ExportToAFileRunsFromThePath()
    {
        INetwork network = new SignalNet(2);
        var path = Path.Combine(Path.GetTempPath(), "cnngen-" + Guid.NewGuid().ToString("N") + ".onnx");
        try
        {
            OnnxExporter.Export(network, path);
            using var session = new InferenceSession(path);
            var input = Numerics.Random(network.InputSize, seed: 3);
            var expected = new float[network.OutputSize];
            network.Forward(input, expected);
            Numerics.AssertClose(expected.Select(v => (double)v).ToArray(), Run(session, network, input, 1), "SignalNet from a file");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Batch 1 and batch 4 through the generated code and through ONNX Runtime, within the 1e-5 relative (1e-6 absolute).</summary>
    internal static void AssertSameInOnnxRuntime(INetwork network, string what)
    {
        using var session = new InferenceSession(OnnxExporter.ExportToBytes(network));
        foreach (var batch in new[] { 1, 4 })
        {
            var input = Numerics.Random(batch * network.InputSize, seed: 17 + batch);
            var expected = new float[batch * network.OutputSize];
            network.Forward(input, expected, batch);
            var actual = Run(session, network, input, batch);
            Numerics.AssertClose(expected.Select(v => (double)v).ToArray(), actual, $"{what} (batch {batch}) ONNX Runtime vs generated code");
        }
    }

    private static float[] Run(InferenceSession session, INetwork network, float[] input, int batch)
    {
        var dims = new[] { batch }.Concat(network.Architecture.InputShape).ToArray();
        var tensor = new DenseTensor<float>(input, dims);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(OnnxExporter.InputName, tensor)]);
        var output = results.Single(r => r.Name == OnnxExporter.OutputName).AsTensor<float>();
        Assert.Equal(new[] { batch }.Concat(network.Architecture.OutputShape), output.Dimensions.ToArray());
        return output.ToArray();
    }
}
