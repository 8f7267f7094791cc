using System;
using System.Text;

namespace CnnGen.Generators.Emit;

/// <summary>
/// The one writer of generated source: lines, indentation and blocks. It indents with tabs:
/// generated kernels nest deeply, and a tab per level keeps the file a third smaller than
/// four spaces would.
/// </summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    public int Length => _builder.Length;

    /// <summary>
    /// The most characters one generated file may hold (about 8 MB): past it the writer stops,
    /// and the network gets a diagnostic instead of a file that would take minutes to compile.
    /// </summary>
    public const int MaxLength = 8_000_000;

    [System.Runtime.CompilerServices.MethodImpl(GeneratorJit.Optimized)]
    public SourceWriter Line(string text = "")
    {
        if (_builder.Length > MaxLength)
        {
            throw new SourceTooLargeException();
        }

        if (text.Length > 0)
        {
            _builder.Append('\t', _indent);
        }

        _builder.Append(text).Append('\n');
        return this;
    }

    /// <summary>Writes every line of <paramref name="text"/> with the current indentation.</summary>
    public SourceWriter Lines(string text)
    {
        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            Line(line);
        }

        return this;
    }

    /// <summary>A comment line per line of <paramref name="text"/>.</summary>
    public SourceWriter Comment(string text)
    {
        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            Line(line.Length == 0 ? "//" : "// " + line);
        }

        return this;
    }

    /// <summary>An XML doc summary (escaped).</summary>
    public SourceWriter Summary(string text)
    {
        Line("/// <summary>");
        foreach (var line in text.Split('\n'))
        {
            Line("/// " + Xml(line));
        }

        return Line("/// </summary>");
    }

    /// <summary>Opens a brace block after <paramref name="header"/>; dispose to close it.</summary>
    public Block Open(string header, string closing = "}")
    {
        Line(header);
        Line("{");
        _indent++;
        return new Block(this, closing);
    }

    /// <summary>Opens a bare brace block (a scope for locals); dispose to close it.</summary>
    public Block Scope()
    {
        Line("{");
        _indent++;
        return new Block(this, "}");
    }

    /// <summary>An empty writer at this writer's indentation, whose text <see cref="Append"/> adds here later.</summary>
    public SourceWriter Fork() => new() { _indent = _indent };

    /// <summary>Adds the text of <paramref name="other"/> (written at this writer's indentation).</summary>
    public SourceWriter Append(SourceWriter other)
    {
        if (_builder.Length + other._builder.Length > MaxLength)
        {
            throw new SourceTooLargeException();
        }

        _builder.Append(other._builder);
        return this;
    }

    /// <summary>Adds <paramref name="text"/>, lines already indented (a forked writer's text, edited).</summary>
    public SourceWriter AppendText(string text)
    {
        if (_builder.Length + text.Length > MaxLength)
        {
            throw new SourceTooLargeException();
        }

        _builder.Append(text);
        return this;
    }

    public void Indent() => _indent++;

    public void Outdent() => _indent--;

    public override string ToString() => _builder.ToString();

    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>A C# string literal.</summary>
    public static string Literal(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c < ' ' ? "\\u" + ((int)c).ToString("x4") : c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    public readonly struct Block : IDisposable
    {
        private readonly SourceWriter _writer;
        private readonly string _closing;

        public Block(SourceWriter writer, string closing)
        {
            _writer = writer;
            _closing = closing;
        }

        public void Dispose()
        {
            _writer._indent--;
            _writer.Line(_closing);
        }
    }
}

/// <summary>Thrown by <see cref="SourceWriter"/> past <see cref="SourceWriter.MaxLength"/>; the compiler turns it into CNN0301.</summary>
internal sealed class SourceTooLargeException : Exception
{
    public SourceTooLargeException()
        : base("The generated source passed " + SourceWriter.MaxLength + " characters.")
    {
    }
}
