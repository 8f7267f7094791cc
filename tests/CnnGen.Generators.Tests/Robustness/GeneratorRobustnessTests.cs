using System.Diagnostics;
using System.Numerics;
using CnnGen.Generators.Model;
using CnnGen.Generators.Shapes;
using CnnGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace CnnGen.Generators.Tests.Robustness;

/// <summary>
/// Thousands of random, mostly malformed declarations: the generator never throws, never
/// writes a file over 1 MB, stays fast, and every network it accepts is internally consistent
/// and compiles; the analyzer never throws and reports exactly the generator's analyses.
/// </summary>
public class GeneratorRobustnessTests(ITestOutputHelper output)
{
    private const int MaxFileBytes = 1 << 20;

    private const int MaxCompiledFiles = 12;

    [Fact]
    public void RandomDeclarationsNeverCrashTheGeneratorAndEveryAcceptedNetworkIsConsistent()
    {
        const int batches = 320;
        const int networksPerBatch = 10;
        var random = new RandomDeclarations(seed: 20240601);
        GeneratorHarness.Run(SampleNetworks.LeNet5); // warm up (JIT), so that the per-batch bound measures the generator
        var total = Stopwatch.StartNew();
        var compiling = new Stopwatch();
        var slowest = TimeSpan.Zero;
        int valid = 0, invalid = 0, compiled = 0, graphs = 0, compiledGraphs = 0;
        var ids = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var batch = 0; batch < batches; batch++)
        {
            var source = batch % 2 == 0 ? random.File(networksPerBatch, batch) : random.TameFile(networksPerBatch / 3, batch);
            var watch = Stopwatch.StartNew();
            var run = GeneratorHarness.Run(source);
            var result = Assert.Single(run.Result.Results);
            watch.Stop();
            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;

            var context = $"batch {batch}:\n{source}";
            Assert.True(result.Exception is null, $"{result.Exception}\n{context}");
            Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "CS8785" or "AD0001" or "CS8784");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}\n{context}");
            foreach (var generated in result.GeneratedSources)
            {
                Assert.True(generated.SourceText.Length < MaxFileBytes, $"{generated.HintName} has {generated.SourceText.Length} chars\n{context}");
            }

            foreach (var diagnostic in run.CnnDiagnostics)
            {
                ids[diagnostic.Id] = ids.GetValueOrDefault(diagnostic.Id) + 1;
                Assert.False(string.IsNullOrWhiteSpace(diagnostic.GetMessage()));
            }

            var inputHasErrors = run.Input.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
            foreach (var (value, _) in result.TrackedSteps[CnnGenerator.Steps.Analyses].SelectMany(s => s.Outputs))
            {
                var analysis = (NetworkAnalysis)value;
                var errors = analysis.Diagnostics.Where(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error).ToList();
                if (analysis.Model.IsValid)
                {
                    valid++;
                    graphs += analysis.Model.IsChain ? 0 : 1;
                    Assert.True(errors.Count == 0, $"{analysis.Model.FullName} is valid but has errors: {string.Join("; ", errors.Select(e => e.Message))}\n{context}");
                    AssertConsistent(analysis.Model, context);
                }
                else
                {
                    // A network without code always says why: a CNN error, or the C# compiler's.
                    invalid++;
                    Assert.True(errors.Count > 0 || inputHasErrors, $"{analysis.Model.FullName} was dropped without an error\n{context}");
                }
            }

            // The analyzer, run alone, reports exactly what the generator's analyses found: one core.
            var fromAnalyses = result.TrackedSteps[CnnGenerator.Steps.Analyses].SelectMany(s => s.Outputs)
                .SelectMany(o => ((NetworkAnalysis)o.Value).Diagnostics).Select(d => Describe(d.ToDiagnostic(run.Input))).Order(StringComparer.Ordinal).ToList();
            var fromAnalyzer = run.AnalyzerDiagnostics.Where(d => d.Id.StartsWith("CNN", StringComparison.Ordinal)).Select(Describe).Order(StringComparer.Ordinal).ToList();
            Assert.True(fromAnalyses.SequenceEqual(fromAnalyzer),
                $"analyses only: {string.Join("; ", fromAnalyses.Except(fromAnalyzer))}\nanalyzer only: {string.Join("; ", fromAnalyzer.Except(fromAnalyses))}\n{context}");

            // When neither the C# compiler nor CnnGen finds an error, the generated code compiles.
            // (Checked for the first files only: a file of forward code takes about half a second to bind.)
            if (compiled < MaxCompiledFiles && !inputHasErrors && !run.CnnDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                compiled++;
                compiledGraphs += result.TrackedSteps[CnnGenerator.Steps.Analyses].SelectMany(s => s.Outputs)
                    .Count(o => ((NetworkAnalysis)o.Value).Model is { IsValid: true, IsChain: false });
                compiling.Start();
                var errors = run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                compiling.Stop();
                Assert.True(errors.Count == 0, string.Join("\n", errors) + "\n" + context);
            }
        }

        output.WriteLine($"{valid + invalid} declarations in {total.Elapsed.TotalSeconds:F1} s (slowest batch {slowest.TotalMilliseconds:F0} ms): " +
            $"{valid} accepted ({graphs} of them graphs), {invalid} rejected, {compiled} error-free files compiled in {compiling.Elapsed.TotalSeconds:F1} s " +
            $"({compiledGraphs} graphs)");
        output.WriteLine(string.Join(", ", ids.Select(p => $"{p.Key}: {p.Value}")));

        // The sweep is only worth something if it reaches both sides and most rules.
        Assert.True(valid > batches, $"only {valid} networks accepted");
        Assert.True(invalid > batches, $"only {invalid} networks rejected");
        Assert.True(compiled == MaxCompiledFiles, $"only {compiled} error-free files");
        Assert.True(graphs > batches / 20 && compiledGraphs > 0, $"only {graphs} graphs accepted, {compiledGraphs} compiled");
        Assert.True(ids.Count >= 18, "diagnostics seen: " + string.Join(", ", ids.Keys));
    }

    private static string Describe(Diagnostic diagnostic) =>
        $"{diagnostic.Id} {diagnostic.Location.GetLineSpan()}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";

    [Fact]
    public void ClassesWhoseNamesDifferOnlyInCaseGetSeparateFiles()
    {
        var run = GeneratorHarness.Run("""
            using CnnGen;

            [Network]
            [Input(4)]
            [Dense(2)]
            public partial class Net;

            [Network]
            [Input(4)]
            [Dense(3)]
            public partial class net;

            [Network]
            [Input(4)]
            [Dense(5)]
            public partial class NET;
            """);
        Assert.Empty(run.CnnDiagnostics);
        Assert.Empty(run.BuildErrors);
        Assert.Equal(new[] { "NET.3.g.cs", "Net.g.cs", "net.2.g.cs" }, run.Sources.Keys.OrderBy(k => k, StringComparer.Ordinal));
        var assembly = run.Load();
        Assert.Equal(2, (int)assembly.GetType("Net")!.GetField("OutputSize")!.GetRawConstantValue()!);
        Assert.Equal(3, (int)assembly.GetType("net")!.GetField("OutputSize")!.GetRawConstantValue()!);
        Assert.Equal(5, (int)assembly.GetType("NET")!.GetField("OutputSize")!.GetRawConstantValue()!);
    }

    /// <summary>Everything the emitter relies on, recomputed independently from the declared layers.</summary>
    private static void AssertConsistent(NetworkModel model, string context)
    {
        var shape = model.Input;
        long offset = 0;
        Assert.True(shape.Size is >= 1 and <= (int)ShapeInference.MaxTensorElements, context);
        for (var index = 0; index < model.Layers.Count; index++)
        {
            var layer = model.Layers[index];
            var where = $"{model.FullName}.{layer.Name}\n{context}";

            // A layer reads earlier outputs (or the input, -1): the previous one, From's, or a merge's two or more.
            var isMerge = layer.Kind is Generators.Model.LayerKind.Add or Generators.Model.LayerKind.Multiply or Generators.Model.LayerKind.Concatenate;
            Assert.True(layer.Inputs.Count >= (isMerge ? 2 : 1) && (isMerge || layer.Inputs.Count == 1), $"{where}: reads {layer.Inputs}");
            Assert.All(layer.Inputs, input => Assert.True(input >= -1 && input < index, $"{where}: reads {input}"));
            var inputs = layer.Inputs.Select(model.OutputOf).ToList();
            Assert.True(layer.Input == inputs[0], $"{where}: input {layer.Input}, but it reads {inputs[0]}");
            if (layer.Kind == Generators.Model.LayerKind.Concatenate)
            {
                Assert.All(inputs, input => Assert.True(input with { Channels = 0 } == layer.Output with { Channels = 0 }, $"{where}: concatenates {input}"));
                Assert.Equal(inputs.Sum(input => input.Channels), layer.Output.Channels);
            }
            else if (isMerge)
            {
                Assert.Contains(layer.Output, inputs);
                Assert.All(inputs, input => Assert.True(input == layer.Output || input.Positions == 1 && input.Channels == layer.Output.Channels,
                    $"{where}: merges {input} into {layer.Output}"));
            }

            Assert.True(layer.Output.Height >= 1 && layer.Output.Width >= 1 && layer.Output.Channels >= 1, where);
            Assert.True((BigInteger)layer.Output.Height * layer.Output.Width * layer.Output.Channels <= ShapeInference.MaxTensorElements, where);
            Assert.Equal(offset, layer.ParameterOffset);
            if (layer.IsConvolution || layer.IsPooling)
            {
                // The declared window gives the output size; the kernels step by it, except where one output or one tap makes it irrelevant.
                Assert.Equal(ExpectedSize(layer.Input.Height, layer.KernelHeight, layer.Rows.Stride, layer.Rows.Dilation, layer.Padding), layer.Output.Height);
                Assert.Equal(ExpectedSize(layer.Input.Width, layer.KernelWidth, layer.Columns.Stride, layer.Columns.Dilation, layer.Padding), layer.Output.Width);
                Assert.True(layer.PadTop >= 0 && layer.PadBottom >= 0 && layer.PadLeft >= 0 && layer.PadRight >= 0, where);
                Assert.Equal(layer.Output.Height == 1 ? 1 : layer.Rows.Stride, layer.StrideHeight);
                Assert.Equal(layer.Output.Width == 1 ? 1 : layer.Columns.Stride, layer.StrideWidth);
                Assert.Equal(layer.KernelWidth == 1 ? 1 : layer.Columns.Dilation, layer.DilationWidth);
                // The stored input with its frame fits the tensor limit, so every offset the kernels compute fits an int.
                var framed = (BigInteger)(layer.Input.Height + layer.PadTop + layer.PadBottom) * (layer.Input.Width + layer.PadLeft + layer.PadRight) * layer.Input.Channels;
                Assert.True(framed <= ShapeInference.MaxTensorElements, where + ": framed input " + framed);
            }

            var kernel = layer.Kind switch
            {
                Generators.Model.LayerKind.Conv1D or Generators.Model.LayerKind.Conv2D => (BigInteger)layer.KernelHeight * layer.KernelWidth * layer.Input.Channels * layer.Output.Channels,
                Generators.Model.LayerKind.Dense => (BigInteger)layer.Input.Size * layer.Output.Channels,
                // Depthwise: one kernel per output channel, output channels a multiple of the input's.
                Generators.Model.LayerKind.DepthwiseConv1D or Generators.Model.LayerKind.DepthwiseConv2D when layer.Output.Channels % layer.Input.Channels == 0 =>
                    (BigInteger)layer.KernelHeight * layer.KernelWidth * layer.Output.Channels,
                Generators.Model.LayerKind.DepthwiseConv1D or Generators.Model.LayerKind.DepthwiseConv2D => BigInteger.MinusOne,
                _ => BigInteger.Zero,
            };
            Assert.True(kernel == layer.KernelLength, $"{where}: kernel {layer.KernelLength}, expected {kernel}");
            Assert.Equal(layer.UseBias && layer.HasParameters ? layer.Output.Channels : 0, layer.BiasLength);
            offset += layer.ParameterCount;
            shape = layer.Output;
        }


        Assert.True(shape == model.Output, context);
        Assert.Equal(offset, model.ParameterCount);
        Assert.True(offset <= ShapeInference.MaxParameters, context);
    }

    /// <summary>docs/shapes.md, written again: valid floor((n - k') / s) + 1, same ceil(n / s), causal = valid after (k - 1) * d before.</summary>
    private static int ExpectedSize(int n, int k, int s, int d, PaddingMode padding)
    {
        var extent = (BigInteger)(k - 1) * d + 1;
        return padding switch
        {
            PaddingMode.Same => (int)((n + (BigInteger)s - 1) / s),
            PaddingMode.Causal => (int)((n + extent - 1 - extent) / s + 1),
            _ => (int)((n - extent) / s + 1),
        };
    }
}
