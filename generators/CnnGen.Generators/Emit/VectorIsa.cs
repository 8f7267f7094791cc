using System.Collections.Generic;

namespace CnnGen.Generators.Emit;

/// <summary>
/// One vector width of the emitted kernels and the register file it comes with. Each kernel
/// gets a variant per width and a dispatch on <c>IsHardwareAccelerated</c>, which the JIT
/// folds to a constant, so only one path is compiled on a given machine. Machines without
/// any accelerated width run the scalar path, a plain loop nest.
/// </summary>
internal sealed class VectorIsa
{
    /// <summary>AVX-512: 32 zmm registers, 24 of them accumulators.</summary>
    public static readonly VectorIsa V512 = new("V512", FrameworkNames.Intrinsics + "Vector512", 16, accumulators: 24, registers: 32, unrollBudget: 24, maxGroupVectors: 4, sliceBytes: 64 * 1024);

    /// <summary>AVX2 and FMA: 16 ymm registers, 12 accumulators (MLAS's AVX2 SGEMM kernel keeps 12 too).</summary>
    public static readonly VectorIsa V256 = new("V256", FrameworkNames.Intrinsics + "Vector256", 8, accumulators: 12, registers: 16, unrollBudget: 24, maxGroupVectors: 2, sliceBytes: 24 * 1024);

    /// <summary>
    /// 128-bit vectors: SSE and AVX without AVX2 on x86 (16 registers), AdvSimd on Arm64 (32):
    /// 12 accumulators fit both. Slices of 12 KB: a filter group holds half the filters of a
    /// 256-bit group, so the two paths slice the same input channels and their kernels are the
    /// same code but for the width, written once (WidthGenericKernels).
    /// </summary>
    public static readonly VectorIsa V128 = new("V128", FrameworkNames.Intrinsics + "Vector128", 4, accumulators: 12, registers: 16, unrollBudget: 24, maxGroupVectors: 2, sliceBytes: 12 * 1024);

    /// <summary>
    /// 4-float vectors inside the AVX-512 variant (a layer of few channels): fewer accumulators
    /// and a smaller unrolled step, as that variant was tuned and measured.
    /// </summary>
    private static readonly VectorIsa Narrow128 = new("V128", FrameworkNames.Intrinsics + "Vector128", 4, accumulators: 8, registers: 32, unrollBudget: 8, maxGroupVectors: 4, sliceBytes: 64 * 1024);

    /// <summary>The widths, widest first: the order of the dispatch.</summary>
    public static readonly IReadOnlyList<VectorIsa> All = new[] { V512, V256, V128 };

    private VectorIsa(string suffix, string className, int maxWidth, int accumulators, int registers, int unrollBudget, int maxGroupVectors, int sliceBytes)
    {
        SliceBytes = sliceBytes;
        Suffix = suffix;
        ClassName = className;
        MaxWidth = maxWidth;
        Accumulators = accumulators;
        Registers = registers;
        UnrollBudget = unrollBudget;
        MaxGroupVectors = maxGroupVectors;
    }

    /// <summary>Appended to method names: Conv2d1ForwardV512.</summary>
    public string Suffix { get; }

    /// <summary>The class of the width's operations, alias-qualified: Simd::Vector512, ... (see FrameworkNames).</summary>
    public string ClassName { get; }

    /// <summary>The C# condition that selects this path.</summary>
    public string Condition => ClassName + ".IsHardwareAccelerated";

    /// <summary>Floats per vector.</summary>
    public int MaxWidth { get; }

    /// <summary>The operations on vectors of this width.</summary>
    public VectorOps Ops => VectorOps.ForWidth(MaxWidth);

    /// <summary>How many vector accumulators a micro-kernel may keep in registers.</summary>
    public int Accumulators { get; }

    /// <summary>Vector registers of the narrowest machine that runs this path.</summary>
    public int Registers { get; }

    /// <summary>
    /// The most channel vectors a group of a micro-kernel holds: their weights stay in
    /// registers beside the accumulators and one broadcast input.
    /// </summary>
    public int MaxGroupVectors { get; }

    /// <summary>
    /// The most bytes of weights one filter group of a convolution may take through one pass
    /// over the output positions; more are sliced by input channels (see
    /// ConvolutionForwardEmitter.ChannelSlices). Weights beyond the L1 cache are read again
    /// for every block of positions (unsliced, the 3x3 convolutions of 14x14x256 and 7x7x512
    /// ran at 65-75% of the FMA peak); a slice this size is also small enough to copy onto the
    /// stack. Measured per width: 64 KB on an AVX-512 machine with a 48 KB L1; 24 KB on an
    /// AVX2 machine with a 32 KB L1 (Zen 3), where 64 KB left 56x56x64 (36 KB per group of 16
    /// filters) unsliced and 8% slower, 7x7x512 10% slower, and 28x28x128 at 128 bits 35%
    /// slower.
    /// </summary>
    public int SliceBytes { get; }

    /// <summary>
    /// Multiply-add statements per unrolled step of a micro-kernel: enough to hide the loop's
    /// own instructions behind the FMAs, small enough to keep the source compact.
    /// </summary>
    public int UnrollBudget { get; }

    /// <summary>
    /// Taps unrolled per step of a micro-kernel with <paramref name="rows"/> rows and
    /// <paramref name="vectors"/> vectors: the budget shared out; a single row (a matrix-vector
    /// product, bound by loading the weights) takes one tap per step.
    /// </summary>
    public int TapsPerStep(int rows, int vectors) => rows == 1 ? 1 : System.Math.Max(1, UnrollBudget / (rows * vectors));

    /// <summary>Multiply-adds of a small layer's whole reduction, which is then unrolled with no loop.</summary>
    public const int WholeLayerBudget = 128;

    /// <summary>
    /// <see cref="TapsPerStep(int, int)"/>, except that a reduction of
    /// <paramref name="taps"/> taps small enough to fit <see cref="WholeLayerBudget"/> is
    /// unrolled whole.
    /// </summary>
    public int TapsPerStep(int rows, int vectors, int taps) =>
        (long)taps * rows * vectors <= WholeLayerBudget ? taps : TapsPerStep(rows, vectors);

    /// <summary>The width whose accumulators and budget a kernel of narrower vectors uses.</summary>
    public VectorIsa ForWidth(int width) =>
        width >= MaxWidth || width == 1 && MaxWidth == 4 ? this : width >= 8 ? V256 : this == V512 ? Narrow128 : V128;

    /// <summary>
    /// The rows of a block for <paramref name="length"/> candidates at this width. With 16
    /// registers (AVX2, 128-bit) every accumulator counts against the FMA latency, so a block
    /// keeps the maximum unless a divisor within a row of it avoids the tail; AVX-512, with
    /// twice the accumulators, takes a divisor down to half the maximum (see <see cref="PickBlock"/>).
    /// </summary>
    public int PickRows(int length, int maxBlock)
    {
        if (Registers > 16)
        {
            return PickBlock(length, maxBlock);
        }

        maxBlock = System.Math.Max(1, maxBlock);
        if (length <= maxBlock)
        {
            return length;
        }

        return length % maxBlock == 0 || length % (maxBlock - 1) != 0 || maxBlock < 4 ? maxBlock : maxBlock - 1;
    }

    /// <summary>The rows of a block for <paramref name="length"/> candidates: all when they fit, else a divisor near the maximum, else the maximum.</summary>
    public static int PickBlock(int length, int maxBlock)
    {
        maxBlock = System.Math.Max(1, maxBlock);
        if (length <= maxBlock)
        {
            return length;
        }

        for (var candidate = maxBlock; candidate * 2 >= maxBlock; candidate--)
        {
            if (length % candidate == 0)
            {
                return candidate;
            }
        }

        return maxBlock;
    }

    public override string ToString() => Suffix;
}
