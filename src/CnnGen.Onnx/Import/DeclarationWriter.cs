using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace CnnGen.Onnx;

/// <summary>
/// Writes an imported network as a person would declare it: a .cnn file (docs/dsl.md) or a C#
/// [Network] class with layer attributes. Both declare the same network, so they generate the same code.
/// </summary>
internal static class DeclarationWriter
{
    public static string Cnn(ImportedNetwork network)
    {
        var text = new StringBuilder();
        Header(text, network);
        if (network.Namespace is { } ns)
        {
            text.Append("namespace ").Append(ns).Append(";\n\n");
        }

        var options = new List<string> { "input: " + string.Join("x", network.InputShape) };
        if (network.DataFormat == DataFormat.ChannelsFirst)
        {
            options.Add("format: channels_first");
        }

        text.Append("network ").Append(network.Name).Append('(').Append(string.Join(", ", options)).Append(") {\n");
        foreach (var (layer, declaration) in network.Layers.Zip(network.Declarations))
        {
            var arguments = declaration.Select((option, i) => (i == 0 && option.Positional) || option.Name.Length == 0
                ? CnnValue(option.Value)
                : option.Name + ": " + CnnValue(option.Value));
            text.Append("    ").Append(LayerSyntax.DslName(layer.Kind)).Append('(').Append(string.Join(", ", arguments)).Append(")\n");
        }

        text.Append("}\n");
        return text.ToString();
    }

    public static string CSharp(ImportedNetwork network)
    {
        var text = new StringBuilder();
        Header(text, network);
        text.Append("using CnnGen;\n\n");
        if (network.Namespace is { } ns)
        {
            text.Append("namespace ").Append(ns).Append(";\n\n");
        }

        text.Append(network.DataFormat == DataFormat.ChannelsFirst ? "[Network(DataFormat = DataFormat.ChannelsFirst)]\n" : "[Network]\n");
        text.Append("[Input(").Append(string.Join(", ", network.InputShape)).Append(")]\n");
        foreach (var (layer, declaration) in network.Layers.Zip(network.Declarations))
        {
            var arguments = declaration.Select(option => option.Positional
                ? CSharpValue(option.Value, positional: true)
                : Pascal(option.Name) + " = " + CSharpValue(option.Value, positional: false)).ToList();
            text.Append('[').Append(LayerSyntax.AttributeName(layer.Kind));
            if (arguments.Count > 0)
            {
                text.Append('(').Append(string.Join(", ", arguments)).Append(')');
            }

            text.Append("]\n");
        }

        text.Append("public partial class ").Append(network.Name).Append(";\n");
        return text.ToString();
    }

    private static void Header(StringBuilder text, ImportedNetwork network)
    {
        text.Append("// Imported from ").Append(network.SourceFile).Append(" (").Append(network.Provenance).Append(") by cnngen import; the weights are in ")
            .Append(network.WeightsFileName).Append(".\n");
        if (network.DataFormat == DataFormat.ChannelsFirst)
        {
            text.Append("// Channels first, as in ONNX: the input is N x ").Append(string.Join(" x ", network.InputShape)).Append(", the array ONNX Runtime takes.\n");
        }

        text.Append('\n');
    }

    private static string CnnValue(object value) => value switch
    {
        int number => Number(number),
        float real => Number(real),
        int[] sizes => string.Join("x", sizes.Select(Number)),
        bool flag => flag ? "true" : "false",
        EnumMember member => Snake(member.Member),
        LayerName name => name.Text,
        _ => throw new System.ArgumentException("An option value of type " + value.GetType().Name + "."),
    };

    private static string CSharpValue(object value, bool positional) => value switch
    {
        int number => Number(number),
        float real => Number(real) + "f",
        // A positional pair is two constructor arguments (kernelHeight, kernelWidth); a named one an array.
        int[] sizes => positional ? string.Join(", ", sizes.Select(Number)) : "new[] { " + string.Join(", ", sizes.Select(Number)) + " }",
        bool flag => flag ? "true" : "false",
        EnumMember member => member.Type + "." + member.Member,
        LayerName name => "\"" + name.Text + "\"",
        _ => throw new System.ArgumentException("An option value of type " + value.GetType().Name + "."),
    };

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The shortest text that reads back as the same float, in decimals (0.00001, not 1E-05: the .cnn grammar has no exponents).</summary>
    private static string Number(float value) =>
        double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).ToString("0.0##################", CultureInfo.InvariantCulture);

    /// <summary>use_bias -> UseBias.</summary>
    private static string Pascal(string snake) =>
        string.Concat(snake.Split('_').Select(part => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>LeakyRelu -> leaky_relu, ChannelsFirst -> channels_first.</summary>
    private static string Snake(string pascal)
    {
        var text = new StringBuilder();
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]) && char.IsLower(pascal[i - 1]))
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(pascal[i]));
        }

        return text.ToString();
    }
}
