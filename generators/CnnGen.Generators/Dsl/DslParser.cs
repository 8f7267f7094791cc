using System;
using System.Collections.Generic;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CnnGen.Generators.Dsl;

/// <summary>
/// The hand-written recursive-descent parser of .cnn files (grammar: docs/dsl.md). It reads
/// every declaration into the same <see cref="NetworkSpec"/> the attribute parser produces,
/// and recovers after each error so that one pass reports them all. The grammar nests only
/// file, network, layer and argument, so the parser recurses a fixed few calls deep whatever
/// the input (100,000 '(' are skipped by a loop); every step is linear in the tokens.
/// </summary>
internal sealed partial class DslParser : IDslDiagnostics
{
    /// <summary>Errors reported per file before the parser gives up on the rest.</summary>
    public const int MaxErrors = 100;

    private readonly DslSource _source;
    private readonly List<DslToken> _tokens;
    private readonly List<DslToken> _badCharacters = new();
    private readonly List<PendingDiagnostic> _diagnostics = new();
    private readonly List<NetworkDraft> _networks = new();
    private NetworkDraft? _network;
    private string _namespace = string.Empty;
    private int _position;
    private int _errors;
    private int _lastSyntaxError = -1;

    private DslParser(DslSource source)
    {
        _source = source;
        var tokens = DslLexer.Tokenize(source);
        _tokens = new List<DslToken>(tokens.Count);
        foreach (var token in tokens)
        {
            (token.Kind == DslTokenKind.BadCharacters ? _badCharacters : _tokens).Add(token);
        }
    }

    public static DslFile Parse(string path, string text)
    {
        var parser = new DslParser(new DslSource(path, text));
        parser.ParseFile();
        return parser.Finish();
    }

    private bool Stopped => _errors > MaxErrors;

    // ---- The file ------------------------------------------------------------------------

    private void ParseFile()
    {
        while (!Stopped && Current.Kind != DslTokenKind.EndOfFile)
        {
            var before = _position;
            if (Is(Current, "namespace"))
            {
                ParseNamespace();
            }
            else if (Is(Current, "network"))
            {
                ParseNetwork();
            }
            else if (Current.Kind == DslTokenKind.Semicolon)
            {
                Advance();
            }
            else
            {
                ReportExpected("'network' or 'namespace'");
                SkipUntil(() => Is(Current, "network") || Is(Current, "namespace"));
            }

            EnsureProgress(before);
        }
    }

    /// <summary><c>namespace Examples.Digits;</c>: the namespace of the networks that follow. The ';' may be left out at the end of a line.</summary>
    private void ParseNamespace()
    {
        Advance();
        if (ParseQualifiedName("namespace") is { } name)
        {
            _namespace = name;
        }
        else
        {
            SkipUntil(() => Current.IsFirstOnLine || Current.Kind == DslTokenKind.Semicolon);
        }

        if (Current.Kind == DslTokenKind.Semicolon)
        {
            Advance();
        }
        else if (!Current.IsFirstOnLine && Current.Kind != DslTokenKind.EndOfFile)
        {
            ReportExpected("';' after the namespace name");
            SkipUntil(() => Current.IsFirstOnLine);
        }
    }

    /// <summary>Reads <c>A.B.C</c>; null (after reporting) when it is malformed or uses a C# keyword.</summary>
    private string? ParseQualifiedName(string what)
    {
        var parts = new List<string>();
        while (true)
        {
            if (Current.Kind != DslTokenKind.Identifier)
            {
                ReportExpected(parts.Count == 0 ? "a " + what + " name" : "a name after '.'");
                return null;
            }

            var token = Advance();
            var part = _source.TextOf(token);
            if (!CheckName(token, part, what))
            {
                return null;
            }

            parts.Add(part);
            if (Current.Kind != DslTokenKind.Dot)
            {
                return string.Join(".", parts);
            }

            Advance();
        }
    }

    /// <summary>C# allows identifiers of at most 512 characters (CS0645).</summary>
    private const int MaxNameLength = 512;

    /// <summary>Names become C# identifiers: a keyword or an overlong name would not compile.</summary>
    private bool CheckName(DslToken token, string name, string what)
    {
        var problem = name.Length > MaxNameLength ? "C# names have at most 512 characters"
            : SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "it is a C# keyword; choose another name"
            : null;
        if (problem is null)
        {
            return true;
        }

        Report(DiagnosticDescriptors.InvalidDeclarationName, token, _source.Display(token), what, problem);
        return false;
    }

    // ---- Cursor and reporting --------------------------------------------------------------

    private DslToken Current => _tokens[_position];

    private DslToken Peek(int offset = 1) => _tokens[Math.Min(_position + offset, _tokens.Count - 1)];

    private DslToken Advance()
    {
        var token = _tokens[_position];
        if (token.Kind != DslTokenKind.EndOfFile)
        {
            _position++;
        }

        return token;
    }

    private bool Is(DslToken token, string word) => _source.Is(token, word);

    /// <summary>A line like <c>conv2d(</c>: a layer starts here.</summary>
    private bool AtLayerStart => Current.Kind == DslTokenKind.Identifier && Peek().Kind == DslTokenKind.OpenParen;

    /// <summary><c>network Name</c>: the next network starts here (so the one before was not closed).</summary>
    private bool AtNetworkStart => Is(Current, "network") && Peek().Kind == DslTokenKind.Identifier;

    /// <summary>A safety net: every loop consumes at least one token per turn.</summary>
    private void EnsureProgress(int before)
    {
        if (_position == before && !Stopped)
        {
            Advance();
        }
    }

    /// <summary>Skips tokens until <paramref name="stop"/> holds or the file ends, reporting malformed literals on the way.</summary>
    private void SkipUntil(Func<bool> stop)
    {
        while (!Stopped && Current.Kind != DslTokenKind.EndOfFile && !stop())
        {
            SkipOne();
        }
    }

    private void SkipOne()
    {
        var token = Advance();
        if (token.Kind == DslTokenKind.BadLiteral)
        {
            Report(DslLexer.Describe(_source, token));
        }
    }

    /// <summary>Reports that <paramref name="expected"/> should stand at the current token (a malformed literal reports its own error).</summary>
    private void ReportExpected(string expected)
    {
        var token = Current;
        if (token.Kind == DslTokenKind.BadLiteral)
        {
            SkipOne();
            return;
        }

        // One syntax error per position, and none right after a malformed literal (an open
        // string swallows the rest of its line): they would only restate the first.
        var afterBadLiteral = _position > 0 && _tokens[_position - 1].Kind == DslTokenKind.BadLiteral;
        if (token.Start != _lastSyntaxError && !afterBadLiteral)
        {
            _lastSyntaxError = token.Start;
            Report(DiagnosticDescriptors.SyntaxError, token, expected, Describe(token));
        }
    }

    private string Describe(DslToken token) => token.Kind switch
    {
        DslTokenKind.EndOfFile => "the end of the file",
        DslTokenKind.String => "the string " + _source.Display(token),
        _ => "'" + _source.Display(token) + "'",
    };

    private void Report(DiagnosticDescriptor descriptor, DslToken token, params object[] args) =>
        Report(DiagnosticInfo.Create(descriptor, _source.Location(token), args));

    /// <summary>Past the limit the parser stops; reporting more would only cost time.</summary>
    public bool IsFull => Stopped;

    public void Report(DiagnosticInfo diagnostic)
    {
        _errors++;
        _diagnostics.Add(new PendingDiagnostic(diagnostic.Location?.TextSpan.Start ?? 0, _diagnostics.Count, _network, diagnostic));
    }

    // ---- The result ------------------------------------------------------------------------

    /// <summary>
    /// Orders the errors by position, keeps the first <see cref="MaxErrors"/>, and gives each
    /// to the network it sits in (so that network is not generated) or to the file.
    /// </summary>
    private DslFile Finish()
    {
        // Merge the parser's errors with the skipped characters', in order, up to the limit. The
        // characters' diagnostics are made only for those kept: there may be a million.
        _diagnostics.Sort(static (a, b) => a.Offset != b.Offset ? a.Offset.CompareTo(b.Offset) : a.Order.CompareTo(b.Order));
        var kept = new List<PendingDiagnostic>();
        int parsed = 0, skipped = 0;
        var cutOff = int.MaxValue;
        while (parsed < _diagnostics.Count || skipped < _badCharacters.Count)
        {
            var takeSkipped = parsed == _diagnostics.Count ||
                skipped < _badCharacters.Count && _badCharacters[skipped].Start < _diagnostics[parsed].Offset;
            var offset = takeSkipped ? _badCharacters[skipped].Start : _diagnostics[parsed].Offset;
            if (kept.Count == MaxErrors)
            {
                // Past the cut the file was not read (or not reported): networks that reach it are dropped.
                cutOff = offset;
                var location = takeSkipped ? _source.Location(_badCharacters[skipped]) : _diagnostics[parsed].Diagnostic.Location;
                kept.Add(new PendingDiagnostic(offset, 0, null, DiagnosticInfo.Create(DiagnosticDescriptors.TooManyErrors, location, MaxErrors)));
                break;
            }

            if (takeSkipped)
            {
                var bad = _badCharacters[skipped++];
                kept.Add(new PendingDiagnostic(bad.Start, 0, NetworkAt(bad.Start), DslLexer.Describe(_source, bad)));
            }
            else
            {
                kept.Add(_diagnostics[parsed++]);
            }
        }

        var fileDiagnostics = new List<DiagnosticInfo>();
        foreach (var item in kept)
        {
            var owner = item.Network is { ClassName: not null } network && network.End <= cutOff ? network : null;
            (owner?.Diagnostics ?? fileDiagnostics).Add(item.Diagnostic);
        }

        var origin = new DeclarationOrigin(true, FileName(_source.Path));
        var specs = new List<NetworkSpec>();
        foreach (var network in _networks)
        {
            if (network.ClassName is not null && network.End <= cutOff)
            {
                specs.Add(network.ToSpec(origin));
            }
        }

        return new DslFile(specs.ToEquatableArray(), fileDiagnostics.ToEquatableArray());
    }

    /// <summary>The network whose text holds <paramref name="offset"/>, if any.</summary>
    private NetworkDraft? NetworkAt(int offset)
    {
        int low = 0, high = _networks.Count - 1;
        NetworkDraft? candidate = null;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (_networks[middle].Start <= offset)
            {
                candidate = _networks[middle];
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return candidate is not null && offset < candidate.End ? candidate : null;
    }

    /// <summary>The file name without directories (by hand: Path.GetFileName throws on some paths on .NET Framework).</summary>
    private static string FileName(string path)
    {
        var slash = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        return slash < 0 ? path : path.Substring(slash + 1);
    }

    private readonly record struct PendingDiagnostic(int Offset, int Order, NetworkDraft? Network, DiagnosticInfo Diagnostic);
}
