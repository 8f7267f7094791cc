using System;
using System.Collections.Generic;

namespace CnnGen.Generators.Emit;

/// <summary>Where the AVX-512 variant writes its body and its helper methods (block kernels).</summary>
internal sealed class VariantWriter
{
    private readonly string _name;
    private readonly List<string> _helpers = new();
    private readonly HashSet<string> _helperNames = new();

    public VariantWriter(string name) => _name = name;

    public SourceWriter Body { get; } = new();

    public IReadOnlyList<string> Helpers => _helpers;

    /// <summary>
    /// The name of a helper method of this variant. <paramref name="emit"/> writes it the first
    /// time the tag is asked for.
    /// </summary>
    public string Helper(string tag, Action<SourceWriter, string> emit)
    {
        var name = _name + "_" + tag;
        if (_helperNames.Add(name))
        {
            var writer = new SourceWriter();
            emit(writer, name);
            _helpers.Add(writer.ToString());
        }

        return name;
    }
}

/// <summary>
/// Emits one kernel in three variants and the dispatch between them: the AVX-512 path
/// (register-blocked micro-kernels, unrolled, constant offsets), the compact path on
/// <see cref="System.Numerics.Vector{T}"/> for other SIMD machines (AVX2, SSE, Arm64), and
/// plain floats for machines without SIMD. Each condition is a JIT-time constant, so the
/// dispatch folds away and only one path is compiled on a given machine.
/// </summary>
internal static class KernelVariants
{
    /// <param name="writer">Where the methods go.</param>
    /// <param name="name">The dispatching method's name, e.g. Conv2d1Forward.</param>
    /// <param name="parameters">The parameter list, e.g. "ref float w, ref float x, ref float y, int batch".</param>
    /// <param name="arguments">The same parameters as arguments: "ref w, ref x, ref y, batch".</param>
    /// <param name="comment">What the kernel computes, written above the dispatcher.</param>
    /// <param name="avx512">Writes the AVX-512 variant.</param>
    /// <param name="compact">Writes the compact variant for the given operations.</param>
    /// <param name="minimumVectorChannels">The channels the compact vector variant steps over (it needs at least a vector of them); 0 for no vector variant.</param>
    public static void Emit(SourceWriter writer, string name, string parameters, string arguments, string comment,
        Action<VariantWriter> avx512, Action<SourceWriter, CompactOps> compact, int minimumVectorChannels)
    {
        var variant = new VariantWriter(name + "V512");
        avx512(variant);
        writer.Comment(comment);
        using (writer.Open("private static void " + name + "(" + parameters + ")"))
        {
            writer.Line("if (Vector512.IsHardwareAccelerated) " + name + "V512(" + arguments + ");");
            if (minimumVectorChannels > 0)
            {
                writer.Line("else if (Vector.IsHardwareAccelerated && Vector<float>.Count <= " + minimumVectorChannels + ") " + name + "Vector(" + arguments + ");");
            }

            writer.Line("else " + name + "Scalar(" + arguments + ");");
        }

        writer.Line();
        EmitMethod(writer, name + "V512", parameters, variant.Body.ToString());
        foreach (var helper in variant.Helpers)
        {
            writer.Lines(helper.TrimEnd('\n'));
            writer.Line();
        }

        if (minimumVectorChannels > 0)
        {
            var vector = new SourceWriter();
            compact(vector, CompactOps.Vector);
            EmitMethod(writer, name + "Vector", parameters, vector.ToString());
        }

        var scalar = new SourceWriter();
        compact(scalar, CompactOps.Scalar);
        EmitMethod(writer, name + "Scalar", parameters, scalar.ToString());
    }

    private static void EmitMethod(SourceWriter writer, string name, string parameters, string body)
    {
        writer.Line("[MethodImpl(MethodImplOptions.AggressiveOptimization)]");
        using (writer.Open("private static void " + name + "(" + parameters + ")"))
        {
            writer.Lines(body.TrimEnd('\n'));
        }

        writer.Line();
    }
}
