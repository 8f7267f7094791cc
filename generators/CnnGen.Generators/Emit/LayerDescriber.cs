using System.Collections.Generic;
using System.Globalization;
using System.Text;
using CnnGen.Generators.Layers;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit;

/// <summary>
/// Words for layers and networks: the one description routine behind the summary table, the
/// comments above emitted code and the XML docs.
/// </summary>
internal static class LayerDescriber
{
    /// <summary>"conv2d_1: 8x8x1 -> 8x8x8, kernel 3x3, stride 1, same (pad top 1, bottom 1, left 1, right 1), relu".</summary>
    public static string Describe(LayerModel layer, DataFormat format)
    {
        var text = new StringBuilder();
        text.Append(layer.Name).Append(": ").Append(layer.Input.Display(format)).Append(" -> ").Append(layer.Output.Display(format));
        var options = Options(layer);
        if (options.Length > 0)
        {
            text.Append(", ").Append(options);
        }

        return text.ToString();
    }

    /// <summary>The options of a layer in words: "kernel 3x3, stride 2, same (pad ...), relu".</summary>
    public static string Options(LayerModel layer)
    {
        var parts = new List<string>();
        LayerFamilies.Of(layer).Describe(layer, parts);
        if (layer.HasParameters && !layer.UseBias)
        {
            parts.Add("no bias");
        }

        if (layer.FoldsNormalization)
        {
            // The inference variant of a layer a batch normalisation folds into (InferenceFold).
            parts.Add("batch norm folded in (sum * scale + shift per channel)");
        }

        if (layer.Activation != ActivationKind.Linear)
        {
            // An inference variant applies hard swish, gelu or silu in its stores; training runs them as passes.
            parts.Add(LayerVocabulary.SnakeName(layer.Activation) +
                (layer.FusesInInference && !Plans.ActivationPlan.IsFused(layer.Activation) ? " in the stores (inference)" : string.Empty));
        }

        return string.Join(", ", parts);
    }

    /// <summary>The Keras layout of a layer's kernel: (kh, kw, cin, filters), (k, cin, filters) or (in, units).</summary>
    public static int[] KernelShape(LayerModel layer) => LayerFamilies.Of(layer).KernelShape(layer);

    /// <summary>
    /// The Keras-style summary table: one row per layer with its output shape, parameters and
    /// multiply-adds, then the totals. When the network is not a chain, a last column says
    /// what each layer reads (Keras's "Connected to").
    /// </summary>
    public static string SummaryTable(NetworkModel network)
    {
        var graph = !network.IsChain;
        var rows = new List<string[]>
        {
            new[] { "Layer (type)", "Output shape", "Param #", "Mult-adds", "Connected to" },
            new[] { "input (" + (network.InputNetwork is null ? "Input" : "from " + network.InputNetwork) + ")", network.Input.Display(network.Format), "0", "0", string.Empty },
        };
        for (var i = 0; i < network.Layers.Count; i++)
        {
            var layer = network.Layers[i];
            rows.Add(new[]
            {
                layer.Name + " (" + LayerVocabulary.DisplayName(layer.Kind) + ")",
                layer.Output.Display(network.Format),
                Number(layer.ParameterCount),
                Number(layer.MultiplyAdds),
                graph ? ConnectedTo(network, i) : string.Empty,
            });
        }

        var columns = graph ? 5 : 4;
        var widths = new int[columns];
        foreach (var row in rows)
        {
            for (var i = 0; i < columns; i++)
            {
                widths[i] = System.Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        text.Append("Network: ").Append(network.ClassName).Append(" (").Append(LayerVocabulary.SnakeName(network.Format)).Append(")\n");
        var total = widths[0] + widths[1] + widths[2] + widths[3] + 6 + (graph ? widths[4] + 2 : 0);
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var line = new StringBuilder();
            line.Append(row[0].PadRight(widths[0])).Append("  ").Append(row[1].PadRight(widths[1])).Append("  ")
                .Append(row[2].PadLeft(widths[2])).Append("  ").Append(row[3].PadLeft(widths[3]));
            if (graph)
            {
                line.Append("  ").Append(row[4]);
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
            if (r == 0)
            {
                text.Append('=', total).Append('\n');
            }
        }

        text.Append('=', total).Append('\n');
        text.Append("Total params: ").Append(Number(network.ParameterCount)).Append('\n');
        text.Append("Total mult-adds per sample: ").Append(Number(network.MultiplyAdds)).Append('\n');
        text.Append("Input: ").Append(network.Input.Display(network.Format)).Append(" (").Append(Floats(network.Input.Size))
            .Append("); output: ").Append(network.Output.Display(network.Format)).Append(" (").Append(Floats(network.Output.Size)).Append(')');
        return text.ToString();
    }

    /// <summary>"conv2d_2, input": the outputs layer <paramref name="index"/> reads, as the summary's "Connected to" column names them.</summary>
    public static string ConnectedTo(NetworkModel network, int index)
    {
        var names = new List<string>();
        foreach (var input in network.Layers[index].Inputs)
        {
            names.Add(network.NameOf(input));
        }

        return string.Join(", ", names);
    }

    private static string Floats(int count) => Number(count) + (count == 1 ? " float" : " floats");

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"(height, width, channels)" for the shape in the network's data format.</summary>
    public static string AxisNames(TensorShape shape, DataFormat format) => shape.SpatialRank switch
    {
        0 => "(units)",
        1 => format == DataFormat.ChannelsLast ? "(length, channels)" : "(channels, length)",
        _ => format == DataFormat.ChannelsLast ? "(height, width, channels)" : "(channels, height, width)",
    };
}
