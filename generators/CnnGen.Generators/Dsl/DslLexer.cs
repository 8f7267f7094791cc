using System;
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
        var tokens = new List<DslToken>(Math.Min(text.Length / 4 + 16, 1 << 20));
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
                token = Number(text, start, i - start, firstOnLine);
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
                    token = new DslToken(DslTokenKind.BadLiteral, start, i - start, firstOnLine, DslLexicalError.UnterminatedString);
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

                token = new DslToken(DslTokenKind.BadCharacters, start, i - start, firstOnLine, DslLexicalError.UnexpectedCharacters);
            }

            tokens.Add(token);
            firstOnLine &= token.Kind == DslTokenKind.BadCharacters;
        }

        tokens.Add(new DslToken(DslTokenKind.EndOfFile, text.Length, 0, firstOnLine));
        return tokens;
    }

    /// <summary>A word that starts with a digit: sizes joined by 'x' (8, 3x5, 28x28x1), or a bad literal.</summary>
    private static DslToken Number(string text, int start, int length, bool firstOnLine) =>
        ReadSizes(text, start, length, null, null, out _, out _) switch
        {
            SizesRead.Valid => new DslToken(DslTokenKind.Number, start, length, firstOnLine),
            SizesRead.TooLarge => new DslToken(DslTokenKind.BadLiteral, start, length, firstOnLine, DslLexicalError.NumberTooLarge),
            _ => new DslToken(DslTokenKind.BadLiteral, start, length, firstOnLine, DslLexicalError.InvalidNumber),
        };

    public enum SizesRead
    {
        Valid,
        Invalid,
        TooLarge,
    }

    /// <summary>
    /// Reads sizes joined by 'x' into <paramref name="sizes"/> and where each starts into
    /// <paramref name="starts"/> (either may be null); a size above int.MaxValue is reported by
    /// its own span, so an error can point at the height or the width alone.
    /// </summary>
    public static SizesRead ReadSizes(string text, int start, int length, List<int>? sizes, List<int>? starts, out int errorStart,
        out int errorLength)
    {
        errorStart = start;
        errorLength = length;
        var i = start;
        var end = start + length;
        while (true)
        {
            var sizeStart = i;
            long value = 0;
            while (i < end && IsDigit(text[i]))
            {
                value = Math.Min(value * 10 + (text[i] - '0'), (long)int.MaxValue + 1);
                i++;
            }

            if (i == sizeStart)
            {
                return SizesRead.Invalid;
            }

            if (value > int.MaxValue)
            {
                errorStart = sizeStart;
                errorLength = i - sizeStart;
                return SizesRead.TooLarge;
            }

            sizes?.Add((int)value);
            starts?.Add(sizeStart);
            if (i == end)
            {
                return SizesRead.Valid;
            }

            if (text[i] is not ('x' or 'X'))
            {
                return SizesRead.Invalid;
            }

            i++;
        }
    }

    /// <summary>The diagnostic of a bad token, made when the parser reports it.</summary>
    public static DiagnosticInfo Describe(DslSource source, DslToken token)
    {
        var descriptor = token.Error switch
        {
            DslLexicalError.UnterminatedString => DiagnosticDescriptors.UnterminatedString,
            DslLexicalError.InvalidNumber => DiagnosticDescriptors.InvalidNumber,
            DslLexicalError.NumberTooLarge => DiagnosticDescriptors.NumberTooLarge,
            _ => DiagnosticDescriptors.UnexpectedCharacter,
        };
        int start = token.Start, length = token.Length;
        if (token.Error == DslLexicalError.NumberTooLarge)
        {
            ReadSizes(source.Text, token.Start, token.Length, null, null, out start, out length);
        }

        return DiagnosticInfo.Create(descriptor, source.Location(start, length), DslSource.Display(source.Text, start, length));
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
