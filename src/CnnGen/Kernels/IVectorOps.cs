using System.ComponentModel;

namespace CnnGen.Kernels;

/// <summary>
/// The vector operations of one width (<see cref="V512"/>, <see cref="V256"/>, <see cref="V128"/>)
/// as a generic kernel calls them: a kernel whose code is the same at two widths but for the
/// vector type and offsets that count vectors is written once, as
/// <c>Kernel&lt;V, T&gt;</c> with <c>V.Fma(x, w, a)</c> and offsets such as <c>256 + V.Count</c>,
/// and called as <c>Kernel&lt;K::V256, Simd::Vector256&lt;float&gt;&gt;</c> on one path and with
/// the 128-bit pair on the other. The JIT compiles a copy per width (the type arguments are
/// structs), in which every call inlines and <see cref="Count"/> is a constant, so each copy is
/// the machine code of the kernel written for its width.
/// </summary>
/// <typeparam name="T">The vector type: Vector512&lt;float&gt;, Vector256&lt;float&gt; or Vector128&lt;float&gt;.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IVectorOps<T>
    where T : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    /// <summary>A vector of zeros.</summary>
    static abstract T Zero { get; }

    /// <summary>The vector at <paramref name="r"/>.</summary>
    static abstract T Load(ref float r);

    /// <summary>The vector at <paramref name="r"/> + <paramref name="offset"/> floats.</summary>
    static abstract T Load(ref float r, nint offset);

    /// <summary>Writes <paramref name="value"/> at <paramref name="r"/>.</summary>
    static abstract void Store(T value, ref float r);

    /// <summary>Writes <paramref name="value"/> at <paramref name="r"/> + <paramref name="offset"/> floats.</summary>
    static abstract void Store(T value, ref float r, nint offset);

    /// <summary>Adds <paramref name="value"/> to the floats at <paramref name="r"/>.</summary>
    static abstract void AddTo(T value, ref float r);

    /// <summary>Adds <paramref name="value"/> to the floats at <paramref name="r"/> + <paramref name="offset"/>.</summary>
    static abstract void AddTo(T value, ref float r, nint offset);

    /// <summary><paramref name="value"/> in every lane.</summary>
    static abstract T Splat(float value);

    /// <summary>The float at <paramref name="r"/> + <paramref name="offset"/> in every lane.</summary>
    static abstract T Splat(ref float r, nint offset);

    /// <summary>a + b: generic code has no operators on <typeparamref name="T"/>, so <c>a += b</c> is written <c>a = V.Add(a, b)</c>.</summary>
    static abstract T Add(T a, T b);

    /// <summary>a * b + c, as the width's own helper computes it.</summary>
    static abstract T Fma(T a, T b, T c);

    /// <summary>The larger in each lane, NaN where either is NaN.</summary>
    static abstract T Max(T a, T b);

    /// <summary>The larger in each lane by the hardware's max (NaN lanes unspecified; see <see cref="Unordered"/>).</summary>
    static abstract T MaxNative(T a, T b);

    /// <summary>All bits set in the lanes where a or b is NaN.</summary>
    static abstract T Unordered(T a, T b);

    /// <summary>The bits of a or b.</summary>
    static abstract T Or(T a, T b);

    /// <summary>max(<paramref name="value"/>, 0).</summary>
    static abstract T Relu(T value);

    /// <summary>min(max(<paramref name="value"/>, 0), 6).</summary>
    static abstract T Relu6(T value);
}
