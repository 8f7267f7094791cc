using CnnGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CnnGen.Generators.Tests.Emit;

/// <summary>
/// The generated class compiles cleanly, and a loaded network shows the surface of docs/generated-code.md
/// section 5: constants, shapes, the summary, parameter views and seeded Glorot initialisation.
/// </summary>
public class GeneratedNetworkTests
{
    public static TheoryData<string> Samples => new(SampleNetworks.All.Keys);

    [Theory]
    [MemberData(nameof(Samples))]
    public void GeneratedCodeCompilesWithoutWarnings(string sample)
    {
        // Highest warning level, nullable on, XML doc comments checked.
        var parseOptions = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        var compilation = GeneratorHarness.Compilation(SampleNetworks.All[sample]);
        compilation = compilation
            .RemoveAllSyntaxTrees()
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText(SampleNetworks.All[sample], parseOptions, path: "Source0.cs"))
            .WithOptions(compilation.Options.WithWarningLevel(9999));
        var driver = CSharpGeneratorDriver.Create(new[] { new CnnGenerator().AsSourceGenerator() }, parseOptions: parseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        var generatedTrees = output.SyntaxTrees.Where(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)).ToHashSet();
        Assert.NotEmpty(generatedTrees);
        var problems = output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Where(d => d.Location.SourceTree is { } tree && generatedTrees.Contains(tree) || d.Severity == DiagnosticSeverity.Error)
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void LoadedNetworkReportsItsShapesAndSummary()
    {
        var network = GeneratedNetwork.Load(GeneratorHarness.Run(SampleNetworks.LeNet5), "Zoo.LeNet5");

        Assert.Equal(784, network.InputSize);
        Assert.Equal(10, network.OutputSize);
        Assert.Equal(61_706, network.ParameterCount);
        Assert.Equal(new[] { 28, 28, 1 }, network.InputShape);
        Assert.Equal(new[] { 10 }, network.OutputShape);
        Assert.Equal(
            """
            Network: LeNet5 (channels_last)
            Layer (type)              Output shape  Param #  Mult-adds
            ==========================================================
            input (Input)             28x28x1             0          0
            conv2d_1 (Conv2D)         28x28x6           156    117,600
            max_pool2d_1 (MaxPool2D)  14x14x6             0          0
            conv2d_2 (Conv2D)         10x10x16        2,416    240,000
            max_pool2d_2 (MaxPool2D)  5x5x16              0          0
            flatten_1 (Flatten)       400                 0          0
            dense_1 (Dense)           120            48,120     48,000
            dense_2 (Dense)           84             10,164     10,080
            dense_3 (Dense)           10                850        840
            ==========================================================
            Total params: 61,706
            Total mult-adds per sample: 416,520
            Input: 28x28x1 (784 floats); output: 10 (10 floats)
            """.ReplaceLineEndings("\n"),
            network.Summary);
        Assert.Equal("LeNet5", network.Architecture.Name);
    }

    [Fact]
    public void LayerViewsAreSpansIntoParametersAtTheirOffsets()
    {
        var network = GeneratedNetwork.Load(GeneratorHarness.Run(SampleNetworks.LeNet5), "Zoo.LeNet5");
        var instance = network.Create(seed: 1);
        Assert.Equal(61_706, GeneratedNetwork.Parameters(instance).Length);
        Assert.Equal(61_706, GeneratedNetwork.Gradients(instance).Length);

        var expected = new (string Accessor, string Name, int Offset, int Kernel, int Bias, int[] Shape)[]
        {
            ("Conv2d1", "conv2d_1", 0, 150, 6, new[] { 5, 5, 1, 6 }),
            ("Conv2d2", "conv2d_2", 156, 2400, 16, new[] { 5, 5, 6, 16 }),
            ("Dense1", "dense_1", 2572, 48000, 120, new[] { 400, 120 }),
            ("Dense2", "dense_2", 50692, 10080, 84, new[] { 120, 84 }),
            ("Dense3", "dense_3", 60856, 840, 10, new[] { 84, 10 }),
        };
        foreach (var (accessor, name, offset, kernel, bias, shape) in expected)
        {
            var layer = GeneratedNetwork.Layer(instance, accessor);
            Assert.Equal(name, layer.Name);
            Assert.Equal(offset, layer.Offset);
            Assert.Equal(kernel, layer.Kernel.Length);
            Assert.Equal(bias, layer.Bias.Length);
            Assert.Equal(kernel, layer.KernelGradient.Length);
            Assert.Equal(bias, layer.BiasGradient.Length);
            Assert.Equal(shape, layer.KernelShape.ToArray());
            Assert.Equal(kernel, shape.Aggregate(1, (a, b) => a * b));

            // Views, not copies: a write through the view shows in Parameters at the offset.
            layer.Kernel[0] = 1000f + offset;
            layer.Bias[^1] = -1000f - offset;
            var parameters = GeneratedNetwork.Parameters(instance);
            Assert.Equal(1000f + offset, parameters[offset]);
            Assert.Equal(-1000f - offset, parameters[offset + kernel + bias - 1]);
        }

        // Layers without parameters have no accessor.
        Assert.Null(network.Type.GetProperty("MaxPool2d1"));
        Assert.Null(network.Type.GetProperty("Flatten1"));
    }

    [Fact]
    public void NoBiasLayerHasAnEmptyBiasView()
    {
        var network = GeneratedNetwork.Load(GeneratorHarness.Run(SampleNetworks.ChannelsFirst), "Vision.Models.PlanarNet");
        var layer = GeneratedNetwork.Layer(network.Create(seed: 3), "Conv2d1");
        Assert.Equal(3 * 5 * 3 * 4, layer.Kernel.Length);
        Assert.Equal(0, layer.Bias.Length);
        Assert.Equal(new[] { 3, 5, 3, 4 }, layer.KernelShape.ToArray());
    }

    [Fact]
    public void SameSeedGivesTheSameWeightsAndADifferentSeedDifferentOnes()
    {
        var network = GeneratedNetwork.Load(GeneratorHarness.Run(SampleNetworks.LeNet5), "Zoo.LeNet5");
        var a = GeneratedNetwork.Parameters(network.Create(seed: 42));
        var b = GeneratedNetwork.Parameters(network.Create(seed: 42));
        var c = GeneratedNetwork.Parameters(network.Create(seed: 43));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        // Not merely one differing value: the sequences are unrelated.
        Assert.True(a.Zip(c).Count(p => p.First != p.Second) > a.Length * 9 / 10);
        // The constructor without a seed draws one: two networks almost surely differ.
        Assert.NotEqual(GeneratedNetwork.Parameters(network.Create()), GeneratedNetwork.Parameters(network.Create()));
    }

    [Fact]
    public void InitialisationIsGlorotUniformFromTheSeedWithZeroBiases()
    {
        var network = GeneratedNetwork.Load(GeneratorHarness.Run(SampleNetworks.LeNet5), "Zoo.LeNet5");
        var parameters = GeneratedNetwork.Parameters(network.Create(seed: 7));
        Assert.DoesNotContain(GeneratedNetwork.Gradients(network.Create(seed: 7)), g => g != 0);

        // Written from docs/generated-code.md and Keras: kernels U(-l, l), l = sqrt(6 / (fan_in + fan_out)),
        // fan_in = receptive field x input channels (or inputs), fan_out = receptive field x filters
        // (or units); layer by layer from one SeededRandom; biases zero.
        var random = new SeededRandom(7);
        var layers = new (int Offset, int Kernel, int Bias, int FanIn, int FanOut)[]
        {
            (0, 150, 6, 5 * 5 * 1, 5 * 5 * 6),
            (156, 2400, 16, 5 * 5 * 6, 5 * 5 * 16),
            (2572, 48000, 120, 400, 120),
            (50692, 10080, 84, 120, 84),
            (60856, 840, 10, 84, 10),
        };
        foreach (var (offset, kernel, bias, fanIn, fanOut) in layers)
        {
            var limit = Math.Sqrt(6.0 / (fanIn + fanOut));
            var weights = parameters.AsSpan(offset, kernel).ToArray();
            Assert.All(weights, w => Assert.InRange(Math.Abs(w), 0, limit));
            Assert.True(weights.Max(Math.Abs) > 0.9 * limit, "the weights spread over the whole range");
            Assert.InRange(weights.Average(), -0.1 * limit, 0.1 * limit);
            foreach (var w in weights)
            {
                Assert.Equal((float)((random.NextDouble() * 2.0 - 1.0) * limit), w);
            }

            Assert.All(parameters.AsSpan(offset + kernel, bias).ToArray(), b => Assert.Equal(0f, b));
        }
    }

    [Fact]
    public void OneDimensionalAndChainedNetworksLoadWithTheirShapes()
    {
        var signal = GeneratedNetwork.Load(GeneratorHarness.Run(SampleNetworks.Signal1D), "SignalNet");
        Assert.Equal(new[] { 128, 2 }, signal.InputShape);
        Assert.Equal(new[] { 3 }, signal.OutputShape);
        Assert.Equal(539, signal.ParameterCount);

        var chained = GeneratorHarness.Run(SampleNetworks.Chained);
        var encoder = GeneratedNetwork.Load(chained, "Chain.Encoder");
        var head = GeneratedNetwork.Load(chained, "Chain.Head");
        Assert.Equal(encoder.OutputShape, head.InputShape);
        Assert.Equal(encoder.OutputSize, head.InputSize);
        Assert.StartsWith("Network: Head (channels_last)\n", head.Summary, StringComparison.Ordinal);
        Assert.Contains("input (from Chain.Encoder)", head.Summary, StringComparison.Ordinal);

        var nested = GeneratedNetwork.Load(GeneratorHarness.Run(SampleNetworks.Nested), "Company.Product.Outer+Models+Regressor");
        Assert.Equal(10 * 4 + 4 + 4 * 1 + 1, nested.ParameterCount);
    }
}
