using CnnGen.CodeFixes;
using CnnGen.Generators.Tests.Diagnostics;
using CnnGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace CnnGen.Generators.Tests.CodeFixes;

/// <summary>
/// Each code fix, applied in a workspace to the analyzer's diagnostic (no generator run), gives
/// exactly the expected source, and that source builds with no CNN error. Where a page of
/// docs/diagnostics shows the same fix, its wrong example is fixed into its fixed example.
/// </summary>
public class CodeFixTests
{
    public static TheoryData<string, string> FixesTheDocsShow => new()
    {
        { "CNN0001", PartialFix.Key },
        { "CNN0101", RankFixes.FlattenKey },
        { "CNN0102", PaddingFixes.SameInsteadOfCausalKey },
        { "CNN0103", PaddingFixes.SamePaddingKey },
        { "CNN0111", GroupsFix.Key },
        { "CNN0112", OutputPaddingFix.Key },
    };

    [Theory]
    [MemberData(nameof(FixesTheDocsShow))]
    public async Task TheFixTurnsTheDocsWrongExampleIntoTheFixedOne(string id, string key)
    {
        var page = DiagnosticDocumentationTests.Page(id);
        await AssertFixes(DiagnosticDocumentationTests.Snippet(page, "Wrong"), id, key, DiagnosticDocumentationTests.Snippet(page, "Fixed"));
    }

    [Theory]
    [InlineData("CNN0001")]
    [InlineData("CNN0101")]
    [InlineData("CNN0102")]
    [InlineData("CNN0103")]
    [InlineData("CNN0104")]
    [InlineData("CNN0111")]
    [InlineData("CNN0112")]
    public async Task ThePageNamesEveryFixOfferedForItsWrongExample(string id)
    {
        var page = DiagnosticDocumentationTests.Page(id);
        var section = System.Text.RegularExpressions.Regex.Match(page, "\n## Code fix\n(.*?)\n## ", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(section.Success, $"{id}.md has no '## Code fix' section");
        var (_, actions) = await CodeFixHarness.ActionsAsync(DiagnosticDocumentationTests.Snippet(page, "Wrong"), id);
        Assert.NotEmpty(actions);
        Assert.All(actions, a => Assert.Contains("**" + a.Title + "**", section.Groups[1].Value.ReplaceLineEndings(" "), StringComparison.Ordinal));
    }

    // ---- CNN0001: not partial ---------------------------------------------------------------

    [Fact]
    public async Task CNN0001_AClassWithoutModifiersGetsPartialBeforeItsKeyword()
    {
        await AssertFixes("""
            using CnnGen;

            [Network]
            [Input(4)]
            [Dense(2)]
            class Net;
            """, "CNN0001", PartialFix.Key, """
            using CnnGen;

            [Network]
            [Input(4)]
            [Dense(2)]
            partial class Net;
            """);
    }

    [Fact]
    public async Task CNN0001_TheClassAndItsEnclosingTypesBecomePartialInOneFix()
    {
        const string source = """
            using CnnGen;

            public class Outer
            {
                internal class Middle
                {
                    [Network]
                    [Input(4)]
                    [Dense(2)]
                    public class Net;
                }
            }
            """;
        var (_, actions) = await CodeFixHarness.ActionsAsync(source, "CNN0001", index: 0);
        Assert.Equal("Make 'Net' and 'Middle' and 'Outer' partial", Assert.Single(actions).Title);
        await AssertFixes(source, "CNN0001", PartialFix.Key, """
            using CnnGen;

            public partial class Outer
            {
                internal partial class Middle
                {
                    [Network]
                    [Input(4)]
                    [Dense(2)]
                    public partial class Net;
                }
            }
            """, index: 2);
    }

    // ---- CNN0101: wrong rank -----------------------------------------------------------------

    [Fact]
    public async Task CNN0101_ADenseLayerOnAnImageCanTakeAGlobalAveragePoolingInstead()
    {
        var wrong = DiagnosticDocumentationTests.Snippet(DiagnosticDocumentationTests.Page("CNN0101"), "Wrong");
        var (_, actions) = await CodeFixHarness.ActionsAsync(wrong, "CNN0101");
        Assert.Equal(new[] { "Insert [Flatten] before it", "Insert [GlobalAvgPool] before it" }, actions.Select(a => a.Title));
        await AssertFixes(wrong, "CNN0101", RankFixes.GlobalAvgPoolKey, wrong.Replace("[Dense(10)]", "[GlobalAvgPool]\n[Dense(10)]"));
    }

    [Fact]
    public async Task CNN0101_ALayerSharingAnAttributeListGetsTheFlattenInThatList()
    {
        await AssertFixes("""
            using CnnGen;

            [Network, Input(6, 6, 1)]
            [Conv2D(8, 3), Dense(10)]
            public partial class Net;
            """, "CNN0101", RankFixes.FlattenKey, """
            using CnnGen;

            [Network, Input(6, 6, 1)]
            [Conv2D(8, 3), Flatten, Dense(10)]
            public partial class Net;
            """);
    }

    [Fact]
    public async Task CNN0101_TheInsertedLayerIsSpelledAsTheFileAllows()
    {
        await AssertFixes("""
            namespace App
            {
                [CnnGen.Network]
                [CnnGen.Input(6, 6, 1)]
                [CnnGen.Dense(10)]
                public partial class Net;
            }
            """, "CNN0101", RankFixes.FlattenKey, """
            namespace App
            {
                [CnnGen.Network]
                [CnnGen.Input(6, 6, 1)]
                [CnnGen.Flatten]
                [CnnGen.Dense(10)]
                public partial class Net;
            }
            """);
    }

    [Fact]
    public async Task CNN0101_AFirstListKeepsTheCommentsAboveTheDeclaration()
    {
        await AssertFixes("""
            using CnnGen;

            /// <summary>Layers first, then the network.</summary>
            [Dense(10)]
            [Network]
            [Input(4, 4, 2)]
            public partial class Net;
            """, "CNN0101", RankFixes.FlattenKey, """
            using CnnGen;

            /// <summary>Layers first, then the network.</summary>
            [Flatten]
            [Dense(10)]
            [Network]
            [Input(4, 4, 2)]
            public partial class Net;
            """);
    }

    [Fact]
    public async Task CNN0101_A2DConvolutionOnASequenceBecomesA1DOne()
    {
        await AssertFixes("""
            using CnnGen;

            [Network]
            [Input(16, 2)]
            [Conv2D(4, 3, Stride = 2, Padding = Padding.Same)]
            public partial class Net;
            """, "CNN0101", RankFixes.OtherRankKey, """
            using CnnGen;

            [Network]
            [Input(16, 2)]
            [Conv1D(4, 3, Stride = 2, Padding = Padding.Same)]
            public partial class Net;
            """);
    }

    [Fact]
    public async Task CNN0101_A1DPoolingOnAnImageBecomesA2DOne()
    {
        await AssertFixes("""
            using CnnGen;

            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3)]
            [AvgPool1D(2)]
            public partial class Net;
            """, "CNN0101", RankFixes.OtherRankKey, """
            using CnnGen;

            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3)]
            [AvgPool2D(2)]
            public partial class Net;
            """);
    }

    [Fact]
    public async Task CNN0101_ZeroPaddingAndUpSamplingSwitchRank()
    {
        await AssertFixes("""
            using CnnGen;

            [Network]
            [Input(16, 2)]
            [UpSampling2D(2, Interpolation = Interpolation.Bilinear)]
            public partial class Net;
            """, "CNN0101", RankFixes.OtherRankKey, """
            using CnnGen;

            [Network]
            [Input(16, 2)]
            [UpSampling1D(2, Interpolation = Interpolation.Bilinear)]
            public partial class Net;
            """);
        await AssertFixes("""
            using CnnGen;

            [Network]
            [Input(8, 8, 1)]
            [ZeroPadding1D(1)]
            public partial class Net;
            """, "CNN0101", RankFixes.OtherRankKey, """
            using CnnGen;

            [Network]
            [Input(8, 8, 1)]
            [ZeroPadding2D(1)]
            public partial class Net;
            """);
    }

    [Theory]
    [InlineData("[Input(8, 8, 1)]\n[Flatten]\n[Conv2D(4, 3)]")] // nothing to switch to after flatten
    [InlineData("[Input(16, 2)]\n[Conv2D(4, 3, 5)]")] // a rectangular kernel has no 1-D form
    [InlineData("[Input(16, 2)]\n[MaxPool2D(2, Strides = new[] { 1, 2 })]")] // nor per-dimension strides
    [InlineData("[Input(8, 8, 1)]\n[Conv1D(4, 3, Padding = Padding.Causal)]")] // nor causal padding a 2-D form
    [InlineData("[Input(8, 8, 1)]\n[ZeroPadding1D(1, 2)]")] // nor (before, after)
    [InlineData("[Input(16, 2)]\n[ZeroPadding2D(1, 0, 2, 1)]")] // nor four sides a 1-D form
    [InlineData("[Input(16, 2)]\n[UpSampling2D(2, 3)]")] // nor two factors
    public async Task CNN0101_NoFixWhereNoneIsMechanical(string layers)
    {
        var (_, actions) = await CodeFixHarness.ActionsAsync("using CnnGen;\n\n[Network]\n" + layers + "\npublic partial class Net;\n", "CNN0101");
        Assert.Empty(actions);
    }

    // ---- CNN0112: a transposed convolution's output padding not below its stride ------------

    [Fact]
    public async Task CNN0112_OneOutputPaddingForBothDimensionsTakesTheSmallerLimit()
    {
        const string source = """
            using CnnGen;

            [Network]
            [Input(8, 8, 4)]
            [Conv2DTranspose(4, 3, Strides = new[] { 3, 2 }, OutputPadding = 2)]
            public partial class Net;
            """;
        await AssertFixes(source, "CNN0112", OutputPaddingFix.Key, source.Replace("OutputPadding = 2", "OutputPadding = 1"));
    }

    [Fact]
    public async Task CNN0112_ThePerDimensionValueAtFaultIsReplaced()
    {
        const string source = """
            using CnnGen;

            [Network]
            [Input(8, 8, 4)]
            [Conv2DTranspose(4, 2, Strides = new[] { 2, 4 }, Padding = Padding.Same, OutputPaddings = new[] { 1, 3 })]
            public partial class Net;
            """;
        // Width: 'same' with a 2-wide kernel at stride 4 already adds 2 cells, so 1 more at most.
        await AssertFixes(source, "CNN0112", OutputPaddingFix.Key, source.Replace("new[] { 1, 3 }", "new[] { 1, 1 }"));
    }

    [Fact]
    public async Task CNN0112_CropsThatTakeEveryCellHaveNoFix()
    {
        var (_, actions) = await CodeFixHarness.ActionsAsync("""
            using CnnGen;

            [Network]
            [Input(1, 1, 2)]
            [Conv2DTranspose(4, 3, Pad = 2)]
            public partial class Net;
            """, "CNN0112");
        Assert.Empty(actions);
    }

    // ---- CNN0111: groups that do not divide the channels --------------------------------------

    [Fact]
    public async Task CNN0111_GroupsThatDivideOnlyOneCountBecomeOneGroup()
    {
        const string source = """
            using CnnGen;

            [Network]
            [Input(10, 5)]
            [Conv1D(7, 3, Groups = 2)]
            public partial class Net;
            """;
        await AssertFixes(source, "CNN0111", GroupsFix.Key, source.Replace("Groups = 2", "Groups = 1"));
    }

    [Fact]
    public async Task CNN0111_TheMostGroupsAtMostThoseWritten()
    {
        const string source = """
            using CnnGen;

            [Network]
            [Input(8, 8, 24)]
            [Conv2D(36, 3, Groups = 8)]
            public partial class Net;
            """;
        await AssertFixes(source, "CNN0111", GroupsFix.Key, source.Replace("Groups = 8", "Groups = 6"));
    }

    // ---- CNN0103: window larger than its input ----------------------------------------------

    private const string KernelTooLarge = """
        using CnnGen;

        [Network]
        [Input(12, 12, 1)]
        [Conv2D(16, 3, Padding = Padding.Same)]
        [MaxPool2D(2)]
        [MaxPool2D(2)]
        [Conv2D(16, 5)]
        public partial class Net;
        """;

    [Fact]
    public async Task CNN0103_OffersSamePaddingAndTheLargestKernelThatFits()
    {
        var (_, actions) = await CodeFixHarness.ActionsAsync(KernelTooLarge, "CNN0103");
        Assert.Equal(new[] { "Use padding 'same'", "Use kernel size 3, the largest that fits" }, actions.Select(a => a.Title));
        await AssertFixes(KernelTooLarge, "CNN0103", WindowFix.Key, KernelTooLarge.Replace("[Conv2D(16, 5)]", "[Conv2D(16, 3)]"));
    }

    [Fact]
    public async Task CNN0103_SamePaddingReplacesAWrittenValidPadding()
    {
        var source = KernelTooLarge.Replace("[Conv2D(16, 5)]", "[Conv2D(16, 5, Padding = Padding.Valid, Activation = Activation.Relu)]");
        await AssertFixes(source, "CNN0103", PaddingFixes.SamePaddingKey,
            KernelTooLarge.Replace("[Conv2D(16, 5)]", "[Conv2D(16, 5, Padding = Padding.Same, Activation = Activation.Relu)]"));
    }

    [Theory]
    // A square kernel must fit both sides: the narrower decides.
    [InlineData("[Input(6, 4, 1)]", "[Conv2D(2, 5)]", "[Conv2D(2, 4)]", "kernel size 4")]
    // A rectangular kernel: the side at fault (the width) changes, the other stays.
    [InlineData("[Input(8, 3, 1)]", "[Conv2D(4, 3, 5)]", "[Conv2D(4, 3, 3)]", "kernel width 3")]
    [InlineData("[Input(2, 8, 1)]", "[Conv2D(4, 3, 5)]", "[Conv2D(4, 2, 5)]", "kernel height 2")]
    // Dilated: (k - 1) * 4 + 1 <= 8 holds up to k = 2.
    [InlineData("[Input(8, 2)]", "[Conv1D(4, 3, Dilation = 4)]", "[Conv1D(4, 2, Dilation = 4)]", "kernel size 2")]
    [InlineData("[Input(3, 3, 4)]", "[MaxPool2D(4)]", "[MaxPool2D(3)]", "pool size 3")]
    [InlineData("[Input(3, 3, 4)]", "[AvgPool2D(poolHeight: 2, poolWidth: 4)]", "[AvgPool2D(poolHeight: 2, poolWidth: 3)]", "pool width 3")]
    [InlineData("[Input(5, 1)]", "[AvgPool1D(9, Stride = 1)]", "[AvgPool1D(5, Stride = 1)]", "pool size 5")]
    public async Task CNN0103_TheLargestWindowThatFits(string input, string layer, string expected, string what)
    {
        var source = "using CnnGen;\n\n[Network]\n" + input + "\n" + layer + "\npublic partial class Net;\n";
        var (_, actions) = await CodeFixHarness.ActionsAsync(source, "CNN0103");
        Assert.Contains("Use " + what + ", the largest that fits", actions.Select(a => a.Title));
        await AssertFixes(source, "CNN0103", WindowFix.Key, source.Replace(layer, expected));
    }

    // ---- CNN0104: declared output differs --------------------------------------------------

    [Theory]
    [InlineData("[Input(28, 28, 1)]\n[Conv2D(8, 3)]", "[Output(28, 28, 8)]", "[Output(26, 26, 8)]")]
    [InlineData("[Input(1, 28, 28)]\n[Conv2D(8, 3)]", "[Output(28, 28, 8)]", "[Output(8, 26, 26)]")]
    [InlineData("[Input(16, 2)]\n[Conv1D(4, 3)]\n[GlobalMaxPool]\n[Dense(10)]", "[Output(new[] { 12 })]", "[Output(10)]")]
    public async Task CNN0104_DeclaresTheOutputTheLayersProduce(string layers, string output, string expected)
    {
        var network = layers.StartsWith("[Input(1, 28, 28)]", StringComparison.Ordinal) ? "[Network(DataFormat = DataFormat.ChannelsFirst)]" : "[Network]";
        var source = "using CnnGen;\n\n" + network + "\n" + layers + "\n" + output + "\npublic partial class Net;\n";
        await AssertFixes(source, "CNN0104", OutputFix.Key, source.Replace(output, expected));
    }

    // ---- CNN0019: unknown layer name --------------------------------------------------------

    [Theory]
    [InlineData("[Conv2D(4, 1, From = \"conv2d_l\")]\n[Add(\"conv2d_2\", \"conv2d_3\")]", "\"conv2d_l\"", "\"conv2d_1\"")]
    [InlineData("[Conv2D(4, 1)]\n[Add(\"conv2d_2\", \"conv2d3\")]", "\"conv2d3\"", "\"conv2d_3\"")]
    [InlineData("[Conv2D(4, 1, From = \"inptu\")]\n[Add(\"conv2d_2\", \"conv2d_3\")]", "\"inptu\"", "\"input\"")]
    public async Task CNN0019_ReadsTheClosestExistingName(string layers, string written, string expected)
    {
        var source = "using CnnGen;\n\n[Network]\n[Input(8, 8, 1)]\n[Conv2D(4, 3, Padding = Padding.Same)]\n[Conv2D(4, 3, Padding = Padding.Same)]\n" +
            layers + "\npublic partial class Net;\n";
        var (_, actions) = await CodeFixHarness.ActionsAsync(source, "CNN0019");
        Assert.Contains("Read " + expected.Replace('"', '\''), actions.Select(a => a.Title));
        await AssertFixes(source, "CNN0019", LayerNameFix.Key, source.Replace(written, expected));
    }

    [Fact]
    public async Task CNN0019_OffersNothingWhenNoNameIsClose()
    {
        const string source = "using CnnGen;\n\n[Network]\n[Input(8, 8, 1)]\n[Conv2D(4, 3)]\n[Conv2D(4, 1, From = \"shortcut\")]\npublic partial class Net;\n";
        var (_, actions) = await CodeFixHarness.ActionsAsync(source, "CNN0019");
        Assert.Empty(actions);
    }

    // ---- Fix-all ------------------------------------------------------------------------------

    [Fact]
    public async Task FixAllInADocumentWritesEachNetworksOwnLargestWindow()
    {
        const string source = """
            using CnnGen;

            [Network]
            [Input(4, 4, 1)]
            [Conv2D(8, 5)]
            public partial class A;

            [Network]
            [Input(10, 2)]
            [Conv1D(8, 3, Dilation = 5)]
            public partial class B;

            [Network]
            [Input(3, 7, 1)]
            [MaxPool2D(4)]
            public partial class C;
            """;
        var project = CodeFixHarness.Project(source, source.Replace("class A", "class A2").Replace("class B", "class B2").Replace("class C", "class C2"));
        var document = project.Documents.First();
        var solution = await CodeFixHarness.FixAllAsync(project, FixAllScope.Document, WindowFix.Key, document.Id);
        var expected = source.Replace("[Conv2D(8, 5)]", "[Conv2D(8, 4)]").Replace("[Conv1D(8, 3, Dilation = 5)]", "[Conv1D(8, 2, Dilation = 5)]")
            .Replace("[MaxPool2D(4)]", "[MaxPool2D(3)]");
        Assert.Equal(expected, await CodeFixHarness.TextAsync(solution, document.Id));
        // Only that document changed.
        var other = project.Documents.Last();
        Assert.Equal((await other.GetTextAsync()).ToString(), await CodeFixHarness.TextAsync(solution, other.Id));
        AssertBuildsClean(expected);
    }

    [Fact]
    public async Task FixAllInAProjectFixesEveryDocument()
    {
        const string first = """
            using CnnGen;

            [Network]
            [Input(8, 8, 1)]
            [Conv2D(4, 3)]
            [Dense(10)]
            public partial class A;
            """;
        var second = first.Replace("class A", "class B").Replace("[Conv2D(4, 3)]", "[Conv2D(4, 3)]\n[MaxPool2D(2)]");
        var project = CodeFixHarness.Project(first, second);
        var solution = await CodeFixHarness.FixAllAsync(project, FixAllScope.Project, RankFixes.FlattenKey);
        var texts = new List<string>();
        foreach (var document in project.Documents)
        {
            texts.Add(await CodeFixHarness.TextAsync(solution, document.Id));
        }

        Assert.Equal(new[] { first.Replace("[Dense(10)]", "[Flatten]\n[Dense(10)]"), second.Replace("[Dense(10)]", "[Flatten]\n[Dense(10)]") }, texts);
        AssertBuildsClean(texts.ToArray());
    }

    // ---- Helpers -----------------------------------------------------------------------------

    private static async Task AssertFixes(string source, string id, string key, string expected, int? index = null)
    {
        var actual = await CodeFixHarness.ApplyAsync(source, id, key, index);
        Assert.Equal(expected, actual);
        AssertBuildsClean(actual);
    }

    /// <summary>The fixed project builds: no CNN error from the analyzer, no C# error with the generated code.</summary>
    private static void AssertBuildsClean(params string[] sources)
    {
        var run = GeneratorHarness.Run(sources);
        Assert.DoesNotContain(run.CnnDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Empty(run.BuildErrors);
    }
}
