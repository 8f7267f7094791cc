using System;
using System.Collections.Generic;

namespace CnnGen.Generators.Emit;

/// <summary>Where a variant writes its body and its helper methods (block kernels).</summary>
internal sealed class VariantWriter
{
    /// <summary>Stands for the variant suffix (V512...) in names until the variant is known to be unique.</summary>
    public const string SuffixToken = "@@";

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
        var name = _name + SuffixToken + "_" + tag;
        if (_helperNames.Add(name))
        {
            var writer = new SourceWriter();
            emit(writer, name);
            _helpers.Add(writer.ToString());
        }

        return name;
    }

    public string Text => Body + "\n" + string.Join("\n", _helpers);
}

/// <summary>
/// Emits one kernel in a variant per instruction set and the dispatch between them. Each
/// <c>IsHardwareAccelerated</c> test is a JIT-time constant, so the dispatch folds away and
/// only one path is compiled on a given machine. Variants whose code comes out identical
/// are emitted once.
/// </summary>
internal static class KernelVariants
{
    /// <param name="writer">Where the methods go.</param>
    /// <param name="name">The dispatching method's name, e.g. Conv2d1Forward.</param>
    /// <param name="parameters">The parameter list, e.g. "ref float w, ref float x, ref float y, int batch".</param>
    /// <param name="arguments">The same parameters as arguments: "ref w, ref x, ref y, batch".</param>
    /// <param name="comment">What the kernel computes, written above the dispatcher.</param>
    /// <param name="vectorBody">Writes the variant for an instruction set.</param>
    /// <param name="scalarBody">Writes the body of the plain-float variant.</param>
    public static void Emit(SourceWriter writer, string name, string parameters, string arguments, string comment,
        Action<VariantWriter, VectorIsa> vectorBody, Action<SourceWriter> scalarBody)
    {
        var variants = new List<(VectorIsa Isa, VariantWriter Writer, string Target)>();
        foreach (var isa in VectorIsa.All)
        {
            var variant = new VariantWriter(name);
            vectorBody(variant, isa);
            var same = variants.Find(v => v.Writer.Text == variant.Text);
            variants.Add((isa, variant, same.Writer is null ? isa.Suffix : same.Target));
        }

        var scalar = new SourceWriter();
        scalarBody(scalar);

        writer.Comment(comment);
        using (writer.Open("private static void " + name + "(" + parameters + ")"))
        {
            var first = true;
            foreach (var (isa, _, target) in variants)
            {
                writer.Line((first ? "if (" : "else if (") + isa.Condition + ")");
                writer.Line("{");
                writer.Line("    " + name + target + "(" + arguments + ");");
                writer.Line("}");
                first = false;
            }

            writer.Line("else");
            writer.Line("{");
            writer.Line("    " + name + "Scalar(" + arguments + ");");
            writer.Line("}");
        }

        writer.Line();
        foreach (var (isa, variant, target) in variants)
        {
            if (target != isa.Suffix)
            {
                continue;
            }

            EmitMethod(writer, name + isa.Suffix, parameters, variant.Body.ToString().Replace(VariantWriter.SuffixToken, isa.Suffix));
            foreach (var helper in variant.Helpers)
            {
                writer.Lines(helper.Replace(VariantWriter.SuffixToken, isa.Suffix).TrimEnd('\n'));
                writer.Line();
            }
        }

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
