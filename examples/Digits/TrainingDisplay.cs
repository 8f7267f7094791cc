using CnnGen.Training;
using Spectre.Console;

namespace Digits;

/// <summary>
/// Shows training as it happens: on a terminal, a live progress bar per epoch with its loss
/// and accuracy; when the output goes to a file or a pipe, one plain line per epoch instead
/// (a redrawn bar would only fill the log with control codes).
/// </summary>
public static class TrainingDisplay
{
    public static bool IsLive =>
        AnsiConsole.Profile.Capabilities.Interactive && AnsiConsole.Profile.Capabilities.Ansi && !Console.IsOutputRedirected;

    /// <summary>Runs <paramref name="fit"/>, handing it the progress sink that draws the display.</summary>
    public static TrainingHistory Show(Func<IProgress<TrainingProgress>, TrainingHistory> fit)
    {
        if (!IsLive)
        {
            return fit(new Reporter(report =>
            {
                if (report.IsEpochEnd)
                {
                    Console.WriteLine(Describe(report));
                }
            }));
        }

        TrainingHistory? history = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new ProgressBarColumn(), new PercentageColumn(), new TaskDescriptionColumn { Alignment = Justify.Left })
            .Start(context =>
            {
                ProgressTask? bar = null;
                history = fit(new Reporter(report =>
                {
                    if (bar is null || report.Batch == 1)
                    {
                        bar = context.AddTask(Describe(report), maxValue: report.Batches);
                    }

                    bar.Value = report.Batch;
                    bar.Description = Markup.Escape(Describe(report));
                }));
            });
        return history!;
    }

    private static string Describe(TrainingProgress report)
    {
        var line = $"epoch {report.Epoch.ToString().PadLeft(report.Epochs.ToString().Length)}/{report.Epochs}  loss {report.Loss:F4}  accuracy {report.Accuracy * 100,5:F1}%";
        if (report.IsEpochEnd && !double.IsNaN(report.ValidationAccuracy))
        {
            line += $"  validation {report.ValidationAccuracy * 100,5:F1}%";
        }

        return report.IsEpochEnd ? line + $"  {report.Elapsed.TotalSeconds:F1} s" : line;
    }

    /// <summary>Reports on the training thread, as they happen (Progress&lt;T&gt; would post them to another thread, late).</summary>
    private sealed class Reporter(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
