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
/// </summary>
internal sealed class SharedLayerCode
{
    private static readonly Regex Identifier = new(@"\b[A-Za-z_][A-Za-z0-9_]*", RegexOptions.CultureInvariant);

    /// <summary>A member declared in the text: its name, before its parameter list, type parameters or initializer.</summary>
    private static readonly Regex Declaration = new(@"^\t*(?:private|internal|public)\b[^\n(=]*?\s([A-Za-z_][A-Za-z0-9_]*)\s*[(<=]",
        RegexOptions.CultureInvariant | RegexOptions.Multiline);

    /// <summary>Canonical text of a layer's methods, to the layer that wrote them first.</summary>
    private readonly Dictionary<string, LayerModel> _owners = new(StringComparer.Ordinal);

    /// <summary>A left-out identifier to the earlier layer's identifier that replaces it.</summary>
    private readonly Dictionary<string, string> _renames = new(StringComparer.Ordinal);

    /// <summary>
    /// Writes the methods <paramref name="emit"/> writes for <paramref name="layer"/> into
    /// <paramref name="writer"/>, unless an earlier layer wrote the same: then only a comment
    /// saying whose code the layer runs.
    /// </summary>
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
            if (names.Count > 0)
            {
                _owners[canonical] = layer;
            }

            writer.Append(scratch);
            return;
        }

        foreach (var name in names)
        {
            _renames[name] = owner.AccessorName + name.Substring(prefix.Length);
        }

        writer.Comment(layer.Name + " runs the code of " + owner.Name + " (above): the same shapes and options.");
        writer.Line();
    }

    /// <summary>The generated class with every reference to a left-out method renamed to the method that replaces it.</summary>
    public string Rename(string code) =>
        _renames.Count == 0 ? code : Identifier.Replace(code, match => _renames.TryGetValue(match.Value, out var name) ? name : match.Value);

    /// <summary>The text without comment lines, the layer's own names reduced to their suffixes after a placeholder.</summary>
    private static string Canonical(string text, HashSet<string> names, int prefixLength)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        foreach (var line in text.Split('\n'))
        {
            if (line.TrimStart('\t', ' ').StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            builder.Append(Identifier.Replace(line, match => names.Contains(match.Value) ? "\u0001" + match.Value.Substring(prefixLength) : match.Value)).Append('\n');
        }

        return builder.ToString();
    }
}
