using System.Globalization;
using System.Reflection;
using System.Text;
using CnnGen.Generators;
using CnnGen.Generators.Dsl;
using CnnGen.Generators.Shapes;
using CnnGen.Generators.Tests.Infrastructure;
using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Reference;
using Microsoft.CodeAnalysis;

namespace CnnGen.Tests.Safety;

/// <summary>
/// A differential compile-and-run fuzz of declarations with small and extreme values (strides,
/// dilations and kernels up to int.MaxValue, every padding, several layers): each declaration
/// is either refused with a CNN diagnostic, or generated, compiled and run on random input with
/// a canary around every buffer it is handed, and its forward pass compared with the naive
/// reference. No declaration may make the compiler fail (CNN0300), the generated code fail to
/// compile, or a run touch memory outside its buffers. docs/testing.md says how to run it longer.
/// </summary>
public partial class DeclarationFuzzTests
{
    /// <summary>Declarations checked per run; CNNGEN_FUZZ_DECLARATIONS raises it for a long run.</summary>
    private static int Declarations => int.TryParse(Environment.GetEnvironmentVariable("CNNGEN_FUZZ_DECLARATIONS"), out var count) ? count : 3000;

    /// <summary>Accepted networks compiled and run per run (compiling is the slow part).</summary>
    private static int Runs => int.TryParse(Environment.GetEnvironmentVariable("CNNGEN_FUZZ_RUNS"), out var count) ? count : 48;

    private const float Canary = -1.2345678e-37f;
    private const int CanaryFloats = 64;

    [Fact]
    public void EveryDeclarationIsRefusedOrRunsSafelyAndMatchesTheReference() =>
        Fuzz(int.TryParse(Environment.GetEnvironmentVariable("CNNGEN_FUZZ_SEED"), out var chosen) ? chosen : 20261201, Declaration, Declarations, Runs);

    /// <summary>
    /// The same for zero padding and up-sampling among convolutions and pooling (a sequence of
    /// its own, so that the main fuzz keeps its cases): pads and factors up to int.MaxValue.
    /// </summary>
    [Fact]
    public void EveryResamplingDeclarationIsRefusedOrRunsSafelyAndMatchesTheReference() =>
        Fuzz(int.TryParse(Environment.GetEnvironmentVariable("CNNGEN_FUZZ_SEED"), out var chosen) ? chosen : 20261202, ResamplingDeclaration,
            Declarations / 5, Runs / 2);

    /// <summary>
    /// The same for grouped convolutions (a sequence of its own): groups that divide the
    /// channels and filters, and now and then ones that do not or are extreme.
    /// </summary>
    [Fact]
    public void EveryGroupedDeclarationIsRefusedOrRunsSafelyAndMatchesTheReference() =>
        Fuzz(int.TryParse(Environment.GetEnvironmentVariable("CNNGEN_FUZZ_SEED"), out var chosen) ? chosen : 20261203, GroupedDeclaration,
            Declarations / 10, Runs / 4);

    /// <summary>
    /// The same for transposed convolutions (a sequence of its own): strides, dilations, 'same',
    /// explicit pads and output padding, small and extreme, now and then after a convolution.
    /// </summary>
    [Fact]
    public void EveryTransposedDeclarationIsRefusedOrRunsSafelyAndMatchesTheReference() =>
        Fuzz(int.TryParse(Environment.GetEnvironmentVariable("CNNGEN_FUZZ_SEED"), out var chosen) ? chosen : 20261204, TransposedDeclaration,
            Declarations / 10, Runs / 4);

    private static void Fuzz(int seed, Func<Random, string, string> declare, int declarations, int runs, bool deepLayers = false, bool gradients = false)
    {
        var random = new Random(seed);
        var text = new StringBuilder("namespace Fuzz;\n\n");
        for (var i = 0; i < declarations; i++)
        {
            text.Append(declare(random, "F" + i.ToString(CultureInfo.InvariantCulture))).Append('\n');
        }

        // Stage 1: every declaration checked, as the generator and cnngen check them.
        var file = DslFile.Parse("fuzz.cnn", text.ToString());
        Assert.Empty(file.Diagnostics);
        var analyses = NetworkCompiler.AnalyzeAll(new NetworkCatalog(file.Networks));
        Assert.DoesNotContain(analyses.SelectMany(a => a.Diagnostics), d => d.Descriptor.Id == "CNN0300");
        var accepted = analyses.Where(a => a.Model.IsValid).ToList();
        foreach (var analysis in analyses.Where(a => !a.Model.IsValid))
        {
            Assert.Contains(analysis.Diagnostics, d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);
        }

        // Accepted networks of both kinds: those with an extreme value first, then ordinary ones.
        var chosenRuns = accepted.Where(a => FramedFloats(a.Model) <= 1 << 22 && a.Model.Output.Size <= 1 << 22).OrderByDescending(a => IsExtreme(file.Networks.Single(n => n.ClassName == a.Model.ClassName).Layers))
            .ThenBy(a => a.Model.ClassName, StringComparer.Ordinal)
            .Take(runs)
            .ToList();
        Assert.True(accepted.Count >= declarations / 10, $"only {accepted.Count} of {declarations} declarations were accepted: the fuzz tests too little");

        // Stage 2: the chosen networks generated, compiled together and run.
        var sources = new List<string>();
        foreach (var analysis in chosenRuns)
        {
            var emitted = NetworkCompiler.Emit(analysis.Model);
            Assert.True(emitted.Failure is null, analysis.Model.ClassName + ": " + emitted.Failure?.Message + "\n" +
                string.Join("\n", analysis.Model.Layers.Select(l => LayerDescriberText(l))));
            sources.Add(emitted.Source);
        }

        var assembly = Compile(sources);
        foreach (var analysis in chosenRuns)
        {
            var declaration = file.Networks.Single(n => n.ClassName == analysis.Model.ClassName);
            var network = (INetwork)Activator.CreateInstance(assembly.GetType("Fuzz." + analysis.Model.ClassName, throwOnError: true)!, 3)!;
            var what = analysis.Model.ClassName + " of seed " + seed.ToString(CultureInfo.InvariantCulture) + ": " +
                string.Join(", ", declaration.Layers.Select(l => l.Kind + "(" + string.Join(" ", l.Values.Select(v => v.Key + "=" + string.Join("x", v.Numbers))) + ")"));
            RunGuarded(network, what, deepLayers);
            if (deepLayers || gradients)
            {
                GradientCheck.Run(network, batch: 2, seed: 11, what, parametersPerLayer: 6, inputsChecked: 6);
            }
        }
    }

    /// <summary>
    /// Forward on batches of 1 and 3 and Backward, every buffer between canaries; forward against
    /// the reference, by the first accuracy rule, or for deep layers the third (docs/testing.md):
    /// a float32 sum of thousands of products near zero is some 1e-6 off float64 whatever its order.
    /// </summary>
    private static void RunGuarded(INetwork network, string what, bool deepLayers = false)
    {
        ForwardTests.RandomizeBiases(network, seed: 4);
        // Moving statistics and scales far from the defaults, which make a folded normalisation
        // the same for every channel and would hide one read at the wrong channel.
        FoldedNormalizationTests.RandomizeNormalizations(network, seed: 4);
        foreach (var batch in new[] { 1, 3 })
        {
            var input = Guarded(Numerics.Random(batch * network.InputSize, seed: batch));
            var output = Guarded(new float[batch * network.OutputSize]);
            network.Forward(Inside(input, batch * network.InputSize), Inside(output, batch * network.OutputSize), batch);
            AssertCanaries(input, what + ": input");
            AssertCanaries(output, what + ": output");
            for (var n = 0; n < batch; n++)
            {
                var sample = Inside(input, batch * network.InputSize).Slice(n * network.InputSize, network.InputSize);
                var expected = ReferenceNetwork.Forward(network.Architecture, network.Parameters, sample, network.State);
                var actual = Inside(output, batch * network.OutputSize).Slice(n * network.OutputSize, network.OutputSize);
                if (deepLayers)
                {
                    Numerics.AssertWithinModelTolerance(expected, actual, what + " (batch " + batch + ", sample " + n + ")");
                }
                else
                {
                    Numerics.AssertClose(expected, actual, what + " (batch " + batch + ", sample " + n + ")");
                }
            }

            var outputGradient = Guarded(Numerics.Random(batch * network.OutputSize, seed: 7));
            var inputGradient = Guarded(new float[batch * network.InputSize]);
            network.Backward(Inside(outputGradient, batch * network.OutputSize), Inside(inputGradient, batch * network.InputSize));
            AssertCanaries(outputGradient, what + ": output gradient");
            AssertCanaries(inputGradient, what + ": input gradient");
            Assert.True(Inside(inputGradient, batch * network.InputSize).ToArray().All(float.IsFinite), what + ": a non-finite input gradient");
            Assert.True(network.Gradients.ToArray().All(float.IsFinite), what + ": a non-finite parameter gradient");
        }
    }

    private static string LayerDescriberText(Generators.Model.LayerModel layer) =>
        layer.Kind + " " + layer.Input + " -> " + layer.Output + " kernel " + layer.KernelHeight + "x" + layer.KernelWidth + " stride " + layer.StrideHeight + "x" +
        layer.StrideWidth + " dilation " + layer.DilationHeight + "x" + layer.DilationWidth;

    /// <summary>Floats of one sample's tensors with their padding: large ones are checked, not run (memory).</summary>
    private static long FramedFloats(Generators.Model.NetworkModel model) =>
        model.Layers.Sum(l => (long)(l.Input.Height + l.PadTop + l.PadBottom) * (l.Input.Width + l.PadLeft + l.PadRight) * l.Input.Channels);

    private static float[] Guarded(float[] values)
    {
        var buffer = new float[values.Length + 2 * CanaryFloats];
        Array.Fill(buffer, Canary);
        values.CopyTo(buffer, CanaryFloats);
        return buffer;
    }

    private static Span<float> Inside(float[] buffer, int length) => buffer.AsSpan(CanaryFloats, length);

    private static void AssertCanaries(float[] buffer, string what)
    {
        for (var i = 0; i < CanaryFloats; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(buffer[i]) == BitConverter.SingleToInt32Bits(Canary), what + ": written before its start");
            Assert.True(BitConverter.SingleToInt32Bits(buffer[^(i + 1)]) == BitConverter.SingleToInt32Bits(Canary), what + ": written past its end");
        }
    }

    private static Assembly Compile(List<string> sources)
    {
        var compilation = GeneratorHarness.Compilation(sources.ToArray());
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Assert.True(result.Success, "The generated code does not compile:\n" +
            string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));
        stream.Position = 0;
        return new System.Runtime.Loader.AssemblyLoadContext("fuzz", isCollectible: true).LoadFromStream(stream);
    }

    // ---- Declarations ------------------------------------------------------------------------

    private static readonly int[] Small = { 1, 1, 2, 3, 4, 5, 7, 8 };
    private static readonly int[] Extreme = { 1000, 65535, 1 << 20, 300000000, 600000000, 1073741824, int.MaxValue };

    private static int Size(Random random, int extremeOdds) =>
        random.Next(extremeOdds) == 0 ? Extreme[random.Next(Extreme.Length)] : Small[random.Next(Small.Length)];

    private static bool IsExtreme(IEnumerable<Generators.Model.LayerSpec> layers) =>
        layers.Any(l => l.Values.Any(v => v.Numbers.Any(n => n >= 1000)));

    private static string Declaration(Random random, string name)
    {
        var rank = random.Next(2) + 1;
        var channelsFirst = random.Next(4) == 0;
        var length = random.Next(12) + 1;
        var channels = new[] { 1, 2, 3, 4, 6, 8, 16 }[random.Next(7)];
        var input = rank == 2 ? (random.Next(8) + 1) + "x" + length + "x" + channels : length + "x" + channels;
        if (channelsFirst)
        {
            input = rank == 2 ? channels + "x" + (random.Next(8) + 1) + "x" + length : channels + "x" + length;
        }

        var text = new StringBuilder("network " + name + "(input: " + input + (channelsFirst ? ", format: channels_first" : string.Empty) + ") {\n");
        var layers = random.Next(3) + 1;
        var spatial = true;
        for (var i = 0; i < layers; i++)
        {
            text.Append("    ").Append(spatial ? SpatialLayer(random, rank) : VectorLayer(random)).Append('\n');
            if (spatial && random.Next(4) == 0)
            {
                if (random.Next(3) == 0)
                {
                    // 1x1xC (1xC): still a feature map, which later spatial layers read.
                    text.Append(random.Next(2) == 0 ? "    global_avg_pool(keep_dims: true)\n" : "    global_max_pool(keep_dims: true)\n");
                    continue;
                }

                text.Append(random.Next(2) == 0 ? "    flatten()\n" : "    global_avg_pool()\n");
                spatial = false;
            }
        }

        return text.Append("}\n").ToString();
    }

    private static string SpatialLayer(Random random, int rank)
    {
        var prefix = rank == 2 ? "2d" : "1d";
        var padding = new[] { "valid", "same", "same", rank == 1 ? "causal" : "same" }[random.Next(4)];
        var stride = Size(random, 6);
        string Pair(int value) => rank == 2 && random.Next(3) == 0 ? value + "x" + Size(random, 8) : value.ToString(CultureInfo.InvariantCulture);
        switch (random.Next(3))
        {
            case 0 when random.Next(6) == 0:
                return BatchNormalization(random);
            case 0:
            case 1:
                var kernel = Size(random, 8);
                var dilation = random.Next(3) == 0 ? Size(random, 3) : 1;
                var activation = Activations[random.Next(Activations.Length)];
                // A depthwise convolution in one of four: its multiplier from 1 to 5, or extreme.
                var depthwise = random.Next(4) == 0;
                var head = depthwise
                    ? "depthwise_conv" + prefix + "(" + Pair(kernel) + ", depth_multiplier: " + (random.Next(8) == 0 ? Size(random, 2) : random.Next(5) + 1)
                    : "conv" + prefix + "(" + (random.Next(20) + 1) + ", " + Pair(kernel);
                var written = head + ", " + (rank == 2 ? "strides: " : "stride: ") + Pair(stride) +
                    ", " + (rank == 2 ? "dilations: " : "dilation: ") + Pair(dilation) + ", padding: " + padding + ", activation: " + activation +
                    (random.Next(4) == 0 ? ", use_bias: false" : string.Empty);
                var pads = Pads(random, rank, padding);
                // Depthwise convolutions take no explicit pads (yet): the draw is made all the same, so the sequence stays put.
                return written + (depthwise ? string.Empty : pads) + ")";
            default:
                var pool = Size(random, 8);
                var isAverage = random.Next(2) == 0;
                return (isAverage ? "avg_pool" : "max_pool") + prefix + "(" + Pair(pool) + ", " + (rank == 2 ? "strides: " : "stride: ") + Pair(stride) +
                    ", padding: " + (padding == "causal" ? "same" : padding) + Pads(random, rank, padding) +
                    (random.Next(3) == 0 ? ", ceil_mode: true" : string.Empty) + (isAverage && random.Next(3) == 0 ? ", count_padding: true" : string.Empty) + ")";
        }
    }

    /// <summary>A batch normalisation with one of four sets of options.</summary>
    private static string BatchNormalization(Random random) =>
        "batch_norm(" + new[] { "", "momentum: 0.9", "epsilon: 0.00001, center: false", "scale: false" }[random.Next(4)] + ")";

    /// <summary>
    /// Convolutions with groups, chained: each one's groups drawn from the divisors its channels
    /// and filters share; a batch normalisation after one in three (folded into it in inference).
    /// </summary>
    private static string GroupedDeclaration(Random random, string name)
    {
        var rank = random.Next(2) + 1;
        var channelsFirst = random.Next(4) == 0;
        var length = random.Next(12) + 1;
        var height = random.Next(8) + 1;
        var channels = new[] { 1, 2, 3, 4, 6, 8, 12, 16 }[random.Next(8)];
        var input = rank == 2
            ? channelsFirst ? channels + "x" + height + "x" + length : height + "x" + length + "x" + channels
            : channelsFirst ? channels + "x" + length : length + "x" + channels;
        var text = new StringBuilder("network " + name + "(input: " + input + (channelsFirst ? ", format: channels_first" : string.Empty) + ") {\n");
        var prefix = rank == 2 ? "2d" : "1d";
        for (var i = random.Next(3); i >= 0; i--)
        {
            var filters = new[] { 1, 2, 3, 4, 6, 8, 9, 12, 16, 24 }[random.Next(10)];
            var shared = Enumerable.Range(1, Math.Min(channels, filters)).Where(d => channels % d == 0 && filters % d == 0).ToArray();
            var groups = random.Next(8) == 0 ? Size(random, 2) : shared[random.Next(shared.Length)];
            // A normalisation after one in three, as in PyTorch's blocks: no activation before it
            // (so inference folds it into the convolution), often no bias, now and then one after it.
            var normalized = random.Next(3) == 0;
            var activation = normalized ? "linear" : Activations[random.Next(Activations.Length)];
            var padding = new[] { "valid", "same", rank == 1 ? "causal" : "same" }[random.Next(3)];
            string Pair(int value) => rank == 2 && random.Next(3) == 0 ? value + "x" + Size(random, 8) : value.ToString(CultureInfo.InvariantCulture);
            text.Append("    conv" + prefix + "(" + filters + ", " + Pair(Size(random, 10)) + ", " + (rank == 2 ? "strides: " : "stride: ") + Pair(Size(random, 8)) +
                ", padding: " + padding + ", activation: " + activation + ", groups: " + groups +
                (random.Next(normalized ? 2 : 4) == 0 ? ", use_bias: false" : string.Empty) + Pads(random, rank, padding) + ")\n");
            if (normalized)
            {
                text.Append("    " + BatchNormalization(random) + "\n");
                if (random.Next(2) == 0)
                {
                    text.Append("    activation(" + Activations[random.Next(Activations.Length)] + ")\n");
                }
            }

            channels = filters;
        }

        return text.Append("}\n").ToString();
    }

    /// <summary>Transposed convolutions chained (a convolution now and then): output padding below the stride mostly, and sometimes not.</summary>
    private static string TransposedDeclaration(Random random, string name)
    {
        var rank = random.Next(2) + 1;
        var channelsFirst = random.Next(4) == 0;
        var length = random.Next(6) + 1;
        var height = random.Next(5) + 1;
        var channels = new[] { 1, 2, 3, 4, 6, 8, 16 }[random.Next(7)];
        var input = rank == 2
            ? channelsFirst ? channels + "x" + height + "x" + length : height + "x" + length + "x" + channels
            : channelsFirst ? channels + "x" + length : length + "x" + channels;
        var text = new StringBuilder("network " + name + "(input: " + input + (channelsFirst ? ", format: channels_first" : string.Empty) + ") {\n");
        var prefix = rank == 2 ? "2d" : "1d";
        for (var i = random.Next(3); i >= 0; i--)
        {
            var filters = new[] { 1, 2, 3, 5, 8, 17 }[random.Next(6)];
            var padding = random.Next(3) == 0 ? "same" : "valid";
            var stride = random.Next(10) == 0 ? Size(random, 2) : random.Next(3) + 1;
            string Pair(int value) => rank == 2 && random.Next(3) == 0 ? value + "x" + Size(random, 8) : value.ToString(CultureInfo.InvariantCulture);
            if (random.Next(5) == 0)
            {
                text.Append("    conv" + prefix + "(" + filters + ", " + Pair(Size(random, 10)) + ", padding: same)\n");
                continue;
            }

            var outputPadding = random.Next(3) != 0 ? string.Empty
                : ", output_padding: " + (random.Next(10) == 0 ? Size(random, 2) : random.Next(Math.Min(stride, 3) + 1));
            text.Append("    conv" + prefix + "_transpose(" + filters + ", " + Pair(Size(random, 10)) + ", " + (rank == 2 ? "strides: " : "stride: ") + Pair(stride) +
                (random.Next(3) == 0 ? ", " + (rank == 2 ? "dilations: " : "dilation: ") + Pair(Size(random, 6)) : string.Empty) +
                ", padding: " + padding + ", activation: " + Activations[random.Next(Activations.Length)] +
                (random.Next(4) == 0 ? ", use_bias: false" : string.Empty) + Pads(random, rank, padding) + outputPadding + ")\n");
        }

        return text.Append("}\n").ToString();
    }

    /// <summary>
    /// Explicit pads half the time with 'valid' (and now and then with 'same' or 'causal', which
    /// is refused): small counts, one for every side or one per side, and rarely an extreme one.
    /// </summary>
    private static string Pads(Random random, int rank, string padding)
    {
        if (random.Next(padding == "valid" ? 2 : 12) != 0)
        {
            return string.Empty;
        }

        int Count() => random.Next(40) == 0 ? int.MaxValue : random.Next(4);
        if (random.Next(2) == 0)
        {
            return ", pad: " + Count().ToString(CultureInfo.InvariantCulture);
        }

        var counts = Enumerable.Range(0, 2 * rank).Select(_ => Count().ToString(CultureInfo.InvariantCulture));
        return ", pads: " + string.Join("x", counts);
    }

    /// <summary>
    /// Zero padding and up-sampling (small and extreme pads and factors, both interpolations)
    /// between convolutions and pooling, on a 1-D or 2-D input in either data format.
    /// </summary>
    private static string ResamplingDeclaration(Random random, string name)
    {
        var rank = random.Next(2) + 1;
        var channelsFirst = random.Next(4) == 0;
        var length = random.Next(9) + 1;
        var height = random.Next(6) + 1;
        var channels = new[] { 1, 2, 3, 5, 8, 9, 16 }[random.Next(7)];
        var input = rank == 2
            ? channelsFirst ? channels + "x" + height + "x" + length : height + "x" + length + "x" + channels
            : channelsFirst ? channels + "x" + length : length + "x" + channels;
        var prefix = rank == 2 ? "2d" : "1d";
        int Count() => random.Next(30) == 0 ? Extreme[random.Next(Extreme.Length)] : random.Next(4);
        int Factor() => random.Next(30) == 0 ? Extreme[random.Next(Extreme.Length)] : random.Next(4) + 1;
        var text = new StringBuilder("network " + name + "(input: " + input + (channelsFirst ? ", format: channels_first" : string.Empty) + ") {\n");
        var layers = random.Next(4) + 1;
        for (var i = 0; i < layers; i++)
        {
            text.Append("    ");
            switch (random.Next(5))
            {
                case 0:
                case 1:
                    text.Append("zero_padding" + prefix + "(" + (random.Next(2) == 0
                        ? Count().ToString(CultureInfo.InvariantCulture)
                        : "pads: " + string.Join("x", Enumerable.Range(0, 2 * rank).Select(_ => Count().ToString(CultureInfo.InvariantCulture)))) + ")");
                    break;
                case 2:
                case 3:
                    var size = rank == 2 && random.Next(2) == 0 ? Factor() + "x" + Factor() : Factor().ToString(CultureInfo.InvariantCulture);
                    text.Append("up_sampling" + prefix + "(" + size + (random.Next(2) == 0 ? ", interpolation: bilinear" : string.Empty) + ")");
                    break;
                default:
                    text.Append(random.Next(2) == 0
                        ? "conv" + prefix + "(" + (random.Next(4) + 1) + ", " + (random.Next(3) + 1) + ", padding: same, activation: tanh)"
                        : "max_pool" + prefix + "(2, padding: same)");
                    break;
            }

            text.Append('\n');
        }

        return text.Append("}\n").ToString();
    }

    private static readonly string[] Activations =
    [
        "linear", "relu", "leaky_relu", "tanh", "sigmoid", "elu", "softmax", "silu", "softplus", "relu6", "hard_sigmoid", "hard_swish", "gelu",
    ];

    private static string VectorLayer(Random random) => random.Next(3) == 0
        ? random.Next(4) == 0 ? "batch_norm(scale: false)" : "activation(" + new[] { "relu", "tanh", "softmax" }[random.Next(3)] + ")"
        : "dense(" + Size(random, 12) % 4096 + ", activation: " + new[] { "linear", "relu", "sigmoid" }[random.Next(3)] + ")";
}
