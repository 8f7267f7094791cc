namespace CnnGen.Generators.Dsl;

internal enum DslTokenKind : byte
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

/// <summary>Why the lexer could not read a token. The diagnostic is made only when reported: a file may hold a million.</summary>
internal enum DslLexicalError : byte
{
    None,
    UnexpectedCharacters,
    UnterminatedString,
    InvalidNumber,
    NumberTooLarge,
}

/// <summary>
/// One token of a .cnn file: a kind and a span of the source text. Kept to 12 bytes, as a
/// 1 MB line can hold a million tokens; a number's sizes are read from the text when needed.
/// </summary>
internal readonly struct DslToken
{
    public DslToken(DslTokenKind kind, int start, int length, bool isFirstOnLine, DslLexicalError error = DslLexicalError.None)
    {
        Kind = kind;
        Error = error;
        IsFirstOnLine = isFirstOnLine;
        Start = start;
        Length = length;
    }

    public DslTokenKind Kind { get; }

    /// <summary>Bad literals and characters: why the lexer could not read them.</summary>
    public DslLexicalError Error { get; }

    /// <summary>No other token precedes it on its line: layers start lines, which helps recovery.</summary>
    public bool IsFirstOnLine { get; }

    public int Start { get; }

    public int Length { get; }

    public int End => Start + Length;
}
