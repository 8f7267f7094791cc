using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using CnnGen.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace CnnGen.Benchmarks;

/// <summary>
/// The generator's input for GeneratorBenchmarks: the declarations of Networks.cs (embedded in
/// this assembly), one network at a time or all four, or one imported model's .cnn file
/// (Models/*.cnn, embedded too, handed to the generator as an additional file), in a compilation
/// that references the framework and CnnGen, as tests/CnnGen.Generators.Tests' GeneratorHarness
/// builds them.
/// </summary>
internal static partial class GeneratorWorkload
{
    public const string All = "All";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return paths
            .Where(p => Path.GetFileName(p) is var name && (name.StartsWith("System.", StringComparison.Ordinal) || name is "mscorlib.dll" or "netstandard.dll"))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(NetworkAttribute).Assembly.Location))
            .ToImmutableArray();
    });

    private static readonly ConcurrentDictionary<string, (int Files, int Lines, int Chars)> Sizes = new();

    /// <summary>The imported models whose .cnn declarations GeneratorBenchmarks compiles: the largest two.</summary>
    public static readonly string[] Models = ["ResNet18At224", "MobileNetV2At224"];

    /// <summary>The four network names, <see cref="All"/> and the <see cref="Models"/>.</summary>
    public static IEnumerable<string> Names => Workloads.Names.Append(All).Concat(Models);

    /// <summary>The model's .cnn file as the generator's additional file; none for the networks of Networks.cs.</summary>
    public static ImmutableArray<AdditionalText> AdditionalFiles(string name)
    {
        if (!Workloads.Models.Contains(name))
        {
            return [];
        }

        using var stream = typeof(GeneratorWorkload).Assembly.GetManifestResourceStream(name + ".cnn")
            ?? throw new ArgumentException($"No embedded Models/{name}.cnn.", nameof(name));
        return [new CnnFile($"Models/{name}.cnn", new StreamReader(stream).ReadToEnd())];
    }

    /// <summary>The using and namespace lines of Networks.cs with one declaration, or the whole file for <see cref="All"/>.</summary>
    public static string Source(string name)
    {
        if (Workloads.Models.Contains(name))
        {
            return "namespace CnnGen.Benchmarks;\n"; // the network is in its .cnn file
        }

        using var stream = typeof(GeneratorWorkload).Assembly.GetManifestResourceStream("Networks.cs")!;
        var text = new StreamReader(stream).ReadToEnd();
        if (name == All)
        {
            return text;
        }

        // Each declaration starts at its doc comment and ends with "public partial class Name;".
        var header = text[..text.IndexOf("/// <summary>", StringComparison.Ordinal)];
        var declaration = Declaration().Matches(text).SingleOrDefault(m => m.Groups["name"].Value == name)
            ?? throw new ArgumentException($"Networks.cs declares no network '{name}'.", nameof(name));
        return header + declaration.Value;
    }

    /// <summary>A Release (optimised) library compilation of the sources, as a build would make it.</summary>
    public static CSharpCompilation Compilation(IEnumerable<SyntaxTree> trees) =>
        CSharpCompilation.Create(
            "UserProject",
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                allowUnsafe: true, optimizationLevel: OptimizationLevel.Release));

    public static CSharpCompilation Compilation(string name) =>
        Compilation([CSharpSyntaxTree.ParseText(Source(name), ParseOptions, path: "Networks.cs")]);

    /// <summary>A new driver: no cached state from an earlier run.</summary>
    public static GeneratorDriver Driver(ImmutableArray<AdditionalText> additionalFiles) =>
        CSharpGeneratorDriver.Create([new CnnGenerator().AsSourceGenerator()], additionalFiles, ParseOptions);

    /// <summary>Runs the generator; throws if it reports an error.</summary>
    public static GeneratorDriverRunResult Generate(Compilation compilation, ImmutableArray<AdditionalText> additionalFiles)
    {
        var result = Driver(additionalFiles).RunGenerators(compilation).GetRunResult();
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0 || result.GeneratedTrees.IsEmpty)
        {
            throw new InvalidOperationException("The generator failed:\n" + string.Join("\n", errors));
        }

        return result;
    }

    /// <summary>Files, lines and characters the generator writes for the network (computed once).</summary>
    public static (int Files, int Lines, int Chars) GeneratedSize(string name) => Sizes.GetOrAdd(name, n =>
    {
        var texts = Generate(Compilation(n), AdditionalFiles(n)).GeneratedTrees.Select(t => t.GetText()).ToList();
        return (texts.Count, texts.Sum(t => t.Lines.Count), texts.Sum(t => t.Length));
    });

    /// <summary>A .cnn file in memory, as a build hands it to the generator (an AdditionalFiles item).</summary>
    internal sealed class CnnFile(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    [GeneratedRegex(@"/// <summary>(?:(?!/// <summary>).)*?public partial class (?<name>\w+);", RegexOptions.Singleline)]
    private static partial Regex Declaration();
}
