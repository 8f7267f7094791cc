using System.Diagnostics;
using CnnGen.Generators.Tests.Infrastructure;
using CnnGen.Onnx;
using CnnGen.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CnnGen.Tests.OnnxImport;

/// <summary>
/// Whole torchvision architectures, each imported, generated and compiled on its own, then run
/// next to ONNX Runtime: MobileNetV2 (width 0.25) and SqueezeNet 1.1 at 64x64 from Data/onnx,
/// any models listed in CNNGEN_IMPORT_MODELS (full paths separated by ':'), and every .onnx file
/// of the directory CNNGEN_TORCHVISION_DIR names (Data/onnx/check_torchvision.py writes
/// torchvision's families there; docs/testing.md says how). Without the variables only the two
/// committed models run, and no Python is needed. The log gives what section "Numbers to
/// keep" of docs/testing.md asks of imported models: source size, generation and compile time.
/// </summary>
public sealed class WholeModelImportTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cnngen-whole-model-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string> Models
    {
        get
        {
            var models = new TheoryData<string> { "mobilenet_v2.onnx", "squeezenet.onnx" };
            foreach (var path in (Environment.GetEnvironmentVariable("CNNGEN_IMPORT_MODELS") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                models.Add(Path.GetFullPath(path));
            }

            var directory = Environment.GetEnvironmentVariable("CNNGEN_TORCHVISION_DIR");
            if (!string.IsNullOrEmpty(directory) && Directory.Exists(directory))
            {
                foreach (var path in Directory.GetFiles(directory, "*.onnx").Order(StringComparer.Ordinal))
                {
                    models.Add(Path.GetFullPath(path));
                }
            }

            return models;
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void TheImportedModelComputesWhatOnnxRuntimeComputes(string file)
    {
        var clock = Stopwatch.StartNew();
        var imported = ImportedModels.Import(file, name: "Whole");
        var importTime = clock.Elapsed;

        clock.Restart();
        var run = GeneratorHarness.Run([string.Empty], (imported.DeclarationFileName(ImportFormat.Cnn), imported.ToCnn()));
        var source = run.Sources.Values.Sum(text => (long)text.Length);
        var generationTime = clock.Elapsed;
        Assert.Empty(run.CnnDiagnostics);

        clock.Restart();
        Assert.Empty(run.BuildErrors);
        var network = (INetwork)Activator.CreateInstance(run.Load().GetType(ImportedModels.Namespace + ".Whole", throwOnError: true)!)!;
        var compileTime = clock.Elapsed;
        Assert.Equal(network.Architecture.Fingerprint, imported.Architecture.Fingerprint);

        var weights = Path.Combine(_directory, imported.WeightsFileName);
        imported.SaveWeights(weights);
        network.LoadWeights(weights);
        foreach (var batch in new[] { 1, 2 })
        {
            var input = Numerics.Random(batch * network.InputSize, seed: 70 + batch, scale: 2f);
            var actual = new float[batch * network.OutputSize];
            network.Forward(input, actual, batch);
            var expected = ImportedModels.RunOnnxRuntime(file, input, [.. imported.InputShape], batch);
            var used = ImportedModels.AssertClose(expected, actual, $"{Path.GetFileName(file)} (batch {batch})");
            log.WriteLine($"{Path.GetFileName(file)}, batch {batch}: the largest error is {used:P1} of the limit |a - e| <= 1e-4 * (|e| + max|e|).");
        }

        log.WriteLine($"{Path.GetFileName(file)}: {imported.Layers.Count} layers, {imported.Architecture.ParameterCount:N0} parameters; import {importTime.TotalMilliseconds:F0} ms, " +
            $"generation {generationTime.TotalMilliseconds:F0} ms, {source / 1024.0:N0} KB of C#, compile and load {compileTime.TotalSeconds:F1} s.");
    }
}
