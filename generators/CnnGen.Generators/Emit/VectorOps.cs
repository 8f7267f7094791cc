using System.Collections.Generic;
using System.Globalization;

namespace CnnGen.Generators.Emit;

/// <summary>
/// The text of vector operations on floats for one width: Vector512 (16 lanes), Vector256
/// (8), Vector128 (4) or plain float (1). Loads, stores and broadcasts take a ref and a
/// constant offset, so emitted code has no bounds checks and no computed indices.
/// </summary>
internal sealed class VectorOps
{
    public static readonly VectorOps V512 = new(16, FrameworkNames.Intrinsics + "Vector512", FrameworkNames.Kernels + "V512");
    public static readonly VectorOps V256 = new(8, FrameworkNames.Intrinsics + "Vector256", FrameworkNames.Kernels + "V256");
    public static readonly VectorOps V128 = new(4, FrameworkNames.Intrinsics + "Vector128", FrameworkNames.Kernels + "V128");
    public static readonly VectorOps Scalar = new(1, null, null);

    private VectorOps(int width, string? className, string? helpers)
    {
        Width = width;
        ClassName = className;
        Helpers = helpers;
    }

    public int Width { get; }

    /// <summary>Simd::Vector512, Simd::Vector256, Simd::Vector128 (see FrameworkNames); null for scalars.</summary>
    public string? ClassName { get; }

    /// <summary>
    /// K::V512, K::V256, K::V128: the runtime's one-line wrappers of the operations kernels
    /// repeat most (load, store, add to memory, broadcast, multiply-add, relu, zero), which
    /// the JIT inlines; a third of the text of the Simd:: forms, for the same machine code.
    /// Max and Min stay Simd:: calls: the JIT chooses their instructions from the operands it
    /// sees before inlining, so a helper's would be the general form (see Relu).
    /// </summary>
    public string? Helpers { get; }

    public bool IsScalar => ClassName is null;

    public string Type => IsScalar ? "float" : ClassName + "<float>";

    public static VectorOps ForWidth(int width) => width switch
    {
        16 => V512,
        8 => V256,
        4 => V128,
        _ => Scalar,
    };

    /// <summary>The float at <paramref name="r"/> + <paramref name="offset"/>, as an lvalue or value.</summary>
    public static string Element(string r, int offset) => offset == 0 ? r : FrameworkNames.Unsafe + ".Add(ref " + r + ", " + Number(offset) + ")";

    public static string Element(string r, string offset) => FrameworkNames.Unsafe + ".Add(ref " + r + ", " + offset + ")";

    /// <summary>A ref to <paramref name="r"/> + <paramref name="offset"/>.</summary>
    public static string Ref(string r, int offset) => offset == 0 ? "ref " + r : "ref " + FrameworkNames.Unsafe + ".Add(ref " + r + ", " + Number(offset) + ")";

    public static string Ref(string r, string offset) => "ref " + FrameworkNames.Unsafe + ".Add(ref " + r + ", " + offset + ")";

    public string Load(string r, int offset) => IsScalar
        ? Element(r, offset)
        : Helpers + ".Load(ref " + r + (offset == 0 ? ")" : ", " + Number(offset) + ")");

    public string Store(string value, string r, int offset)
    {
        if (IsScalar)
        {
            return Element(r, offset) + " = " + value + ";";
        }

        return Helpers + ".Store(" + value + ", ref " + r + (offset == 0 ? ");" : ", " + Number(offset) + ");");
    }

    /// <summary>The statement that adds <paramref name="value"/> to the floats at <paramref name="r"/> + <paramref name="offset"/>.</summary>
    public string AddTo(string value, string r, int offset) => IsScalar
        ? Element(r, offset) + " += " + value + ";"
        : Helpers + ".AddTo(" + value + ", ref " + r + (offset == 0 ? ");" : ", " + Number(offset) + ");");

    public string Broadcast(string r, int offset) => IsScalar
        ? Element(r, offset)
        : offset == 0 ? Broadcast(r) : Helpers + ".Splat(ref " + r + ", " + Number(offset) + ")";

    public string Broadcast(string scalar) => IsScalar ? scalar : Helpers + ".Splat(" + scalar + ")";

    /// <summary>
    /// a * b + c, fused on vectors (K::V256.Fma). 128-bit vectors use MultiplyAddEstimate: fused where the
    /// hardware has FMA (every AVX2 machine, Arm64), a multiply and an add where it does not
    /// (x86 without AVX2), where FusedMultiplyAdd would fall back to a slow software loop.
    /// </summary>
    public string MultiplyAdd(string a, string b, string c) => IsScalar
        ? a + " * " + b + " + " + c
        : Helpers + ".Fma(" + a + ", " + b + ", " + c + ")";

    /// <summary>The lanes of <paramref name="vector"/> in the order of constant indices (a permute).</summary>
    public string Shuffle(string vector, System.Collections.Generic.IEnumerable<int> indices) =>
        ClassName + ".Shuffle(" + vector + ", " + ClassName + ".Create(" + string.Join(", ", indices) + "))";

    /// <summary>Lanes of <paramref name="whereTrue"/> where the constant mask is set, else of <paramref name="whereFalse"/>.</summary>
    public string Select(System.Collections.Generic.IEnumerable<bool> mask, string whereTrue, string whereFalse) =>
        ClassName + ".ConditionalSelect(" + Mask(mask) + ", " + whereTrue + ", " + whereFalse + ")";

    /// <summary>A constant mask vector of floats: all bits set in the lanes that are true.</summary>
    public string Mask(System.Collections.Generic.IEnumerable<bool> lanes) =>
        ClassName + ".AsSingle(" + ClassName + ".Create(" + string.Join(", ", System.Linq.Enumerable.Select(lanes, lane => lane ? "-1" : "0")) + "))";

    public string AllBitsSet => Type + ".AllBitsSet";

    /// <summary>The sum of the lanes.</summary>
    public string Sum(string vector) => IsScalar ? vector : ClassName + ".Sum(" + vector + ")";

    /// <summary>The larger of a and b, NaN if either is (the helper's short form; Relu and Relu6 keep the framework's Max, whose constant operand makes it short).</summary>
    public string Max(string a, string b) => IsScalar ? "global::System.MathF.Max(" + a + ", " + b + ")" : Helpers + ".Max(" + a + ", " + b + ")";

    /// <summary>
    /// The max of <paramref name="values"/> (at least two), NaN where any is: the hardware's max
    /// over them, then NaN set in the lanes where a pair is unordered. For a vector of max
    /// pooling: a chain of <see cref="Max"/> takes 5 instructions per value at 256 bits, this
    /// about 2.5. Vector widths only: the scalar path keeps the chain of <c>MathF.Max</c>.
    /// </summary>
    public string MaxKeepingNaN(IReadOnlyList<string> values)
    {
        var max = values[0];
        for (var i = 1; i < values.Count; i++)
        {
            max = Helpers + ".MaxNative(" + max + ", " + values[i] + ")";
        }

        string? unordered = null;
        for (var i = 0; i < values.Count; i += 2)
        {
            var pair = Helpers + ".Unordered(" + values[i] + ", " + values[i + 1 < values.Count ? i + 1 : i] + ")";
            unordered = unordered is null ? pair : Helpers + ".Or(" + unordered + ", " + pair + ")";
        }

        return Helpers + ".Or(" + max + ", " + unordered + ")";
    }

    public string Min(string a, string b) => IsScalar ? "global::System.MathF.Min(" + a + ", " + b + ")" : ClassName + ".Min(" + a + ", " + b + ")";

    /// <summary>max(a, 0) (a helper: Max written with a zero from a helper would compile to the general, longer form).</summary>
    public string Relu(string a) => IsScalar ? Max(a, Zero) : Helpers + ".Relu(" + a + ")";

    /// <summary>min(max(a, 0), 6).</summary>
    public string Relu6(string a) => IsScalar ? Min(Max(a, Zero), Constant(6f)) : Helpers + ".Relu6(" + a + ")";

    public string Zero => IsScalar ? "0f" : Helpers + ".Zero";

    public string Constant(float value) => Broadcast(Float(value));

    public static string Float(float value)
    {
        if (float.IsNegativeInfinity(value))
        {
            return "float.NegativeInfinity";
        }

        return value.ToString("R", CultureInfo.InvariantCulture) + "f";
    }

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>" + 12" to append to an expression, or nothing for 0.</summary>
    public static string PlusConstant(int value) => value == 0 ? string.Empty : " + " + Number(value);

    /// <summary>" + 12" or " - 12" to append to an expression, or nothing for 0 (where a constant may be negative).</summary>
    public static string PlusSigned(int value) => value == 0 ? string.Empty : value > 0 ? " + " + Number(value) : " - " + Number(-value);
}
