using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CnnGen.Benchmarks;

/// <summary>
/// The cost at build time, per network of Networks.cs, for all four together, and for the
/// imported ResNet-18 and MobileNetV2 at 224x224 (Models/*.cnn, additional files): running the
/// generator (a new driver on a new compilation, as in a clean build) and compiling what it
/// wrote (Roslyn Emit of the declarations plus the generated trees, Release). The Generated
/// column gives the size of the generated code.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class GeneratorBenchmarks
{
    private CSharpCompilation _declarations = null!;
    private ImmutableArray<AdditionalText> _additionalFiles;
    private ImmutableArray<SyntaxTree> _withGenerated;
    private readonly MemoryStream _peStream = new();

    public static IEnumerable<string> Networks => GeneratorWorkload.Names;

    [ParamsSource(nameof(Networks))]
    public string Network { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _declarations = GeneratorWorkload.Compilation(Network);
        _additionalFiles = GeneratorWorkload.AdditionalFiles(Network);
        var result = GeneratorWorkload.Generate(_declarations, _additionalFiles);
        _withGenerated = [.. _declarations.SyntaxTrees, .. result.GeneratedTrees];
        Emit();
    }

    /// <summary>The generator on a fresh copy of the compilation (its symbols are bound anew; the declarations are already parsed).</summary>
    [Benchmark]
    public int Generate() => GeneratorWorkload.Driver(_additionalFiles).RunGenerators(_declarations.Clone()).GetRunResult().GeneratedTrees.Length;

    /// <summary>Binding and emitting the declarations with the generated code into an optimised assembly (the trees are already parsed).</summary>
    [Benchmark]
    public long Emit()
    {
        _peStream.SetLength(0);
        var emit = GeneratorWorkload.Compilation(_withGenerated).Emit(_peStream);
        if (!emit.Success)
        {
            throw new InvalidOperationException($"The generated code of {Network} does not compile:\n" +
                string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        return _peStream.Length;
    }
}
