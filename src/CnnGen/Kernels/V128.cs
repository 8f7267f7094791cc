using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnGen.Kernels;

/// <summary>
/// The vector operations of generated 128-bit kernels (SSE, AVX or Arm64 AdvSimd, 4 floats), which they write as
/// <c>K::V128.Fma(x, w, a)</c>: each is one <see cref="Vector128"/> operation on a ref and a
/// constant offset, inlined by the JIT, so a kernel compiles to what the long form would
/// (VectorHelperInliningTests checks it) in less text.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct V128 : IVectorOps<Vector128<float>>
{
    /// <summary>Floats per vector: 4.</summary>
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => 4;
    }

    /// <summary>A vector of zeros.</summary>
    public static Vector128<float> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128<float>.Zero;
    }

    /// <summary>The 4 floats at <paramref name="r"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float r) => Vector128.LoadUnsafe(ref r);

    /// <summary>The 4 floats at <paramref name="r"/> + <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float r, nuint offset) => Vector128.LoadUnsafe(ref r, offset);

    /// <summary>Writes <paramref name="value"/> at <paramref name="r"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float r) => Vector128.StoreUnsafe(value, ref r);

    /// <summary>Writes <paramref name="value"/> at <paramref name="r"/> + <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float r, nuint offset) => Vector128.StoreUnsafe(value, ref r, offset);

    /// <summary>Adds <paramref name="value"/> to the floats at <paramref name="r"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(Vector128<float> value, ref float r) => Vector128.StoreUnsafe(Vector128.LoadUnsafe(ref r) + value, ref r);

    /// <summary>Adds <paramref name="value"/> to the floats at <paramref name="r"/> + <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(Vector128<float> value, ref float r, nuint offset) =>
        Vector128.StoreUnsafe(Vector128.LoadUnsafe(ref r, offset) + value, ref r, offset);

    /// <summary><paramref name="value"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Splat(float value) => Vector128.Create(value);

    /// <summary>The float at <paramref name="r"/> + <paramref name="offset"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Splat(ref float r, nint offset) => Vector128.Create(Unsafe.Add(ref r, offset));

    /// <summary>a + b (what a generic kernel writes for <c>a += b</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    /// <summary>a * b + c: fused where the hardware has FMA (Arm64, x86 with AVX2), else a multiply and an add (x86 without FMA, where FusedMultiplyAdd would be a slow software loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Fma(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.MultiplyAddEstimate(a, b, c);

    /// <summary>
    /// The larger of <paramref name="a"/> and <paramref name="b"/> in each lane, NaN where either
    /// is NaN, as <see cref="Vector128.Max{T}(Vector128{T}, Vector128{T})"/>, whose IEEE maximum
    /// takes 8 instructions on x86 to order -0 below +0 as well; this one takes 5 (max pooling).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) =>
        Vector128.ConditionalSelect(Vector128.Equals(a, a), Vector128.ConditionalSelect(Vector128.Equals(b, b), Vector128.MaxNative(a, b), b), a);

    /// <summary>
    /// The larger in each lane by the hardware's max, whose answer where a lane is NaN the
    /// platforms do not agree on: a window's max (max pooling) takes the hardware's max of its
    /// values and sets the lanes where <see cref="Unordered"/> found a NaN with <see cref="Or"/>,
    /// in about half the instructions of a chain of <see cref="Max"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MaxNative(Vector128<float> a, Vector128<float> b) => Vector128.MaxNative(a, b);

    /// <summary>All bits set in the lanes where <paramref name="a"/> or <paramref name="b"/> is NaN, zero elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Unordered(Vector128<float> a, Vector128<float> b) =>
        System.Runtime.Intrinsics.X86.Sse.IsSupported ? System.Runtime.Intrinsics.X86.Sse.CompareUnordered(a, b) : ~(Vector128.Equals(a, a) & Vector128.Equals(b, b));

    /// <summary>The bits of <paramref name="a"/> or <paramref name="b"/>: masks joined, or a value made NaN (all bits set) where a mask is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Or(Vector128<float> a, Vector128<float> b) => a | b;

    /// <summary>
    /// The sums of the lanes of four vectors, in one vector: [sum a, sum b, sum c, sum d]. Dot
    /// products (a few filters on many input channels) end four accumulators at a time this way:
    /// two pairwise adds and one more (haddps on x86, faddp on Arm64) instead of four reductions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sum4(Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d)
    {
        if (System.Runtime.Intrinsics.X86.Sse3.IsSupported)
        {
            return System.Runtime.Intrinsics.X86.Sse3.HorizontalAdd(System.Runtime.Intrinsics.X86.Sse3.HorizontalAdd(a, b), System.Runtime.Intrinsics.X86.Sse3.HorizontalAdd(c, d));
        }

        if (System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported)
        {
            return System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.AddPairwise(System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.AddPairwise(a, b), System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.AddPairwise(c, d));
        }

        return Vector128.Create(Vector128.Sum(a), Vector128.Sum(b), Vector128.Sum(c), Vector128.Sum(d));
    }

    // Relu and Relu6 take no zero or six from the caller: the JIT picks the instructions of Max
    // and Min when it reads them, and a constant operand it can see then makes them shorter.

    /// <summary>max(<paramref name="value"/>, 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Relu(Vector128<float> value) => Vector128.Max(value, Vector128<float>.Zero);

    /// <summary>min(max(<paramref name="value"/>, 0), 6).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Relu6(Vector128<float> value) =>
        Vector128.Min(Vector128.Max(value, Vector128<float>.Zero), Vector128.Create(6f));

    // The generic kernels' offsets are int expressions (256 + V.Count), which convert to nint,
    // not nuint; these overloads serve them and only them.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>>.Load(ref float r, nint offset) => Vector128.LoadUnsafe(ref Unsafe.Add(ref r, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void IVectorOps<Vector128<float>>.Store(Vector128<float> value, ref float r, nint offset) => Vector128.StoreUnsafe(value, ref Unsafe.Add(ref r, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void IVectorOps<Vector128<float>>.AddTo(Vector128<float> value, ref float r, nint offset) => AddTo(value, ref Unsafe.Add(ref r, offset));
}
