using System.Collections.Immutable;
using CnnGen.Generators.Analysis;
using CnnGen.Generators.Dsl;
using CnnGen.Generators.Model;
using CnnGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CnnGen.Generators.Tests.Analysis;

/// <summary>
/// The analyzer alone (no generator run, as in an IDE that runs generators only on build)
/// finds every network the generator finds, reports what the generator's analyses hold, in
/// C# files and .cnn files, across the networks of the compilation; a build reports each
/// diagnostic once; each document or file reports only its own; the networks are gathered
/// once per compilation.
/// </summary>
public class AnalyzerTests
{
    private const string DigitsCnn = """
        namespace Examples.Digits;

        network DigitNet(input: 8x8x1) {
            conv2d(8, kernel: 3, padding: same, activation: relu)
            max_pool2d(2)
            conv2d(16, kernel: 5, activation: relu)
            flatten()
            dense(10, activation: softmax)
        }
        """;

    [Fact]
    public void ErrorsInACnnFileAreReportedAtTheTokenWithoutTheGenerator()
    {
        var diagnostics = Cnn(GeneratorHarness.Analyze(GeneratorHarness.Compilation(), GeneratorHarness.AdditionalFiles(("nets/digits.cnn", DigitsCnn))));
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("CNN0103", diagnostic.Id);
        Assert.Equal(LocationKind.ExternalFile, diagnostic.Location.Kind);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal("nets/digits.cnn", span.Path);
        // The kernel value '5' on line 6 (0-based 5), after "    conv2d(16, kernel: " (23 characters).
        Assert.Equal((5, 23, 5, 24), (span.StartLinePosition.Line, span.StartLinePosition.Character, span.EndLinePosition.Line, span.EndLinePosition.Character));
        Assert.Equal("conv2d 'conv2d_2' has a 5x5 kernel but its input is 4x4x8 with padding 'valid'; the output height would be 0. " +
            "Use padding 'same', a smaller kernel, or remove a pooling layer before it.", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void SyntaxErrorsOfEveryCnnFileAreReportedWithTheirNetworksErrors()
    {
        var files = GeneratorHarness.AdditionalFiles(
            ("a.cnn", "namespace N;\nnetwork A(input: 8x8x1) {\n    conv2d(8, kernal: 3)\n    dense(10 20)\n}\n"),
            ("b.cnn", "namespace N;\nnetwork B(input: 4) { dense(2) }\nnetwork B(input: 4) { dense(3) }\n@"),
            ("notes.txt", "network C(input: 4) { dense(0) }"));
        var reported = Cnn(GeneratorHarness.Analyze(GeneratorHarness.Compilation(), files)).Select(Describe).ToList();
        Assert.Equal(new[]
        {
            "CNN0207 a.cnn(3,15)",
            "CNN0201 a.cnn(4,14)",
            "CNN0014 b.cnn(3,9)",
            "CNN0202 b.cnn(4,1)",
        }, reported.Select(r => r[..r.IndexOf(':', StringComparison.Ordinal)]));
        // The same diagnostics, messages included, as the compiler core gives for these files.
        Assert.Equal(DslHarness(files).Order(StringComparer.Ordinal), reported.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ABuildReportsEachDiagnosticOnceInCSharpAndCnnFiles()
    {
        const string attributes = """
            using CnnGen;

            [Network]
            [Input(4, 4, 8)]
            [Conv2D(16, 5)]
            public partial class Broken;

            [Network]
            [Input(4)]
            public partial class Empty;
            """;
        var run = GeneratorHarness.Run(attributes, ("nets/digits.cnn", DigitsCnn));
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id.StartsWith("CNN", StringComparison.Ordinal));
        var build = Cnn(GeneratorHarness.Analyze(run.Output, run.AdditionalFiles)).Select(Describe).ToList();
        Assert.Equal(new[] { "CNN0103", "CNN0016", "CNN0103" }, build.Select(d => d[..7]));
        Assert.Equal(build.Distinct().Count(), build.Count);
        // The analyzer alone (before any generation) reports the same.
        Assert.Equal(build, Cnn(GeneratorHarness.Analyze(run.Input, run.AdditionalFiles)).Select(Describe));
    }

    [Fact]
    public void ChainedNetworksAreCheckedAcrossFilesAndLanguages()
    {
        const string stem = """
            using CnnGen;
            namespace Examples;

            [Network]
            [Input(6)]
            [Dense(0)]
            public partial class Stem;
            """;
        const string tail = """
            using CnnGen;
            namespace Examples;

            [Network]
            [Input(typeof(Head))]
            [Dense(2)]
            public partial class Tail;
            """;
        var files = GeneratorHarness.AdditionalFiles(
            ("a.cnn", "namespace Examples;\nnetwork Backbone(input: Stem) { dense(4) }"),
            ("b.cnn", "namespace Examples;\nnetwork Head(input: Backbone) { dense(3) }"));
        var reported = Cnn(GeneratorHarness.Analyze(GeneratorHarness.Compilation(stem, tail), files)).Select(Describe).ToList();
        Assert.Equal(new[]
        {
            "CNN0006 Source0.cs(6,8): Dense 'dense_1' has units 0; it must be at least 1",
            "CNN0017 Source1.cs(5,2): The network 'Tail' takes its input from 'Head', which has errors; fix 'Head' first",
            "CNN0017 a.cnn(2,25): The network 'Backbone' takes its input from 'Stem', which has errors; fix 'Stem' first",
            "CNN0017 b.cnn(2,21): The network 'Head' takes its input from 'Backbone', which has errors; fix 'Backbone' first",
        }, reported);
        AssertSameAsTheGenerator(new[] { stem, tail }, files);
    }

    [Theory]
    [InlineData("using Net = CnnGen.NetworkAttribute;\n[Net]\n[CnnGen.Input(4)]\n[CnnGen.Dense(0)]\npublic partial class A;")]
    [InlineData("using NetAttribute = CnnGen.NetworkAttribute;\n[Net]\n[CnnGen.Input(4)]\n[CnnGen.Dense(0)]\npublic partial class A;")]
    [InlineData("[global::CnnGen.NetworkAttribute()]\n[CnnGen.Input(4)]\n[CnnGen.Dense(0)]\npublic class A;")]
    [InlineData("namespace Outer { public partial class Box { [CnnGen.Network, CnnGen.Input(4, 4)] public partial record Net; } }")]
    [InlineData("public partial class A { }\n[CnnGen.Network]\n[CnnGen.Input(4)]\npublic partial class A;\n[CnnGen.Network]\npublic partial class A;")]
    public void FindsTheNetworksTheGeneratorFinds(string source)
    {
        // A global alias declared in another file counts too.
        var aliases = "global using GlobalNet = CnnGen.NetworkAttribute;\n[GlobalNet]\n[CnnGen.Input(2)]\npublic partial class ByGlobalAlias;";
        var found = AssertSameAsTheGenerator(new[] { source, aliases }, ImmutableArray<AdditionalText>.Empty);
        Assert.NotEmpty(found);
        Assert.Contains(found, d => d.StartsWith("CNN0016 Source1.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void EachDocumentAndCnnFileReportsOnlyItsOwnDiagnostics()
    {
        var compilation = GeneratorHarness.Compilation(
            "using CnnGen;\n[Network]\n[Input(3, 3, 1)]\n[Conv2D(2, 5)]\npublic partial class A;",
            "using CnnGen;\n[Network]\n[Input(4)]\n[Dense(0)]\npublic partial class B;");
        var files = GeneratorHarness.AdditionalFiles(("c.cnn", "network C(input: A) { dense(2) }"), ("d.cnn", "network D(input: 4) { dense(0) }"));
        var analyzer = new CnnAnalyzer();
        var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(analyzer),
            new CompilationWithAnalyzersOptions(new AnalyzerOptions(files), null, concurrentAnalysis: false, logAnalyzerExecutionTime: false));

        var perDocument = compilation.SyntaxTrees.Select(tree =>
            withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(tree), null, CancellationToken.None).Result.Select(d => d.Id)).ToList();
        Assert.Equal(new[] { new[] { "CNN0103" }, new[] { "CNN0006" } }, perDocument);
        var perFile = files.Select(file => withAnalyzers.GetAnalysisResultAsync(file, CancellationToken.None).Result.GetAllDiagnostics().Select(d => d.Id)).ToList();
        Assert.Equal(new[] { new[] { "CNN0017" }, new[] { "CNN0006" } }, perFile);
        // Four requests, one gathering of the networks.
        Assert.Equal(1, analyzer.CatalogsBuilt);
    }

    [Fact]
    public void TheNetworksAreGatheredOncePerCompilation()
    {
        var analyzer = new CnnAnalyzer();
        var compilation = GeneratorHarness.Compilation(TwentyNetworks.Source);
        var diagnostics = GeneratorHarness.Analyze(compilation, analyzer: analyzer);
        Assert.Equal(new[] { "CNN0103" }, Cnn(diagnostics).Select(d => d.Id));
        Assert.Equal(1, analyzer.CatalogsBuilt);

        // An edit is a new compilation: gathered again, once.
        var tree = compilation.SyntaxTrees.Single();
        GeneratorHarness.Analyze(compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(0, 0, "// edit\n"))), analyzer: analyzer);
        Assert.Equal(2, analyzer.CatalogsBuilt);
    }

    [Fact]
    public void CodeFixPropertiesCarryTheInferredNumbers()
    {
        var diagnostics = Cnn(GeneratorHarness.Analyze(GeneratorHarness.Compilation("""
            using CnnGen;

            [Network]
            [Input(6, 4, 1)]
            [Conv2D(2, 5)]
            public partial class Window;

            [Network]
            [Input(5, 5, 3)]
            [Conv2D(4, 3)]
            [Dense(10)]
            public partial class Rank;

            [Network(DataFormat = DataFormat.ChannelsFirst)]
            [Input(3, 5, 5)]
            [Conv2D(4, 3)]
            [Output(4, 5, 5)]
            public partial class Declared;
            """)));
        Assert.Equal(new[] { "CNN0103", "CNN0101", "CNN0104" }, diagnostics.Select(d => d.Id));
        Assert.Equal("4", diagnostics[0].Properties[FixProperties.LargestWindow]);
        Assert.Equal("2", diagnostics[1].Properties[FixProperties.InputRank]);
        Assert.Equal("4,3,3", diagnostics[2].Properties[FixProperties.InferredOutput]);
    }

    /// <summary>
    /// Asserts that the analyzer alone reports exactly what the generator's pipeline holds: the
    /// diagnostics of each analysis and of each .cnn file. Returns them, described.
    /// </summary>
    private static List<string> AssertSameAsTheGenerator(string[] sources, ImmutableArray<AdditionalText> files)
    {
        var compilation = GeneratorHarness.Compilation(sources);
        var result = GeneratorHarness.Driver(files).RunGenerators(compilation).GetRunResult().Results.Single();
        var fromPipeline = result.TrackedSteps[CnnGenerator.Steps.Analyses].SelectMany(s => s.Outputs)
            .SelectMany(o => ((NetworkAnalysis)o.Value).Diagnostics)
            .Concat(result.TrackedSteps.TryGetValue(CnnGenerator.Steps.DslFiles, out var dsl)
                ? dsl.SelectMany(s => s.Outputs).SelectMany(o => ((DslFile)o.Value).Diagnostics)
                : Enumerable.Empty<DiagnosticInfo>())
            .Select(d => Describe(d.ToDiagnostic(compilation))).Order(StringComparer.Ordinal).ToList();
        var fromAnalyzer = Cnn(GeneratorHarness.Analyze(compilation, files)).Select(Describe).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(fromPipeline, fromAnalyzer);
        return fromAnalyzer;
    }

    private static List<string> DslHarness(ImmutableArray<AdditionalText> files)
    {
        var parsed = files.Where(f => DslFile.IsDslPath(f.Path)).Select(f => DslFile.Parse(f.Path, f.GetText()!.ToString())).ToList();
        var catalog = new CnnGen.Generators.Shapes.NetworkCatalog(parsed.SelectMany(f => f.Networks).ToEquatableArray());
        return parsed.SelectMany(f => f.Diagnostics).Concat(NetworkCompiler.AnalyzeAll(catalog).SelectMany(a => a.Diagnostics))
            .Select(d => Describe(d.ToDiagnostic())).ToList();
    }

    private static List<Diagnostic> Cnn(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Where(d => d.Id.StartsWith("CNN", StringComparison.Ordinal) && !d.IsSuppressed).ToList();

    /// <summary>"CNN0103 file(line,col): message", 1-based as the compiler prints it.</summary>
    private static string Describe(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        return $"{diagnostic.Id} {span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): " +
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
    }
}
