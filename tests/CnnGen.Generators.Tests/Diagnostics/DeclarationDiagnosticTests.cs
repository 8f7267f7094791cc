using CnnGen.Generators.Tests.Infrastructure;
using static CnnGen.Generators.Tests.Infrastructure.Expected;

namespace CnnGen.Generators.Tests.Diagnostics;

/// <summary>
/// CNN00xx, the declaration rules: one test (or a few) per ID, each asserting the ID, the
/// severity, the full message and the exact span of the squiggle, marked [|like this|].
/// </summary>
public class DeclarationDiagnosticTests
{
    [Fact]
    public void CNN0001_NonPartialClassIsReportedOnTheClassName()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(4)]
            [Dense(2)]
            public class [|Net|];
            """,
            Error("CNN0001", "The network class 'Net' must be declared partial so that CnnGen can add its code: write 'partial class Net'"));
    }

    [Fact]
    public void CNN0001_NonPartialEnclosingTypeNamesTheEnclosingType()
    {
        DiagnosticAssert.Reports("""
            public class Outer
            {
                [Network]
                [Input(4)]
                [Dense(2)]
                public partial class [|Net|];
            }
            """,
            Error("CNN0001", "The network class 'Net' must be declared partial so that CnnGen can add its code: its enclosing type 'Outer' must be partial too; write 'partial class Outer'"));
    }

    [Fact]
    public void CNN0002_GenericClassIsReportedOnTheClassName()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(4)]
            [Dense(2)]
            public partial class [|Net|]<T>;
            """,
            Error("CNN0002", "The network class 'Net' has type parameters; every size of a network is fixed, so remove the type parameters"));
    }

    [Fact]
    public void CNN0002_GenericEnclosingTypeIsNamed()
    {
        DiagnosticAssert.Reports("""
            public partial class Outer<T>
            {
                [Network]
                [Input(4)]
                [Dense(2)]
                public partial class [|Net|];
            }
            """,
            Error("CNN0002", "The network class 'Net' has type parameters; every size of a network is fixed, so remove the type parameters (its enclosing type 'Outer' is generic)"));
    }

    [Fact]
    public void CNN0003_MissingInputIsReportedOnTheClassName()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Flatten]
            [Dense(2)]
            public partial class [|Net|];
            """,
            Error("CNN0003", "The network 'Net' has no input shape: add [Input(height, width, channels)], [Input(length, channels)] or [Input(typeof(OtherNetwork))]"));
    }

    [Fact]
    public void CNN0004_SecondInputIsReportedOnTheSecondInputAttribute()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [[|Input(4)|]]
            [Flatten]
            public partial class Net;
            """,
            Error("CNN0004", "The network 'Net' declares its input more than once; keep one"));
    }

    [Fact]
    public void CNN0005_StaticClassIsNotANetwork()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(4)]
            [Dense(2)]
            public static partial class [|Net|]
            {
            }
            """,
            Error("CNN0005", "'Net' is a static class; a network must be declared as a partial class"));
    }

    [Fact]
    public void CNN0005_RecordIsNotANetwork()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(4)]
            [Dense(2)]
            public partial record [|Net|];
            """,
            Error("CNN0005", "'Net' is a record; a network must be declared as a partial class"));
    }

    [Fact]
    public void CNN0006_ZeroFiltersIsReportedOnTheFiltersArgument()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D([|0|], 3)]
            public partial class Net;
            """,
            Error("CNN0006", "Conv2D 'conv2d_1' has filters 0; it must be at least 1"));
    }

    [Fact]
    public void CNN0006_NegativeUnitsIsReportedOnTheUnitsArgument()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8)]
            [Dense([|-3|], Name = "head")]
            public partial class Net;
            """,
            Error("CNN0006", "Dense 'head' has units -3; it must be at least 1"));
    }

    [Fact]
    public void CNN0006_ZeroKernelHeightIsReportedOnTheKernelHeightArgument()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, [|0|], 3)]
            public partial class Net;
            """,
            Error("CNN0006", "Conv2D 'conv2d_1' has kernel height 0; it must be at least 1"));
    }

    [Fact]
    public void CNN0006_ZeroStrideElementIsReportedOnTheArrayElement()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3, Strides = new[] { 1, [|0|] })]
            public partial class Net;
            """,
            Error("CNN0006", "Conv2D 'conv2d_1' has stride width 0; it must be at least 1"));
    }

    [Fact]
    public void CNN0006_ZeroPoolAndNegativeDilationAreEachReported()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(32, 2)]
            [Conv1D(4, 3, [|Dilation = -1|])]
            [MaxPool1D([|0|])]
            public partial class Net;
            """,
            Error("CNN0006", "Conv1D 'conv1d_1' has dilation -1; it must be at least 1"),
            Error("CNN0006", "MaxPool1D 'max_pool1d_1' has pool 0; it must be at least 1"));
    }

    [Fact]
    public void CNN0007_FourInputSizesAreReportedOnTheInputAttribute()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [[|Input(28, 28, 1, 1)|]]
            [Flatten]
            public partial class Net;
            """,
            Error("CNN0007", "The input shape of 'Net' is (28, 28, 1, 1); give 1 to 3 sizes of at least 1: (units), (length, channels) or (height, width, channels) in the network's data format"));
    }

    [Fact]
    public void CNN0007_ZeroInputSizeIsReported()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [[|Input(0, 5)|]]
            [Flatten]
            public partial class Net;
            """,
            Error("CNN0007", "The input shape of 'Net' is (0, 5); give 1 to 3 sizes of at least 1: (units), (length, channels) or (height, width, channels) in the network's data format"));
    }

    [Fact]
    public void CNN0007_EmptyOutputShapeIsReportedOnTheOutputAttribute()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(4)]
            [Dense(2)]
            [[|Output()|]]
            public partial class Net;
            """,
            Error("CNN0007", "The output shape of 'Net' is (); give 1 to 3 sizes of at least 1: (units), (length, channels) or (height, width, channels) in the network's data format"));
    }

    [Fact]
    public void CNN0008_InputFromAClassThatIsNotANetwork()
    {
        DiagnosticAssert.Reports("""
            public class Features;

            [Network]
            [[|Input(typeof(Features))|]]
            [Dense(2)]
            public partial class Net;
            """,
            Error("CNN0008", "The network 'Net' takes its input from 'Features', which is not a network: declare 'Features' with [Network] or in a .cnn file"));
    }

    [Fact]
    public void CNN0009_NetworkThatTakesItsInputFromItself()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [[|Input(typeof(Net))|]]
            [Dense(2)]
            public partial class Net;
            """,
            Error("CNN0009", "The network 'Net' takes its input from a chain that leads back to itself (Net -> Net); a chain of networks must start from a shape"));
    }

    [Fact]
    public void CNN0009_TwoNetworksThatFeedEachOtherAreBothReported()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [[|Input(typeof(B))|]]
            [Dense(2)]
            public partial class A;

            [Network]
            [[|Input(typeof(A))|]]
            [Dense(2)]
            public partial class B;
            """,
            Error("CNN0009", "The network 'A' takes its input from a chain that leads back to itself (A -> B -> A); a chain of networks must start from a shape"),
            Error("CNN0009", "The network 'B' takes its input from a chain that leads back to itself (B -> A -> B); a chain of networks must start from a shape"));
    }

    [Fact]
    public void CNN0010_InvalidPaddingValueIsReportedOnThePaddingArgument()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3, [|Padding = (Padding)7|])]
            public partial class Net;
            """,
            Error("CNN0010", "Conv2D 'conv2d_1' has padding 7, which is not a valid value; use one of: valid, same"));
    }

    [Fact]
    public void CNN0010_InvalidActivationOfAnActivationLayerIsReportedOnItsArgument()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8)]
            [Activation([|(Activation)42|])]
            public partial class Net;
            """,
            Error("CNN0010", "Activation 'activation_1' has activation 42, which is not a valid value; use one of: Linear, Relu, LeakyRelu, Elu, Sigmoid, Tanh, Softmax, Softplus, Silu, Relu6, HardSigmoid, HardSwish, Gelu"));
    }

    [Fact]
    public void CNN0010_InvalidDataFormatIsReportedOnTheDataFormatArgument()
    {
        DiagnosticAssert.Reports("""
            [Network([|DataFormat = (DataFormat)3|])]
            [Input(8)]
            [Dense(2)]
            public partial class Net;
            """,
            Error("CNN0010", "Network 'Net' has DataFormat 3, which is not a valid value; use one of: ChannelsLast, ChannelsFirst"));
    }

    [Fact]
    public void CNN0011_ThreeStridesForA2DLayerAreReportedOnTheStridesArgument()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3, [|Strides = new[] { 1, 2, 3 }|])]
            public partial class Net;
            """,
            Error("CNN0011", "Conv2D 'conv2d_1' has strides with 3 values; a 2-D layer takes 1 value or 2"));
    }

    [Fact]
    public void CNN0011_EmptyDilationsArrayIsReported()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3, [|Dilations = new int[0]|])]
            public partial class Net;
            """,
            Error("CNN0011", "Conv2D 'conv2d_1' has dilations with 0 values; a 2-D layer takes 1 value or 2"));
    }

    [Fact]
    public void CNN0011_NullStridesMeansTheDefault()
    {
        var run = GeneratorHarness.Run("""
            using CnnGen;

            [Network]
            [Input(8, 8, 1)]
            [MaxPool2D(2, Strides = null)]
            public partial class Net;
            """);
        Assert.Empty(run.CnnDiagnostics);
        Assert.Equal("4x4x1", NetworkArchitecture.FormatShape(GeneratedNetwork.Load(run, "Net").OutputShape));
    }

    [Fact]
    public void CNN0012_DuplicateLayerNameIsReportedOnTheSecondName()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3, Name = "features")]
            [Conv2D(4, 3, [|Name = "features"|])]
            public partial class Net;
            """,
            Error("CNN0012", "Layer name 'features' is used twice in 'Net'; give each layer its own name"));
    }

    [Fact]
    public void CNN0012_NameThatTakesAnotherLayersDefaultNameIsReportedOnTheLaterLayer()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3, Name = "conv2d_2")]
            [[|Conv2D(4, 3)|]]
            public partial class Net;
            """,
            Error("CNN0012", "Layer name 'conv2d_2' is used twice in 'Net'; give each layer its own name"));
    }

    [Fact]
    public void CNN0012_NamesThatGiveTheSameAccessorAreReported()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8)]
            [Dense(4, Name = "my_layer")]
            [Dense(4, [|Name = "myLayer"|])]
            public partial class Net;
            """,
            Error("CNN0012", "Layer name 'myLayer' is used twice in 'Net' (as the accessor 'MyLayer', with 'my_layer'); give each layer its own name"));
    }

    [Fact]
    public void CNN0013_NameThatStartsWithADigitIsReportedOnTheName()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8)]
            [Dense(4, [|Name = "2nd"|])]
            public partial class Net;
            """,
            Error("CNN0013", "'2nd' cannot be a layer name: use a letter, then letters, digits or underscores (at most 128)"));
    }

    [Fact]
    public void CNN0013_NameWhoseAccessorHidesAGeneratedMemberIsReported()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8)]
            [Dense(4, [|Name = "summary"|])]
            public partial class Net;
            """,
            Error("CNN0013", "'summary' cannot be a layer name: its accessor 'Summary' would hide a generated member; choose another name"));
    }

    [Theory]
    // The private members the parameters' views and their aligned start use, and PackWeights' members.
    [InlineData("origin", "Origin")]
    [InlineData("layer", "Layer")]
    [InlineData("pack_weights", "PackWeights")]
    [InlineData("weights", "Weights")]
    public void CNN0013_NamesOfOtherGeneratedMembersAreReported(string name, string accessor)
    {
        DiagnosticAssert.Reports($$"""
            [Network]
            [Input(8)]
            [Dense(4, [|Name = "{{name}}"|])]
            public partial class Net;
            """,
            Error("CNN0013", "'" + name + "' cannot be a layer name: its accessor '" + accessor + "' would hide a generated member; choose another name"));
    }

    [Fact]
    public void CNN0014_NetworkAttributeOnTwoPartsOfAClassIsReportedOnTheSecond()
    {
        var run = DiagnosticAssert.Reports("""
            [Network]
            [Input(8)]
            [Dense(4)]
            public partial class Net;

            [Network]
            public partial class [|Net|];
            """,
            Error("CNN0014", "The network 'Net' is declared more than once (also declared with attributes in Source0.cs); rename one of them"));

        // The C# compiler reports the repeated attribute too; the generator itself does not fail.
        Assert.Contains(run.BuildErrors, d => d.Id == "CS0579");
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "CS8785" or "AD0001");
    }

    [Fact]
    public void CNN0015_StrideAndStridesTogetherAreReportedOnStrides()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3, Stride = 2, [|Strides = new[] { 2, 1 }|])]
            public partial class Net;
            """,
            Error("CNN0015", "Conv2D 'conv2d_1' sets both stride and strides; set only one of them"));
    }

    [Fact]
    public void CNN0016_NetworkWithoutLayersIsAWarningAndBuilds()
    {
        var run = DiagnosticAssert.Reports("""
            [Network]
            [Input(4, 4, 1)]
            public partial class [|Net|];
            """,
            Warning("CNN0016", "The network 'Net' has no layers, so its output is its input; add layers such as [Conv2D(8, 3)] or [Dense(10)]"));

        var network = GeneratedNetwork.Load(run, "Net");
        Assert.Equal(new[] { 4, 4, 1 }, network.OutputShape);
        Assert.Equal(0, network.ParameterCount);
    }

    [Fact]
    public void CNN0017_InputNetworkWithErrorsIsReportedOnTheInputAttribute()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D([|0|], 3)]
            public partial class Encoder;

            [Network]
            [[|Input(typeof(Encoder))|]]
            [Flatten]
            public partial class Head;
            """,
            Error("CNN0006", "Conv2D 'conv2d_1' has filters 0; it must be at least 1"),
            Error("CNN0017", "The network 'Head' takes its input from 'Encoder', which has errors; fix 'Encoder' first"));
    }
}
