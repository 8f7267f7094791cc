namespace CnnGen.Generators.Tests.Dsl;

using CnnGen.Generators.Model;
using CnnGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

/// <summary>.cnn files through the real generator: the code they produce, and where their errors appear.</summary>
public class DslGeneratorTests
{
    public const string DigitsCnn = """
        // digits.cnn
        namespace Examples.Digits;

        network DigitNet(input: 8x8x1) {            // format: channels_first to change the layout
            conv2d(8, kernel: 3, padding: same, activation: relu)
            max_pool2d(2)
            conv2d(16, kernel: 3, activation: relu)
            flatten()
            dense(10, activation: softmax)
        }
        """;

    private const string DigitsAttributes = """
        using CnnGen;
        namespace Examples.Digits;

        [Network]
        [Input(8, 8, 1)]
        [Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu)]
        [MaxPool2D(2)]
        [Conv2D(16, 3, Activation = Activation.Relu)]
        [Flatten]
        [Dense(10, Activation = Activation.Softmax)]
        public partial class DigitNet;
        """;

    private const string SignalCnn = """
        namespace Examples.Signals;

        network SignalNet(input: 64x2, format: channels_last, output: 4) {
            conv1d(8, 5, stride: 1, dilation: 2, padding: causal, activation: leaky_relu, name: causal_conv)
            max_pool1d(2, stride: 2, padding: same)
            conv1d(16, kernel: 3, use_bias: false, activation: elu)
            avg_pool1d(pool: 2)
            global_avg_pool()
            dense(4, activation: sigmoid)
            activation(tanh)
        }
        """;

    private const string SignalAttributes = """
        using CnnGen;
        namespace Examples.Signals;

        [Network(DataFormat = DataFormat.ChannelsLast)]
        [Input(64, 2)]
        [Output(4)]
        [Conv1D(8, 5, Stride = 1, Dilation = 2, Padding = Padding.Causal, Activation = Activation.LeakyRelu, Name = "causal_conv")]
        [MaxPool1D(2, Stride = 2, Padding = Padding.Same)]
        [Conv1D(16, 3, UseBias = false, Activation = Activation.Elu)]
        [AvgPool1D(2)]
        [GlobalAvgPool]
        [Dense(4, Activation = Activation.Sigmoid)]
        [Activation(Activation.Tanh)]
        public partial class SignalNet;
        """;

    private const string ImagesCnn = """
        network Images(input: 3x17x15, format: channels_first) {
            conv2d(6, 3x5, strides: 2x1, dilations: 1x2, padding: same, activation: silu)
            avg_pool2d(2x1, strides: 1x1)
            max_pool2d(2, padding: same)
            conv2d(4, kernel: 1, use_bias: false, name: pointwise)
            global_max_pool()
            activation(softmax)
        }
        """;

    private const string ImagesAttributes = """
        using CnnGen;

        [Network(DataFormat = DataFormat.ChannelsFirst)]
        [Input(3, 17, 15)]
        [Conv2D(6, 3, 5, Strides = new[] { 2, 1 }, Dilations = new[] { 1, 2 }, Padding = Padding.Same, Activation = Activation.Silu)]
        [AvgPool2D(2, 1, Strides = new[] { 1, 1 })]
        [MaxPool2D(2, Padding = Padding.Same)]
        [Conv2D(4, 1, UseBias = false, Name = "pointwise")]
        [GlobalMaxPool]
        [Activation(Activation.Softmax)]
        public partial class Images;
        """;

    private const string ResidualCnn = """
        namespace Examples.Graphs;

        network Residual(input: 8x8x3) {
            conv2d(8, 3, padding: same, activation: relu, name: stem)
            conv2d(8, 3, strides: 2x2, padding: same, activation: relu)
            conv2d(8, 3, padding: same)
            conv2d(8, 1, stride: 2, from: stem, name: shortcut)
            add(conv2d_3, shortcut, activation: relu)
            global_avg_pool()
            dense(8, activation: sigmoid)
            multiply(add_1, dense_1)
            concatenate(multiply_1, add_1, "shortcut")
            max_pool2d(2, from: "concatenate_1")
            flatten()
            dense(2)
        }
        """;

    private const string ResidualAttributes = """
        using CnnGen;
        namespace Examples.Graphs;

        [Network]
        [Input(8, 8, 3)]
        [Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu, Name = "stem")]
        [Conv2D(8, 3, Strides = new[] { 2, 2 }, Padding = Padding.Same, Activation = Activation.Relu)]
        [Conv2D(8, 3, Padding = Padding.Same)]
        [Conv2D(8, 1, Stride = 2, From = "stem", Name = "shortcut")]
        [Add("conv2d_3", "shortcut", Activation = Activation.Relu)]
        [GlobalAvgPool]
        [Dense(8, Activation = Activation.Sigmoid)]
        [Multiply("add_1", "dense_1")]
        [Concatenate(new[] { "multiply_1", "add_1", "shortcut" })]
        [MaxPool2D(2, From = "concatenate_1")]
        [Flatten]
        [Dense(2)]
        public partial class Residual;
        """;

    public static TheoryData<string, string, string, string> SameNetworkBothWays => new()
    {
        { "Examples.Digits.DigitNet", "DigitNet", DigitsCnn, DigitsAttributes },
        { "Examples.Signals.SignalNet", "SignalNet", SignalCnn, SignalAttributes },
        { "Images", "Images", ImagesCnn, ImagesAttributes },
        { "Examples.Graphs.Residual", "Residual", ResidualCnn, ResidualAttributes },
    };

    [Theory]
    [MemberData(nameof(SameNetworkBothWays))]
    public void ACnnFileAndAttributesGenerateTheSameCodeExceptTheDeclarationLine(string fullName, string className, string cnn, string attributes)
    {
        var fromCnn = GeneratorHarness.Run(string.Empty, ("nets/net.cnn", cnn));
        var fromAttributes = GeneratorHarness.Run(attributes);
        Assert.Empty(fromCnn.BuildErrors);
        Assert.Empty(fromAttributes.BuildErrors);
        Assert.Empty(fromCnn.CnnDiagnostics);

        var cnnLines = fromCnn.Sources[fullName + ".g.cs"].Split('\n');
        var attributeLines = fromAttributes.Sources[fullName + ".g.cs"].Split('\n');
        Assert.Equal(attributeLines.Length, cnnLines.Length);
        var differing = Enumerable.Range(0, cnnLines.Length).Where(i => cnnLines[i] != attributeLines[i]).ToList();
        Assert.Equal(new[] { 1 }, differing);
        Assert.Equal($"// CnnGen network {className}, declared in net.cnn.", cnnLines[1]);
        Assert.Equal($"// CnnGen network {className}, declared with attributes in Source0.cs.", attributeLines[1]);

        // The models agree too, field by field, apart from where and how they were declared.
        var cnnModel = Model(fromCnn);
        var attributeModel = Model(fromAttributes);
        Assert.True(cnnModel.IsValid);
        Assert.True(cnnModel.FromDsl);
        Assert.Equal(attributeModel, cnnModel with { Origin = attributeModel.Origin, FromDsl = false });
    }

    [Fact]
    public void TheDigitsNetworkIsUsableFromCSharp()
    {
        const string user = """
            namespace Examples.Digits;

            public partial class DigitNet
            {
                public static int Outputs() => OutputSize;
            }
            """;
        var run = GeneratorHarness.Run(user, ("digits.cnn", DigitsCnn));
        Assert.Empty(run.BuildErrors);
        var type = run.Load().GetType("Examples.Digits.DigitNet")!;
        Assert.Equal(64, type.GetField("InputSize")!.GetValue(null));
        Assert.Equal(1898, type.GetField("ParameterCount")!.GetValue(null));
        Assert.Equal(10, type.GetMethod("Outputs")!.Invoke(null, null));
    }

    [Fact]
    public void ErrorsAreReportedInTheCnnFileAtTheTokenAtFault()
    {
        var run = GeneratorHarness.Run(string.Empty, ("nets/digits.cnn", DigitsCnn.Replace("max_pool2d(2)", "max_pool(2)")));
        var diagnostic = Assert.Single(run.CnnDiagnostics);
        Assert.Equal("CNN0206", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal("nets/digits.cnn", span.Path);
        Assert.Equal((5, 4, 5, 12), (span.StartLinePosition.Line, span.StartLinePosition.Character, span.EndLinePosition.Line, span.EndLinePosition.Character));
        Assert.StartsWith("Unknown layer 'max_pool'. Did you mean 'max_pool1d'?", diagnostic.GetMessage());
    }

    [Fact]
    public void ABrokenNetworkDoesNotStopTheOthersFromGenerating()
    {
        const string text = """
            namespace Nets;
            network Broken(input: 8x8x1) {
                conv2d(8, kernal: 3)
                dense(10 20)
            }
            network Good(input: 4) { dense(2, activation: relu) }
            """;
        var run = GeneratorHarness.Run(string.Empty, ("nets.cnn", text));
        Assert.Equal(new[] { "CNN0207", "CNN0201" }, run.CnnDiagnostics.Select(d => d.Id));
        Assert.Equal(new[] { 3, 4 }, run.CnnDiagnostics.Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1));
        Assert.Contains("Not generated: the declaration has errors", run.Sources["Nets.Broken.g.cs"]);
        Assert.Contains("public const int ParameterCount = 10;", run.Sources["Nets.Good.g.cs"]);
        Assert.Equal(new[] { "CNN0207", "CNN0201" }, run.BuildErrors.Select(d => d.Id));
    }

    [Fact]
    public void NetworksChainAcrossCnnFilesAndAttributes()
    {
        const string attributes = """
            using CnnGen;
            namespace Examples;

            [Network]
            [Input(typeof(Head))]
            [Dense(2)]
            public partial class Tail;

            [Network]
            [Input(6)]
            [Dense(5)]
            public partial class Stem;
            """;
        var run = GeneratorHarness.Run(attributes,
            ("a.cnn", "namespace Examples;\nnetwork Backbone(input: Stem) { dense(4) }"),
            ("b.cnn", "namespace Examples;\nnetwork Head(input: Backbone) { dense(3) }"));
        Assert.Empty(run.BuildErrors);
        Assert.Contains("public const int InputSize = 5;", run.Sources["Examples.Backbone.g.cs"]);
        Assert.Contains("public const int InputSize = 4;", run.Sources["Examples.Head.g.cs"]);
        Assert.Contains("public const int InputSize = 3;", run.Sources["Examples.Tail.g.cs"]);
    }

    /// <summary>The only model the run produced, read from the tracked pipeline step.</summary>
    private static NetworkModel Model(GeneratorRun run) =>
        (NetworkModel)Assert.Single(run.Result.Results[0].TrackedSteps[CnnGenerator.Steps.Models].SelectMany(s => s.Outputs)).Value;
}
