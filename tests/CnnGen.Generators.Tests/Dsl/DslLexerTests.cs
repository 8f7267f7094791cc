namespace CnnGen.Generators.Tests.Dsl;

// Inside the namespace, so that the generator's model types win over the runtime's (CnnGen.DataFormat, CnnGen.LayerKind).
using CnnGen.Generators.Dsl;
using Microsoft.CodeAnalysis.Text;

public class DslLexerTests
{
    private static List<DslToken> Lex(string text) => DslLexer.Tokenize(new DslSource("t.cnn", text));

    private static string Kinds(string text) => string.Join(" ", Lex(text).Select(t => t.Kind));

    [Fact]
    public void ReadsNamesNumbersShapesStringsAndPunctuation()
    {
        var text = "conv2d(8, kernel: 3x5, name: \"a\"); -1 . { } =";
        Assert.Equal(
            "Identifier OpenParen Number Comma Identifier Colon Number Comma Identifier Colon String CloseParen Semicolon Minus Number Dot OpenBrace CloseBrace Equals EndOfFile",
            Kinds(text));
        var tokens = Lex(text);
        Assert.Equal((0, 6), (tokens[0].Start, tokens[0].Length));
        Assert.Equal((18, 3), (tokens[6].Start, tokens[6].Length));
        var (sizes, starts) = Sizes(text, tokens[6]);
        Assert.Equal(new[] { 3, 5 }, sizes);
        Assert.Equal(new[] { 18, 20 }, starts);
        Assert.Equal((29, 3), (tokens[10].Start, tokens[10].Length));
    }

    [Fact]
    public void ShapesUseLowerOrUpperX()
    {
        var token = Lex("28X28x1")[0];
        Assert.Equal(DslTokenKind.Number, token.Kind);
        Assert.Equal(new[] { 28, 28, 1 }, Sizes("28X28x1", token).Sizes);
    }

    private static (int[] Sizes, int[] Starts) Sizes(string text, DslToken token)
    {
        var sizes = new List<int>();
        var starts = new List<int>();
        Assert.Equal(DslLexer.SizesRead.Valid, DslLexer.ReadSizes(text, token.Start, token.Length, sizes, starts, out _, out _));
        return (sizes.ToArray(), starts.ToArray());
    }

    [Fact]
    public void CommentsRunToTheEndOfTheLine()
    {
        Assert.Equal("Identifier Identifier EndOfFile", Kinds("a // b c\n# d e\nf # g"));
    }

    [Fact]
    public void MarksTheFirstTokenOfEachLine()
    {
        var tokens = Lex("a b\r\n  c // x\n\n d\re\u2028f");
        Assert.Equal(new[] { true, false, true, true, true, true, false }, tokens.Select(t => t.IsFirstOnLine).ToArray());
    }

    [Theory]
    [InlineData("3a", "CNN0204", 0, 2, "'3a' is not a size or a shape; write a size like 3 or sizes joined by 'x' like 3x5 or 28x28x1, without spaces")]
    [InlineData("3x", "CNN0204", 0, 2, "'3x' is not a size or a shape; write a size like 3 or sizes joined by 'x' like 3x5 or 28x28x1, without spaces")]
    [InlineData("8x99999999999x1", "CNN0205", 2, 11, "The number 99999999999 is too large; a size must be at most 2,147,483,647")]
    [InlineData("\"open", "CNN0203", 0, 5, "The string \"open is not closed; end it with '\"' on the same line")]
    public void MalformedLiteralsCarryTheirError(string text, string id, int start, int length, string message)
    {
        var source = new DslSource("t.cnn", text);
        var token = DslLexer.Tokenize(source)[0];
        Assert.Equal(DslTokenKind.BadLiteral, token.Kind);
        var error = DslLexer.Describe(source, token);
        Assert.Equal(id, error.Descriptor.Id);
        Assert.Equal(new TextSpan(start, length), error.Location!.TextSpan);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void ARunOfUnknownCharactersIsOneBadToken()
    {
        var source = new DslSource("t.cnn", "a @$% b");
        var tokens = DslLexer.Tokenize(source);
        Assert.Equal("Identifier BadCharacters Identifier EndOfFile", string.Join(" ", tokens.Select(t => t.Kind)));
        Assert.Equal((2, 3), (tokens[1].Start, tokens[1].Length));
        Assert.Equal(
            "Unexpected '@$%': names use letters, digits and '_', sizes are written like 3 or 3x5, and comments start with // or #",
            DslLexer.Describe(source, tokens[1]).Message);
    }

    [Fact]
    public void UnknownCharactersDoNotHideTheStartOfALine()
    {
        var tokens = Lex("a\n@ b");
        Assert.True(tokens[2].IsFirstOnLine);
    }

    [Fact]
    public void MessagesShowControlCharactersAndCutLongText()
    {
        Assert.Equal("a\\u0001\\u00E9", DslSource.Display("a\u0001\u00e9", 0, 3));
        Assert.Equal(new string('x', 32) + "... (1000 characters)", DslSource.Display(new string('x', 1000), 0, 1000));
    }

    [Fact]
    public void LinesAndColumnsMatchRoslyn()
    {
        var random = new Random(7);
        var alphabet = "ab \n\r\t\u0085\u2028\u2029x";
        for (var round = 0; round < 200; round++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var source = new DslSource("t.cnn", text);
            var roslyn = SourceText.From(text);
            for (var offset = 0; offset <= text.Length; offset++)
            {
                Assert.Equal(roslyn.Lines.GetLinePosition(offset), source.Position(offset));
            }
        }
    }
}
