using System.Collections.Generic;
using System.Text;
using CnnGen.Generators.Model;
using Microsoft.CodeAnalysis.Text;

namespace CnnGen.Generators.Dsl;

/// <summary>
/// The text of one .cnn file with its line starts, so that any span becomes a
/// <see cref="LocationInfo"/> with the line and column Roslyn would compute.
/// </summary>
internal sealed class DslSource
{
    private readonly List<int> _lineStarts = new() { 0 };

    public DslSource(string path, string text)
    {
        Path = path;
        Text = text;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i++;
                _lineStarts.Add(i + 1);
            }
            else if (IsLineBreak(c))
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    public string Path { get; }

    public string Text { get; }

    /// <summary>The line breaks of Roslyn's SourceText, so columns match the IDE.</summary>
    public static bool IsLineBreak(char c) => c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029';

    public LocationInfo Location(int start, int length) =>
        new(Path, new TextSpan(start, length), new LinePositionSpan(Position(start), Position(start + length)));

    public LocationInfo Location(DslToken token) => Location(token.Start, token.Length);

    /// <summary>From the start of <paramref name="first"/> to the end of <paramref name="last"/>.</summary>
    public LocationInfo Location(DslToken first, DslToken last) => Location(first.Start, last.End - first.Start);

    public LinePosition Position(int offset)
    {
        var index = _lineStarts.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        return new LinePosition(line, offset - _lineStarts[line]);
    }

    public string TextOf(DslToken token) => Text.Substring(token.Start, token.Length);

    /// <summary>True when the token's text is exactly <paramref name="word"/>, without copying a long token.</summary>
    public bool Is(DslToken token, string word) =>
        token.Kind == DslTokenKind.Identifier && token.Length == word.Length &&
        string.CompareOrdinal(Text, token.Start, word, 0, word.Length) == 0;

    /// <summary>The token's text for a message: control characters escaped and long text cut.</summary>
    public string Display(DslToken token) => Display(Text, token.Start, token.Length);

    public static string Display(string text, int start, int length)
    {
        const int MaxShown = 32;
        if (length <= MaxShown && IsPlain(text, start, length))
        {
            return text.Substring(start, length);
        }

        var builder = new StringBuilder();
        for (var i = start; i < start + length && i < start + MaxShown; i++)
        {
            var c = text[i];
            if (c < ' ' || c > '~')
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        if (length > MaxShown)
        {
            builder.Append("... (").Append(length.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(" characters)");
        }

        return builder.ToString();
    }

    private static bool IsPlain(string text, int start, int length)
    {
        for (var i = start; i < start + length; i++)
        {
            if (text[i] < ' ' || text[i] > '~')
            {
                return false;
            }
        }

        return true;
    }
}
