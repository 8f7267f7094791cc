using System.Collections.Generic;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Dsl;

/// <summary>
/// Splits a .cnn file into tokens in one linear pass. It never fails: text it cannot read
/// becomes a bad token carrying its error, which the parser reports where it meets it.
/// </summary>
internal static class DslLexer
{
    public static List<DslToken> Tokenize(DslSource source)
    {
        var text = source.Text;
        var tokens = new List<DslToken>();
        var firstOnLine = true;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (DslSource.IsLineBreak(c))
            {
                firstOnLine = true;
                i++;
                continue;
            }

            if (char.IsWhiteSpace(c) || c == '\uFEFF')
            {
                i++;
                continue;
            }

            if (c == '#' || c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && !DslSource.IsLineBreak(text[i]))
                {
                    i++;
                }

                continue;
            }

            var start = i;
            DslToken token;
            if (IsWordStart(c))
            {
                i = ScanWord(text, i);
                token = new DslToken(DslTokenKind.Identifier, start, i - start, firstOnLine);
            }
            else if (IsDigit(c))
            {
                i = ScanWord(text, i);
                token = Number(source, start, i - start, firstOnLine);
            }
            else if (c == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"' && !DslSource.IsLineBreak(text[i]))
                {
                    i++;
                }

                if (i < text.Length && text[i] == '"')
                {
                    i++;
                    token = new DslToken(DslTokenKind.String, start, i - start, firstOnLine);
                }
                else
                {
                    var error = DiagnosticInfo.Create(DiagnosticDescriptors.UnterminatedString, source.Location(start, i - start),
                        DslSource.Display(text, start, i - start));
                    token = new DslToken(DslTokenKind.BadLiteral, start, i - start, firstOnLine, error: error);
                }
            }
            else if (Punctuation(c) is { } kind)
            {
                i++;
                token = new DslToken(kind, start, 1, firstOnLine);
            }
            else
            {
                // One error for a run of characters that cannot start a token.
                while (i < text.Length && !StartsToken(text, i))
                {
                    i++;
                }

                var error = DiagnosticInfo.Create(DiagnosticDescriptors.UnexpectedCharacter, source.Location(start, i - start),
                    DslSource.Display(text, start, i - start));
                token = new DslToken(DslTokenKind.BadCharacters, start, i - start, firstOnLine, error: error);
            }

            tokens.Add(token);
            firstOnLine &= token.Kind == DslTokenKind.BadCharacters;
        }

        tokens.Add(new DslToken(DslTokenKind.EndOfFile, text.Length, 0, firstOnLine));
        return tokens;
    }

    /// <summary>
    /// A word that starts with a digit: sizes joined by 'x' (8, 3x5, 28x28x1). Each size keeps
    /// its own position, so an error can point at the height or the width alone.
    /// </summary>
    private static DslToken Number(DslSource source, int start, int length, bool firstOnLine)
    {
        var text = source.Text;
        var sizes = new List<int>();
        var starts = new List<int>();
        var i = start;
        var end = start + length;
        while (true)
        {
            var sizeStart = i;
            long value = 0;
            var overflow = false;
            while (i < end && IsDigit(text[i]))
            {
                value = value * 10 + (text[i] - '0');
                overflow |= value > int.MaxValue;
                if (overflow)
                {
                    value = int.MaxValue;
                }

                i++;
            }

            if (i == sizeStart)
            {
                break;
            }

            if (overflow)
            {
                var error = DiagnosticInfo.Create(DiagnosticDescriptors.NumberTooLarge, source.Location(sizeStart, i - sizeStart),
                    DslSource.Display(text, sizeStart, i - sizeStart));
                return new DslToken(DslTokenKind.BadLiteral, start, length, firstOnLine, error: error);
            }

            sizes.Add((int)value);
            starts.Add(sizeStart);
            if (i == end)
            {
                return new DslToken(DslTokenKind.Number, start, length, firstOnLine, sizes.ToArray(), starts.ToArray());
            }

            if (text[i] is not ('x' or 'X'))
            {
                break;
            }

            i++;
        }

        var invalid = DiagnosticInfo.Create(DiagnosticDescriptors.InvalidNumber, source.Location(start, length), DslSource.Display(text, start, length));
        return new DslToken(DslTokenKind.BadLiteral, start, length, firstOnLine, error: invalid);
    }

    private static int ScanWord(string text, int i)
    {
        while (i < text.Length && (IsWordStart(text[i]) || IsDigit(text[i])))
        {
            i++;
        }

        return i;
    }

    private static bool StartsToken(string text, int i)
    {
        var c = text[i];
        return IsWordStart(c) || IsDigit(c) || c == '"' || c == '#' || Punctuation(c) is not null || char.IsWhiteSpace(c) || c == '\uFEFF'
            || c == '/' && i + 1 < text.Length && text[i + 1] == '/';
    }

    private static bool IsWordStart(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_';

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static DslTokenKind? Punctuation(char c) => c switch
    {
        '(' => DslTokenKind.OpenParen,
        ')' => DslTokenKind.CloseParen,
        '{' => DslTokenKind.OpenBrace,
        '}' => DslTokenKind.CloseBrace,
        ',' => DslTokenKind.Comma,
        ';' => DslTokenKind.Semicolon,
        ':' => DslTokenKind.Colon,
        '.' => DslTokenKind.Dot,
        '-' => DslTokenKind.Minus,
        '=' => DslTokenKind.Equals,
        _ => null,
    };
}
