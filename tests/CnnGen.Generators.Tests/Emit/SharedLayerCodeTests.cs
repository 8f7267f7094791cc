using System.Text.RegularExpressions;
using CnnGen.Generators.Tests.Infrastructure;

namespace CnnGen.Generators.Tests.Emit;

/// <summary>
/// Layers of one shape and options share their kernels: the second of two equal convolutions
/// declares no method of its own and calls the first's, a layer that differs in anything (a
/// stride, an activation, a size) keeps its own code, a leaf kernel that equals another layer's
/// (a bias gradient over the same output) is left out and called instead, and the file compiles. CnnGen.Tests'
/// SharedLayerCodeTests run such networks against the reference at every width.
/// </summary>
public class SharedLayerCodeTests
{
    private const string Network = """
        using CnnGen;

        namespace Demo;

        [Network]
        [Input(12, 12, 8)]
        [Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu, Name = "a")]
        [Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu, Name = "b")]
        [Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Tanh, Name = "c")]
        [Add("b", "c")]
        [Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu, Name = "d")]
        [Flatten]
        [Dense(4)]
        public partial class Repeated;
        """;

    private static string Declared(string source) => string.Join(",", Regex.Matches(source, @"private static void (\w+)\(").Select(m => m.Groups[1].Value));

    [Fact]
    public void EqualLayersShareTheirKernelsAndOthersKeepTheirOwn()
    {
        var run = GeneratorHarness.Run(Network);
        Assert.Empty(run.BuildErrors);
        var source = run.Sources["Demo.Repeated.g.cs"];

        // b is a again; c differs in its activation. (d reads the Add's output, stored without the
        // zero frame that a's input has, so its code differs in its offsets and it keeps its own.)
        Assert.Contains("// b runs the code of a (above): the same shapes and options.", source, StringComparison.Ordinal);
        Assert.DoesNotContain("// c runs the code of", source, StringComparison.Ordinal);
        var declared = Declared(source).Split(',');
        Assert.Contains(declared, name => name.StartsWith("AForward", StringComparison.Ordinal));
        Assert.Contains(declared, name => name.StartsWith("CForward", StringComparison.Ordinal));
        Assert.Contains(declared, name => name.StartsWith("AKernelGradient", StringComparison.Ordinal));
        Assert.DoesNotContain(declared, name => name.StartsWith("BForward", StringComparison.Ordinal) || name.StartsWith("BKernelGradient", StringComparison.Ordinal));

        // Nothing refers to a method that is not there: b's calls name a's methods.
        Assert.DoesNotMatch(@"\bB(Forward|KernelGradient|InputGradient)\w*\(", source);
        Assert.Matches(@"\bAForward\(ref [^;]*ref t1, ref t2, batch\);", source);
    }

    [Fact]
    public void SharingKeepsTheFileProportionalToTheDistinctShapes()
    {
        static long Size(int repeats)
        {
            var layers = string.Concat(Enumerable.Repeat("[Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu)]\n", repeats));
            var run = GeneratorHarness.Run("using CnnGen;\nnamespace Demo;\n[Network]\n[Input(12, 12, 8)]\n" + layers + "public partial class Deep;\n");
            Assert.Empty(run.BuildErrors);
            return run.Sources["Demo.Deep.g.cs"].Length;
        }

        // The first layers of a chain share one kernel, the last (which writes the output, without a
        // zero frame) its own: seven more layers add their calls and comments, about 2.5 KB each, not
        // seven kernels of 50 KB. (The bound was a quarter of the three layers' 71.6 KB, before
        // the kernels shared by 256 and 128 bits made those smaller.)
        var three = Size(3);
        var ten = Size(10);
        Assert.True(ten - three < 7 * 2_550, $"three layers: {three:N0} characters; ten: {ten:N0}");
    }

    [Fact]
    public void LayersOfDifferentShapesShareTheirEqualLeafKernels()
    {
        // Two convolutions with different inputs (8 and 16 channels) and the same 12x12x16 output,
        // stored alike (in the zero frame of the 'same' convolution after each): their forward
        // kernels differ, their bias gradients (sums over the output) do not.
        var run = GeneratorHarness.Run("""
            using CnnGen;

            namespace Demo;

            [Network]
            [Input(12, 12, 8)]
            [Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.Relu, Name = "first")]
            [Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.Relu, Name = "second")]
            [Conv2D(4, 3, Padding = Padding.Same, Name = "third")]
            [Flatten]
            [Dense(4)]
            public partial class Mixed;
            """);
        Assert.Empty(run.BuildErrors);
        var source = run.Sources["Demo.Mixed.g.cs"];
        var declared = Declared(source).Split(',');

        // Each keeps its forward kernels and its bias-gradient dispatcher...
        Assert.Contains(declared, name => name.StartsWith("FirstForwardV512_", StringComparison.Ordinal));
        Assert.Contains(declared, name => name.StartsWith("SecondForwardV512_", StringComparison.Ordinal));
        Assert.Contains("SecondBiasGradient", declared);

        // ...but the second's leaf sums (and its scalar bias gradient) are the first's: left out.
        // Its drivers then call the first's sums as the first's drivers do, so they are the same
        // text and left out too (WidthGenericKernels), and its dispatcher calls the first's.
        Assert.DoesNotContain("SecondBiasGradientScalar", declared);
        Assert.Contains("else FirstBiasGradientScalar(ref d, ref db, batch);", source, StringComparison.Ordinal);
        foreach (var width in new[] { "V512", "V256", "V128" })
        {
            Assert.Contains(declared, name => name.StartsWith("FirstBiasGradient" + width + "_Sum", StringComparison.Ordinal));
            Assert.DoesNotContain(declared, name => name.StartsWith("SecondBiasGradient" + width + "_Sum", StringComparison.Ordinal));
            Assert.DoesNotContain("SecondBiasGradient" + width, declared);
        }

        Assert.DoesNotContain("SecondBiasGradientV512_Sum", source, StringComparison.Ordinal);
        Assert.Matches(@"private static void FirstBiasGradientV512\(ref float d, ref float db, int batch\)\s*\{[^}]*FirstBiasGradientV512_Sum_\w+\(", source);
        Assert.Matches(@"private static void SecondBiasGradient\(ref float d, ref float db, int batch\)\s*\{[^}]*FirstBiasGradientV512\(ref d, ref db, batch\);", source);
    }

    public static TheoryData<string> Samples => new(SampleNetworks.All.Keys);

    [Theory]
    [MemberData(nameof(Samples))]
    public void NoTwoKernelsOfAFileAreTheSameCodeUnderTwoNames(string sample)
    {
        // Kernels of different layers and widths (a 256-bit kernel narrowed to 128-bit vectors and
        // the 128-bit kernel of the same layer) that are the same code are written once.
        var run = GeneratorHarness.Run(SampleNetworks.All[sample]);
        Assert.Empty(run.BuildErrors);
        foreach (var source in run.Sources.Values)
        {
            var methods = Regex.Matches(source, @"\n\tprivate static void (\w+)\(.*?\n\t\}", RegexOptions.Singleline);
            var names = methods.Select(m => m.Groups[1].Value).ToHashSet();
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match method in methods)
            {
                var name = method.Groups[1].Value;
                var body = method.Value.Replace(name + "(", "@(", StringComparison.Ordinal);
                if (Regex.Matches(body, @"\b\w+\(").Any(call => names.Contains(call.Value[..^1])))
                {
                    continue; // Calls another method of the file: not a leaf.
                }

                Assert.False(seen.TryGetValue(body, out var earlier), $"{sample}: {name} is {earlier} under another name.");
                seen[body] = name;

                // A shared kernel keeps the narrowest width's name, so none runs vectors wider than its name says
                // (that the 128-bit path compiles only V128 kernels is what .ci/arm64-check verifies).
                if (Regex.Match(name, @"V(128|256|512)(?=_|$)") is { Success: true } tag)
                {
                    var width = int.Parse(tag.Groups[1].Value);
                    Assert.DoesNotContain(new[] { 256, 512 }.Where(w => w > width), w => body.Contains("Vector" + w + "<", StringComparison.Ordinal) || body.Contains("K::V" + w + ".", StringComparison.Ordinal));
                }
            }
        }
    }
}
