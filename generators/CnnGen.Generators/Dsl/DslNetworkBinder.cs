using System;
using System.Collections.Generic;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Dsl;

/// <summary>The options of a network: <c>input</c> (a shape or another network), <c>format</c> and <c>output</c>.</summary>
internal static class DslNetworkBinder
{
    public const string Input = "input";
    public const string Format = "format";
    public const string Output = "output";

    public static readonly IReadOnlyList<string> Options = new[] { Input, Format, Output };

    private static readonly DataFormat[] Formats = { DataFormat.ChannelsLast, DataFormat.ChannelsFirst };

    public static void Bind(NetworkDraft network, IReadOnlyList<DslArgument> arguments, bool hasSyntaxErrors, IDslDiagnostics diagnostics)
    {
        var read = DslOptions.Read(network.Owner, Options, 0, arguments, hasSyntaxErrors, diagnostics);
        network.Format = read.Word(Format, Formats, LayerVocabulary.SnakeName, DataFormat.ChannelsLast);

        if (read.Has(Input))
        {
            network.Input = ReadInput(read, arguments);
        }

        if (read.Value(Output) is { } output)
        {
            if (output.Kind == DslValueKind.Number)
            {
                network.Output = new ShapeSpec(output.Sizes.ToEquatableArray(), output.Location);
            }
            else
            {
                read.Invalid(Output, output, "a shape such as 10 or 7x7x16");
            }
        }
    }

    /// <summary>input: 28x28x1 or input: OtherNetwork. An unreadable input still counts as given, so it is not reported missing.</summary>
    private static InputSpec ReadInput(DslOptions read, IReadOnlyList<DslArgument> arguments)
    {
        if (read.Value(Input) is { } value)
        {
            if (value.Kind == DslValueKind.Number)
            {
                return new InputSpec(value.Sizes.ToEquatableArray(), null, value.Location);
            }

            if (value.Kind == DslValueKind.Name)
            {
                return new InputSpec(EquatableArray<int>.Empty, value.Text, value.Location);
            }

            read.Invalid(Input, value, "a shape such as 28x28x1 or the name of another network");
            return new InputSpec(EquatableArray<int>.Empty, null, value.Location, IsIncomplete: true);
        }

        var location = arguments[0].Location;
        foreach (var argument in arguments)
        {
            if (argument.NameText == Input)
            {
                location = argument.Value?.Location ?? argument.Location;
            }
        }

        return new InputSpec(EquatableArray<int>.Empty, null, location, IsIncomplete: true);
    }
}
