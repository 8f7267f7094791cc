using System.Collections.Immutable;
using System.Reflection;
using CnnGen.Generators;
using CnnGen.Generators.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace CnnGen.Generators.Tests.Infrastructure;

/// <summary>Runs the CnnGen generator and analyzer over C# sources and .cnn files, as a build would.</summary>
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

    /// <summary>The framework and the CnnGen runtime, as a user project references them.</summary>
    public static ImmutableArray<MetadataReference> MetadataReferences => References.Value;

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create(
            "UserProject",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
            References.Value,
            CompilationOptions);

    public static readonly CSharpCompilationOptions CompilationOptions = new(OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true, optimizationLevel: OptimizationLevel.Release);

    public static GeneratorDriver Driver(params (string Path, string Text)[] cnnFiles) => Driver(AdditionalFiles(cnnFiles));

    public static GeneratorDriver Driver(ImmutableArray<AdditionalText> additionalFiles) =>
        CSharpGeneratorDriver.Create(
            new[] { new CnnGenerator().AsSourceGenerator() },
            additionalFiles,
            ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static ImmutableArray<AdditionalText> AdditionalFiles(params (string Path, string Text)[] cnnFiles) =>
        cnnFiles.Select(f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.Text)).ToImmutableArray();

    /// <summary>The generated source of <c>Demo.Net</c>, declared with <paramref name="layers"/> (attribute lines) on an input of <paramref name="input"/> (the Input attribute's arguments).</summary>
    public static string NetSource(string layers, string input) =>
        Run("using CnnGen;\nnamespace Demo;\n[Network]\n[Input(" + input + ")]\n" + layers + "public partial class Net;\n").Sources["Demo.Net.g.cs"];

    /// <summary>Runs the generator once and compiles its output with the sources.</summary>
    public static GeneratorRun Run(string source, params (string Path, string Text)[] cnnFiles) =>
        Run(new[] { source }, cnnFiles);

    public static GeneratorRun Run(string[] sources, params (string Path, string Text)[] cnnFiles)
    {
        var compilation = Compilation(sources);
        var additionalFiles = AdditionalFiles(cnnFiles);
        var driver = Driver(additionalFiles).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return new GeneratorRun(driver, compilation, output, generatorDiagnostics, additionalFiles);
    }

    /// <summary>
    /// Runs <see cref="CnnAnalyzer"/> alone over a compilation (through CompilationWithAnalyzers,
    /// as an IDE or the compiler does), with the .cnn files as additional files. Every diagnostic
    /// comes back, suppressed ones marked so, ordered by file and position. An exception in the
    /// analyzer fails the caller.
    /// </summary>
    public static ImmutableArray<Diagnostic> Analyze(Compilation compilation, ImmutableArray<AdditionalText> additionalFiles = default,
        DiagnosticAnalyzer? analyzer = null)
    {
        var exceptions = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(additionalFiles.IsDefault ? ImmutableArray<AdditionalText>.Empty : additionalFiles),
            (exception, _, _) => exceptions.Enqueue(exception), concurrentAnalysis: true, logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: true);
        var diagnostics = compilation.WithAnalyzers(ImmutableArray.Create(analyzer ?? new CnnAnalyzer()), options)
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        if (!exceptions.IsEmpty)
        {
            throw new InvalidOperationException("The analyzer threw:\n" + string.Join("\n", exceptions));
        }

        return diagnostics.OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
    }
}

/// <summary>
/// A build as the compiler runs it: the generator, whose diagnostics are only its own failures
/// (CnnGen's are the analyzer's), and the analyzer.
/// </summary>
internal sealed record GeneratorRun(GeneratorDriver Driver, Compilation Input, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<AdditionalText> AdditionalFiles = default)
{
    private ImmutableArray<Diagnostic>? _analyzerDiagnostics;

    public GeneratorDriverRunResult Result => Driver.GetRunResult();

    /// <summary>
    /// The analyzer's diagnostics, suppressed ones included. Computed over the user's sources
    /// (what the analyzer reads: [Network] classes and .cnn files; the generated code adds
    /// nothing to them), which spares binding the generated code a second time.
    /// </summary>
    public ImmutableArray<Diagnostic> AnalyzerDiagnostics => _analyzerDiagnostics ??= GeneratorHarness.Analyze(Input, AdditionalFiles);

    /// <summary>Generated files by hint name.</summary>
    public IReadOnlyDictionary<string, string> Sources =>
        Result.Results.SelectMany(r => r.GeneratedSources).ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    /// <summary>Every CNN diagnostic of the build that the user did not suppress (#pragma marks them suppressed).</summary>
    public IReadOnlyList<Diagnostic> CnnDiagnostics =>
        GeneratorDiagnostics.Concat(AnalyzerDiagnostics).Where(d => d.Id.StartsWith("CNN", StringComparison.Ordinal) && !d.IsSuppressed).ToList();

    /// <summary>Errors of the C# build with the generated code, the generator's and the analyzer's (suppressed ones do not fail a build).</summary>
    public IReadOnlyList<Diagnostic> BuildErrors =>
        Output.GetDiagnostics().Concat(GeneratorDiagnostics).Concat(AnalyzerDiagnostics)
            .Where(d => d.Severity == DiagnosticSeverity.Error && !d.IsSuppressed).ToList();

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
