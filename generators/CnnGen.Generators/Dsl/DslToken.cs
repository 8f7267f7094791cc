using CnnGen.Generators.Model;

namespace CnnGen.Generators.Dsl;

internal enum DslTokenKind
{
    EndOfFile,
    Identifier,

    /// <summary>A size or a shape: <c>8</c>, <c>3x5</c>, <c>28x28x1</c>.</summary>
    Number,
    String,
    OpenParen,
    CloseParen,
    OpenBrace,
    CloseBrace,
    Comma,
    Semicolon,
    Colon,
    Dot,
    Minus,

    /// <summary>'=' is not part of the language, but a common slip for ':' that the parser recovers from.</summary>
    Equals,

    /// <summary>A malformed number or string; <see cref="DslToken.Error"/> says why. It stands where a value stands.</summary>
    BadLiteral,

    /// <summary>Characters that start no token. The parser skips them like spaces; their error is reported once.</summary>
    BadCharacters,
}

/// <summary>
/// One token of a .cnn file: a kind and a span of the source text. Numbers carry their
/// sizes, bad tokens the error to report when the parser reaches them.
/// </summary>
internal readonly struct DslToken
{
    public DslToken(DslTokenKind kind, int start, int length, bool isFirstOnLine, int[]? sizes = null, int[]? sizeStarts = null,
        DiagnosticInfo? error = null)
    {
        Kind = kind;
        Start = start;
        Length = length;
        IsFirstOnLine = isFirstOnLine;
        Sizes = sizes;
        SizeStarts = sizeStarts;
        Error = error;
    }

    public DslTokenKind Kind { get; }

    public int Start { get; }

    public int Length { get; }

    public int End => Start + Length;

    /// <summary>No other token precedes it on its line: layers start lines, which helps recovery.</summary>
    public bool IsFirstOnLine { get; }

    /// <summary>Number tokens: the sizes between the 'x's (8x8x1 gives 8, 8, 1).</summary>
    public int[]? Sizes { get; }

    /// <summary>Number tokens: where each size starts in the text.</summary>
    public int[]? SizeStarts { get; }

    /// <summary>Bad literals and characters: the lexical error.</summary>
    public DiagnosticInfo? Error { get; }
}
