using CnnGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CnnGen.Generators.Tests.Analysis;

/// <summary>
/// CNN0302: a note on every generated network of a build without optimization (Debug), whose
/// kernels the JIT does not optimise; none in Release, none on a network that is not generated.
/// </summary>
public class OptimizationNoteTests
{
    private const string Source = """
        using CnnGen;

        namespace Zoo;

        [Network]
        [Input(8, 8, 1)]
        [Conv2D(4, 3)]
        public partial class Good;

        [Network]
        [Input(4, 4, 1)]
        [Conv2D(4, 5)]
        public partial class Broken;
        """;

    [Fact]
    public void CNN0302_ADebugBuildGetsANoteOnEachGeneratedNetwork()
    {
        var compilation = GeneratorHarness.Compilation(Source);
        compilation = compilation.WithOptions(((CSharpCompilationOptions)compilation.Options).WithOptimizationLevel(OptimizationLevel.Debug));
        var notes = GeneratorHarness.Analyze(compilation).Where(d => d.Id == "CNN0302").ToList();
        var note = Assert.Single(notes);
        Assert.Equal(DiagnosticSeverity.Info, note.Severity);
        Assert.Equal("Good", note.Location.SourceTree!.GetText().ToString(note.Location.SourceSpan));
        Assert.Equal("'Good' is built without optimization (a Debug build), so its generated kernels run several times slower than in Release; " +
            "build with -c Release, or set <Optimize>true</Optimize> in the project, when speed matters",
            note.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void AReleaseBuildGetsNoNote()
    {
        Assert.DoesNotContain(GeneratorHarness.Analyze(GeneratorHarness.Compilation(Source)), d => d.Id == "CNN0302");
    }
}
