using System;
using System.Collections.Generic;
using System.Linq;

namespace CnnGen.Generators.Emit;

/// <summary>Loop nests for the compact kernels: loops with constant bounds, skipped when their count is 1.</summary>
internal static class CompactLoops
{
    /// <summary>A loop variable with its count; the variable is "0" (a constant) when the count is 1.</summary>
    public sealed record Loop(string Name, int Count);

    /// <summary>Opens the loops (outermost first); returns the closers and the expression of each variable.</summary>
    public static IDisposable Open(SourceWriter writer, params Loop[] loops)
    {
        var blocks = new List<SourceWriter.Block>();
        foreach (var loop in loops.Where(l => l.Count > 1))
        {
            blocks.Add(writer.Open("for (int " + loop.Name + " = 0; " + loop.Name + " < " + loop.Count + "; " + loop.Name + "++)"));
        }

        return new Closer(blocks);
    }

    /// <summary>The variable of a loop, or 0 when the loop was skipped.</summary>
    public static string Var(Loop loop) => loop.Count > 1 ? loop.Name : "0";

    /// <summary>"a * 12 + b * 3 + c": terms with a zero factor or a zero variable drop out.</summary>
    public static string Sum(params (string Variable, int Factor)[] terms)
    {
        var parts = new List<string>();
        foreach (var (variable, factor) in terms)
        {
            if (factor == 0 || variable == "0")
            {
                continue;
            }

            parts.Add(Times(variable, factor));
        }

        return parts.Count == 0 ? "0" : string.Join(" + ", parts);
    }

    /// <summary>"expression * factor", the expression alone for a factor of 1 (parenthesised when it is a sum).</summary>
    public static string Times(string expression, int factor) =>
        factor == 1 ? expression : (expression.Contains(" + ") ? "(" + expression + ")" : expression) + " * " + factor.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Adds a constant to an expression.</summary>
    public static string Plus(string expression, int constant) =>
        constant == 0 ? expression : expression == "0" ? constant.ToString(System.Globalization.CultureInfo.InvariantCulture) : expression + " + " + constant;

    /// <summary>
    /// The rows loop of a compact kernel: blocks of <paramref name="rows"/> (when above 1), then
    /// single rows; <paramref name="body"/> writes the body for a block size with the variable.
    /// </summary>
    public static void Rows(SourceWriter writer, string variable, string count, int rows, Action<int> body)
    {
        writer.Line("int " + variable + " = 0;");
        if (rows > 1 && !(int.TryParse(count, out var constant) && constant < rows))
        {
            using (writer.Open("for (; " + variable + " + " + rows + " <= " + count + "; " + variable + " += " + rows + ")"))
            {
                body(rows);
            }
        }

        using (writer.Open("for (; " + variable + " < " + count + "; " + variable + "++)"))
        {
            body(1);
        }
    }

    private sealed class Closer(List<SourceWriter.Block> blocks) : IDisposable
    {
        public void Dispose()
        {
            for (var i = blocks.Count - 1; i >= 0; i--)
            {
                blocks[i].Dispose();
            }
        }
    }
}
