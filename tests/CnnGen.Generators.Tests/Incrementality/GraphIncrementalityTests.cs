using CnnGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace CnnGen.Generators.Tests.Incrementality;

/// <summary>
/// The caching guarantees of <see cref="IncrementalityTests"/> for networks with From and
/// merges: what a layer reads is part of the equatable model, so a second run caches
/// everything, moving a declaration re-emits nothing, and changing what a layer reads (or the
/// order of a concatenation) re-emits that network alone.
/// </summary>
public class GraphIncrementalityTests
{
    private const string Networks = """
        using CnnGen;

        namespace Graphs
        {
            [Network]
            [Input(8, 8, 4)]
            [Conv2D(4, 3, Padding = Padding.Same, Activation = Activation.Relu, Name = "stem")]
            [Conv2D(4, 3, Padding = Padding.Same)]
            [Conv2D(4, 1, From = "stem")]
            [Add("conv2d_2", "conv2d_3", "input", Activation = Activation.Relu)]
            [GlobalAvgPool]
            [Dense(4, Activation = Activation.Sigmoid)]
            [Multiply("add_1", "dense_1")]
            [Concatenate("multiply_1", "stem")]
            public partial class Residual;

            [Network]
            [Input(16)]
            [Dense(8, Name = "a")]
            [Dense(8, From = "input", Name = "b")]
            [Add("a", "b")]
            public partial class Pair;
        }
        """;

    private static readonly string[] AllSteps =
    {
        CnnGenerator.Steps.AttributeSpecs, CnnGenerator.Steps.Catalog, CnnGenerator.Steps.Analyses, CnnGenerator.Steps.Models,
    };

    [Fact]
    public void RunningAgainCachesEveryStepAndTheModelsHoldWhatEachLayerReads()
    {
        var compilation = GeneratorHarness.Compilation(Networks);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var models = Outputs(Result(driver), CnnGenerator.Steps.Models).Cast<Generators.Model.NetworkModel>().ToList();
        var residual = models.Single(m => m.ClassName == "Residual");
        Assert.True(residual.IsValid);
        Assert.Equal(new[] { -1, 0, 0 }, new[] { residual.Layers[0].Inputs[0], residual.Layers[1].Inputs[0], residual.Layers[2].Inputs[0] });
        Assert.Equal(new[] { 1, 2, -1 }, residual.Layers[3].Inputs);
        Assert.Equal(new[] { 6, 0 }, residual.Layers[7].Inputs);

        driver = driver.RunGenerators(compilation.Clone());
        foreach (var step in AllSteps)
        {
            AssertReasons(Result(driver), step, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        }
    }

    [Fact]
    public void TheSameSourceGivesEqualModelsThatHoldNoCompilerObjects()
    {
        var first = Result(GeneratorHarness.Driver().RunGenerators(GeneratorHarness.Compilation(Networks)));
        var second = Result(GeneratorHarness.Driver().RunGenerators(GeneratorHarness.Compilation(Networks)));
        foreach (var step in AllSteps)
        {
            var left = Outputs(first, step);
            var right = Outputs(second, step);
            Assert.Equal(left.Count, right.Count);
            for (var i = 0; i < left.Count; i++)
            {
                Assert.True(left[i].Equals(right[i]), $"{step} output {i} differs between two runs on the same source");
                Assert.Equal(left[i].GetHashCode(), right[i].GetHashCode());
                ModelWalker.AssertHoldsNoCompilerObjects(left[i], step);
            }
        }
    }

    [Fact]
    public void MovingAGraphDownALineReEmitsNothing()
    {
        var compilation = GeneratorHarness.Compilation(Networks);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single();
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(0, 0, "\n"))));
        AssertReasons(Result(driver), CnnGenerator.Steps.Models, IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Cached);
    }

    [Theory]
    [InlineData("[Conv2D(4, 1, From = \"stem\")]", "[Conv2D(4, 1, From = \"input\")]")]
    [InlineData("[Concatenate(\"multiply_1\", \"stem\")]", "[Concatenate(\"stem\", \"multiply_1\")]")]
    [InlineData("[Add(\"conv2d_2\", \"conv2d_3\", \"input\", ", "[Add(\"conv2d_2\", \"input\", \"conv2d_3\", ")]
    public void ChangingWhatALayerReadsReEmitsThatNetworkOnly(string before, string after)
    {
        var compilation = GeneratorHarness.Compilation(Networks);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var sources = Result(driver).GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());

        var tree = compilation.SyntaxTrees.Single();
        var text = tree.GetText().ToString();
        Assert.Contains(before, text, StringComparison.Ordinal);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(text.Replace(before, after)))));
        var result = Result(driver);
        var models = result.TrackedSteps[CnnGenerator.Steps.Models].SelectMany(s => s.Outputs).ToList();
        Assert.Contains("Residual", Assert.Single(models, o => o.Reason == IncrementalStepRunReason.Modified).Value.ToString(), StringComparison.Ordinal);
        Assert.Single(models, o => o.Reason == IncrementalStepRunReason.Cached);

        var emitted = result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        Assert.NotEqual(sources["Graphs.Residual.g.cs"], emitted["Graphs.Residual.g.cs"]);
        Assert.Equal(sources["Graphs.Pair.g.cs"], emitted["Graphs.Pair.g.cs"]);
    }

    private static GeneratorRunResult Result(GeneratorDriver driver) => Assert.Single(driver.GetRunResult().Results);

    private static List<object> Outputs(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Value).ToList();

    private static void AssertReasons(GeneratorRunResult result, string step, params IncrementalStepRunReason[] allowed)
    {
        foreach (var (value, reason) in result.TrackedSteps[step].SelectMany(s => s.Outputs))
        {
            Assert.True(allowed.Contains(reason), $"step {step}: output {reason}, expected {string.Join(" or ", allowed)}: {value}");
        }
    }
}
