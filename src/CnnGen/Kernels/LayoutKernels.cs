using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnGen.Kernels;

/// <summary>Used by generated code: moving rows between the channels-first and channels-last layouts.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LayoutKernels
{
    /// <summary>
    /// A window of a channels-last tensor into planes, for a convolution vectorised over output
    /// positions (few filters, several input channels): <paramref name="rows"/> rows of
    /// <paramref name="columns"/> positions of <paramref name="channels"/> floats each, rows
    /// <paramref name="rowStride"/> floats apart, become <c>channels</c> planes of
    /// <c>rows x columns</c> floats, <paramref name="planeStride"/> floats apart (a band of
    /// fewer rows keeps the full bands' planes): target[c][r][p] = source[r][p][c].
    /// With AVX and channels in eights, blocks of 8 positions x 8 channels are transposed in
    /// registers; otherwise each plane's row is written in one run from the source row, which
    /// stays in the L1 cache (writing position by position into every plane, planes of 4 KB
    /// apart, took 10 cycles a float on Zen 4).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToPlanes(ref float source, ref float target, int rows, int columns, int channels, int rowStride, int planeStride)
    {
        nint plane = planeStride;
        for (var r = 0; r < rows; r++)
        {
            ref var from = ref Unsafe.Add(ref source, (nint)r * rowStride);
            ref var to = ref Unsafe.Add(ref target, (nint)r * columns);
            var p0 = 0;
            if (Avx.IsSupported && channels % 8 == 0)
            {
                for (; p0 + 8 <= columns; p0 += 8)
                {
                    for (var c0 = 0; c0 < channels; c0 += 8)
                    {
                        Transpose8x8(ref Unsafe.Add(ref from, p0 * channels + c0), channels, ref Unsafe.Add(ref to, c0 * plane + p0), plane);
                    }
                }
            }

            for (var c = 0; c < channels; c++)
            {
                ref var run = ref Unsafe.Add(ref to, c * plane);
                for (var p = p0; p < columns; p++)
                {
                    Unsafe.Add(ref run, p) = Unsafe.Add(ref from, p * channels + c);
                }
            }
        }
    }

    /// <summary>8 rows of 8 floats (<paramref name="sourceStride"/> apart) into 8 columns (<paramref name="targetStride"/> apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(ref float source, nint sourceStride, ref float target, nint targetStride)
    {
        var r0 = Vector256.LoadUnsafe(ref source);
        var r1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, sourceStride));
        var r2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 2 * sourceStride));
        var r3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 3 * sourceStride));
        var r4 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 4 * sourceStride));
        var r5 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 5 * sourceStride));
        var r6 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 6 * sourceStride));
        var r7 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 7 * sourceStride));

        // Pairs of rows interleaved, then pairs of pairs, then the 128-bit halves exchanged.
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref target);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref Unsafe.Add(ref target, targetStride));
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref Unsafe.Add(ref target, 2 * targetStride));
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref Unsafe.Add(ref target, 3 * targetStride));
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref Unsafe.Add(ref target, 4 * targetStride));
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref Unsafe.Add(ref target, 5 * targetStride));
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref Unsafe.Add(ref target, 6 * targetStride));
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref Unsafe.Add(ref target, 7 * targetStride));
    }

    /// <summary>
    /// One row of a three-channel channels-first image (an RGB input) into the channels-last
    /// layout: <paramref name="count"/> positions of three planes, <paramref name="planeStride"/>
    /// floats apart, become <c>count</c> triples at <paramref name="positions"/>. Eight or four
    /// positions at a time, each triple put together by permutes and blends: a 224x224 image took
    /// 15 us instead of 41 us one float at a time (Zen 4; 19 us with 256-bit vectors only).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InterleaveThreePlanes(ref float plane, nint planeStride, ref float positions, int count)
    {
        var p = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; p + 8 <= count; p += 8)
            {
                var a = Vector256.LoadUnsafe(ref Unsafe.Add(ref plane, p));
                var b = Vector256.LoadUnsafe(ref Unsafe.Add(ref plane, planeStride + p));
                var c = Vector256.LoadUnsafe(ref Unsafe.Add(ref plane, 2 * planeStride + p));
                ref var t = ref Unsafe.Add(ref positions, 3 * p);
                // a0 b0 c0 a1 b1 c1 a2 b2 | c2 a3 b3 c3 a4 b4 c4 a5 | b5 c5 a6 b6 c6 a7 b7 c7
                Blend(a, b, c, Vector256.Create(0, 0, 0, 1, 0, 0, 2, 0), Vector256.Create(0, 0, 0, 0, 1, 0, 0, 2), Vector256.Create(0, 0, 0, 0, 0, 1, 0, 0),
                    Vector256.Create(-1, 0, 0, -1, 0, 0, -1, 0), Vector256.Create(0, -1, 0, 0, -1, 0, 0, -1)).StoreUnsafe(ref t);
                Blend(a, b, c, Vector256.Create(0, 3, 0, 0, 4, 0, 0, 5), Vector256.Create(0, 0, 3, 0, 0, 4, 0, 0), Vector256.Create(2, 0, 0, 3, 0, 0, 4, 0),
                    Vector256.Create(0, -1, 0, 0, -1, 0, 0, -1), Vector256.Create(0, 0, -1, 0, 0, -1, 0, 0)).StoreUnsafe(ref t, 8);
                Blend(a, b, c, Vector256.Create(0, 0, 6, 0, 0, 7, 0, 0), Vector256.Create(5, 0, 0, 6, 0, 0, 7, 0), Vector256.Create(0, 5, 0, 0, 6, 0, 0, 7),
                    Vector256.Create(0, 0, -1, 0, 0, -1, 0, 0), Vector256.Create(-1, 0, 0, -1, 0, 0, -1, 0)).StoreUnsafe(ref t, 16);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; p + 4 <= count; p += 4)
            {
                var a = Vector128.LoadUnsafe(ref Unsafe.Add(ref plane, p));
                var b = Vector128.LoadUnsafe(ref Unsafe.Add(ref plane, planeStride + p));
                var c = Vector128.LoadUnsafe(ref Unsafe.Add(ref plane, 2 * planeStride + p));
                ref var t = ref Unsafe.Add(ref positions, 3 * p);
                // a0 b0 c0 a1 | b1 c1 a2 b2 | c2 a3 b3 c3
                Blend(a, b, c, Vector128.Create(0, 0, 0, 1), Vector128.Create(0, 0, 0, 0), Vector128.Create(0, 0, 0, 0),
                    Vector128.Create(-1, 0, 0, -1), Vector128.Create(0, -1, 0, 0)).StoreUnsafe(ref t);
                Blend(a, b, c, Vector128.Create(0, 0, 2, 0), Vector128.Create(1, 0, 0, 2), Vector128.Create(0, 1, 0, 0),
                    Vector128.Create(0, 0, -1, 0), Vector128.Create(-1, 0, 0, -1)).StoreUnsafe(ref t, 4);
                Blend(a, b, c, Vector128.Create(0, 3, 0, 0), Vector128.Create(0, 0, 3, 0), Vector128.Create(2, 0, 0, 3),
                    Vector128.Create(0, -1, 0, 0), Vector128.Create(0, 0, -1, 0)).StoreUnsafe(ref t, 8);
            }
        }

        for (; p < count; p++)
        {
            ref var t = ref Unsafe.Add(ref positions, 3 * p);
            t = Unsafe.Add(ref plane, p);
            Unsafe.Add(ref t, 1) = Unsafe.Add(ref plane, planeStride + p);
            Unsafe.Add(ref t, 2) = Unsafe.Add(ref plane, 2 * planeStride + p);
        }
    }

    /// <summary>Each lane from a's, b's or c's permuted lanes: a where <paramref name="fromA"/>, b where <paramref name="fromB"/>, c elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Blend(Vector256<float> a, Vector256<float> b, Vector256<float> c,
        Vector256<int> aLanes, Vector256<int> bLanes, Vector256<int> cLanes, Vector256<int> fromA, Vector256<int> fromB) =>
        Vector256.ConditionalSelect(fromA.AsSingle(), Vector256.Shuffle(a, aLanes),
            Vector256.ConditionalSelect(fromB.AsSingle(), Vector256.Shuffle(b, bLanes), Vector256.Shuffle(c, cLanes)));

    /// <inheritdoc cref="Blend(Vector256{float}, Vector256{float}, Vector256{float}, Vector256{int}, Vector256{int}, Vector256{int}, Vector256{int}, Vector256{int})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Blend(Vector128<float> a, Vector128<float> b, Vector128<float> c,
        Vector128<int> aLanes, Vector128<int> bLanes, Vector128<int> cLanes, Vector128<int> fromA, Vector128<int> fromB) =>
        Vector128.ConditionalSelect(fromA.AsSingle(), Vector128.Shuffle(a, aLanes),
            Vector128.ConditionalSelect(fromB.AsSingle(), Vector128.Shuffle(b, bLanes), Vector128.Shuffle(c, cLanes)));
}
