using System.Text;

namespace CnnGen.Generators.Tests.Robustness;

/// <summary>
/// Writes C# files full of random network declarations: random layer kinds and orders, sizes
/// from a pool of edge values (negative, zero, huge, int.MaxValue), missing and extra
/// arguments, wrong types, invalid enum casts, null and empty arrays, wrong array lengths,
/// chains with cycles and unknown networks, From and merges of random names (unknown ones,
/// later layers and the layer itself: cycles attempted), repeated and case-colliding class names, and
/// declarations that are not partial classes. Deterministic for a seed.
/// </summary>
internal sealed class RandomDeclarations(int seed)
{
    private static readonly string[] Sizes =
    {
        "-5", "-1", "0", "1", "1", "2", "2", "3", "3", "4", "5", "7", "8", "8", "16", "28", "100", "1000", "65536", "1 << 20",
        "int.MaxValue", "int.MinValue",
    };

    private static readonly string[] SmallSizes = { "1", "2", "2", "3", "3", "4", "5", "8" };

    private static readonly string[] Paddings = { "Padding.Valid", "Padding.Same", "Padding.Causal", "(Padding)7", "(Padding)(-1)" };

    private static readonly string[] Activations =
    {
        "Activation.Linear", "Activation.Relu", "Activation.Softmax", "Activation.Silu", "Activation.LeakyRelu", "Activation.Relu6", "Activation.HardSigmoid", "Activation.HardSwish", "Activation.Gelu", "(Activation)42", "(Activation)(-3)",
    };

    private static readonly string[] Names =
    {
        "\"a\"", "\"a\"", "\"conv2d_1\"", "\"dense_2\"", "\"2nd\"", "\"\"", "\"summary\"", "\"Parameters\"", "\"my layer\"", "\"x_y\"", "\"xY\"", "null",
        "\"" + new string('n', 200) + "\"",
    };

    /// <summary>Names layers may read: defaults, 'input', misspellings, empty, and names that may come later or be the layer itself.</summary>
    private static readonly string[] References =
    {
        "\"input\"", "\"input\"", "\"conv2d_1\"", "\"conv2d_2\"", "\"dense_1\"", "\"flatten_1\"", "\"add_1\"", "\"a\"", "\"layer_0\"",
        "\"conv2d_l\"", "\"Input\"", "\"\"", "null", "\"max_pool2d_1\"", "\"multiply_1\"", "\"g\"",
    };

    private readonly Random _random = new(seed);

    /// <summary>One file with <paramref name="count"/> networks whose names may refer to each other.</summary>
    public string File(int count, int batch)
    {
        var names = Enumerable.Range(0, count).Select(i => Pick(0.9) ? $"Net{batch}_{i}" : Pick("Net", "net", "NET", $"Net{batch}_0")).ToList();
        var text = new StringBuilder("using CnnGen;\n\nnamespace Fuzz" + batch + ";\n\n");
        for (var i = 0; i < count; i++)
        {
            Network(text, names[i], names, i);
        }

        return text.ToString();
    }

    /// <summary>
    /// A file of plausible networks (valid enums, small sizes, partial classes, chains without
    /// cycles): many are accepted, so their generated code gets compiled, and some still have
    /// shape errors (windows that do not fit, layers of the wrong rank).
    /// </summary>
    public string TameFile(int count, int batch)
    {
        var text = new StringBuilder("using CnnGen;\n\nnamespace Tame" + batch + ";\n\n");
        for (var i = 0; i < count; i++)
        {
            var channelsFirst = Pick(0.3);
            text.Append(channelsFirst ? "[Network(DataFormat = DataFormat.ChannelsFirst)]\n" : "[Network]\n");
            var rank = _random.Next(3);
            if (i > 0 && Pick(0.2))
            {
                text.Append("[Input(typeof(Tame").Append(i - 1).Append("))]\n");
                rank = -1;
            }
            else
            {
                int size = _random.Next(4, 33), channels = _random.Next(1, 5);
                text.Append("[Input(").Append(rank switch
                {
                    0 => size.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    1 => channelsFirst ? $"{channels}, {size * 2}" : $"{size * 2}, {channels}",
                    _ => channelsFirst ? $"{channels}, {size}, {_random.Next(4, 33)}" : $"{size}, {_random.Next(4, 33)}, {channels}",
                }).Append(")]\n");
            }

            var layers = _random.Next(0, 6);
            for (var l = 0; l < layers; l++)
            {
                // Graphs: From an earlier layer or the input, and merges of earlier layers (all named layer_k
                // in graph networks); shapes that do not fit are errors, the others compile.
                var graph = Pick(0.3);
                if (graph && l >= 1 && rank >= 0 && Pick(0.5))
                {
                    // A branch that keeps the shape, merged with the layer before it: valid whatever that shape is.
                    text.Append("[Activation(").Append(Pick(Activations[..5])).Append(", Name = \"layer_").Append(l).Append("\")]\n");
                    text.Append('[').Append(Pick("Add", "Multiply", "Concatenate")).Append("(\"layer_").Append(l).Append("\", \"layer_").Append(l - 1)
                        .Append("\"").Append(Pick(0.3) ? ", \"layer_" + (l - 1) + "\"" : string.Empty).Append(", Name = \"merged_").Append(l).Append("\")]\n");
                    text.Append("[Activation(Activation.Linear, Name = \"layer_").Append(l).Append("_out\")]\n");
                    continue;
                }

                if (graph && l >= 2 && Pick(0.4))
                {
                    text.Append('[').Append(Pick("Add", "Multiply", "Concatenate", "Add")).Append("(\"layer_").Append(_random.Next(l)).Append("\", \"")
                        .Append(Pick(0.3) ? "input" : "layer_" + _random.Next(l)).Append(Pick(0.2) ? "\", \"layer_" + (l - 1) : string.Empty)
                        .Append("\", Name = \"layer_").Append(l).Append("\")]\n");
                    continue;
                }

                var name = $", Name = \"layer_{l}\"" + (graph && Pick(0.5) ? ", From = " + (l > 0 && Pick(0.7) ? $"\"layer_{_random.Next(l)}\"" : "\"input\"") : string.Empty);
                text.Append('[').Append((rank, _random.Next(4)) switch
                {
                    (2, 0) or (-1, 0) => $"Conv2D({Small()}, {Pick("1", "2", "3", "5")}, Padding = {Pick("Padding.Same", "Padding.Valid")}, Activation = {Pick(Activations[..5])}{name})",
                    (2, 1) => $"Conv2D({Small()}, {Pick("1", "3")}, {Pick("1", "2", "3")}, Strides = new[] {{ {Pick("1", "2")}, {Pick("1", "2")} }}, Padding = Padding.Same, UseBias = {Pick("true", "false")}{name})",
                    (2, 2) => $"{Pick("MaxPool2D", "AvgPool2D")}({Pick("2", "3")}{Pick(string.Empty, ", Padding = Padding.Same", ", Strides = new[] { 1, 2 }")}{name})",
                    (1, 0) or (1, 1) => $"Conv1D({Small()}, {Pick("1", "3", "5")}, Padding = {Pick("Padding.Same", "Padding.Valid", "Padding.Causal")}, Dilation = {Pick("1", "2")}, Stride = {Pick("1", "2")}{name})",
                    (1, 2) => $"{Pick("MaxPool1D", "AvgPool1D")}({Pick("2", "3")}{Pick(string.Empty, ", Stride = 1", ", Padding = Padding.Same")}{name})",
                    (0, _) => $"Dense({Small()}, Activation = {Pick(Activations[..5])}{name})",
                    _ => Pick("Flatten", "GlobalAvgPool", "GlobalMaxPool", "Activation(Activation.Tanh)"),
                }).Append("]\n");
                if (text.ToString().EndsWith("Flatten]\n", StringComparison.Ordinal) || text.ToString().EndsWith("Pool]\n", StringComparison.Ordinal))
                {
                    rank = 0;
                }
            }

            text.Append("public partial class Tame").Append(i).Append(";\n\n");
        }

        return text.ToString();
    }

    private void Network(StringBuilder text, string name, List<string> names, int index)
    {
        var nested = Pick(0.1);
        if (nested)
        {
            text.Append(Pick(0.8) ? "public partial class " : "public class ").Append("Outer").Append(index).Append("\n{\n");
        }

        text.Append(Pick(0.9) ? "[Network]\n" : Pick($"[Network(DataFormat = DataFormat.ChannelsFirst)]\n", $"[Network(DataFormat = (DataFormat){_random.Next(-2, 5)})]\n"));

        var inputs = Pick(0.85) ? 1 : _random.Next(0, 3);
        for (var i = 0; i < inputs; i++)
        {
            text.Append("[Input(").Append(Input(names)).Append(")]\n");
        }

        var layers = _random.Next(0, 9);
        for (var i = 0; i < layers; i++)
        {
            text.Append('[').Append(Layer()).Append("]\n");
        }

        if (Pick(0.15))
        {
            text.Append("[Output(").Append(string.Join(", ", Enumerable.Range(0, _random.Next(0, 4)).Select(_ => Size()))).Append(")]\n");
        }

        text.Append(_random.Next(20) switch
        {
            0 => $"public class {name};\n",
            1 => $"public partial class {name}<T>;\n",
            2 => $"public static partial class {name} {{ }}\n",
            3 => $"public partial record {name};\n",
            _ => $"public partial class {name};\n",
        });

        if (nested)
        {
            text.Append("}\n");
        }

        text.Append('\n');
    }

    private string Input(List<string> names) => _random.Next(12) switch
    {
        0 => "typeof(" + Pick(names.ToArray()) + ")",
        1 => "typeof(" + Pick("Missing", "int", "string", "System.Object") + ")",
        2 => string.Empty,
        3 => Pick("null", "(int[])null", "new int[0]", "\"8\"", "8.5"),
        4 => string.Join(", ", Enumerable.Range(0, _random.Next(1, 6)).Select(_ => Size())),
        5 or 6 => Small() + ", " + Small(),
        _ => Pick("8, 8, 1", "28, 28, 1", "16, 16, 3", "32, 2", "10", "3, 12, 12", "64, 4", "5, 5, 2"),
    };

    private string Layer()
    {
        var kind = _random.Next(16);
        switch (kind)
        {
            case 0:
            case 1:
                return "Conv2D(" + Arguments(Pick(0.8) ? new[] { Small(), Window() } : new[] { Size(), Window(), Window() }) +
                       Named("Stride", "Strides", "Dilation", "Dilations", "Padding", "Activation", "UseBias", "Name", "From") + ")";
            case 2:
                return "Conv1D(" + Arguments(new[] { Small(), Window() }) + Named("Stride", "Dilation", "Padding", "Activation", "UseBias", "Name") + ")";
            case 3:
                return Pick("MaxPool2D(", "AvgPool2D(") + Arguments(Pick(0.7) ? new[] { Window() } : new[] { Window(), Window() }) +
                       Named("Stride", "Strides", "Padding", "Name") + ")";
            case 4 when Pick(0.3):
                return Pick("DepthwiseConv2D(", "DepthwiseConv1D(") + Arguments(Pick(0.8) ? new[] { Window() } : new[] { Window(), Window() }) +
                       Named("DepthMultiplier", "Stride", "Strides", "Dilation", "Padding", "Activation", "UseBias", "Name") + ")";
            case 4:
                return Pick("MaxPool1D(", "AvgPool1D(") + Arguments(new[] { Window() }) + Named("Stride", "Padding", "Name") + ")";
            case 5:
                return Pick("GlobalMaxPool", "GlobalAvgPool", "GlobalMaxPool(Name = \"g\")");
            case 6:
            case 7:
                return "Flatten";
            case 8:
            case 9:
                return "Dense(" + Arguments(new[] { Pick(0.7) ? Small() : Size() }) + Named("Activation", "UseBias", "Name") + ")";
            case 10:
                return "Activation(" + Pick(Activations) + ")";
            case 12:
                // Merges of random names (unknown, later, the layer itself: a cycle attempted), and From on them.
                return Pick("Add(", "Multiply(", "Concatenate(") + string.Join(", ", Enumerable.Range(0, _random.Next(0, 4)).Select(_ => Pick(References))) +
                       Named("Activation", "Name", "From") + ")";
            case 13:
                return Pick("Conv2D(4, 3, Padding = Padding.Same", "Dense(3", "Flatten(Name = \"f\"", "MaxPool2D(2", "Conv1D(4, 3") + ", From = " + Pick(References) + ")";
            case 11:
                // Wrong types and shapes of arguments: the C# compiler reports them; the generator must not throw.
                return Pick("Dense(\"10\")", "Conv2D(1.5, 3)", "Conv2D()", "Conv2D(8)", "Conv2D(8, 3, 3, 3)", "Dense(units: 4, Name = 5)",
                    "MaxPool2D(2, Strides = new[] { \"a\" })", "Conv2D(8, 3, Padding = 1)", "Dense(10, Activation = Padding.Same)", "Flatten(1)",
                    "Conv2D(8, 3, Strides = new[] { 1, 2 }, Stride = 2)", "Dense(checked(int.MaxValue + 1))", "Conv1D(4, 3, Strides = new[] { 1 })");
            default:
                return Pick("Conv2D(4, 3, Padding = Padding.Same)", "MaxPool2D(2)", "Conv1D(4, 3, Padding = Padding.Causal)", "Dense(3)");
        }
    }

    private string Named(params string[] options)
    {
        var text = new StringBuilder();
        foreach (var option in options)
        {
            if (!Pick(0.25))
            {
                continue;
            }

            text.Append(", ").Append(option).Append(" = ").Append(option switch
            {
                "Strides" or "Dilations" => Array(),
                "Padding" => Pick(Paddings),
                "Activation" => Pick(Activations),
                "UseBias" => Pick("true", "false"),
                "Name" => Pick(Names),
                "From" => Pick(References),
                _ => Pick(0.6) ? Small() : Size(),
            });
        }

        return text.ToString();
    }

    private string Array() => _random.Next(6) switch
    {
        0 => "null",
        1 => "new int[0]",
        2 => "new[] { " + Size() + " }",
        3 => "new[] { " + Size() + ", " + Size() + ", " + Size() + " }",
        _ => "new[] { " + Small() + ", " + (Pick(0.8) ? Small() : Size()) + " }",
    };

    private static string Arguments(string[] values) => string.Join(", ", values);

    private string Window() => Pick(0.75) ? Pick("1", "2", "3", "3", "5", "7") : Size();

    private string Size() => Pick(Sizes);

    private string Small() => Pick(SmallSizes);

    private bool Pick(double probability) => _random.NextDouble() < probability;

    private T Pick<T>(params T[] items) => items[_random.Next(items.Length)];
}
