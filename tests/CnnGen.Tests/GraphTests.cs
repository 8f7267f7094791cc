using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;
using CnnGen.Tests.Reference;
using CnnGen.Training;

namespace CnnGen.Tests;

/// <summary>
/// Networks with skip connections, branches and merges (Networks/GraphNetworks.cs): Forward
/// against the naive reference, which walks the same graph in double precision; Backward
/// against central differences; the workspace made for inference only.
/// </summary>
[Trait("Category", "Numerics")]
public class GraphTests
{
    internal static readonly string[] Names =
    [
        nameof(ResNetBlockNet), nameof(SqueezeExciteNet), nameof(FireModuleNet), nameof(ThreeInputAddNet), nameof(GatedSignalNetChannelsFirst),
        nameof(UNetLevelNet),
    ];

    public static TheoryData<string> Networks => new(Names);

    internal static INetwork Create(string name, int seed) => name switch
    {
        nameof(ResNetBlockNet) => new ResNetBlockNet(seed),
        nameof(SqueezeExciteNet) => new SqueezeExciteNet(seed),
        nameof(FireModuleNet) => new FireModuleNet(seed),
        nameof(ThreeInputAddNet) => new ThreeInputAddNet(seed),
        nameof(GatedSignalNetChannelsFirst) => new GatedSignalNetChannelsFirst(seed),
        nameof(UNetLevelNet) => new UNetLevelNet(seed),
        _ => throw new ArgumentException("No network " + name, nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void ForwardMatchesTheReferenceForOneSampleAndABatch(string name)
    {
        foreach (var batch in new[] { 1, 5 })
        {
            var network = Create(name, seed: 7);
            ForwardTests.RandomizeBiases(network, seed: 3);
            var input = Numerics.Random(batch * network.InputSize, seed: 11 + batch);
            var output = new float[batch * network.OutputSize];
            network.Forward(input, output, batch);
            for (var n = 0; n < batch; n++)
            {
                var expected = ReferenceNetwork.Forward(network.Architecture, network.Parameters, input.AsSpan(n * network.InputSize, network.InputSize));
                Numerics.AssertClose(expected, output.AsSpan(n * network.OutputSize, network.OutputSize), $"{name} batch {batch} sample {n}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void GradientsMatchCentralDifferences(string name)
    {
        foreach (var batch in new[] { 1, 3 })
        {
            var network = Create(name, seed: 21);
            ForwardTests.RandomizeBiases(network, seed: 4);
            GradientCheck.Run(network, batch, seed: 100 + batch, what: $"{name} batch {batch}");
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void ASecondBackwardOverwritesTheGradientsInsteadOfAddingToThem(string name)
    {
        const int batch = 3;
        var network = Create(name, seed: 5);
        var input = Numerics.Random(batch * network.InputSize, seed: 6);
        var outputGradient = Numerics.Random(batch * network.OutputSize, seed: 7);
        var inputGradient = new float[input.Length];
        network.Forward(input, new float[batch * network.OutputSize], batch);
        network.Backward(outputGradient, inputGradient);
        var first = network.Gradients.ToArray();
        var firstInput = inputGradient.ToArray();
        Assert.Contains(first, g => g != 0);
        Assert.Contains(firstInput, g => g != 0);

        network.Backward(outputGradient, inputGradient);
        Assert.Equal(first, network.Gradients.ToArray());
        Assert.Equal(firstInput, inputGradient);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void TheInferenceWorkspaceGivesTheSameOutputsInLessMemoryAndRefusesBackward(string name)
    {
        var network = Create(name, seed: 9);
        ForwardTests.RandomizeBiases(network, seed: 10);
        var inference = network.CreateInferenceWorkspace();
        var training = network.CreateWorkspace();
        Assert.True(inference.IsInferenceOnly);
        Assert.False(training.IsInferenceOnly);
        Assert.True(inference.FloatsPerSample < training.FloatsPerSample,
            $"{name}: {inference.FloatsPerSample} floats per sample for inference, {training.FloatsPerSample} for training");

        // Batches of different sizes through one inference workspace (it grows, and its reused memory is
        // refilled correctly each time), against the default workspace.
        foreach (var batch in new[] { 2, 5, 1, 5 })
        {
            var input = Numerics.Random(batch * network.InputSize, seed: 30 + batch);
            var expected = new float[batch * network.OutputSize];
            var actual = new float[batch * network.OutputSize];
            network.Forward(input, expected, batch, training);
            network.Forward(input, actual, batch, inference);
            Assert.Equal(expected, actual);
        }

        var error = Assert.Throws<InvalidOperationException>(() =>
            network.Backward(new float[network.OutputSize], Span<float>.Empty, inference, new float[network.ParameterCount]));
        Assert.Contains("inference only", error.Message, StringComparison.Ordinal);
        Assert.Contains("CreateWorkspace()", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A network of over 2 MB of tensors per sample runs an inference batch in blocks of one
    /// sample (each through every layer, so that its tensors stay in the cache): the same outputs
    /// as the default workspace, which runs the whole batch layer by layer, for batches of one
    /// block, several and a remainder. Training mode on that workspace runs the whole batch, so
    /// its batch statistics are the batch's: the same outputs and moving statistics as the default
    /// workspace's.
    /// </summary>
    [Fact]
    public void AnInferenceWorkspaceRunsLargeSamplesInBlocksWithTheSameOutputs()
    {
        INetwork network = new LargeTensorBlockNet(3);
        ForwardTests.RandomizeBiases(network, seed: 4);
        var inference = network.CreateInferenceWorkspace();
        Assert.True(inference.IsInferenceOnly);
        Assert.True(inference.FloatsPerSample * sizeof(float) > 2 * 1024 * 1024, inference.FloatsPerSample + " floats per sample");
        foreach (var batch in new[] { 1, 3, 2 })
        {
            var input = Numerics.Random(batch * network.InputSize, seed: 40 + batch);
            var expected = new float[batch * network.OutputSize];
            var actual = new float[batch * network.OutputSize];
            network.Forward(input, expected, batch, network.CreateWorkspace(), training: false);
            network.Forward(input, actual, batch, inference, training: false);
            Assert.Equal(expected, actual);
            for (var n = 0; n < batch; n++)
            {
                Numerics.AssertClose(ReferenceNetwork.Forward(network.Architecture, network.Parameters, input.AsSpan(n * network.InputSize, network.InputSize), network.State),
                    expected.AsSpan(n * network.OutputSize, network.OutputSize), "sample " + n + " of " + batch);
            }

            // Blocks of one sample: the workspace holds one block, whatever the batch.
            Assert.Equal(1, inference.BatchCapacity);
        }

        INetwork twin = new LargeTensorBlockNet(3);
        network.Parameters.CopyTo(twin.Parameters);
        var trainingInput = Numerics.Random(3 * network.InputSize, seed: 50);
        var inWhole = new float[3 * network.OutputSize];
        var inBlocks = new float[3 * network.OutputSize];
        twin.Forward(trainingInput, inWhole, 3, twin.CreateWorkspace(), training: true);
        network.Forward(trainingInput, inBlocks, 3, inference, training: true);
        Assert.Equal(inWhole, inBlocks);
        Assert.Equal(twin.State.ToArray(), network.State.ToArray());
        Assert.Equal(3, inference.BatchCapacity);
    }

    /// <summary>
    /// Backward after an inference-mode Forward that ran in blocks of one sample (over 2 MB of
    /// tensors per sample) reads each block's activations where Backward expects them: central
    /// differences at a batch of three blocks.
    /// </summary>
    [Fact]
    public void BackwardAfterAForwardInBlocksMatchesCentralDifferences()
    {
        INetwork network = new LargeTensorResidualNet(5);
        ForwardTests.RandomizeBiases(network, seed: 6);
        // 2.6 MB of activations per sample (and as much for gradients): blocks of one sample.
        Assert.True(network.CreateWorkspace().FloatsPerSample * sizeof(float) > 4 * 1024 * 1024, "tensors per sample");
        GradientCheck.Run(network, batch: 3, seed: 7, nameof(LargeTensorResidualNet), parametersPerLayer: 6, inputsChecked: 6);
    }

    [Fact]
    public void AChainHasOneLayoutSoItsInferenceWorkspaceIsTheDefaultOne()
    {
        INetwork network = new DigitNet(1);
        var workspace = network.CreateInferenceWorkspace();
        Assert.False(workspace.IsInferenceOnly);
        Assert.Equal(network.CreateWorkspace().FloatsPerSample, workspace.FloatsPerSample);
    }

    /// <summary>
    /// A ResNet-style stack of identity blocks: the inference workspace holds a few tensors,
    /// whatever the depth, while the default one keeps every activation for Backward.
    /// </summary>
    [Fact]
    public void TheInferenceWorkspaceOfADeepResidualStackHoldsAFewTensors()
    {
        var blocks = string.Concat(Enumerable.Range(0, 8).Select(b => $"""
            [Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu, Name = "a{b}")]
            [Conv2D(8, 3, Padding = Padding.Same, Name = "b{b}")]
            [Add("b{b}", "{(b == 0 ? "stem" : "sum" + (b - 1))}", Activation = Activation.Relu, Name = "sum{b}")]

            """));
        var compiled = CompiledNetworks.Compile($$"""
            [Network]
            [Input(16, 16, 8)]
            [Conv2D(8, 3, Padding = Padding.Same, Name = "stem")]
            {{blocks}}[GlobalAvgPool]
            [Dense(2)]
            public partial class DeepResidual;
            """);
        var network = compiled.Create("DeepResidual");
        var tensor = 18 * 18 * 8; // one 16x16x8 activation in its frame of one cell
        var inference = network.CreateInferenceWorkspace().FloatsPerSample;
        var training = network.CreateWorkspace().FloatsPerSample;
        Assert.True(inference <= 4 * tensor, $"{inference} floats per sample for inference, {4 * tensor} expected at most");
        Assert.True(training > 25 * tensor, $"{training} floats per sample for training");

        var input = Numerics.Random(2 * network.InputSize, seed: 3);
        var expected = new float[2 * network.OutputSize];
        var actual = new float[2 * network.OutputSize];
        network.Forward(input, expected, 2);
        network.Forward(input, actual, 2, network.CreateInferenceWorkspace());
        Assert.Equal(expected, actual);
        for (var n = 0; n < 2; n++)
        {
            Numerics.AssertClose(ReferenceNetwork.Forward(network.Architecture, network.Parameters, input.AsSpan(n * network.InputSize, network.InputSize)),
                actual.AsSpan(n * network.OutputSize, network.OutputSize), $"DeepResidual sample {n}");
        }
    }

    /// <summary>
    /// Random graphs (Infrastructure/RandomGraphs.cs: branches with strides and dilations, Add,
    /// Multiply, Concatenate, gates, pooling in another frame, both formats, 1-D and 2-D): Forward
    /// against the reference, in the default and the inference workspace; Backward against
    /// central differences.
    /// </summary>
    [Fact]
    public void RandomGraphsMatchTheReferenceAndCentralDifferences()
    {
        var declarations = RandomGraphs.Create(24, seed: 4100, prefix: "RandomGraph");
        var compiled = CompiledNetworks.Compile(declarations.Select(d => d.Source).ToArray());
        Assert.Empty(compiled.Run.CnnDiagnostics);
        foreach (var declaration in declarations)
        {
            var (network, what) = RunInBothWorkspaces(compiled, declaration, batch: 2,
                (expected, actual, label) => Numerics.AssertClose(expected, actual, label));
            GradientCheck.Run(network, batch: 2, seed: 3, what, parametersPerLayer: 16, inputsChecked: 16);
        }
    }

    /// <summary>
    /// A random graph's network with random biases, run on a batch in the default and the
    /// inference workspace (which must agree), each sample's output checked against the reference.
    /// </summary>
    private static (INetwork Network, string What) RunInBothWorkspaces(CompiledNetworks compiled, RandomNetworks.Declaration declaration, int batch,
        Action<double[], float[], string> assertClose)
    {
        var what = declaration.ClassName + "\n" + declaration.Source;
        var network = compiled.Create(declaration.ClassName, seed: 6);
        ForwardTests.RandomizeBiases(network, seed: 8);
        var input = Numerics.Random(batch * network.InputSize, seed: 9);
        var output = new float[batch * network.OutputSize];
        var inference = new float[batch * network.OutputSize];
        network.Forward(input, output, batch);
        network.Forward(input, inference, batch, network.CreateInferenceWorkspace());
        Assert.True(output.SequenceEqual(inference), what + "\nthe inference workspace gives other outputs");
        for (var n = 0; n < batch; n++)
        {
            assertClose(ReferenceNetwork.Forward(network.Architecture, network.Parameters, input.AsSpan(n * network.InputSize, network.InputSize)),
                output.AsSpan(n * network.OutputSize, network.OutputSize).ToArray(), what);
        }

        return (network, what);
    }

    /// <summary>
    /// Deep random graphs (64 to 300 channels on maps of a few positions: kernels the generator
    /// slices and packs into the workspace's scratch, next to merges, gates, pooling and a
    /// head): Forward against the reference by the accuracy rule for deep networks, the inference
    /// workspace equal to the default one, and a few gradients against central differences where
    /// the reference is quick enough. CNNGEN_DEEP_GRAPHS raises the count for a long run.
    /// </summary>
    [Fact]
    public void DeepRandomGraphsMatchTheReferenceInBothWorkspaces()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("CNNGEN_DEEP_GRAPHS"), out var chosen) ? chosen : 4;
        var declarations = RandomGraphs.Create(count, seed: 4200, prefix: "DeepGraph", deep: true);
        var compiled = CompiledNetworks.Compile(declarations.Select(d => d.Source).ToArray());
        Assert.Empty(compiled.Run.CnnDiagnostics);
        // The graphs reach the paths they are for: sliced kernels, packed for every filter group at once.
        Assert.Contains(compiled.Run.Sources.Values, source => source.Contains("weights of all", StringComparison.Ordinal) &&
            source.Contains("filter groups are packed at once", StringComparison.Ordinal));
        foreach (var declaration in declarations)
        {
            var (network, what) = RunInBothWorkspaces(compiled, declaration, batch: 3,
                (expected, actual, label) => Numerics.AssertWithinModelTolerance(expected, actual, label));

            // Each central difference runs the float64 reference twice on the whole batch.
            if (network.Architecture.Layers.Sum(l => l.MultiplyAdds) <= 20_000_000)
            {
                GradientCheck.Run(network, batch: 2, seed: 3, what, parametersPerLayer: 3, inputsChecked: 4);
            }
        }
    }

    /// <summary>
    /// A layer whose output nothing reads (CNN0023 warns) still runs: its gradients are zero,
    /// and the layers before it get theirs from their other readers only.
    /// </summary>
    [Fact]
    public void ALayerWhoseOutputIsUnusedGetsZeroGradients()
    {
        var compiled = CompiledNetworks.Compile("""
            [Network]
            [Input(6, 6, 2)]
            [Conv2D(3, 3, Padding = Padding.Same, Activation = Activation.Tanh)]
            [Conv2D(4, 1, Name = "unused")]
            [MaxPool2D(2, From = "conv2d_1")]
            [Flatten]
            [Dense(2)]
            public partial class Dangling;
            """);
        Assert.Contains(compiled.Run.CnnDiagnostics, d => d.Id == "CNN0023");
        var network = compiled.Create("Dangling");
        ForwardTests.RandomizeBiases(network, seed: 2);
        GradientCheck.Run(network, batch: 2, seed: 5, what: "Dangling");
        var unused = network.Architecture.FindLayer("unused")!;
        Assert.All(network.Gradients.Slice(unused.ParameterOffset, unused.ParameterCount).ToArray(), g => Assert.Equal(0f, g));
    }

    /// <summary>
    /// The fingerprint (weight files, ONNX metadata) covers what each layer reads, by index: two
    /// graphs that differ only in a From differ; renaming layers, or writing From for the layer a
    /// chain would read anyway, changes nothing (so a chain's fingerprint is what it always was).
    /// </summary>
    [Fact]
    public void TheFingerprintCoversWhatLayersReadButNotTheirNames()
    {
        const string body = """
            [Input(8)]
            [Dense(8, Name = "a")]
            [Dense(8, Name = "b"{0})]
            [Add("a", "b", Name = "sum")]
            """;
        var compiled = CompiledNetworks.Compile(
            "[Network]\n" + string.Format(body, ", From = \"input\"") + "public partial class FromInput;",
            "[Network]\n" + string.Format(body, string.Empty) + "public partial class FromA;",
            "[Network]\n" + string.Format(body.Replace("\"a\"", "\"first\"").Replace("\"b\"", "\"second\""), string.Empty) + "public partial class Renamed;",
            "[Network]\n[Input(8)]\n[Dense(8)]\n[Dense(4)]\npublic partial class Chain;",
            "[Network]\n[Input(8)]\n[Dense(8)]\n[Dense(4, From = \"dense_1\")]\npublic partial class ChainWithFrom;");
        string Fingerprint(string name) => compiled.Create(name).Architecture.Fingerprint;

        Assert.NotEqual(Fingerprint("FromInput"), Fingerprint("FromA"));
        Assert.Equal(Fingerprint("FromA"), Fingerprint("Renamed"));
        Assert.Contains(";from=0,1", compiled.Create("FromA").Architecture.CanonicalDescription(), StringComparison.Ordinal);
        Assert.Contains(";from=-1", compiled.Create("FromInput").Architecture.CanonicalDescription(), StringComparison.Ordinal);
        Assert.Equal(Fingerprint("Chain"), Fingerprint("ChainWithFrom"));
        Assert.DoesNotContain(";from=", compiled.Create("Chain").Architecture.CanonicalDescription(), StringComparison.Ordinal);
        Assert.True(compiled.Create("ChainWithFrom").Architecture.IsChain);

        // Pinned: a chain's fingerprint is unchanged by graphs (weight files saved before still load).
        Assert.Equal("54c27cc4307cbd69e4066aee80290d9b", DigitNet.Architecture.Fingerprint);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void WeightsOfAGraphSaveAndLoadBitForBit(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "cnngen-" + Guid.NewGuid().ToString("N") + WeightFile.Extension);
        try
        {
            var source = Create(name, seed: 1);
            ForwardTests.RandomizeBiases(source, seed: 2);
            source.SaveWeights(path);
            var target = Create(name, seed: 99);
            target.LoadWeights(path);
            Assert.Equal(source.Parameters.ToArray(), target.Parameters.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// A graph trains like a chain: the loss of a fixed batch falls, and Evaluate (which runs in
    /// a workspace for inference) gives the loss that Forward in the default workspace gives.
    /// </summary>
    [Fact]
    public void AGraphTrainsAndEvaluatesInItsInferenceWorkspace()
    {
        var network = new SqueezeExciteNet(seed: 3);
        var inputs = Numerics.Random(16 * SqueezeExciteNet.InputSize, seed: 4);
        var labels = Enumerable.Range(0, 16).Select(i => i % 3).ToArray();
        var data = Dataset.FromLabels(inputs, SqueezeExciteNet.InputSize, labels, 3);
        var loss = new SoftmaxCrossEntropy();
        var optimizer = new Adam();
        var first = network.TrainStep(data.Inputs, data.Targets, 16, loss, optimizer);
        var last = first;
        for (var step = 0; step < 40; step++)
        {
            last = network.TrainStep(data.Inputs, data.Targets, 16, loss, optimizer);
        }

        Assert.True(last < first * 0.8, $"loss {first} -> {last}");
        var output = new float[16 * SqueezeExciteNet.OutputSize];
        network.Forward(data.Inputs, output, 16, network.CreateWorkspace());
        var expected = loss.Sum(output, data.Targets, 16, Activation.Softmax) / 16;
        Assert.Equal(expected, network.Evaluate(data, loss).Loss, 5);
    }
}
