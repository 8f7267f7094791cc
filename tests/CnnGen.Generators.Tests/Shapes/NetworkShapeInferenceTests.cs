using CnnGen.Generators.Tests.Infrastructure;

namespace CnnGen.Generators.Tests.Shapes;

/// <summary>
/// Whole networks through the generator: every layer's shapes, padding and parameter counts
/// as the generated class reports them (constants, InputShape/OutputShape, Architecture).
/// </summary>
public class NetworkShapeInferenceTests
{
    private const string LeNet5 = """
        using CnnGen;

        namespace Zoo;

        [Network]
        [Input(28, 28, 1)]
        [Conv2D(6, 5, Padding = Padding.Same, Activation = Activation.Relu)]
        [MaxPool2D(2)]
        [Conv2D(16, 5, Activation = Activation.Relu)]
        [MaxPool2D(2)]
        [Flatten]
        [Dense(120, Activation = Activation.Relu)]
        [Dense(84, Activation = Activation.Relu)]
        [Dense(10, Activation = Activation.Softmax)]
        public partial class LeNet5;
        """;

    [Fact]
    public void LeNet5InfersEveryLayerAndHas61706Parameters()
    {
        var network = GeneratedNetwork.Load(GeneratorHarness.Run(LeNet5), "Zoo.LeNet5");

        Assert.Equal(784, network.InputSize);
        Assert.Equal(10, network.OutputSize);
        Assert.Equal(61_706, network.ParameterCount);
        Assert.Equal(new[] { 28, 28, 1 }, network.InputShape);
        Assert.Equal(new[] { 10 }, network.OutputShape);

        var architecture = network.Architecture;
        Assert.Equal(61_706, architecture.ParameterCount);
        AssertLayers(architecture,
            ("conv2d_1", LayerKind.Conv2D, "28x28x1", "28x28x6", 6 * 5 * 5 + 6),       // 156
            ("max_pool2d_1", LayerKind.MaxPool2D, "28x28x6", "14x14x6", 0),
            ("conv2d_2", LayerKind.Conv2D, "14x14x6", "10x10x16", 16 * 5 * 5 * 6 + 16), // 2,416
            ("max_pool2d_2", LayerKind.MaxPool2D, "10x10x16", "5x5x16", 0),
            ("flatten_1", LayerKind.Flatten, "5x5x16", "400", 0),
            ("dense_1", LayerKind.Dense, "400", "120", 400 * 120 + 120),                // 48,120
            ("dense_2", LayerKind.Dense, "120", "84", 120 * 84 + 84),                   // 10,164
            ("dense_3", LayerKind.Dense, "84", "10", 84 * 10 + 10));                    // 850

        var conv1 = architecture.Layers[0];
        Assert.Equal((2, 2, 2, 2), (conv1.PadTop, conv1.PadBottom, conv1.PadLeft, conv1.PadRight));
        Assert.Equal(Padding.Same, conv1.Padding);
        Assert.Equal(Activation.Relu, conv1.Activation);
        Assert.Equal(new[] { 5, 5, 1, 6 }, conv1.KernelShape);
        Assert.Equal((2, 2), (architecture.Layers[1].StrideHeight, architecture.Layers[1].StrideWidth));
        Assert.Equal(new[] { 400, 120 }, architecture.Layers[5].KernelShape);
        Assert.Equal(Activation.Softmax, architecture.Layers[7].Activation);

        // Parameters sit layer after layer, kernel then bias.
        var offset = 0;
        foreach (var layer in architecture.Layers.Where(l => l.ParameterCount > 0))
        {
            Assert.Equal(offset, layer.ParameterOffset);
            offset += layer.ParameterCount;
        }

        Assert.Equal(61_706, offset);
    }

    [Fact]
    public void SameConvolutionWithStride2OnEvenInputPadsAfterInTheNetwork()
    {
        var network = Load("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3, Stride = 2, Padding = Padding.Same)]
            public partial class Net;
            """);

        var conv = Assert.Single(network.Architecture.Layers);
        Assert.Equal("4x4x4", Shape(conv.OutputShape));
        Assert.Equal((0, 1, 0, 1), (conv.PadTop, conv.PadBottom, conv.PadLeft, conv.PadRight));
    }

    [Fact]
    public void OneDimensionalNetworkWithCausalDilatedConvolutionAndSamePooling()
    {
        var network = Load("""
            [Network]
            [Input(100, 3)]
            [Conv1D(8, 5, Padding = Padding.Causal, Dilation = 2, Activation = Activation.Tanh)]
            [MaxPool1D(2)]
            [Conv1D(16, 3, Stride = 2)]
            [AvgPool1D(3, Stride = 2, Padding = Padding.Same)]
            [GlobalAvgPool]
            [Dense(4)]
            public partial class Net;
            """);

        Assert.Equal(new[] { 100, 3 }, network.InputShape);
        Assert.Equal(new[] { 4 }, network.OutputShape);
        var architecture = network.Architecture;
        AssertLayers(architecture,
            ("conv1d_1", LayerKind.Conv1D, "100x3", "100x8", 5 * 3 * 8 + 8),   // causal keeps the length
            ("max_pool1d_1", LayerKind.MaxPool1D, "100x8", "50x8", 0),
            ("conv1d_2", LayerKind.Conv1D, "50x8", "24x16", 3 * 8 * 16 + 16),  // floor((50 - 3) / 2) + 1
            ("avg_pool1d_1", LayerKind.AvgPool1D, "24x16", "12x16", 0),        // ceil(24 / 2)
            ("global_avg_pool_1", LayerKind.GlobalAvgPool, "12x16", "16", 0),
            ("dense_1", LayerKind.Dense, "16", "4", 16 * 4 + 4));
        Assert.Equal(128 + 400 + 68, network.ParameterCount);

        var causal = architecture.Layers[0];
        Assert.Equal((8, 0), (causal.PadLeft, causal.PadRight));              // (5 - 1) * 2 before, none after
        Assert.Equal((0, 0), (causal.PadTop, causal.PadBottom));
        Assert.Equal((1, 5), (causal.KernelHeight, causal.KernelWidth));
        Assert.Equal(2, causal.DilationWidth);
        Assert.Equal(new[] { 5, 3, 8 }, causal.KernelShape);
        var pool = architecture.Layers[3];
        Assert.Equal((0, 1), (pool.PadLeft, pool.PadRight));                  // (12 - 1) * 2 + 3 - 24 = 1, after
        Assert.Equal(2, pool.StrideWidth);
    }

    [Fact]
    public void ChannelsFirstShapesAreWrittenChannelsThenSpatial()
    {
        var network = Load("""
            [Network(DataFormat = DataFormat.ChannelsFirst)]
            [Input(3, 32, 32)]
            [Conv2D(8, 3, Strides = new[] { 2, 1 }, Padding = Padding.Same)]
            [MaxPool2D(2, 4)]
            [Flatten]
            [Dense(10)]
            [Output(10)]
            public partial class Net;
            """);

        Assert.Equal(new[] { 3, 32, 32 }, network.InputShape);
        Assert.Equal(3 * 32 * 32, network.InputSize);
        var architecture = network.Architecture;
        Assert.Equal(DataFormat.ChannelsFirst, architecture.DataFormat);
        AssertLayers(architecture,
            ("conv2d_1", LayerKind.Conv2D, "3x32x32", "8x16x32", 3 * 3 * 3 * 8 + 8),
            ("max_pool2d_1", LayerKind.MaxPool2D, "8x16x32", "8x8x8", 0),          // pool 2x4, stride 2x4
            ("flatten_1", LayerKind.Flatten, "8x8x8", "512", 0),
            ("dense_1", LayerKind.Dense, "512", "10", 512 * 10 + 10));
        var conv = architecture.Layers[0];
        Assert.Equal((0, 1, 1, 1), (conv.PadTop, conv.PadBottom, conv.PadLeft, conv.PadRight));
        Assert.Equal((2, 1), (conv.StrideHeight, conv.StrideWidth));
        Assert.Equal(new[] { 3, 3, 3, 8 }, conv.KernelShape);                     // Keras layout in both formats
        var pool = architecture.Layers[1];
        Assert.Equal((2, 4, 2, 4), (pool.KernelHeight, pool.KernelWidth, pool.StrideHeight, pool.StrideWidth));
    }

    [Fact]
    public void ChannelsFirstSequenceIsWrittenChannelsThenLength()
    {
        var network = Load("""
            [Network(DataFormat = DataFormat.ChannelsFirst)]
            [Input(2, 50)]
            [Conv1D(4, 5)]
            [Output(4, 46)]
            public partial class Net;
            """);

        Assert.Equal(new[] { 2, 50 }, network.InputShape);
        Assert.Equal(new[] { 4, 46 }, network.OutputShape);
    }

    [Fact]
    public void RectangularKernelsWithPerDimensionDilations()
    {
        var network = Load("""
            [Network]
            [Input(16, 16, 1)]
            [Conv2D(4, 3, 5, Dilations = new[] { 2, 1 }, UseBias = false)]
            [AvgPool2D(3, Strides = new[] { 1, 2 })]
            public partial class Net;
            """);

        var conv = network.Architecture.Layers[0];
        // height: k' = (3 - 1) * 2 + 1 = 5 -> 12; width: k' = 5 -> 12.
        Assert.Equal("12x12x4", Shape(conv.OutputShape));
        Assert.Equal((3, 5, 2, 1), (conv.KernelHeight, conv.KernelWidth, conv.DilationHeight, conv.DilationWidth));
        Assert.Equal((3 * 5 * 1 * 4, 0), (conv.KernelLength, conv.BiasLength));
        Assert.False(conv.UseBias);
        // pool 3x3, strides 1x2, valid: height 12 - 3 + 1 = 10, width floor(9 / 2) + 1 = 5.
        Assert.Equal("10x5x4", Shape(network.Architecture.Layers[1].OutputShape));
        Assert.Equal(60, network.ParameterCount);
    }

    [Fact]
    public void GlobalPoolingReducesImagesAndSequencesToTheChannelVector()
    {
        var network = Load("""
            [Network]
            [Input(9, 7, 3)]
            [Conv2D(5, 3)]
            [GlobalMaxPool]
            [Activation(Activation.Sigmoid)]
            [Dense(2, UseBias = false)]
            public partial class Net;
            """);

        AssertLayers(network.Architecture,
            ("conv2d_1", LayerKind.Conv2D, "9x7x3", "7x5x5", 3 * 3 * 3 * 5 + 5),
            ("global_max_pool_1", LayerKind.GlobalMaxPool, "7x5x5", "5", 0),
            ("activation_1", LayerKind.Activation, "5", "5", 0),
            ("dense_1", LayerKind.Dense, "5", "2", 5 * 2));
        Assert.Equal(Activation.Sigmoid, network.Architecture.Layers[2].Activation);
    }

    [Fact]
    public void DeclaredOutputThatMatchesIsAccepted()
    {
        var run = GeneratorHarness.Run(LeNet5.Replace("[Dense(10, Activation = Activation.Softmax)]", "[Dense(10, Activation = Activation.Softmax)]\n[Output(10)]"));
        Assert.Empty(run.CnnDiagnostics);
        Assert.Equal(10, GeneratedNetwork.Load(run, "Zoo.LeNet5").OutputSize);
    }

    [Fact]
    public void DeclaredImageOutputThatMatchesIsAccepted()
    {
        var network = Load("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(3, 3)]
            [Output(6, 6, 3)]
            public partial class Net;
            """);
        Assert.Equal(new[] { 6, 6, 3 }, network.OutputShape);
    }

    [Fact]
    public void InputFromAnotherNetworkTakesItsOutputShape()
    {
        var run = GeneratorHarness.Run("""
            using CnnGen;

            namespace Chain;

            [Network]
            [Input(16, 16, 1)]
            [Conv2D(8, 3, Padding = Padding.Same)]
            [MaxPool2D(4)]
            public partial class Encoder;

            [Network]
            [Input(typeof(Encoder))]
            [Flatten]
            [Dense(2)]
            public partial class Head;
            """);

        Assert.Empty(run.CnnDiagnostics);
        var head = GeneratedNetwork.Load(run, "Chain.Head");
        Assert.Equal(new[] { 4, 4, 8 }, head.InputShape);
        Assert.Equal(128 * 2 + 2, head.ParameterCount);
        AssertLayers(head.Architecture,
            ("flatten_1", LayerKind.Flatten, "4x4x8", "128", 0),
            ("dense_1", LayerKind.Dense, "128", "2", 258));
    }

    [Fact]
    public void DefaultNamesCountEachKindFromOne()
    {
        var network = Load("""
            [Network]
            [Input(12, 12, 2)]
            [Conv2D(4, 3)]
            [Activation(Activation.Relu)]
            [Conv2D(4, 3, Name = "middle")]
            [Conv2D(4, 3)]
            [AvgPool2D(2)]
            [Flatten]
            [Dense(3)]
            [Activation(Activation.Softmax)]
            public partial class Net;
            """);

        Assert.Equal(
            new[] { "conv2d_1", "activation_1", "middle", "conv2d_3", "avg_pool2d_1", "flatten_1", "dense_1", "activation_2" },
            network.Architecture.Layers.Select(l => l.Name));
    }

    private static GeneratedNetwork Load(string declaration)
    {
        var run = GeneratorHarness.Run("using CnnGen;\n\n" + declaration);
        Assert.Empty(run.CnnDiagnostics);
        return GeneratedNetwork.Load(run, "Net");
    }

    private static void AssertLayers(NetworkArchitecture architecture, params (string Name, LayerKind Kind, string Input, string Output, int Parameters)[] expected)
    {
        var actual = architecture.Layers.Select(l => (l.Name, l.Kind, Shape(l.InputShape), Shape(l.OutputShape), l.ParameterCount)).ToArray();
        Assert.Equal(expected, actual);
    }

    private static string Shape(IReadOnlyList<int> shape) => NetworkArchitecture.FormatShape(shape);
}
