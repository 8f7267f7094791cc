using System.Collections.Generic;

namespace CnnGen.Generators.Emit;

/// <summary>
/// One instruction-set path of the emitted kernels. Each layer gets a variant per ISA and a
/// dispatch on <c>IsHardwareAccelerated</c>, which the JIT folds to a constant, so only one
/// path is compiled on a given machine. The scalar path (no SIMD) is a plain loop nest.
/// </summary>
internal sealed class VectorIsa
{
    /// <summary>AVX-512: 32 registers, 24 of them accumulators.</summary>
    public static readonly VectorIsa V512 = new("V512", "Vector512.IsHardwareAccelerated", 16, 24, 24);

    /// <summary>AVX2: 16 registers, 12 accumulators.</summary>
    public static readonly VectorIsa V256 = new("V256", "Vector256.IsHardwareAccelerated", 8, 12, 24);

    /// <summary>SSE or Arm64 AdvSimd: 12 accumulators.</summary>
    public static readonly VectorIsa V128 = new("V128", "Vector128.IsHardwareAccelerated", 4, 8, 8);

    public static readonly IReadOnlyList<VectorIsa> All = new[] { V512, V256, V128 };

    private VectorIsa(string suffix, string condition, int maxWidth, int accumulators, int unrollBudget)
    {
        UnrollBudget = unrollBudget;
        Suffix = suffix;
        Condition = condition;
        MaxWidth = maxWidth;
        Accumulators = accumulators;
    }

    /// <summary>Appended to method names: Conv2d1ForwardV512.</summary>
    public string Suffix { get; }

    /// <summary>The C# condition that selects this path.</summary>
    public string Condition { get; }

    /// <summary>Floats per vector.</summary>
    public int MaxWidth { get; }

    /// <summary>How many vector accumulators a micro-kernel may keep in registers.</summary>
    public int Accumulators { get; }

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

    /// <summary>The ISA whose accumulators and budget a kernel of narrower vectors uses.</summary>
    public VectorIsa ForWidth(int width) => width >= MaxWidth || width == 1 && this == V128 ? this : width >= 8 ? V256 : V128;

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
}
