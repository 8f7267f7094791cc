using CnnGen.Generators.Emit;
using CnnGen.Generators.Tests.Infrastructure;

namespace CnnGen.Generators.Tests.Emit;

/// <summary>
/// WidthGenericKernels writes a 256-bit method and its 128-bit twin once, generic over the
/// width, only when every integer that differs counts vectors, and renames the calls; methods
/// with anything else that depends on the width stay as they are. The numbers of the generic
/// methods are checked by the numeric tests, which run both widths.
/// </summary>
public class WidthGenericKernelsTests
{
    private static string Kernel(int bits, string body) =>
        "\t// f: 2 vectors of " + (bits / 32) + " channels.\n" +
        "\t[Cs::MethodImpl(Cs::MethodImplOptions.AggressiveOptimization)]\n" +
        "\tprivate static void FV" + bits + "_Row2_" + (bits / 32) + "x2(ref float x, ref float y)\n\t{\n" + body + "\t}\n";

    private static string Class(string wide, string narrow) =>
        "partial class N\n{\n" +
        "\tprivate static void F(ref float x, ref float y)\n\t{\n" +
        "\t\tif (Simd::Vector256.IsHardwareAccelerated) FV256_Row2_8x2(ref x, ref y);\n" +
        "\t\telse FV128_Row2_4x2(ref x, ref y);\n\t}\n\n" +
        Kernel(256, wide) + "\n" + Kernel(128, narrow) + "}\n";

    private static string Body(int lanes, string vector, string ops, int positions) =>
        "\t\t" + vector + " a0 = " + ops + ".Load(ref x), a1 = " + ops + ".Load(ref x, " + lanes + ");\n" +
        "\t\ta0 += " + ops + ".Load(ref x, " + (positions + lanes) + ");\n" +
        "\t\tfor (int c = 0; c < 48; c += " + (2 * lanes) + ")\n\t\t{\n" +
        "\t\t\tvar t" + lanes + " = " + ops + ".Splat(ref x, 3);\n\t\t\ta1 = " + ops + ".Fma(t" + lanes + ", a0, a1);\n\t\t}\n" +
        "\t\t" + ops + ".Store(a1, ref y, " + (positions + lanes) + ");\n";

    [Fact]
    public void TwinsBecomeOneGenericMethodWithTheWidthsCountedInVectors()
    {
        var code = Class(
            Body(8, "Simd::Vector256<float>", "K::V256", 256),
            Body(4, "Simd::Vector128<float>", "K::V128", 256));

        var shared = WidthGenericKernels.Share(code);

        Assert.Contains("if (Simd::Vector256.IsHardwareAccelerated) FVx_Row2_x2<K::V256, Simd::Vector256<float>>(ref x, ref y);", shared, StringComparison.Ordinal);
        Assert.Contains("else FVx_Row2_x2<K::V128, Simd::Vector128<float>>(ref x, ref y);", shared, StringComparison.Ordinal);
        Assert.Contains("\tprivate static void FVx_Row2_x2<V, T>(ref float x, ref float y)\n\t\twhere V : struct, K::IVectorOps<T> where T : struct\n", shared, StringComparison.Ordinal);
        Assert.Contains("\t\tT a0 = V.Load(ref x), a1 = V.Load(ref x, V.Count);\n", shared, StringComparison.Ordinal);
        Assert.Contains("\t\ta0 = V.Add(a0, V.Load(ref x, 256 + V.Count));\n", shared, StringComparison.Ordinal);
        Assert.Contains("for (int c = 0; c < 48; c += 2 * V.Count)", shared, StringComparison.Ordinal);
        Assert.Contains("\t\t\tvar t = V.Splat(ref x, 3);\n\t\t\ta1 = V.Fma(t, a0, a1);\n", shared, StringComparison.Ordinal);
        Assert.Contains("// f: 2 vectors of 8 or 4 channels.", shared, StringComparison.Ordinal);
        Assert.DoesNotContain("V256_Row2", shared, StringComparison.Ordinal);
        Assert.DoesNotContain("V128_Row2", shared, StringComparison.Ordinal);
    }

    [Theory]
    // A bound that does not count vectors (a slice of 16 channels at 256 bits, 32 at 128).
    [InlineData(256, 512)]
    // 20 = p + 4 * 8 and 4 = p + 4 * 4 only with p = -12: not an offset counted in vectors.
    [InlineData(20, 4)]
    public void AnIntegerThatDoesNotCountVectorsKeepsBothMethods(int wideOffset, int narrowOffset)
    {
        var code = Class(
            Body(8, "Simd::Vector256<float>", "K::V256", wideOffset - 8),
            Body(4, "Simd::Vector128<float>", "K::V128", narrowOffset - 4));

        Assert.Equal(code, WidthGenericKernels.Share(code));
    }

    [Theory]
    [InlineData("\t\ta1 = a0 * a1;\n")]
    [InlineData("\t\ta1 = K::InferenceActivations.HardSwish(a1);\n")]
    [InlineData("\t\ta1 = Simd::VectorNN.Min(a0, a1);\n")]
    public void AnythingElseThatDependsOnTheWidthKeepsBothMethods(string line)
    {
        static string With(string body, string line, int bits) => body + line.Replace("NN", bits.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var code = Class(
            With(Body(8, "Simd::Vector256<float>", "K::V256", 256), line, 256),
            With(Body(4, "Simd::Vector128<float>", "K::V128", 256), line, 128));

        Assert.Equal(code, WidthGenericKernels.Share(code));
    }

    [Fact]
    public void LeNet5sSecondConvolutionRunsOneKernelAtBothWidths()
    {
        var source = GeneratorHarness.Run(SampleNetworks.LeNet5).Sources.Values.Single();
        Assert.Contains("private static void Conv2d2ForwardVx_Row5_x2<V, T>(", source, StringComparison.Ordinal);
        Assert.Contains("Conv2d2ForwardVx_Row5_x2<K::V256, Simd::Vector256<float>>(ref xb, ref w, ref b, ref yb);", source, StringComparison.Ordinal);
        Assert.Contains("Conv2d2ForwardVx_Row5_x2<K::V128, Simd::Vector128<float>>(", source, StringComparison.Ordinal);
        Assert.DoesNotContain("Conv2d2ForwardV256_Row5", source, StringComparison.Ordinal);
        Assert.DoesNotContain("Conv2d2ForwardV128_Row5", source, StringComparison.Ordinal);
    }
}
