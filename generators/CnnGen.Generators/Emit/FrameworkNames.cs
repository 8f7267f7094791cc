using System.Collections.Generic;
using System.Linq;

namespace CnnGen.Generators.Emit;

/// <summary>
/// Framework names as the generated code writes them. A user type called Vector256 or Unsafe,
/// in the network's namespace or nested in its class, must not capture a name (a nested type
/// would shadow any plain using), so names are either written from global:: or, for the long
/// namespaces written thousands of times, through a namespace alias with the alias qualifier
/// (Simd::Vector256): lookup after "X::" sees only aliases, never types. The aliases are declared
/// inside the file's namespace, where they also hide a user's global using alias of the same name.
/// Extension methods are called in their static form.
/// </summary>
internal static class FrameworkNames
{
    /// <summary>The alias of System.Runtime.Intrinsics (Vector128, Vector256, Vector512, X86, Arm).</summary>
    public const string SimdAlias = "Simd";

    /// <summary>The alias of System.Runtime.CompilerServices (Unsafe, MethodImpl).</summary>
    public const string CompilerServicesAlias = "Cs";

    /// <summary>The alias of CnnGen.Kernels: the runtime's passes and the vector operations of kernels (K::V256.Fma).</summary>
    public const string KernelsAlias = "K";

    /// <summary>Each alias and the namespace it names, in the order they are declared.</summary>
    public static readonly IReadOnlyList<(string Alias, string Namespace)> Aliases = new[]
    {
        (SimdAlias, "System.Runtime.Intrinsics"),
        (CompilerServicesAlias, "System.Runtime.CompilerServices"),
        (KernelsAlias, "CnnGen.Kernels"),
    };

    /// <summary>The alias directives, one a line, as the generated file declares them.</summary>
    public static IEnumerable<string> AliasDirectives => Aliases.Select(a => "using " + a.Alias + " = global::" + a.Namespace + ";");

    /// <summary>The header line that says what the aliases are.</summary>
    public static string AliasLegend =>
        "Aliases: " + string.Join(", ", Aliases.Select(a => a.Alias + ":: is " + a.Namespace)) + " (declared below; only aliases are looked up before ::).";

    /// <summary>The namespace of Vector128, Vector256 and Vector512, with the qualifier.</summary>
    public const string Intrinsics = SimdAlias + "::";

    /// <summary>The namespace of the x86 instruction classes (Avx512F), with the trailing dot.</summary>
    public const string X86 = Intrinsics + "X86.";

    public const string Unsafe = CompilerServicesAlias + "::Unsafe";

    /// <summary>The runtime's kernels namespace, with the qualifier: K::MergeKernels, K::V512.</summary>
    public const string Kernels = KernelsAlias + "::";

    public const string AggressiveOptimization =
        "[" + CompilerServicesAlias + "::MethodImpl(" + CompilerServicesAlias + "::MethodImplOptions.AggressiveOptimization)]";

    public const string AggressiveInlining =
        "[" + CompilerServicesAlias + "::MethodImpl(" + CompilerServicesAlias + "::MethodImplOptions.AggressiveInlining)]";
}
