// A network declared in a .cnn file (SignalNet.cnn) learns which waveform hides in one of three
// noisy channels. The generator compiles the .cnn file into the partial class SignalNet, checked
// and specialised exactly as an attribute declaration would be.
//
//   dotnet run --project examples/Signal1D
//   dotnet run --project examples/Signal1D -- --epochs 20 --output pictures
using System.CommandLine;
using CnnGen.Training;
using Signal1D;

var epochs = new Option<int>("--epochs") { Description = "Passes over the training signals.", DefaultValueFactory = _ => 10 };
epochs.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() < 1)
    {
        result.AddError("--epochs must be at least 1.");
    }
});
var seed = new Option<int>("--seed") { Description = "Seeds the initial weights and the training order.", DefaultValueFactory = _ => 1 };
var output = new Option<DirectoryInfo>("--output", "-o")
{
    Description = "Where to write the pictures.",
    DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("out", "signal1d")),
};
var quick = new Option<bool>("--quick") { Description = "One short epoch on a few signals (a smoke test; the accuracy will be low)." };
var command = new RootCommand("Trains a 1-D CNN declared in a .cnn file to classify synthetic multi-channel signals.")
{
    epochs, seed, output, quick,
};
command.SetAction(parsed => Run(parsed.GetValue(epochs), parsed.GetValue(seed), parsed.GetValue(output)!, parsed.GetValue(quick)));
return command.Parse(args).Invoke();

static int Run(int epochs, int seed, DirectoryInfo output, bool quick)
{
    // Training and test signals come from different seeds: the test signals are new to the network.
    var train = SyntheticSignals.Generate(2000, seed: 1);
    var test = SyntheticSignals.Generate(600, seed: 2);
    if (quick)
    {
        (epochs, train) = (1, train.Slice(0, 200));
    }

    var network = new SignalNet(seed);
    Console.WriteLine(SignalNet.Summary);
    Console.WriteLine();
    Console.WriteLine($"{train.Count:N0} signals to train on, {test.Count:N0} to test; classes: {string.Join(", ", SyntheticSignals.Classes)}.");

    var loss = new SoftmaxCrossEntropy();
    network.Fit(train, loss, new Adam(0.003f), new FitOptions { Epochs = epochs, BatchSize = 32, Seed = seed },
        new EpochPrinter());

    var evaluation = network.Evaluate(test, loss);
    Console.WriteLine();
    Console.WriteLine($"Test accuracy: {evaluation.Accuracy * 100:F2}% ({Math.Round(evaluation.Accuracy * test.Count)} of {test.Count} signals)");
    var predicted = network.PredictClasses(test.Inputs, test.Count);
    for (var label = 0; label < SyntheticSignals.Classes.Length; label++)
    {
        int total = 0, right = 0;
        for (var n = 0; n < test.Count; n++)
        {
            if (test.Target(n)[label] == 1f)
            {
                total++;
                right += predicted[n] == label ? 1 : 0;
            }
        }

        Console.WriteLine($"  {SyntheticSignals.Classes[label],-9} {right,3} of {total} right");
    }

    output.Create();
    var examples = Path.Combine(output.FullName, "signals.png");
    var filters = Path.Combine(output.FullName, "first-layer-filters.png");
    Plots.SaveExamples(test, examples);
    Plots.SaveFilters(network.Conv1d1, dilation: 1, filters);
    Console.WriteLine($"Wrote {examples}");
    Console.WriteLine($"Wrote {filters}");
    return 0;
}

/// <summary>One line per epoch, printed as it ends.</summary>
internal sealed class EpochPrinter : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value)
    {
        if (value.IsEpochEnd)
        {
            Console.WriteLine($"epoch {value.Epoch,2}/{value.Epochs}  loss {value.Loss:F4}  accuracy {value.Accuracy * 100,5:F1}%  {value.Elapsed.TotalSeconds:F1} s");
        }
    }
}
