using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit;

/// <summary>
/// Emits each distinct layer kernel once. Real networks repeat layers of one shape (ResNet's
/// blocks, MobileNet's inverted residuals): their kernels are the same text but for the layer's
/// name. Each layer's methods are written to a scratch writer first; when, comments aside and
/// the layer's accessor name put in a placeholder, they equal an earlier layer's, they are left
/// out and every reference to them is renamed to the earlier layer's methods, so the generated
/// source grows with the number of distinct layer shapes, not the number of layers. Equality of
/// the text is the whole test, so sharing can never change what a layer computes.
/// <para>
/// Layers of different shapes still share kernels: a bias gradient depends only on the output,
/// a pooling kernel only on its window and channels. So a layer's methods that call none of the
/// layer's other methods (its leaf kernels) are compared one by one in the same way, less their
/// own names, and one equal to an earlier kernel of any layer or width is left out and renamed to
/// it (a layer with 4 channels runs the same 128-bit kernel on its 256-bit and 128-bit paths).
/// </para>
/// </summary>
internal sealed class SharedLayerCode
{
    /// <summary>A member declared in the text: its name, before its parameter list, type parameters or initializer.</summary>
    private static readonly Regex Declaration = new(@"^\t*(?:private|internal|public)\b[^\n(=]*?\s([A-Za-z_][A-Za-z0-9_]*)\s*[(<=]",
        RegexOptions.CultureInvariant | RegexOptions.Multiline);

    /// <summary>Canonical text of a layer's methods, to the layer that wrote them first.</summary>
    private readonly Dictionary<string, LayerModel> _owners = new(StringComparer.Ordinal);

    /// <summary>A left-out identifier to the earlier layer's identifier that replaces it.</summary>
    private readonly Dictionary<string, string> _renames = new(StringComparer.Ordinal);

    /// <summary>Canonical text of a leaf kernel, to the name of the kernel written first.</summary>
    private readonly Dictionary<string, string> _kernels = new(StringComparer.Ordinal);

    /// <summary>
    /// Writes the methods <paramref name="emit"/> writes for <paramref name="layer"/> into
    /// <paramref name="writer"/>, unless an earlier layer wrote the same: then only a comment
    /// saying whose code the layer runs.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(GeneratorJit.Optimized)]
    public void Emit(SourceWriter writer, LayerModel layer, Action<SourceWriter> emit)
    {
        var scratch = writer.Fork();
        emit(scratch);
        var text = scratch.ToString();
        var prefix = layer.AccessorName;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Declaration.Matches(text))
        {
            var name = match.Groups[1].Value;
            if (name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.Ordinal))
            {
                names.Add(name);
            }
        }

        var canonical = Canonical(text, names, prefix.Length);
        if (names.Count == 0 || !_owners.TryGetValue(canonical, out var owner))
        {
            if (names.Count == 0)
            {
                writer.Append(scratch);
                return;
            }

            _owners[canonical] = layer;
            writer.AppendText(WithoutSharedKernels(text, names));
            return;
        }

        foreach (var name in names)
        {
            // The earlier layer's method, or the kernel that replaced it.
            var replacement = owner.AccessorName + name.Substring(prefix.Length);
            _renames[name] = _renames.TryGetValue(replacement, out var kernel) ? kernel : replacement;
        }

        writer.Comment(layer.Name + " runs the code of " + owner.Name + " (above): the same shapes and options.");
        writer.Line();
    }

    /// <summary>The generated class with every reference to a left-out method renamed to the method that replaces it.</summary>
    [System.Runtime.CompilerServices.MethodImpl(GeneratorJit.Optimized)]
    public string Rename(string code) =>
        _renames.Count == 0 ? code : new GeneratedIdentifiers(_renames.Keys).Replace(code, identifier => _renames.TryGetValue(identifier, out var name) ? name : null);

    /// <summary>
    /// The layer's text less its leaf kernels that equal an earlier one (each renamed to it);
    /// the others are remembered. A member starts at the comment and attribute lines above its
    /// declaration (one tab in) and ends at the closing brace one tab in.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(GeneratorJit.Optimized)]
    private string WithoutSharedKernels(string text, HashSet<string> names)
    {
        var lines = text.Split('\n');
        var layerNames = new GeneratedIdentifiers(names);
        var kept = new System.Text.StringBuilder(text.Length);
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            // The cheap test first: most lines are not declarations.
            if (!lines[i].StartsWith("\tprivate static void ", StringComparison.Ordinal) || Declaration.Match(lines[i]) is not { Success: true } match ||
                !names.Contains(match.Groups[1].Value))
            {
                continue;
            }

            var end = i + 1;
            while (end < lines.Length && lines[end] != "\t}")
            {
                end++;
            }

            if (end == lines.Length)
            {
                break;
            }

            // The member's own lines: from the first comment or attribute line above it.
            var first = i;
            while (first > start && (lines[first - 1].StartsWith("\t//", StringComparison.Ordinal) || lines[first - 1].StartsWith("\t[", StringComparison.Ordinal)))
            {
                first--;
            }

            var name = match.Groups[1].Value;
            var member = string.Join("\n", lines, first, end - first + 1);
            if (!layerNames.Any(member, identifier => identifier != name && names.Contains(identifier)))
            {
                // The kernel's own name drops out whole: kernels of two widths (a 256-bit kernel
                // narrowed to 128-bit vectors and the 128-bit one) are the same code under two names.
                var key = Canonical(member, new HashSet<string>(StringComparer.Ordinal) { name }, name.Length);
                if (_kernels.TryGetValue(key, out var earlier))
                {
                    // Left out with its blank line after it; calls go to the earlier kernel,
                    // named for the narrowest width that runs it (see Narrower).
                    AppendLines(kept, lines, start, first);
                    if (Narrower(name, earlier))
                    {
                        foreach (var renamed in new List<string>(_renames.Keys))
                        {
                            if (_renames[renamed] == earlier)
                            {
                                _renames[renamed] = name;
                            }
                        }

                        _renames[earlier] = name;
                        _kernels[key] = name;
                    }
                    else
                    {
                        _renames[name] = earlier;
                    }

                    start = end + 1 < lines.Length && lines[end + 1].Length == 0 ? end + 2 : end + 1;
                    i = start - 1;
                    continue;
                }

                _kernels[key] = name;
            }

            i = end;
        }

        AppendLines(kept, lines, start, lines.Length);
        return kept.ToString();
    }

    private static readonly Regex WidthTag = new(@"V(128|256|512)(?=_|$)", RegexOptions.CultureInvariant);

    /// <summary>
    /// True when kernel <paramref name="name"/> is tagged with a narrower vector width than
    /// <paramref name="other"/> ("V128" against "V256"): a kernel two widths share is the narrow
    /// one's code (a 256-bit path narrowed to 128-bit vectors), and its name says so, so that
    /// the name of a compiled method tells which vectors it runs (the Arm64 check relies on it).
    /// </summary>
    private static bool Narrower(string name, string other) =>
        WidthTag.Match(name) is { Success: true } mine && WidthTag.Match(other) is { Success: true } theirs &&
        int.Parse(mine.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) <
        int.Parse(theirs.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static void AppendLines(System.Text.StringBuilder builder, string[] lines, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            builder.Append(lines[i]);
            if (i < lines.Length - 1)
            {
                builder.Append('\n');
            }
        }
    }

    /// <summary>The text without comment lines, the layer's own names reduced to their suffixes after a placeholder.</summary>
    [System.Runtime.CompilerServices.MethodImpl(GeneratorJit.Optimized)]
    private static string Canonical(string text, HashSet<string> names, int prefixLength)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        var identifiers = new GeneratedIdentifiers(names);
        foreach (var line in text.Split('\n'))
        {
            if (line.TrimStart('\t', ' ').StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            builder.Append(identifiers.Replace(line, identifier => names.Contains(identifier) ? "\u0001" + identifier.Substring(prefixLength) : null)).Append('\n');
        }

        return builder.ToString();
    }
}
