using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CnnGen.Generators.Emit;

/// <summary>
/// The identifiers of generated text, found as the pattern <c>\b[A-Za-z_][A-Za-z0-9_]*</c>
/// finds them (after a character that is not a word character), without a regular expression:
/// SharedLayerCode scans every layer's text and the whole file, and a scan by hand that builds a
/// string only for identifiers of a length some name has is several times faster.
/// </summary>
internal sealed class GeneratedIdentifiers
{
    private readonly HashSet<int> _lengths = new();

    /// <param name="names">The identifiers of interest; only identifiers of their lengths are looked at.</param>
    public GeneratedIdentifiers(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            _lengths.Add(name.Length);
        }
    }

    /// <summary>
    /// <paramref name="text"/> with each identifier (of a length of interest) replaced by what
    /// <paramref name="replacement"/> returns for it; null keeps it.
    /// </summary>
    public string Replace(string text, Func<string, string?> replacement)
    {
        StringBuilder? builder = null;
        var copied = 0;
        foreach (var (start, length) in Find(text))
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

    /// <summary>True when an identifier (of a length of interest) of <paramref name="text"/> satisfies <paramref name="predicate"/>.</summary>
    public bool Any(string text, Func<string, bool> predicate)
    {
        foreach (var (start, length) in Find(text))
        {
            if (predicate(text.Substring(start, length)))
            {
                return true;
            }
        }

        return false;
    }

    private IEnumerable<(int Start, int Length)> Find(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (!IsWordCharacter(c))
            {
                i++;
                continue;
            }

            // A run of word characters: an identifier when it starts with a letter or underscore,
            // up to the first character outside [A-Za-z0-9_].
            var start = i;
            if (c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
            {
                var end = i + 1;
                while (end < text.Length && IsAsciiIdentifierCharacter(text[end]))
                {
                    end++;
                }

                if (_lengths.Contains(end - start))
                {
                    yield return (start, end - start);
                }

                i = end;
            }

            // The rest of the run is inside a word: no identifier starts there.
            while (i < text.Length && IsWordCharacter(text[i]))
            {
                i++;
            }
        }
    }

    private static bool IsAsciiIdentifierCharacter(char c) =>
        c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

    /// <summary>The regular expression's \w: letters, digits, connector punctuation, marks.</summary>
    private static bool IsWordCharacter(char c)
    {
        if (c < 128)
        {
            return IsAsciiIdentifierCharacter(c);
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
