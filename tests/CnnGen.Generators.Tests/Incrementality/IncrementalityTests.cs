using System.Collections;
using System.Reflection;
using CnnGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CnnGen.Generators.Tests.Incrementality;

/// <summary>
/// The pipeline caches what it can (as the NetEscapades.EnumGenerators and System.Text.Json
/// tests check): a second run on the same input is all Cached or Unchanged; an unrelated edit
/// does not re-run shape inference; moving a declaration changes only diagnostic locations;
/// and no step output holds a symbol, a syntax node, a location or a compilation.
/// </summary>
public class IncrementalityTests
{
    private static readonly string[] AllSteps =
    {
        CnnGenerator.Steps.AttributeSpecs, CnnGenerator.Steps.Catalog, CnnGenerator.Steps.Analyses, CnnGenerator.Steps.Models,
    };

    // Three networks: a valid one, one that takes its input from it, and one with a warning.
    private const string Networks = """
        using CnnGen;

        namespace Zoo
        {
            [Network]
            [Input(28, 28, 1)]
            [Conv2D(6, 5, Padding = Padding.Same, Activation = Activation.Relu)]
            [MaxPool2D(2)]
            [Conv2D(16, 5, Activation = Activation.Relu)]
            [MaxPool2D(2)]
            public partial class Features;

            [Network]
            [Input(typeof(Features))]
            [Flatten]
            [Dense(10, Activation = Activation.Softmax)]
            public partial class Classifier;

            [Network]
            [Input(4)]
            public partial class Empty;
        }
        """;

    [Fact]
    public void RunningAgainOnAClonedCompilationCachesEveryStep()
    {
        var compilation = GeneratorHarness.Compilation(Networks);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var first = Result(driver);
        foreach (var step in AllSteps)
        {
            Assert.True(first.TrackedSteps.ContainsKey(step), $"step {step} did not run");
        }

        driver = driver.RunGenerators(compilation.Clone());
        var second = Result(driver);
        foreach (var step in AllSteps)
        {
            AssertReasons(step, second.TrackedSteps[step], IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        }

        // No source is added again.
        var sourceOutputs = second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs)
            .Where(o => o.Value is System.Runtime.CompilerServices.ITuple { Length: 2 } tuple && ((IEnumerable)tuple[0]!).Cast<object>().Any())
            .ToList();
        Assert.Equal(3, sourceOutputs.Count);
        Assert.All(sourceOutputs, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void AddingAnUnrelatedFileDoesNotRerunShapeInference()
    {
        var compilation = GeneratorHarness.Compilation(Networks);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var sources = Result(driver).GeneratedSources.Select(s => s.SourceText.ToString()).ToList();

        var unrelated = CSharpSyntaxTree.ParseText("namespace Zoo { public class Keeper { public int Count; } }", GeneratorHarness.ParseOptions, path: "Keeper.cs");
        driver = driver.RunGenerators(compilation.AddSyntaxTrees(unrelated));
        var result = Result(driver);

        // The attribute transform re-runs on a new compilation, but finds equal specs...
        AssertReasons(CnnGenerator.Steps.AttributeSpecs, result.TrackedSteps[CnnGenerator.Steps.AttributeSpecs],
            IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertReasons(CnnGenerator.Steps.Catalog, result.TrackedSteps[CnnGenerator.Steps.Catalog],
            IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        // ...so shape inference and everything after it is not executed at all.
        AssertReasons(CnnGenerator.Steps.Analyses, result.TrackedSteps[CnnGenerator.Steps.Analyses], IncrementalStepRunReason.Cached);
        AssertReasons(CnnGenerator.Steps.Models, result.TrackedSteps[CnnGenerator.Steps.Models], IncrementalStepRunReason.Cached);
        Assert.Equal(sources, result.GeneratedSources.Select(s => s.SourceText.ToString()));
    }

    [Fact]
    public void MovingADeclarationDownALineChangesOnlyDiagnosticLocations()
    {
        var compilation = GeneratorHarness.Compilation(Networks);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var sources = Result(driver).GeneratedSources.Select(s => s.SourceText.ToString()).ToList();

        var tree = compilation.SyntaxTrees.Single();
        var moved = tree.WithChangedText(tree.GetText().Replace(0, 0, "\n"));
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, moved));
        var result = Result(driver);

        // The specs hold locations, so they change; the analyses change only where a diagnostic moved...
        AssertReasons(CnnGenerator.Steps.AttributeSpecs, result.TrackedSteps[CnnGenerator.Steps.AttributeSpecs], IncrementalStepRunReason.Modified);
        var analyses = result.TrackedSteps[CnnGenerator.Steps.Analyses].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(3, analyses.Count);
        Assert.Single(analyses, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Equal(2, analyses.Count(o => o.Reason == IncrementalStepRunReason.Unchanged));
        // ...and the models, which hold no location, are equal (Unchanged where recomputed, Cached
        // where the analysis was unchanged): no source is emitted again.
        AssertReasons(CnnGenerator.Steps.Models, result.TrackedSteps[CnnGenerator.Steps.Models],
            IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Cached);
        Assert.Single(result.TrackedSteps[CnnGenerator.Steps.Models].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Unchanged);
        Assert.Equal(sources, result.GeneratedSources.Select(s => s.SourceText.ToString()));

        // The warning (reported by the analyzer, from the same analyses) moves with the declaration.
        var warningBefore = Assert.Single(GeneratorHarness.Analyze(compilation), d => d.Id == "CNN0016").Location.GetLineSpan();
        var warningAfter = Assert.Single(GeneratorHarness.Analyze(compilation.ReplaceSyntaxTree(tree, moved)), d => d.Id == "CNN0016").Location.GetLineSpan();
        Assert.Equal(warningBefore.StartLinePosition.Line + 1, warningAfter.StartLinePosition.Line);
    }

    [Fact]
    public void EditingOneNetworkReEmitsOnlyWhatDependsOnIt()
    {
        var compilation = GeneratorHarness.Compilation(Networks);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.Single();
        var text = tree.GetText().ToString();
        var edited = tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(text.Replace("[Dense(10, ", "[Dense(12, ")));
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, edited));
        var result = Result(driver);

        // Shape inference runs over the whole catalog (a network may feed another), but only the
        // classifier's analysis differs; the other two models are not even recomputed.
        var analyses = result.TrackedSteps[CnnGenerator.Steps.Analyses].SelectMany(s => s.Outputs).ToList();
        Assert.Contains("Classifier", Assert.Single(analyses, o => o.Reason == IncrementalStepRunReason.Modified).Value.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, analyses.Count(o => o.Reason == IncrementalStepRunReason.Unchanged));
        var models = result.TrackedSteps[CnnGenerator.Steps.Models].SelectMany(s => s.Outputs).ToList();
        Assert.Contains("Classifier", Assert.Single(models, o => o.Reason == IncrementalStepRunReason.Modified).Value.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, models.Count(o => o.Reason == IncrementalStepRunReason.Cached));
    }

    [Fact]
    public void TheSameSourceGivesEqualModelsWithEqualHashCodes()
    {
        var first = Result(GeneratorHarness.Driver().RunGenerators(GeneratorHarness.Compilation(Networks)));
        var second = Result(GeneratorHarness.Driver().RunGenerators(GeneratorHarness.Compilation(Networks)));
        foreach (var step in AllSteps)
        {
            var left = first.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Value).ToList();
            var right = second.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Value).ToList();
            Assert.Equal(left.Count, right.Count);
            for (var i = 0; i < left.Count; i++)
            {
                Assert.NotSame(left[i], right[i]);
                Assert.True(left[i].Equals(right[i]), $"{step} output {i} differs between two runs on the same source");
                Assert.Equal(left[i].GetHashCode(), right[i].GetHashCode());
            }
        }
    }

    [Fact]
    public void StepOutputsHoldNoSymbolSyntaxLocationOrCompilation()
    {
        var errors = Networks.Replace("[Conv2D(16, 5, ", "[Conv2D(16, 50, ").Replace("[Input(4)]", "[Input(4)]\n[Dense(0)]");
        foreach (var source in new[] { Networks, errors })
        {
            var result = Result(GeneratorHarness.Driver().RunGenerators(GeneratorHarness.Compilation(source)));
            var walked = 0;
            foreach (var step in AllSteps)
            {
                foreach (var (value, _) in result.TrackedSteps[step].SelectMany(r => r.Outputs))
                {
                    walked += ModelWalker.AssertHoldsNoCompilerObjects(value, step);
                }
            }

            Assert.True(walked > 100, $"walked only {walked} objects");
        }
    }

    [Fact]
    public void TheWalkerFindsACompilerObjectHiddenInANestedRecordArray()
    {
        var tree = CSharpSyntaxTree.ParseText("class C { }");
        var hidden = new Holder("outer", new[] { new Holder("inner", Array.Empty<Holder>(), null) , new Holder("deep", Array.Empty<Holder>(), tree.GetRoot().GetLocation()) }, null);
        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => ModelWalker.AssertHoldsNoCompilerObjects(hidden, "test"));
        Assert.Contains("Location", failure.Message, StringComparison.Ordinal);
    }

    private sealed record Holder(string Name, Holder[] Children, object? Payload);

    private static GeneratorRunResult Result(GeneratorDriver driver) => Assert.Single(driver.GetRunResult().Results);

    private static void AssertReasons(string step, IEnumerable<IncrementalGeneratorRunStep> runs, params IncrementalStepRunReason[] allowed)
    {
        foreach (var run in runs)
        {
            foreach (var (value, reason) in run.Outputs)
            {
                Assert.True(allowed.Contains(reason), $"step {step}: output {reason}, expected {string.Join(" or ", allowed)}: {value}");
            }
        }
    }
}

/// <summary>
/// Walks an object graph by reflection (fields of records and classes, arrays, ImmutableArray,
/// EquatableArray and every other enumerable) and fails on anything that would keep a
/// compilation alive or break caching.
/// </summary>
internal static class ModelWalker
{
    private static readonly Type[] Forbidden =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(Compilation), typeof(SemanticModel),
        typeof(SyntaxToken), typeof(SyntaxTrivia), typeof(SyntaxReference), typeof(AttributeData), typeof(TypedConstant), typeof(IOperation),
        typeof(Microsoft.CodeAnalysis.Text.SourceText),
    };

    /// <summary>Returns the number of objects visited.</summary>
    public static int AssertHoldsNoCompilerObjects(object? root, string step)
    {
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var count = 0;
        Walk(root, step);
        return count;

        void Walk(object? value, string path)
        {
            if (value is null)
            {
                return;
            }

            var type = value.GetType();
            foreach (var forbidden in Forbidden)
            {
                Assert.False(forbidden.IsAssignableFrom(type), $"{path} holds a {type.FullName} ({forbidden.Name})");
            }

            if (type.IsPrimitive || type.IsEnum || value is string or decimal || !type.IsValueType && !visited.Add(value))
            {
                return;
            }

            count++;
            if (value is DiagnosticDescriptor)
            {
                return; // a static description (ID, message format), shared by every run
            }

            if (value is IEnumerable items)
            {
                var i = 0;
                foreach (var item in items)
                {
                    Walk(item, $"{path}[{i++}]");
                }

                if (type.IsArray)
                {
                    return;
                }
            }

            for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
            {
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    Walk(field.GetValue(value), path + "." + field.Name);
                }
            }
        }
    }
}
