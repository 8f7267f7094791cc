using CnnGen.Generators.Tests.Infrastructure;
using static CnnGen.Generators.Tests.Infrastructure.Expected;

namespace CnnGen.Generators.Tests.Diagnostics;

/// <summary>
/// How layers connect (From and the merges Add, Multiply, Concatenate): ID, severity, full
/// message and the exact span, in attributes. Dsl/DslGraphTests.cs has the same in .cnn files.
/// </summary>
public class GraphDiagnosticTests
{
    [Fact]
    public void CNN0019_AnUnknownNameInFromIsReportedOnFromWithTheClosestName()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3, Padding = Padding.Same)]
            [Conv2D(4, 3, Padding = Padding.Same)]
            [Conv2D(4, 1, [|From = "conv2d_l"|])]
            public partial class Net;
            """,
            Error("CNN0019", "Conv2D 'conv2d_3' reads 'conv2d_l', but 'Net' has no layer of that name. Did you mean 'conv2d_1'? Name an earlier layer, or 'input' for the network's input"));
    }

    [Fact]
    public void CNN0019_AnUnknownMergeInputIsReportedOnItsArgument()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3, Padding = Padding.Same)]
            [Conv2D(4, 3, Padding = Padding.Same)]
            [Add("conv2d_2", [|"shortcut"|])]
            public partial class Net;
            """,
            Error("CNN0019", "Add 'add_1' reads 'shortcut', but 'Net' has no layer of that name. Name an earlier layer, or 'input' for the network's input"));
    }

    [Fact]
    public void CNN0020_ALaterLayerIsReportedOnTheName()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3, Padding = Padding.Same, [|From = "conv2d_2"|])]
            [Conv2D(4, 3, Padding = Padding.Same, From = "input")]
            public partial class Net;
            """,
            Error("CNN0020", "Conv2D 'conv2d_1' reads 'conv2d_2', which is written after it; a layer reads only the network's input and layers written before it. Write 'conv2d_2' before 'conv2d_1', or read an earlier layer."));
    }

    [Fact]
    public void CNN0020_ALayerThatReadsItselfIsReported()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3, Padding = Padding.Same)]
            [Add("conv2d_1", [|"sum"|], Name = "sum")]
            public partial class Net;
            """,
            Error("CNN0020", "Add 'sum' reads 'sum', its own output; a layer reads only the network's input and layers written before it. Read an earlier layer, or 'input'."));
    }

    [Fact]
    public void CNN0021_AMergeOfOneInputIsReportedOnTheLayer()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3)]
            [[|Concatenate("conv2d_1")|]]
            public partial class Net;
            """,
            Error("CNN0021", "Concatenate 'concatenate_1' reads only 'conv2d_1'; a merge needs at least two inputs, e.g. [Concatenate(\"conv2d_1\", \"input\")]"));
    }

    [Fact]
    public void CNN0021_AMergeWithoutInputsIsReported()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3)]
            [[|Multiply|]]
            public partial class Net;
            """,
            Error("CNN0021", "Multiply 'multiply_1' reads no layer; a merge needs at least two inputs, e.g. [Multiply(\"conv2d_2\", \"input\")]"));
    }

    [Fact]
    public void CNN0022_FromOnAMergeIsReportedOnFrom()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(1, 3, Padding = Padding.Same)]
            [Add("conv2d_1", "input", [|From = "conv2d_1"|])]
            public partial class Net;
            """,
            Error("CNN0022", "Add 'add_1' lists the layers it reads, so it takes no From; put 'conv2d_1' among its inputs instead"));
    }

    [Fact]
    public void CNN0023_ALayerWhoseOutputNothingReadsIsAWarningAndBuilds()
    {
        var run = DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3)]
            [[|Conv2D(4, 1)|]]
            [Flatten(From = "conv2d_1")]
            [Dense(2)]
            public partial class Net;
            """,
            Warning("CNN0023", "The output of Conv2D 'conv2d_2' is never used: no later layer reads it, and only the last layer is the network's output. Read it with From = \"conv2d_2\" or a merge, or remove the layer"));
        Assert.Contains("Net.g.cs", run.Sources.Keys);
    }

    [Fact]
    public void CNN0107_AddOfDifferentChannelsNamesBothShapes()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(16, 3, Padding = Padding.Same)]
            [Conv2D(32, 3, Padding = Padding.Same)]
            [Add("conv2d_1", [|"conv2d_2"|])]
            public partial class Net;
            """,
            Error("CNN0107", "Add 'add_1' cannot merge 'conv2d_1' (8x8x16) and 'conv2d_2' (8x8x32): Add needs inputs of one shape, or an input of one position (1x1x16 or 16) broadcast over the other's positions; give both 16 channels or both 32 (a 1x1 convolution or a dense layer can change the channels of one)."));
    }

    [Fact]
    public void CNN0107_AddOfDifferentSpatialSizesIsReportedOnTheSmallerInput()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 4)]
            [Conv2D(4, 3, Stride = 2, Padding = Padding.Same)]
            [Add([|"conv2d_1"|], "input")]
            public partial class Net;
            """,
            Error("CNN0107", "Add 'add_1' cannot merge 'input' (8x8x4) and 'conv2d_1' (4x4x4): Add needs inputs of one shape, or an input of one position (1x1x4 or 4) broadcast over the other's positions; their spatial sizes differ (8x8 and 4x4): use the same strides and padding 'same' on both paths, or a strided 1x1 convolution on the larger one."));
    }

    [Fact]
    public void CNN0107_ConcatenateOfDifferentSpatialSizesInChannelsFirst()
    {
        DiagnosticAssert.Reports("""
            [Network(DataFormat = DataFormat.ChannelsFirst)]
            [Input(2, 8, 8)]
            [MaxPool2D(2)]
            [Concatenate("input", [|"max_pool2d_1"|])]
            public partial class Net;
            """,
            Error("CNN0107", "Concatenate 'concatenate_1' cannot merge 'input' (2x8x8) and 'max_pool2d_1' (2x4x4): Concatenate joins its inputs along the channel axis, so their spatial sizes must be equal, not 8x8 and 4x4; use the same strides and padding 'same' on both paths, or pooling on the larger one."));
    }

    [Fact]
    public void CNN0107_AGateOfTheWrongWidthIsReportedOnTheGate()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(4, 4, 2)]
            [Conv2D(2, 1)]
            [GlobalAvgPool]
            [Dense(3, Activation = Activation.Sigmoid)]
            [Multiply("conv2d_1", [|"dense_1"|])]
            public partial class Net;
            """,
            Error("CNN0107", "Multiply 'multiply_1' cannot merge 'conv2d_1' (4x4x2) and 'dense_1' (3): Multiply needs inputs of one shape, or an input of one position (1x1x2 or 2) broadcast over the other's positions; give both 2 channels or both 3 (a 1x1 convolution or a dense layer can change the channels of one)."));
    }

    [Fact]
    public void CNN0013_InputCannotNameALayer()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8)]
            [Dense(4, [|Name = "input"|])]
            public partial class Net;
            """,
            Error("CNN0013", "'input' cannot be a layer name: 'input' names the network's input wherever layers name what they read; choose another name"));
    }

    [Fact]
    public void ABroadcastGateAndARankThatDiffersWithOnePositionAreAccepted()
    {
        // A 1x1xC map and a channel vector both multiply an image; a channel vector added to a 1x1xC map gives 1x1xC.
        var run = DiagnosticAssert.Reports("""
            [Network]
            [Input(6, 6, 3)]
            [Conv2D(4, 3, Padding = Padding.Same)]
            [AvgPool2D(6)]
            [GlobalMaxPool(From = "conv2d_1")]
            [Add("avg_pool2d_1", "global_max_pool_1")]
            [Multiply("conv2d_1", "add_1", "global_max_pool_1")]
            public partial class Net;
            """);
        var network = GeneratedNetwork.Load(run, "Net");
        Assert.Equal(new[] { 6, 6, 4 }, network.OutputShape);
    }
}
