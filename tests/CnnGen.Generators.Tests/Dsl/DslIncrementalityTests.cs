namespace CnnGen.Generators.Tests.Dsl;

using System.Reflection;
using CnnGen.Generators.Dsl;
using CnnGen.Generators.Model;
using CnnGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

/// <summary>The generator's caching with .cnn files: an edit regenerates exactly the networks it touches.</summary>
public class DslIncrementalityTests
{
    private static readonly InMemoryAdditionalText FileA = new("nets/a.cnn", "namespace Nets;\nnetwork A(input: 4) { dense(2) }");
    private static readonly InMemoryAdditionalText FileB = new("nets/b.cnn", "namespace Nets;\nnetwork B(input: 4) { dense(3) }\nnetwork C(input: B) { dense(1) }");

    private static GeneratorDriver Driver() => CSharpGeneratorDriver.Create(
        new[] { new CnnGenerator().AsSourceGenerator() },
        new AdditionalText[] { FileA, FileB },
        GeneratorHarness.ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    [Fact]
    public void EditingOneCnnFileRegeneratesOnlyItsNetworksAndTheirDependents()
    {
        var compilation = GeneratorHarness.Compilation("class Unrelated { }");
        var driver = Driver().RunGenerators(compilation);
        driver = driver.ReplaceAdditionalText(FileB, new InMemoryAdditionalText(FileB.Path, FileB.GetText().ToString().Replace("dense(3)", "dense(5)")));
        var result = driver.RunGenerators(compilation).GetRunResult().Results[0];

        Assert.Equal(new[] { "A Cached", "B,C Modified" }, Reasons(result, CnnGenerator.Steps.DslFiles));
        // C takes B's output, so it changes with B; A is untouched.
        Assert.Equal(new[] { "A Cached", "B Modified", "C Modified" }, Reasons(result, CnnGenerator.Steps.Models));
        Assert.Equal(new[] { "A Cached", "B Modified", "C Modified" }, EmittedSources(result));
    }

    [Fact]
    public void MovingADeclarationRegeneratesNothing()
    {
        var compilation = GeneratorHarness.Compilation("class Unrelated { }");
        var driver = Driver().RunGenerators(compilation);
        driver = driver.ReplaceAdditionalText(FileA, new InMemoryAdditionalText(FileA.Path, "// a comment moves A down a line\n" + FileA.GetText()));
        var result = driver.RunGenerators(compilation).GetRunResult().Results[0];

        Assert.Equal(new[] { "A Modified", "B,C Cached" }, Reasons(result, CnnGenerator.Steps.DslFiles));
        Assert.Equal(new[] { "A Cached", "B Cached", "C Cached" }, Reasons(result, CnnGenerator.Steps.Models));
        Assert.Equal(new[] { "A Cached", "B Cached", "C Cached" }, EmittedSources(result));
    }

    [Fact]
    public void EditingACSharpFileRegeneratesNone()
    {
        var compilation = GeneratorHarness.Compilation("class Unrelated { }");
        var driver = Driver().RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From("class Unrelated { int x; }")));
        var result = driver.RunGenerators(edited).GetRunResult().Results[0];

        Assert.Equal(new[] { "A Cached", "B,C Cached" }, Reasons(result, CnnGenerator.Steps.DslFiles));
        Assert.Equal(new[] { "Cached" }, result.TrackedSteps[CnnGenerator.Steps.Catalog].SelectMany(s => s.Outputs).Select(o => o.Reason.ToString()));
        Assert.Equal(new[] { "A Cached", "B Cached", "C Cached" }, Reasons(result, CnnGenerator.Steps.Models));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void ParsedFilesHoldNoCompilerObjects()
    {
        var file = DslFile.Parse("a.cnn", "namespace N; network A(input: 8x8x1) { conv2d(8, 3x3, name: c) foo() dense(2) } network B(input: A) { flatten() }");
        AssertHoldsNoCompilerObjects(file, new HashSet<object>(ReferenceEqualityComparer.Instance));
    }

    /// <summary>"A Cached" per output of a step: the networks it is about, and why it ran.</summary>
    private static List<string> Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => Describe(o.Value) + " " + o.Reason).ToList();

    /// <summary>The source outputs that write networks' code, by network, with why they ran.</summary>
    private static List<string> EmittedSources(GeneratorRunResult result) =>
        result.TrackedOutputSteps.SelectMany(s => s.Value)
            .Where(s => s.Inputs.Any(i => i.Source.Outputs[i.OutputIndex].Value is NetworkModel))
            .Select(s => Describe(s.Inputs[0].Source.Outputs[s.Inputs[0].OutputIndex].Value) + " " + s.Outputs.Single().Reason)
            .ToList();

    private static string Describe(object value) => value switch
    {
        NetworkModel model => model.ClassName,
        DslFile file => string.Join(",", file.Networks.Select(n => n.ClassName)),
        _ => value.GetType().Name,
    };

    private static void AssertHoldsNoCompilerObjects(object? value, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !value.GetType().IsValueType && !seen.Add(value))
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or SyntaxTree or Compilation or SemanticModel, $"A parsed .cnn file holds a {value.GetType()}");
        if (value is DiagnosticDescriptor)
        {
            return;
        }

        if (value is System.Collections.IEnumerable items)
        {
            foreach (var item in items)
            {
                AssertHoldsNoCompilerObjects(item, seen);
            }
        }

        for (var type = value.GetType(); type is not null; type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (!field.FieldType.IsPointer && !field.FieldType.IsByRefLike)
                {
                    AssertHoldsNoCompilerObjects(field.GetValue(value), seen);
                }
            }
        }
    }
}
