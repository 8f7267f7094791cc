using System.Collections.Generic;
using System.Globalization;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Dsl;

internal sealed partial class DslParser
{
    private static readonly string LayerList = string.Join(", ", LayerNames());

    /// <summary><c>conv2d(8, kernel: 3, padding: same)</c>: a layer name and its arguments.</summary>
    private void ParseLayer(NetworkDraft network)
    {
        var errors = _errors;
        var nameToken = Advance();
        var name = _source.TextOf(nameToken);
        var known = LayerVocabulary.TryParseSnakeName(name, out var kind);
        if (!known)
        {
            Report(DiagnosticDescriptors.UnknownLayer, nameToken, _source.Display(nameToken), SuggestLayer(name), LayerList);
        }

        var owner = known ? name : "'" + _source.Display(nameToken) + "'";
        var arguments = new List<DslArgument>();
        if (Current.Kind == DslTokenKind.OpenParen)
        {
            arguments = ParseArguments(owner);
        }
        else
        {
            ReportExpected("'(' after the layer name " + (known ? "'" + name + "'" : owner));
            SkipToNextLayer();
        }

        network.Layers.Add(known
            ? DslLayerBinder.Bind(kind, _source.Location(nameToken), arguments, _errors != errors, this)
            : Placeholder(_source.Location(nameToken)));
    }

    /// <summary>
    /// Stands in for an unknown layer so that shape inference stops there instead of checking
    /// the layers after it against the wrong shapes. A flatten: it has no options to check.
    /// </summary>
    private static LayerSpec Placeholder(LocationInfo location) => new(LayerKind.Flatten, null, EquatableArray<OptionValue>.Empty,
        EquatableArray.Create(new NamedLocation(LayerVocabulary.LayerKey, location)), IsIncomplete: true);

    /// <summary>'relu' as a layer is an activation layer; otherwise the closest layer name.</summary>
    private static string SuggestLayer(string name)
    {
        foreach (var activation in LayerVocabulary.AllActivations)
        {
            if (LayerVocabulary.SnakeName(activation) == name.ToLowerInvariant())
            {
                return " Did you mean 'activation(" + name.ToLowerInvariant() + ")'?";
            }
        }

        return DidYouMean.Sentence(name, LayerNames());
    }

    private static IEnumerable<string> LayerNames()
    {
        foreach (var kind in LayerVocabulary.AllKinds)
        {
            yield return LayerVocabulary.SnakeName(kind);
        }
    }

    /// <summary>
    /// <c>( argument, argument, ... )</c> with an optional trailing comma. After an error it
    /// skips to the next ',' or ')' outside nested parentheses; a line that starts a new layer,
    /// a '}' or the end of the file closes a list whose ')' is missing.
    /// </summary>
    private List<DslArgument> ParseArguments(string owner)
    {
        Advance();
        var arguments = new List<DslArgument>();
        while (!Stopped)
        {
            var before = _position;
            if (Current.Kind == DslTokenKind.CloseParen)
            {
                Advance();
                break;
            }

            if (AtArgumentListEnd())
            {
                ReportExpected("')' to close the arguments of " + owner);
                break;
            }

            var argument = ParseArgument(owner);
            var broken = argument is null;
            if (argument is not null && Current.Kind is not (DslTokenKind.Comma or DslTokenKind.CloseParen))
            {
                if (AtArgumentListEnd())
                {
                    ReportExpected("',' or ')' after an argument of " + owner);
                    arguments.Add(argument);
                    break;
                }

                // 'kernel 3': the ':' is missing.
                var missingColon = !argument.IsNamed && argument.Value is { IsWord: true } &&
                    Current.Kind is DslTokenKind.Number or DslTokenKind.Identifier or DslTokenKind.String or DslTokenKind.Minus;
                ReportExpected(missingColon ? "':' after the option name '" + argument.Value!.Display + "'" : "',' or ')' after an argument of " + owner);
                broken = true;
            }

            if (broken)
            {
                SkipArgument();
            }
            else
            {
                arguments.Add(argument!);
            }

            if (Current.Kind == DslTokenKind.Comma)
            {
                Advance();
            }

            EnsureProgress(before);
        }

        return arguments;
    }

    private bool AtArgumentListEnd() =>
        Current.Kind is DslTokenKind.EndOfFile or DslTokenKind.CloseBrace or DslTokenKind.OpenBrace
        || Current.IsFirstOnLine && (AtLayerStart || AtNetworkStart);

    /// <summary>Skips the rest of a broken argument, keeping count of nested parentheses.</summary>
    private void SkipArgument()
    {
        var depth = 0;
        while (!Stopped && !AtArgumentListEnd())
        {
            switch (Current.Kind)
            {
                case DslTokenKind.OpenParen:
                    depth++;
                    break;
                case DslTokenKind.CloseParen when depth == 0:
                case DslTokenKind.Comma when depth == 0:
                    return;
                case DslTokenKind.CloseParen:
                    depth--;
                    break;
            }

            SkipOne();
        }
    }

    /// <summary><c>value</c> or <c>option: value</c>. Reports '=' in place of ':' but reads on.</summary>
    private DslArgument? ParseArgument(string owner)
    {
        var first = Current;
        string? name = null;
        LocationInfo? nameLocation = null;
        if (first.Kind == DslTokenKind.Identifier && Peek().Kind is DslTokenKind.Colon or DslTokenKind.Equals)
        {
            var nameToken = Advance();
            name = _source.TextOf(nameToken);
            nameLocation = _source.Location(nameToken);
            if (Current.Kind == DslTokenKind.Equals)
            {
                ReportExpected("':' between the option name '" + _source.Display(nameToken) + "' and its value");
            }

            Advance();
        }

        var value = ParseValue(name, owner);
        return value is null ? null : new DslArgument(name, nameLocation, value, _source.Location(first));
    }

    /// <summary>A size or shape (optionally negative, so that range errors read naturally), a dotted name, or a string.</summary>
    private DslValue? ParseValue(string? option, string owner)
    {
        var first = Current;
        switch (first.Kind)
        {
            case DslTokenKind.Number:
                Advance();
                return Decimal(first, first) ?? Number(first, first, negative: false);

            case DslTokenKind.Minus:
                Advance();
                if (Current.Kind == DslTokenKind.Number)
                {
                    var whole = Advance();
                    return Decimal(first, whole) ?? Number(first, whole, negative: true);
                }

                ReportExpected("a number after '-'");
                return null;

            case DslTokenKind.BadLiteral:
                SkipOne();
                return new DslValue(DslValueKind.Bad, string.Empty, _source.Display(first), NoSizes, NoLocations, _source.Location(first));

            case DslTokenKind.String:
                Advance();
                return new DslValue(DslValueKind.String, _source.Text.Substring(first.Start + 1, first.Length - 2), _source.Display(first),
                    NoSizes, NoLocations, _source.Location(first));

            case DslTokenKind.Identifier:
            {
                var last = Advance();
                var parts = new List<string> { _source.TextOf(first) };
                while (Current.Kind == DslTokenKind.Dot && Peek().Kind == DslTokenKind.Identifier)
                {
                    Advance();
                    last = Advance();
                    parts.Add(_source.TextOf(last));
                }

                return new DslValue(DslValueKind.Name, string.Join(".", parts), DslSource.Display(_source.Text, first.Start, last.End - first.Start),
                    NoSizes, NoLocations, _source.Location(first, last));
            }

            default:
                ReportExpected(option is null ? "an argument of " + owner : "a value for '" + DslSource.Display(option, 0, option.Length) + "'");
                return null;
        }
    }

    /// <summary>
    /// A real number in decimal notation, 0.99: the number just read, a '.' and digits, with no
    /// space between; null (nothing consumed) when the number is not followed by a fraction.
    /// </summary>
    private DslValue? Decimal(DslToken first, DslToken whole)
    {
        if (Current.Kind != DslTokenKind.Dot || Current.Start != whole.End || Peek().Kind != DslTokenKind.Number || Peek().Start != Current.End ||
            !AllDigits(whole) || !AllDigits(Peek()))
        {
            return null;
        }

        Advance();
        var fraction = Advance();
        var text = _source.Text.Substring(first.Start, fraction.End - first.Start);
        return new DslValue(DslValueKind.Real, text, DslSource.Display(_source.Text, first.Start, fraction.End - first.Start), NoSizes, NoLocations,
            _source.Location(first, fraction));

        bool AllDigits(DslToken token)
        {
            for (var i = token.Start; i < token.End; i++)
            {
                if (_source.Text[i] is < '0' or > '9')
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>A number token (after an optional '-'), with the location of each size.</summary>
    private DslValue Number(DslToken first, DslToken number, bool negative)
    {
        int[] sizes;
        LocationInfo[] locations;
        if (_source.Text.IndexOf('x', number.Start, number.Length) < 0 && _source.Text.IndexOf('X', number.Start, number.Length) < 0)
        {
            // One size, the usual case: no list, and no location apart from the value's own.
            sizes = new[] { int.Parse(_source.Text.Substring(number.Start, number.Length), CultureInfo.InvariantCulture) };
            locations = NoLocations;
        }
        else
        {
            var sizeList = new List<int>();
            var starts = new List<int>();
            DslLexer.ReadSizes(_source.Text, number.Start, number.Length, sizeList, starts, out _, out _);
            sizes = sizeList.ToArray();

            // Only shapes of up to 3 sizes and pads (top x bottom x left x right) mean anything; longer ones are reported as a whole.
            locations = new LocationInfo[sizes.Length <= 4 ? sizes.Length : 0];
            for (var i = 0; i < locations.Length; i++)
            {
                var start = i == 0 ? first.Start : starts[i];
                var end = i + 1 < sizes.Length ? starts[i + 1] - 1 : number.End;
                locations[i] = _source.Location(start, end - start);
            }
        }

        if (negative)
        {
            sizes[0] = -sizes[0];
        }

        var display = DslSource.Display(_source.Text, first.Start, number.End - first.Start);
        return new DslValue(DslValueKind.Number, display, display, sizes, locations, _source.Location(first, number));
    }

    private static readonly int[] NoSizes = new int[0];

    private static readonly LocationInfo[] NoLocations = new LocationInfo[0];
}
