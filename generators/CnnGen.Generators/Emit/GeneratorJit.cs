using System.Runtime.CompilerServices;

namespace CnnGen.Generators.Emit;

/// <summary>How the generator's own hot methods ask the JIT to compile them.</summary>
internal static class GeneratorJit
{
    /// <summary>
    /// MethodImplOptions.AggressiveOptimization, which netstandard2.0 does not name: optimised code
    /// from the first call, with no tier-0 code first. The methods that scan the generated text
    /// run a few times per network over up to megabytes, so a build in a new compiler process
    /// (no compiler server) would otherwise run them unoptimised; for WidthGenericKernels that
    /// was 275 ms instead of 152 for ResNet-18 at 224x224.
    /// </summary>
    public const MethodImplOptions Optimized = (MethodImplOptions)512;
}
