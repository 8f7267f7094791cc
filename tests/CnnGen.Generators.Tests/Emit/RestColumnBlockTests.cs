using CnnGen.Generators.Tests.Infrastructure;

namespace CnnGen.Generators.Tests.Emit;

/// <summary>
/// A deep layer whose rows do not divide into blocks (7 positions in blocks of 6) takes its last
/// column six rows at a time, forward and in the input gradient; a layer with a small kernel
/// keeps its one-position block (the extra kernels would only grow the file). CnnGen.Tests'
/// SharedLayerCodeTests run DeepLayerNet, which has such layers, at every width.
/// </summary>
public class RestColumnBlockTests
{
    private static string Generate(string layers, string input) => GeneratorHarness.NetSource(layers, input);

    [Fact]
    public void TheLastColumnOfADeepLayerIsBlockedAcrossRows()
    {
        // 3x3x96x64 floats = 216 KB of kernel on a 7x7 map; at 512 bits in 4 input-channel slices of 24.
        var source = Generate("[Conv2D(64, 3, Padding = Padding.Same)]\n[Flatten]\n[Dense(2)]\n", "7, 7, 96");
        Assert.Contains("// Output columns 6..6, 6 rows at a time.", source, StringComparison.Ordinal);
        Assert.Contains("private static void Conv2d1ForwardV512_Rows6x1_Slice24_16x4(", source, StringComparison.Ordinal);
        Assert.Contains("private static void Conv2d1ForwardV512_Rows1x1_Slice24_16x4(", source, StringComparison.Ordinal);
        // The 256-bit kernel, written once for 256 and 128 bits (WidthGenericKernels).
        Assert.Contains("private static void Conv2d1InputGradientVx_Rows", source, StringComparison.Ordinal);
        Assert.DoesNotContain("ForwardV512_Row1_", source, StringComparison.Ordinal);
    }

    [Fact]
    public void ASmallKernelKeepsItsShortBlock()
    {
        // 3x3x8x16 floats = 4.5 KB: in the L1 cache, a block of one position costs little.
        var source = Generate("[Conv2D(16, 3, Padding = Padding.Same)]\n[Flatten]\n[Dense(2)]\n", "7, 7, 8");
        Assert.DoesNotContain("rows at a time", source, StringComparison.Ordinal);
    }
}
