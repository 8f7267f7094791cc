using System.Collections.Immutable;
using System.Reflection;
using CnnGen.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace CnnGen.Generators.Tests.Infrastructure;

/// <summary>Runs the CnnGen generator over C# sources and .cnn files, as a build would.</summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = paths
            .Where(p => Path.GetFileName(p) is var name && (name.StartsWith("System.", StringComparison.Ordinal) || name is "mscorlib.dll" or "netstandard.dll"))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
        references.Add(MetadataReference.CreateFromFile(typeof(CnnGen.NetworkAttribute).Assembly.Location));
        return references.ToImmutableArray();
    });

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create(
            "UserProject",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                allowUnsafe: true, optimizationLevel: OptimizationLevel.Release));

    public static GeneratorDriver Driver(params (string Path, string Text)[] cnnFiles) =>
        CSharpGeneratorDriver.Create(
            new[] { new CnnGenerator().AsSourceGenerator() },
            cnnFiles.Select(f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.Text)),
            ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once and compiles its output with the sources.</summary>
    public static GeneratorRun Run(string source, params (string Path, string Text)[] cnnFiles) =>
        Run(new[] { source }, cnnFiles);

    public static GeneratorRun Run(string[] sources, params (string Path, string Text)[] cnnFiles)
    {
        var compilation = Compilation(sources);
        var driver = Driver(cnnFiles).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return new GeneratorRun(driver, compilation, output, generatorDiagnostics);
    }
}

internal sealed record GeneratorRun(GeneratorDriver Driver, Compilation Input, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    public GeneratorDriverRunResult Result => Driver.GetRunResult();

    /// <summary>Generated files by hint name.</summary>
    public IReadOnlyDictionary<string, string> Sources =>
        Result.Results.SelectMany(r => r.GeneratedSources).ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    /// <summary>Every CNN diagnostic the generator reported and the user did not suppress (#pragma marks them suppressed).</summary>
    public IReadOnlyList<Diagnostic> CnnDiagnostics =>
        GeneratorDiagnostics.Where(d => d.Id.StartsWith("CNN", StringComparison.Ordinal) && !d.IsSuppressed).ToList();

    /// <summary>Errors of the C# build with the generated code, including the generator's (suppressed ones do not fail a build).</summary>
    public IReadOnlyList<Diagnostic> BuildErrors =>
        Output.GetDiagnostics().Concat(GeneratorDiagnostics).Where(d => d.Severity == DiagnosticSeverity.Error && !d.IsSuppressed).ToList();

    /// <summary>Emits the compiled output and loads it in a collectible context.</summary>
    public Assembly Load()
    {
        using var stream = new MemoryStream();
        var emit = Output.Emit(stream);
        if (!emit.Success)
        {
            throw new InvalidOperationException("The generated code does not compile:\n" +
                string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        stream.Position = 0;
        var context = new System.Runtime.Loader.AssemblyLoadContext("generated", isCollectible: true);
        return context.LoadFromStream(stream);
    }
}

internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
}
