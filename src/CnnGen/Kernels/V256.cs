using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnGen.Kernels;

/// <summary>
/// The vector operations of generated 256-bit kernels (AVX2 and FMA, 8 floats), which they write as
/// <c>K::V256.Fma(x, w, a)</c>: each is one <see cref="Vector256"/> operation on a ref and a
/// constant offset, inlined by the JIT, so a kernel compiles to what the long form would
/// (VectorHelperInliningTests checks it) in less text.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct V256 : IVectorOps<Vector256<float>>
{
    /// <summary>Floats per vector: 8.</summary>
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => 8;
    }

    /// <summary>A vector of zeros.</summary>
    public static Vector256<float> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256<float>.Zero;
    }

    /// <summary>The 8 floats at <paramref name="r"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float r) => Vector256.LoadUnsafe(ref r);

    /// <summary>The 8 floats at <paramref name="r"/> + <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float r, nuint offset) => Vector256.LoadUnsafe(ref r, offset);

    /// <summary>Writes <paramref name="value"/> at <paramref name="r"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float r) => Vector256.StoreUnsafe(value, ref r);

    /// <summary>Writes <paramref name="value"/> at <paramref name="r"/> + <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float r, nuint offset) => Vector256.StoreUnsafe(value, ref r, offset);

    /// <summary>Adds <paramref name="value"/> to the floats at <paramref name="r"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(Vector256<float> value, ref float r) => Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref r) + value, ref r);

    /// <summary>Adds <paramref name="value"/> to the floats at <paramref name="r"/> + <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(Vector256<float> value, ref float r, nuint offset) =>
        Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref r, offset) + value, ref r, offset);

    /// <summary><paramref name="value"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Splat(float value) => Vector256.Create(value);

    /// <summary>The float at <paramref name="r"/> + <paramref name="offset"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Splat(ref float r, nint offset) => Vector256.Create(Unsafe.Add(ref r, offset));

    /// <summary>a + b (what a generic kernel writes for <c>a += b</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    /// <summary>a * b + c, fused (one rounding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);

    /// <summary>
    /// The larger of <paramref name="a"/> and <paramref name="b"/> in each lane, NaN where either
    /// is NaN, as <see cref="Vector256.Max{T}(Vector256{T}, Vector256{T})"/>, whose IEEE maximum
    /// takes 8 instructions on x86 to order -0 below +0 as well; this one takes 5 (max pooling).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) =>
        Vector256.ConditionalSelect(Vector256.Equals(a, a), Vector256.ConditionalSelect(Vector256.Equals(b, b), Vector256.MaxNative(a, b), b), a);

    /// <summary>
    /// The larger in each lane by the hardware's max, whose answer where a lane is NaN the
    /// platforms do not agree on: a window's max (max pooling) takes the hardware's max of its
    /// values and sets the lanes where <see cref="Unordered"/> found a NaN with <see cref="Or"/>,
    /// in about half the instructions of a chain of <see cref="Max"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MaxNative(Vector256<float> a, Vector256<float> b) => Vector256.MaxNative(a, b);

    /// <summary>All bits set in the lanes where <paramref name="a"/> or <paramref name="b"/> is NaN, zero elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Unordered(Vector256<float> a, Vector256<float> b) =>
        System.Runtime.Intrinsics.X86.Avx.IsSupported ? System.Runtime.Intrinsics.X86.Avx.CompareUnordered(a, b) : ~(Vector256.Equals(a, a) & Vector256.Equals(b, b));

    /// <summary>The bits of <paramref name="a"/> or <paramref name="b"/>: masks joined, or a value made NaN (all bits set) where a mask is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Or(Vector256<float> a, Vector256<float> b) => a | b;

    /// <summary>
    /// The sums of the lanes of four vectors, in one 128-bit vector: [sum a, sum b, sum c, sum d]
    /// (see <see cref="V128.Sum4"/>): three horizontal adds within the halves, then the halves added.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sum4(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d)
    {
        if (System.Runtime.Intrinsics.X86.Avx.IsSupported)
        {
            var sums = System.Runtime.Intrinsics.X86.Avx.HorizontalAdd(System.Runtime.Intrinsics.X86.Avx.HorizontalAdd(a, b), System.Runtime.Intrinsics.X86.Avx.HorizontalAdd(c, d));
            return sums.GetLower() + sums.GetUpper();
        }

        return V128.Sum4(a.GetLower() + a.GetUpper(), b.GetLower() + b.GetUpper(), c.GetLower() + c.GetUpper(), d.GetLower() + d.GetUpper());
    }

    // Relu and Relu6 take no zero or six from the caller: the JIT picks the instructions of Max
    // and Min when it reads them, and a constant operand it can see then makes them shorter.

    /// <summary>max(<paramref name="value"/>, 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Relu(Vector256<float> value) => Vector256.Max(value, Vector256<float>.Zero);

    /// <summary>min(max(<paramref name="value"/>, 0), 6).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Relu6(Vector256<float> value) =>
        Vector256.Min(Vector256.Max(value, Vector256<float>.Zero), Vector256.Create(6f));

    // The generic kernels' offsets are int expressions (256 + V.Count), which convert to nint,
    // not nuint; these overloads serve them and only them.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>>.Load(ref float r, nint offset) => Vector256.LoadUnsafe(ref Unsafe.Add(ref r, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void IVectorOps<Vector256<float>>.Store(Vector256<float> value, ref float r, nint offset) => Vector256.StoreUnsafe(value, ref Unsafe.Add(ref r, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void IVectorOps<Vector256<float>>.AddTo(Vector256<float> value, ref float r, nint offset) => AddTo(value, ref Unsafe.Add(ref r, offset));
}
