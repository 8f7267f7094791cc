using CnnGen;
using CnnGen.Training;
using ScottPlot;
using SkiaSharp;

namespace Digits;

/// <summary>The pictures the example writes: the training curves and the learned kernels.</summary>
public static class Pictures
{
    /// <summary>Loss and accuracy per epoch, training and validation, side by side; the test accuracy as a dashed line.</summary>
    public static void SaveCurves(TrainingHistory history, double testAccuracy, string path)
    {
        var epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();

        var loss = new Plot();
        loss.Title("Loss (softmax cross-entropy)");
        loss.XLabel("epoch");
        AddLine(loss, epochs, history.Epochs.Select(e => e.Loss), "training");
        AddLine(loss, epochs, history.Epochs.Select(e => e.ValidationLoss), "validation");
        loss.ShowLegend(Alignment.UpperRight);

        var accuracy = new Plot();
        accuracy.Title("Accuracy");
        accuracy.XLabel("epoch");
        AddLine(accuracy, epochs, history.Epochs.Select(e => e.Accuracy * 100), "training");
        AddLine(accuracy, epochs, history.Epochs.Select(e => e.ValidationAccuracy * 100), "validation");
        var test = accuracy.Add.HorizontalLine(testAccuracy * 100);
        test.LinePattern = LinePattern.Dashed;
        test.LegendText = $"test, after training ({testAccuracy * 100:F1}%)";
        accuracy.Axes.Left.Label.Text = "%";
        accuracy.ShowLegend(Alignment.LowerRight);

        var both = new Multiplot(loss);
        both.AddPlot(accuracy);
        both.Layout = new ScottPlot.MultiplotLayouts.Columns();
        both.SavePng(path, 1200, 450);
    }

    private static void AddLine(Plot plot, double[] epochs, IEnumerable<double> values, string label)
    {
        var ys = values.ToArray();
        if (ys.All(double.IsNaN))
        {
            return;
        }

        var line = plot.Add.Scatter(epochs, ys);
        line.LegendText = label;
    }

    /// <summary>
    /// The kernels of a convolution with one input channel, one small square per filter and
    /// one cell per weight: red for positive weights, blue for negative, white for zero, all on
    /// one scale so that the filters can be compared.
    /// </summary>
    public static void SaveKernels(LayerParameters layer, string path)
    {
        var shape = layer.KernelShape;
        int kh = shape[0], kw = shape[1], channels = shape[2], filters = shape[3];
        if (channels != 1)
        {
            throw new ArgumentException($"Layer '{layer.Name}' has {channels} input channels; only kernels of one channel are drawn.", nameof(layer));
        }

        const int cell = 24, gap = 14, header = 40, label = 20, columns = 8;
        var kernel = layer.Kernel;
        var scale = 0f;
        foreach (var weight in kernel)
        {
            scale = Math.Max(scale, Math.Abs(weight));
        }

        var rows = (filters + columns - 1) / columns;
        var width = gap + columns * (kw * cell + gap);
        var height = header + rows * (label + kh * cell + gap);
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 16);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawText($"{layer.Name}: the {filters} learned {kh}x{kw} kernels (red > 0 > blue, largest |w| = {scale:F2})",
            gap, 26, SKTextAlign.Left, font, ink);

        using var fill = new SKPaint();
        for (var f = 0; f < filters; f++)
        {
            var left = gap + f % columns * (kw * cell + gap);
            var top = header + f / columns * (label + kh * cell + gap);
            canvas.DrawText($"filter {f + 1}", left, top + label - 5, SKTextAlign.Left, font, ink);
            for (var i = 0; i < kh; i++)
            {
                for (var j = 0; j < kw; j++)
                {
                    // Keras layout (kh, kw, channels, filters), one channel.
                    fill.Color = Diverging(kernel[(i * kw + j) * filters + f] / scale);
                    canvas.DrawRect(left + j * cell, top + label + i * cell, cell, cell, fill);
                }
            }
        }

        using var png = surface.Snapshot().Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
    }

    /// <summary>-1 blue, 0 white, +1 red.</summary>
    private static SKColor Diverging(float value)
    {
        var v = Math.Clamp(value, -1f, 1f);
        var fade = (byte)Math.Round(255 * (1 - Math.Abs(v)));
        return v >= 0 ? new SKColor(255, fade, fade) : new SKColor(fade, fade, 255);
    }
}
