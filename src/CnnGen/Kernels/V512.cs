using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnGen.Kernels;

/// <summary>
/// The vector operations of generated 512-bit kernels (AVX-512, 16 floats), which they write as
/// <c>K::V512.Fma(x, w, a)</c>: each is one <see cref="Vector512"/> operation on a ref and a
/// constant offset, inlined by the JIT, so a kernel compiles to what the long form would
/// (VectorHelperInliningTests checks it) in less text.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct V512 : IVectorOps<Vector512<float>>
{
    /// <summary>Floats per vector: 16.</summary>
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => 16;
    }

    /// <summary>A vector of zeros.</summary>
    public static Vector512<float> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512<float>.Zero;
    }

    /// <summary>The 16 floats at <paramref name="r"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float r) => Vector512.LoadUnsafe(ref r);

    /// <summary>The 16 floats at <paramref name="r"/> + <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float r, nuint offset) => Vector512.LoadUnsafe(ref r, offset);

    /// <summary>Writes <paramref name="value"/> at <paramref name="r"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float r) => Vector512.StoreUnsafe(value, ref r);

    /// <summary>Writes <paramref name="value"/> at <paramref name="r"/> + <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float r, nuint offset) => Vector512.StoreUnsafe(value, ref r, offset);

    /// <summary>Adds <paramref name="value"/> to the floats at <paramref name="r"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(Vector512<float> value, ref float r) => Vector512.StoreUnsafe(Vector512.LoadUnsafe(ref r) + value, ref r);

    /// <summary>Adds <paramref name="value"/> to the floats at <paramref name="r"/> + <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(Vector512<float> value, ref float r, nuint offset) =>
        Vector512.StoreUnsafe(Vector512.LoadUnsafe(ref r, offset) + value, ref r, offset);

    /// <summary><paramref name="value"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Splat(float value) => Vector512.Create(value);

    /// <summary>The float at <paramref name="r"/> + <paramref name="offset"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Splat(ref float r, nint offset) => Vector512.Create(Unsafe.Add(ref r, offset));

    /// <summary>a + b (what a generic kernel writes for <c>a += b</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    /// <summary>a * b + c, fused (one rounding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

    /// <summary>
    /// The larger of <paramref name="a"/> and <paramref name="b"/> in each lane, NaN where either
    /// is NaN, as <see cref="Vector512.Max{T}(Vector512{T}, Vector512{T})"/>, whose IEEE maximum
    /// takes 8 instructions at 128 and 256 bits on x86 to order -0 below +0 as well; this one takes 5 there (max pooling).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) =>
        Vector512.ConditionalSelect(Vector512.Equals(a, a), Vector512.ConditionalSelect(Vector512.Equals(b, b), Vector512.MaxNative(a, b), b), a);

    /// <summary>
    /// The larger in each lane by the hardware's max, whose answer where a lane is NaN the
    /// platforms do not agree on: a window's max (max pooling) takes the hardware's max of its
    /// values and sets the lanes where <see cref="Unordered"/> found a NaN with <see cref="Or"/>,
    /// in about half the instructions of a chain of <see cref="Max"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MaxNative(Vector512<float> a, Vector512<float> b) => Vector512.MaxNative(a, b);

    /// <summary>All bits set in the lanes where <paramref name="a"/> or <paramref name="b"/> is NaN, zero elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Unordered(Vector512<float> a, Vector512<float> b) =>
        System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? System.Runtime.Intrinsics.X86.Avx512F.CompareUnordered(a, b) : ~(Vector512.Equals(a, a) & Vector512.Equals(b, b));

    /// <summary>The bits of <paramref name="a"/> or <paramref name="b"/>: masks joined, or a value made NaN (all bits set) where a mask is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Or(Vector512<float> a, Vector512<float> b) => a | b;

    /// <summary>
    /// The sums of the lanes of four vectors, in one 128-bit vector: [sum a, sum b, sum c, sum d]
    /// (see <see cref="V128.Sum4"/>): each folded to 256 bits, then <see cref="V256.Sum4"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sum4(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d) =>
        V256.Sum4(a.GetLower() + a.GetUpper(), b.GetLower() + b.GetUpper(), c.GetLower() + c.GetUpper(), d.GetLower() + d.GetUpper());

    // Relu and Relu6 take no zero or six from the caller: the JIT picks the instructions of Max
    // and Min when it reads them, and a constant operand it can see then makes them shorter.

    /// <summary>max(<paramref name="value"/>, 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Relu(Vector512<float> value) => Vector512.Max(value, Vector512<float>.Zero);

    /// <summary>min(max(<paramref name="value"/>, 0), 6).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Relu6(Vector512<float> value) =>
        Vector512.Min(Vector512.Max(value, Vector512<float>.Zero), Vector512.Create(6f));

    // The generic kernels' offsets are int expressions (256 + V.Count), which convert to nint,
    // not nuint; these overloads serve them and only them.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>>.Load(ref float r, nint offset) => Vector512.LoadUnsafe(ref Unsafe.Add(ref r, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void IVectorOps<Vector512<float>>.Store(Vector512<float> value, ref float r, nint offset) => Vector512.StoreUnsafe(value, ref Unsafe.Add(ref r, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void IVectorOps<Vector512<float>>.AddTo(Vector512<float> value, ref float r, nint offset) => AddTo(value, ref Unsafe.Add(ref r, offset));
}
