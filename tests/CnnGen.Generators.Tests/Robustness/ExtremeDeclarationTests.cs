using System.Text;
using CnnGen.Generators.Tests.Infrastructure;
using static CnnGen.Generators.Tests.Infrastructure.Expected;

namespace CnnGen.Generators.Tests.Robustness;

// Inside the namespace, so that the generator's model types win over the runtime's.
using CnnGen.Generators.Dsl;
using CnnGen.Generators.Model;
using CnnGen.Generators.Shapes;
using CnnGen.Generators.Tests.Dsl;

/// <summary>
/// Declarations that once built cleanly and then corrupted memory, failed to compile or made the
/// generator run out of memory: each is now refused with a located diagnostic before any code
/// is generated, and the generator's own limits (layers, source size, internal errors) are
/// diagnostics too, never exceptions.
/// </summary>
public class ExtremeDeclarationTests
{
    private const string PaddingFix = "use a smaller kernel or dilation, or padding 'valid'";

    [Fact]
    public void CNN0105_ADilationOfIntMaxValueWithSamePaddingIsRefusedOnTheDilation()
    {
        // Once: a clean build, then an access violation in Forward (the padding was clamped at int.MaxValue).
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 1)]
            [Conv1D(1, 3, [|Dilation = int.MaxValue|], Padding = Padding.Same)]
            public partial class Net;
            """,
            Error("CNN0105", "Conv1D 'conv1d_1' would have 4,294,967,302 input values per sample with its padding, more than the limit of 134,217,728; " + PaddingFix));
    }

    [Fact]
    public void CNN0105_ACausalDilationOfTwoToThe30IsRefused()
    {
        // Once: an access violation inside Span.CopyTo.
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 1)]
            [Conv1D(1, 3, [|Dilation = 1073741824|], Padding = Padding.Causal)]
            public partial class Net;
            """,
            Error("CNN0105", "Conv1D 'conv1d_1' would have 2,147,483,656 input values per sample with its padding, more than the limit of 134,217,728; " + PaddingFix));
    }

    [Fact]
    public void CNN0105_ARowDilationOfTwoToThe30IsRefusedOnTheDilations()
    {
        // Height padded to 2,147,483,656 rows, width to 10 columns.
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(1, 3, [|Dilations = new[] { 1073741824, 1 }|], Padding = Padding.Same)]
            public partial class Net;
            """,
            Error("CNN0105", "Conv2D 'conv2d_1' would have 21,474,836,560 input values per sample with its padding, more than the limit of 134,217,728; " + PaddingFix));
    }

    [Fact]
    public void CNN0105_APoolWindowOfTwoToThe30WithSamePaddingIsRefusedWithoutRunningOutOfMemory()
    {
        // Once: the generator itself ran out of memory, so no network of the project got code.
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 2)]
            [MaxPool1D([|1073741824|], Padding = Padding.Same)]
            public partial class Net;
            """,
            Error("CNN0105", "MaxPool1D 'max_pool1d_1' would have 2,147,483,648 input values per sample with its padding, more than the limit of 134,217,728; use a smaller pool window or padding 'valid'"));
    }

    [Theory]
    [InlineData(300000000, "Same", "600,000,008")]     // once: generated code that did not compile ('padded' undefined, a negative constant)
    [InlineData(600000000, "Causal", "1,200,000,008")]  // once: an OverflowException in Forward
    public void CNN0105_DilationsInTheHundredsOfMillionsAreRefused(int dilation, string padding, string values)
    {
        DiagnosticAssert.Reports($$"""
            [Network]
            [Input(8, 1)]
            [Conv1D(1, 3, [|Dilation = {{dilation}}|], Padding = Padding.{{padding}})]
            public partial class Net;
            """,
            Error("CNN0105", "Conv1D 'conv1d_1' would have " + values + " input values per sample with its padding, more than the limit of 134,217,728; " + PaddingFix));
    }

    [Fact]
    public void CNN0105_APoolWindowOfMoreThan65536CellsIsRefused()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(300, 300, 1)]
            [AvgPool2D([|300|])]
            public partial class Net;
            """,
            Error("CNN0105", "AvgPool2D 'avg_pool2d_1' would have 90,000 cells per pool window, more than the limit of 65,536; use a smaller pool window, or global pooling"));
    }

    [Fact]
    public void AStrideOfIntMaxValueWithOneOutputIsAcceptedAndStepsByOne()
    {
        // Legal in Keras (one output), and harmless: the kernels step by 1, the model keeps the stride written.
        var model = Model("network N(input: 8x8x2) { conv2d(4, 3, strides: 2147483647x1, padding: same) }");
        var layer = model.Layers[0];
        Assert.Equal((1, 8), (layer.Output.Height, layer.Output.Width));
        Assert.Equal((int.MaxValue, 1), (layer.Rows.Stride, layer.StrideHeight));
    }

    [Fact]
    public void CNN0105_ANetworkOf800000LayersIsRefusedQuickly()
    {
        // Once: 'cnngen check' passed it and 'cnngen compile' died with OutOfMemoryException at 5 GB.
        var text = new StringBuilder("network Deep(input: 4) {\n");
        for (var i = 0; i < 800_000; i++)
        {
            text.Append("    dense(4)\n");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var diagnostics = DslHarness.Check(text.Append("}\n").ToString());
        var message = Assert.Single(diagnostics);
        Assert.Equal("CNN0105 (1,9)-(1,13): The network 'Deep' would have 800,000 layers, more than the limit of 2,048; split it into networks that take their input from one another", message);
    }

    [Fact]
    public void CNN0301_ANetworkWhoseCodeWouldPassEightMillionCharactersGetsADiagnosticInsteadOfAFile()
    {
        // Valid, but a thousand convolutions, each on a length of its own (layers of one shape
        // share their code, so identical layers would not grow the file); 'cnngen compile' writes
        // nothing for it either.
        var text = new StringBuilder("network Wide(input: 1100x4) {\n");
        for (var i = 0; i < 1000; i++)
        {
            text.Append("    conv1d(4, 2, activation: relu)\n");
        }

        var model = Model(text.Append("}\n").ToString());
        var emitted = NetworkCompiler.Emit(model);
        Assert.NotNull(emitted.Failure);
        Assert.Equal("CNN0301", emitted.Failure!.Descriptor.Id);
        Assert.Equal("The generated code of 'Wide' would be more than 8,000,000 characters; make the layers smaller or fewer, or split the network into networks that take their input from one another",
            emitted.Failure.Message);
        Assert.DoesNotContain("Forward", emitted.Source, StringComparison.Ordinal);
        Assert.Contains("partial class Wide", emitted.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void CNN0300_AnExceptionInTheEmitterBecomesADiagnosticAndAnEmptyClass()
    {
        // A model no parser can produce (an undefined layer kind) stands in for a bug in an emitter.
        var model = Model("network Broken(input: 8) { dense(4) }");
        model = model with { Layers = EquatableArray.Create(model.Layers[0] with { Kind = (LayerKind)999 }) };
        var emitted = NetworkCompiler.Emit(model);
        Assert.Equal("CNN0300", emitted.Failure?.Descriptor.Id);
        Assert.StartsWith("CnnGen failed on 'Broken' (KeyNotFoundException: ", emitted.Failure!.Message, StringComparison.Ordinal);
        Assert.Contains("partial class Broken", emitted.Source, StringComparison.Ordinal);
    }

    private static NetworkModel Model(string text)
    {
        var file = DslFile.Parse("extreme.cnn", text);
        Assert.Empty(file.Diagnostics);
        var analysis = NetworkCompiler.AnalyzeAll(new NetworkCatalog(file.Networks)).Single();
        Assert.True(analysis.Model.IsValid, string.Join("\n", analysis.Diagnostics.Select(d => d.Message)));
        return analysis.Model;
    }
}
