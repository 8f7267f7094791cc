using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace CnnGen.Arm64Check;

/// <summary>Which vector path the generated kernels take in this process, and the rule that Arm64 takes the 128-bit one.</summary>
internal static class SimdPath
{
    /// <summary>The generated dispatch: the widest accelerated width first (V512, V256, V128), else the scalar path.</summary>
    public static string Active =>
        Vector512.IsHardwareAccelerated ? "V512" : Vector256.IsHardwareAccelerated ? "V256" : Vector128.IsHardwareAccelerated ? "V128" : "Scalar";

    public static bool IsArm64 => RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    public static IEnumerable<string> Describe()
    {
        yield return $"runtime: {RuntimeInformation.FrameworkDescription}, process {RuntimeInformation.ProcessArchitecture}, OS {RuntimeInformation.OSDescription}";
        yield return $"Vector512.IsHardwareAccelerated={Vector512.IsHardwareAccelerated} Vector256.IsHardwareAccelerated={Vector256.IsHardwareAccelerated} " +
            $"Vector128.IsHardwareAccelerated={Vector128.IsHardwareAccelerated} Vector<float>.Count={Vector<float>.Count}";
        yield return $"AdvSimd.IsSupported={AdvSimd.IsSupported} AdvSimd.Arm64.IsSupported={AdvSimd.Arm64.IsSupported}";
        yield return $"generated kernels take the {Active} path";
    }

    /// <summary>
    /// Null when the path is the one expected, else why not: on Arm64, AdvSimd and the 128-bit
    /// path (no wider vectors are accelerated there); with <paramref name="requireArm64"/>,
    /// an Arm64 process at all (so that CI cannot pass by running the x64 build).
    /// </summary>
    public static string? Problem(bool requireArm64)
    {
        if (!IsArm64)
        {
            return requireArm64 ? $"--require-arm64: this process is {RuntimeInformation.ProcessArchitecture}, not Arm64." : null;
        }

        if (!AdvSimd.Arm64.IsSupported)
        {
            return "Arm64 without AdvSimd.Arm64: the runtime does not use NEON here.";
        }

        return Active == "V128" ? null : $"On Arm64 the generated kernels must take the V128 path, but they take {Active}.";
    }

    /// <summary>
    /// Null when the kernels the JIT compiled (by width, from <see cref="Networks.CompiledKernels"/>)
    /// are the ones the generated dispatch picks here, else why not. A kernel runs its widest
    /// variant that is accelerated; a layer whose channels do not fill a wider vector has only
    /// narrower ones (down to V128), so on a V256 machine V128 kernels run too. Never a width
    /// wider than the active one, never the scalar path when vectors are accelerated, and some
    /// kernel of the active width: on Arm64 that means V128 kernels only.
    /// </summary>
    public static string? KernelProblem(IReadOnlyDictionary<string, List<string>> byWidth)
    {
        var order = new[] { "Scalar", "V128", "V256", "V512" };
        var active = Array.IndexOf(order, Active);
        var wrong = byWidth.Where(w => Array.IndexOf(order, w.Key) > active || (w.Key == "Scalar" && Active != "Scalar")).ToList();
        if (wrong.Count > 0)
        {
            return $"the {Active} path should run, but the JIT compiled " +
                string.Join("; ", wrong.Select(w => $"{w.Value.Count} {w.Key} kernels ({string.Join(", ", w.Value.Take(5))})"));
        }

        return byWidth.ContainsKey(Active) ? null : $"the {Active} path should run, but the JIT compiled no {Active} kernel.";
    }
}
