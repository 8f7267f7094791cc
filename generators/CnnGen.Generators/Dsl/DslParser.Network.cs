using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Dsl;

internal sealed partial class DslParser
{
    /// <summary><c>network Name(input: 8x8x1, format: channels_last, output: 10) { layers }</c>.</summary>
    private void ParseNetwork()
    {
        var keyword = Advance();
        var network = new NetworkDraft(keyword.Start, _namespace);
        _networks.Add(network);
        _network = network;
        if (Current.Kind == DslTokenKind.Identifier)
        {
            var name = Advance();
            var text = _source.TextOf(name);
            if (CheckName(name, text, "network"))
            {
                network.ClassName = text;
                network.Location = _source.Location(name);
            }
        }
        else
        {
            ReportExpected("a network name after 'network'");
        }

        if (Current.Kind == DslTokenKind.OpenParen)
        {
            var errors = _errors;
            var arguments = ParseArguments(network.Owner);
            DslNetworkBinder.Bind(network, arguments, _errors != errors, this);
        }

        if (Current.Kind == DslTokenKind.OpenBrace)
        {
            Advance();
            ParseLayers(network, braced: true);
        }
        else if (!Stopped)
        {
            ReportExpected("'{' to begin the layers of " + network.Owner);
            SkipUntil(() => Current.Kind == DslTokenKind.OpenBrace || AtNetworkStart || Current.IsFirstOnLine && AtLayerStart);
            if (Current.Kind == DslTokenKind.OpenBrace)
            {
                Advance();
                ParseLayers(network, braced: true);
            }
            else if (AtLayerStart && !AtNetworkStart)
            {
                ParseLayers(network, braced: false);
            }
        }

        network.End = Current.Kind == DslTokenKind.EndOfFile ? _source.Text.Length : _tokens[System.Math.Max(_position - 1, 0)].End;
        _network = null;
    }

    /// <summary>
    /// The layers up to the closing '}'. Layers may be separated by newlines, ',' or ';', or
    /// nothing at all. A 'network' line ends an unclosed network.
    /// </summary>
    private void ParseLayers(NetworkDraft network, bool braced)
    {
        while (!Stopped)
        {
            var before = _position;
            var token = Current;
            if (token.Kind == DslTokenKind.CloseBrace)
            {
                Advance();
                return;
            }

            if (token.Kind == DslTokenKind.EndOfFile || AtNetworkStart)
            {
                if (braced)
                {
                    ReportExpected("'}' to end the layers of " + network.Owner);
                }

                return;
            }

            if (token.Kind is DslTokenKind.Comma or DslTokenKind.Semicolon)
            {
                Advance();
            }
            else if (token.Kind == DslTokenKind.Identifier)
            {
                ParseLayer(network);
            }
            else
            {
                ReportExpected("a layer such as conv2d(8, 3), or '}'");
                SkipToNextLayer();
            }

            EnsureProgress(before);
        }
    }

    /// <summary>After an error among the layers: on to the next line that starts with a name, a separator, or the '}'.</summary>
    private void SkipToNextLayer() =>
        SkipUntil(() => Current.Kind is DslTokenKind.CloseBrace or DslTokenKind.Comma or DslTokenKind.Semicolon
            || Current.IsFirstOnLine && Current.Kind == DslTokenKind.Identifier);
}
