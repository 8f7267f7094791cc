using System.Globalization;

namespace CnnGen.Generators.Emit;

/// <summary>
/// The text of vector operations on floats for one width: Vector512 (16 lanes), Vector256
/// (8), Vector128 (4) or plain float (1). Loads, stores and broadcasts take a ref and a
/// constant offset, so emitted code has no bounds checks and no computed indices.
/// </summary>
internal sealed class VectorOps
{
    public static readonly VectorOps V512 = new(16, FrameworkNames.Intrinsics + "Vector512");
    public static readonly VectorOps V256 = new(8, FrameworkNames.Intrinsics + "Vector256");
    public static readonly VectorOps V128 = new(4, FrameworkNames.Intrinsics + "Vector128");
    public static readonly VectorOps Scalar = new(1, null);

    private VectorOps(int width, string? className)
    {
        Width = width;
        ClassName = className;
    }

    public int Width { get; }

    /// <summary>Simd::Vector512, Simd::Vector256, Simd::Vector128 (see FrameworkNames); null for scalars.</summary>
    public string? ClassName { get; }

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
        : offset == 0 ? ClassName + ".LoadUnsafe(ref " + r + ")" : ClassName + ".LoadUnsafe(ref " + r + ", " + Number(offset) + "u)";

    public string Store(string value, string r, int offset)
    {
        if (IsScalar)
        {
            return Element(r, offset) + " = " + value + ";";
        }

        // The static form: with no using directive, the extension method is out of reach.
        return ClassName + ".StoreUnsafe(" + value + (offset == 0 ? ", ref " + r + ");" : ", ref " + r + ", " + Number(offset) + "u);");
    }

    public string Broadcast(string r, int offset) => IsScalar ? Element(r, offset) : ClassName + ".Create(" + Element(r, offset) + ")";

    public string Broadcast(string scalar) => IsScalar ? scalar : ClassName + ".Create(" + scalar + ")";

    /// <summary>
    /// a * b + c, fused on vectors. 128-bit vectors use MultiplyAddEstimate: fused where the
    /// hardware has FMA (every AVX2 machine, Arm64), a multiply and an add where it does not
    /// (x86 without AVX2), where FusedMultiplyAdd would fall back to a slow software loop.
    /// </summary>
    public string MultiplyAdd(string a, string b, string c) => IsScalar
        ? a + " * " + b + " + " + c
        : ClassName + (Width == 4 ? ".MultiplyAddEstimate(" : ".FusedMultiplyAdd(") + a + ", " + b + ", " + c + ")";

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

    public string Max(string a, string b) => IsScalar ? "global::System.MathF.Max(" + a + ", " + b + ")" : ClassName + ".Max(" + a + ", " + b + ")";

    public string Min(string a, string b) => IsScalar ? "global::System.MathF.Min(" + a + ", " + b + ")" : ClassName + ".Min(" + a + ", " + b + ")";

    public string Zero => IsScalar ? "0f" : ClassName + "<float>.Zero";

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
}
