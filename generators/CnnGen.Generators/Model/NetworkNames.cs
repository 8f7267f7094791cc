using System.Collections.Generic;
using System.Text;

namespace CnnGen.Generators.Model;

/// <summary>How networks are named and referred to: one place for the rules.</summary>
internal static class NetworkNames
{
    public static string FullName(string @namespace, IEnumerable<string> containingTypeNames, string className)
    {
        var builder = new StringBuilder();
        if (@namespace.Length > 0)
        {
            builder.Append(@namespace).Append('.');
        }

        foreach (var type in containingTypeNames)
        {
            builder.Append(type).Append('.');
        }

        return builder.Append(className).ToString();
    }

    /// <summary>"partial class Outer" -> "Outer".</summary>
    public static EquatableArray<string> TypeNames(EquatableArray<string> declarations)
    {
        var names = new List<string>();
        foreach (var declaration in declarations)
        {
            var lastSpace = declaration.LastIndexOf(' ');
            names.Add(lastSpace < 0 ? declaration : declaration.Substring(lastSpace + 1));
        }

        return names.ToEquatableArray();
    }

    /// <summary>"conv2d_1" -> "Conv2d1": the name of the generated per-layer accessor.</summary>
    public static string AccessorName(string layerName)
    {
        var builder = new StringBuilder();
        var upper = true;
        foreach (var c in layerName)
        {
            if (c == '_' || c == '-' || c == ' ' || c == '.')
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return builder.ToString();
    }

    /// <summary>Layer names: a letter, then letters, digits or underscores.</summary>
    public static bool IsValidLayerName(string name)
    {
        if (name.Length == 0 || name.Length > 128 || !IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!IsAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAsciiLetter(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z';
}
