namespace CnnGen.Generators.Emit;

using System.Collections.Generic;
using System.Linq;

/// <summary>
/// Sums kept as whole vectors until the end of a kernel, added across four at a time (the
/// runtime's <c>Sum4</c>) into floats of memory: one 128-bit add where the four floats are
/// consecutive, element by element otherwise. The input gradients that gather dot products end
/// this way, whichever side of the dot product is vectorised.
/// </summary>
internal static class SumsAcross
{
    /// <summary>
    /// Adds up to four vector sums (<paramref name="quad"/>: each sum's name and the offset of its
    /// float from <paramref name="target"/>) into memory. <paramref name="scoped"/> says the caller
    /// has opened a scope of its own for the quad, where the temporary <c>s</c> can live.
    /// </summary>
    public static void AddQuad(SourceWriter writer, VectorOps ops, IReadOnlyList<(string Name, int At)> quad, string target, bool scoped)
    {
        var summed = ops.Helpers + ".Sum4(" + string.Join(", ", Enumerable.Range(0, 4).Select(j => j < quad.Count ? quad[j].Name : ops.Zero)) + ")";
        if (quad.Count == 4 && Enumerable.Range(0, 4).All(j => quad[j].At == quad[0].At + j))
        {
            writer.Line(VectorOps.V128.AddTo(summed, target, quad[0].At));
            return;
        }

        using (scoped ? (SourceWriter.Block?)null : writer.Scope())
        {
            writer.Line("var s = " + summed + ";");
            for (var j = 0; j < quad.Count; j++)
            {
                writer.Line(VectorOps.Element(target, quad[j].At) + " += s[" + j + "];");
            }
        }
    }
}
