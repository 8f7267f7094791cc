using CnnGen;
using CnnGen.Training;
using ScottPlot;

namespace Signal1D;

/// <summary>The pictures: one example signal per class, and the filters the first layer learned.</summary>
public static class Plots
{
    /// <summary>The first sample of each class, its channels one above the other (offset so they do not overlap).</summary>
    public static void SaveExamples(Dataset data, string path)
    {
        var plots = new List<Plot>();
        for (var label = 0; label < SyntheticSignals.Classes.Length; label++)
        {
            var sample = FirstOfClass(data, label);
            var plot = new Plot();
            plot.Title(SyntheticSignals.Classes[label]);
            for (var c = 0; c < SyntheticSignals.Channels; c++)
            {
                var values = new double[SyntheticSignals.Steps];
                for (var t = 0; t < values.Length; t++)
                {
                    values[t] = sample[t * SyntheticSignals.Channels + c] - 3 * c;
                }

                var line = plot.Add.Signal(values);
                line.LegendText = $"channel {c + 1}";
            }

            plot.XLabel("time step");
            plot.Axes.Left.TickLabelStyle.IsVisible = false;
            plot.ShowLegend(Alignment.UpperRight);
            plots.Add(plot);
        }

        Save(plots, new ScottPlot.MultiplotLayouts.Rows(), path, 1000, 1000);
    }

    /// <summary>
    /// Each filter of a causal Conv1D: its weight for each input channel against how many steps
    /// back it looks (0 is the present step).
    /// </summary>
    public static void SaveFilters(LayerParameters layer, int dilation, string path)
    {
        var shape = layer.KernelShape;
        int taps = shape[0], channels = shape[1], filters = shape[2];
        var kernel = layer.Kernel.ToArray();
        var plots = new List<Plot>();
        for (var f = 0; f < filters; f++)
        {
            var plot = new Plot();
            plot.Title($"{layer.Name}, filter {f + 1}", size: 12);
            var stepsBack = Enumerable.Range(0, taps).Select(k => -(double)(taps - 1 - k) * dilation).ToArray();
            for (var c = 0; c < channels; c++)
            {
                // Keras layout (taps, input channels, filters).
                var weights = Enumerable.Range(0, taps).Select(k => (double)kernel[(k * channels + c) * filters + f]).ToArray();
                var line = plot.Add.Scatter(stepsBack, weights);
                line.LegendText = $"channel {c + 1}";
            }

            plot.Add.HorizontalLine(0, color: Colors.Gray);
            plot.XLabel("steps back (0 = now)", size: 11);
            plot.HideLegend();
            plots.Add(plot);
        }

        plots[0].ShowLegend(Alignment.UpperLeft);
        var columns = 4;
        Save(plots, new ScottPlot.MultiplotLayouts.Grid((filters + columns - 1) / columns, columns), path, 1400, 1000);
    }

    private static ReadOnlySpan<float> FirstOfClass(Dataset data, int label)
    {
        for (var n = 0; n < data.Count; n++)
        {
            if (data.Target(n)[label] == 1f)
            {
                return data.Input(n);
            }
        }

        throw new ArgumentException($"No sample of class {SyntheticSignals.Classes[label]}.", nameof(data));
    }

    private static void Save(List<Plot> plots, IMultiplotLayout layout, string path, int width, int height)
    {
        var multiplot = new Multiplot(plots[0]);
        foreach (var plot in plots.Skip(1))
        {
            multiplot.AddPlot(plot);
        }

        multiplot.Layout = layout;
        multiplot.SavePng(path, width, height);
    }
}
