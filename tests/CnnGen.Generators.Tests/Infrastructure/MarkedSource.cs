using Microsoft.CodeAnalysis.Text;

namespace CnnGen.Generators.Tests.Infrastructure;

/// <summary>
/// C# source with the expected squiggles marked as <c>[|...|]</c>: the markers are stripped
/// before compiling, and each marked span is kept with its 0-based line and column, computed
/// here by counting characters (independently of Roslyn).
/// </summary>
internal sealed class MarkedSource
{
    private MarkedSource(string text, IReadOnlyList<TextSpan> spans)
    {
        Text = text;
        Spans = spans;
    }

    /// <summary>The source without markers.</summary>
    public string Text { get; }

    /// <summary>The marked spans in order of their start.</summary>
    public IReadOnlyList<TextSpan> Spans { get; }

    /// <summary>The one marked span.</summary>
    public TextSpan Span => Assert.Single(Spans);

    public static MarkedSource Parse(string marked)
    {
        var text = new System.Text.StringBuilder();
        var spans = new List<TextSpan>();
        var open = new Stack<int>();
        for (var i = 0; i < marked.Length; i++)
        {
            if (string.CompareOrdinal(marked, i, "[|", 0, 2) == 0)
            {
                open.Push(text.Length);
                i++;
            }
            else if (string.CompareOrdinal(marked, i, "|]", 0, 2) == 0)
            {
                var start = open.Pop();
                spans.Add(TextSpan.FromBounds(start, text.Length));
                i++;
            }
            else
            {
                text.Append(marked[i]);
            }
        }

        Assert.Empty(open);
        return new MarkedSource(text.ToString(), spans.OrderBy(s => s.Start).ToList());
    }

    /// <summary>The 0-based line and column span of a marked span, counted by hand.</summary>
    public LinePositionSpan LineSpan(TextSpan span) => new(Position(span.Start), Position(span.End));

    /// <summary>The marked text itself, for readable failure messages.</summary>
    public string TextOf(TextSpan span) => Text.Substring(span.Start, span.Length);

    private LinePosition Position(int offset)
    {
        var line = 0;
        var column = 0;
        for (var i = 0; i < offset; i++)
        {
            if (Text[i] == '\n')
            {
                line++;
                column = 0;
            }
            else
            {
                column++;
            }
        }

        return new LinePosition(line, column);
    }
}
