namespace CnnGen.Generators.Emit;

/// <summary>
/// Framework names as the generated code writes them. The generated file has no using
/// directives and names everything from global::, so that a user type called Vector256 or
/// Unsafe, in the network's namespace or nested in its class, cannot capture a name (a
/// nested type would shadow any using). Extension methods are called in their static form.
/// </summary>
internal static class FrameworkNames
{
    /// <summary>The namespace of Vector128, Vector256 and Vector512, with the trailing dot.</summary>
    public const string Intrinsics = "global::System.Runtime.Intrinsics.";

    public const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";

    public const string AggressiveOptimization =
        "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]";

    public const string AggressiveInlining =
        "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]";
}
