using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnGen.Kernels;

/// <summary>
/// Hard swish, gelu and silu of one float or one vector, which generated inference code applies
/// in a layer's stores instead of running a pass over a pre-activation tensor (training keeps
/// the pass: the derivatives of these three need the pre-activation). All three are the functions
/// of the passes (PiecewiseActivationKernels, ActivationKernels.SiluFunction), so the floats are
/// the same as the pass's wherever the pass uses the same width. On x86 without FMA, where the
/// 128-bit exp is emulated, the 128-bit gelu and silu take the scalar form lane by lane, as the
/// passes do.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class InferenceActivations
{
    /// <summary>x relu6(x + 3) / 6.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HardSwish(float x) => PiecewiseActivationKernels.HardSwish.Value(x);

    /// <summary>x relu6(x + 3) / 6.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> HardSwish(Vector128<float> x) => PiecewiseActivationKernels.HardSwish.Value(x);

    /// <summary>x relu6(x + 3) / 6.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> HardSwish(Vector256<float> x) => PiecewiseActivationKernels.HardSwish.Value(x);

    /// <summary>x relu6(x + 3) / 6.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> HardSwish(Vector512<float> x) => PiecewiseActivationKernels.HardSwish.Value(x);

    // Gelu and silu are inlined too: only depthwise kernels apply them in their stores (few
    // stores, where a call would spill every vector still live); measured faster than calls.
    /// <summary>x Phi(x), exact (erf).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Gelu(float x) => PiecewiseActivationKernels.Gelu.Value(x);

    /// <summary>x Phi(x), exact (erf).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Gelu(Vector128<float> x) => PiecewiseActivationKernels.FloatExp128
        ? PiecewiseActivationKernels.Gelu.Value(x)
        : PiecewiseActivationKernels.Lanewise<PiecewiseActivationKernels.Gelu>(x);

    /// <summary>x Phi(x), exact (erf).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Gelu(Vector256<float> x) => PiecewiseActivationKernels.Gelu.Value(x);

    /// <summary>x Phi(x), exact (erf).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Gelu(Vector512<float> x) => PiecewiseActivationKernels.Gelu.Value(x);

    /// <summary>x sigmoid(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Silu(float x) => ActivationKernels.SiluFunction.Value(x);

    /// <summary>x sigmoid(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Silu(Vector128<float> x) => PiecewiseActivationKernels.FloatExp128
        ? ActivationKernels.SiluFunction.Value(x)
        : PiecewiseActivationKernels.Lanewise<ActivationKernels.SiluFunction>(x);

    /// <summary>x sigmoid(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Silu(Vector256<float> x) => ActivationKernels.SiluFunction.Value(x);

    /// <summary>x sigmoid(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Silu(Vector512<float> x) => ActivationKernels.SiluFunction.Value(x);
}
