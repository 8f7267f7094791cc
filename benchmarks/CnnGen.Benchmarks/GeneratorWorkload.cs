using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using CnnGen.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CnnGen.Benchmarks;

/// <summary>
/// The generator's input for GeneratorBenchmarks: the declarations of Networks.cs (embedded in
/// this assembly), one network at a time or all four, in a compilation that references the
/// framework and CnnGen, as tests/CnnGen.Generators.Tests' GeneratorHarness builds them.
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

    /// <summary>The four network names and <see cref="All"/>.</summary>
    public static IEnumerable<string> Names => Workloads.Names.Append(All);

    /// <summary>The using and namespace lines of Networks.cs with one declaration, or the whole file for <see cref="All"/>.</summary>
    public static string Source(string name)
    {
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
    public static GeneratorDriver Driver() =>
        CSharpGeneratorDriver.Create([new CnnGenerator().AsSourceGenerator()], parseOptions: ParseOptions);

    /// <summary>Runs the generator; throws if it reports an error.</summary>
    public static GeneratorDriverRunResult Generate(Compilation compilation)
    {
        var result = Driver().RunGenerators(compilation).GetRunResult();
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
        var texts = Generate(Compilation(n)).GeneratedTrees.Select(t => t.GetText()).ToList();
        return (texts.Count, texts.Sum(t => t.Lines.Count), texts.Sum(t => t.Length));
    });

    [GeneratedRegex(@"/// <summary>(?:(?!/// <summary>).)*?public partial class (?<name>\w+);", RegexOptions.Singleline)]
    private static partial Regex Declaration();
}
