using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CnnGen.Generators.Emit;

/// <summary>
/// The identifiers of generated text, found as the pattern <c>\b[A-Za-z_][A-Za-z0-9_]*</c>
/// finds them (after a character that is not a word character), without a regular expression:
/// SharedLayerCode scans every layer's text and the whole file, and a scan by hand that builds a
/// string only for identifiers of the length and first and last characters of some name is
/// several times faster.
/// </summary>
internal sealed class GeneratedIdentifiers
{
    /// <summary>The length, first and last character of each name of interest (<see cref="Shape"/>).</summary>
    private readonly HashSet<long> _shapes = new();

    /// <param name="names">The identifiers of interest; only identifiers of their lengths and first and last characters are looked at.</param>
    public GeneratedIdentifiers(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (name.Length > 0)
            {
                _shapes.Add(Shape(name.Length, name[0], name[name.Length - 1]));
            }
        }
    }

    private static long Shape(int length, char first, char last) => ((long)length << 32) | ((long)first << 16) | last;

    /// <summary>
    /// <paramref name="text"/> with each identifier (of a shape of interest) replaced by what
    /// <paramref name="replacement"/> returns for it; null keeps it.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(GeneratorJit.Optimized)]
    public string Replace(string text, Func<string, string?> replacement)
    {
        StringBuilder? builder = null;
        var copied = 0;
        var i = 0;
        while (Next(text, ref i, out var start, out var length))
        {
            if (replacement(text.Substring(start, length)) is { } replaced)
            {
                builder ??= new StringBuilder(text.Length);
                builder.Append(text, copied, start - copied).Append(replaced);
                copied = start + length;
            }
        }

        return builder is null ? text : builder.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>True when an identifier (of a shape of interest) of <paramref name="text"/> satisfies <paramref name="predicate"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(GeneratorJit.Optimized)]
    public bool Any(string text, Func<string, bool> predicate)
    {
        var i = 0;
        while (Next(text, ref i, out var start, out var length))
        {
            if (predicate(text.Substring(start, length)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The next identifier of a shape of interest at or after <paramref name="i"/>, which moves
    /// past it; false at the end of the text. A loop rather than an iterator: this scans a
    /// megabyte of text several times per network.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(GeneratorJit.Optimized)]
    private bool Next(string text, ref int i, out int start, out int length)
    {
        while (i < text.Length)
        {
            var c = text[i];
            if (c < 128 ? !AsciiIdentifierCharacters[c] : !IsWordCharacter(c))
            {
                i++;
                continue;
            }

            // A run of word characters: an identifier when it starts with a letter or underscore,
            // up to the first character outside [A-Za-z0-9_].
            var found = false;
            start = i;
            length = 0;
            if (c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
            {
                var end = i + 1;
                while (end < text.Length && text[end] < 128 && AsciiIdentifierCharacters[text[end]])
                {
                    end++;
                }

                length = end - start;
                found = _shapes.Contains(Shape(length, text[start], text[end - 1]));
                i = end;
            }

            // The rest of the run is inside a word: no identifier starts there.
            while (i < text.Length && IsWordCharacter(text[i]))
            {
                i++;
            }

            if (found)
            {
                return true;
            }
        }

        start = 0;
        length = 0;
        return false;
    }

    /// <summary>[A-Za-z0-9_] by character code.</summary>
    private static readonly bool[] AsciiIdentifierCharacters = CreateAsciiIdentifierCharacters();

    private static bool[] CreateAsciiIdentifierCharacters()
    {
        var table = new bool[128];
        for (var c = 0; c < table.Length; c++)
        {
            table[c] = IsAsciiIdentifierCharacter((char)c);
        }

        return table;
    }

    private static bool IsAsciiIdentifierCharacter(char c) =>
        c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

    /// <summary>The regular expression's \w: letters, digits, connector punctuation, marks.</summary>
    private static bool IsWordCharacter(char c)
    {
        if (c < 128)
        {
            return AsciiIdentifierCharacters[c];
        }

        switch (CharUnicodeInfo.GetUnicodeCategory(c))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.ConnectorPunctuation:
                return true;
            default:
                return c == '\u200D' || c == '\u200C';
        }
    }
}
