using System;
using System.Collections.Generic;
using System.Text;

namespace CnnGen.Generators.Emit;

/// <summary>Where one width's variant writes its body and asks for its helper methods (block kernels).</summary>
internal sealed class VariantWriter
{
    private readonly HelperPool _pool;
    private readonly Dictionary<string, string> _byTag = new();

    public VariantWriter(VectorIsa isa, HelperPool pool)
    {
        Isa = isa;
        _pool = pool;
    }

    /// <summary>The width of this variant.</summary>
    public VectorIsa Isa { get; }

    public SourceWriter Body { get; } = new();

    /// <summary>
    /// The name of a helper method of this variant. <paramref name="emit"/> writes it (given the
    /// name to declare) the first time the tag is asked for; a helper that another width wrote
    /// the same is shared.
    /// </summary>
    public string Helper(string tag, Action<SourceWriter, string> emit)
    {
        if (!_byTag.TryGetValue(tag, out var name))
        {
            name = _pool.Add(tag, Isa, emit);
            _byTag.Add(tag, name);
        }

        return name;
    }
}

/// <summary>
/// The helper methods of one kernel across its widths, each written once: a helper that two
/// widths write the same (a layer whose channels fit the narrower vectors) is shared. Names
/// are placeholders until every width is written; a shared helper is then named without a
/// width, the others with theirs.
/// </summary>
internal sealed class HelperPool
{
    private const char Marker = '\u0001';
    private readonly string _kernel;
    private readonly List<Entry> _entries = new();
    private readonly Dictionary<string, Entry> _byText = new();

    /// <summary>
    /// Placeholders handed out so far. Not the count of entries: a helper that asks for another
    /// while it is written (a one-sample kernel gradient and its micro-kernel) is added after it,
    /// and the two had the same placeholder, hence the same name (overloads by their parameters).
    /// </summary>
    private int _placeholders;

    public HelperPool(string kernel) => _kernel = kernel;

    public string Add(string tag, VectorIsa isa, Action<SourceWriter, string> emit)
    {
        var placeholder = Marker + (_placeholders++).ToString(System.Globalization.CultureInfo.InvariantCulture) + Marker;
        var writer = new SourceWriter();
        emit(writer, placeholder);
        var text = writer.ToString();
        if (_byText.TryGetValue(text, out var existing))
        {
            existing.Widths.Add(isa);
            return existing.Placeholder;
        }

        var entry = new Entry(placeholder, tag, text);
        entry.Widths.Add(isa);
        _entries.Add(entry);
        _byText.Add(text, entry);
        return placeholder;
    }

    /// <summary>The helpers' final text, and a function that puts their names into text that calls them.</summary>
    [System.Runtime.CompilerServices.MethodImpl(GeneratorJit.Optimized)]
    public (IReadOnlyList<string> Helpers, Func<string, string> Resolve) Finish(ICollection<VectorIsa> emitted)
    {
        var names = new Dictionary<string, string>();
        foreach (var entry in _entries)
        {
            var users = new List<VectorIsa>();
            foreach (var width in entry.Widths)
            {
                if (emitted.Contains(width))
                {
                    users.Add(width);
                }
            }

            names[entry.Placeholder] = _kernel + (users.Count == 1 ? users[0].Suffix : string.Empty) + "_" + entry.Tag;
        }

        string Resolve(string text)
        {
            if (text.IndexOf(Marker) < 0)
            {
                return text;
            }

            var builder = new StringBuilder(text);
            foreach (var pair in names)
            {
                builder.Replace(pair.Key, pair.Value);
            }

            return builder.ToString();
        }

        var helpers = new List<string>();
        foreach (var entry in _entries)
        {
            foreach (var width in entry.Widths)
            {
                if (emitted.Contains(width))
                {
                    helpers.Add(Resolve(entry.Text));
                    break;
                }
            }
        }

        return (helpers, Resolve);
    }

    private sealed class Entry
    {
        public Entry(string placeholder, string tag, string text)
        {
            Placeholder = placeholder;
            Tag = tag;
            Text = text;
        }

        public string Placeholder { get; }

        public string Tag { get; }

        public string Text { get; }

        public List<VectorIsa> Widths { get; } = new();
    }
}

/// <summary>
/// Emits one kernel in a variant per vector width (512, 256 and 128 bits: register-blocked
/// micro-kernels, unrolled, constant offsets, each blocked for its register file), a scalar
/// variant for machines without SIMD, and the dispatch between them. Each condition is a
/// JIT-time constant, so the dispatch folds away and only one path is compiled on a given
/// machine. A width whose code would be the same as the next narrower one's is not written
/// again: the narrower variant serves it (a machine with wider vectors runs narrower ones).
/// </summary>
internal static class KernelVariants
{
    /// <param name="writer">Where the methods go.</param>
    /// <param name="name">The dispatching method's name, e.g. Conv2d1Forward.</param>
    /// <param name="parameters">The parameter list, e.g. "ref float w, ref float x, ref float y, int batch".</param>
    /// <param name="arguments">The same parameters as arguments: "ref w, ref x, ref y, batch".</param>
    /// <param name="comment">What the kernel computes, written above the dispatcher.</param>
    /// <param name="vector">Writes the variant of a width.</param>
    /// <param name="scalar">Writes the scalar variant.</param>
    public static void Emit(SourceWriter writer, string name, string parameters, string arguments, string comment,
        Action<VariantWriter, VectorIsa> vector, Action<SourceWriter> scalar)
    {
        var pool = new HelperPool(name);
        var bodies = new Dictionary<VectorIsa, string>();
        foreach (var isa in VectorIsa.All)
        {
            var variant = new VariantWriter(isa, pool);
            vector(variant, isa);
            bodies[isa] = variant.Body.ToString();
        }

        // Narrowest first: a width keeps its own method only when its code differs from the narrower one kept.
        var kept = new List<VectorIsa>();
        for (var i = VectorIsa.All.Count - 1; i >= 0; i--)
        {
            var isa = VectorIsa.All[i];
            if (kept.Count == 0 || bodies[isa] != bodies[kept[kept.Count - 1]])
            {
                kept.Add(isa);
            }
        }

        kept.Reverse();
        var (helpers, resolve) = pool.Finish(kept);
        writer.Comment(comment);
        using (writer.Open("private static void " + name + "(" + parameters + ")"))
        {
            for (var i = 0; i < kept.Count; i++)
            {
                writer.Line((i == 0 ? "if (" : "else if (") + kept[i].Condition + ") " + name + kept[i].Suffix + "(" + arguments + ");");
            }

            writer.Line("else " + name + "Scalar(" + arguments + ");");
        }

        writer.Line();
        foreach (var isa in kept)
        {
            EmitMethod(writer, name + isa.Suffix, parameters, resolve(bodies[isa]));
        }

        foreach (var helper in helpers)
        {
            writer.Lines(helper.TrimEnd('\n'));
            writer.Line();
        }

        var scalarBody = new SourceWriter();
        scalar(scalarBody);
        EmitMethod(writer, name + "Scalar", parameters, scalarBody.ToString());
    }

    private static void EmitMethod(SourceWriter writer, string name, string parameters, string body)
    {
        writer.Line(FrameworkNames.AggressiveOptimization);
        using (writer.Open("private static void " + name + "(" + parameters + ")"))
        {
            writer.Lines(body.TrimEnd('\n'));
        }

        writer.Line();
    }
}
