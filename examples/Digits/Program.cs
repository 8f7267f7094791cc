// The main example: a CNN declared with attributes (DigitNet.cs) learns to read 8x8
// handwritten digits by gradient descent, then shows what it learned.
//
//   dotnet run --project examples/Digits
//   dotnet run --project examples/Digits -- --epochs 30 --learning-rate 0.002 --output pictures
using System.CommandLine;
using CnnGen;
using CnnGen.Examples.Data;
using CnnGen.Training;
using Digits;
using Spectre.Console;

var epochs = Positive(new Option<int>("--epochs") { Description = "Passes over the training digits.", DefaultValueFactory = _ => 15 });
var batchSize = Positive(new Option<int>("--batch-size") { Description = "Digits per gradient step.", DefaultValueFactory = _ => 32 });
var learningRate = new Option<float>("--learning-rate") { Description = "Adam's step size.", DefaultValueFactory = _ => 0.005f };
learningRate.Validators.Add(result =>
{
    if (!(result.GetValueOrDefault<float>() > 0))
    {
        result.AddError("--learning-rate must be above 0.");
    }
});
var seed = new Option<int>("--seed") { Description = "Seeds the initial weights and the order of the digits: the same seed trains the same network.", DefaultValueFactory = _ => 1 };
var output = new Option<DirectoryInfo>("--output", "-o")
{
    Description = "Where to write the pictures and the weights file.",
    DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("out", "digits")),
};
var quick = new Option<bool>("--quick") { Description = "One short epoch on a few hundred digits (a smoke test; the accuracy will be low)." };
var command = new RootCommand("Trains a CNN on the bundled handwritten digits and shows what it learned.")
{
    epochs, batchSize, learningRate, seed, output, quick,
};
command.SetAction(parsed => Run(parsed.GetValue(epochs), parsed.GetValue(batchSize), parsed.GetValue(learningRate), parsed.GetValue(seed),
    parsed.GetValue(output)!, parsed.GetValue(quick)));
return command.Parse(args).Invoke();

static int Run(int epochs, int batchSize, float learningRate, int seed, DirectoryInfo output, bool quick)
{
    // 1,797 digits, shuffled once with a fixed seed and split 80/20: the test digits are never trained on.
    var (train, test) = DigitsData.LoadSplit(DigitsData.FindFile());
    if (quick)
    {
        (epochs, train) = (1, train.Slice(0, 256));
    }

    // The last 10% of the training digits are held out to show, epoch by epoch, how the
    // network does on digits it has not trained on.
    var (fitting, validation) = train.Split(0.1);

    var network = new DigitNet(seed);
    Console.WriteLine(DigitNet.Summary);
    Console.WriteLine();
    Console.WriteLine($"{fitting.Count:N0} digits to train on, {validation.Count:N0} to validate, {test.Count:N0} to test.");
    Console.WriteLine($"{epochs} epochs, batches of {batchSize}, Adam with learning rate {learningRate}, seed {seed}.");

    // Softmax cross-entropy is the loss for one-of-ten answers.
    var loss = new SoftmaxCrossEntropy();
    var history = TrainingDisplay.Show(progress => network.Fit(fitting, loss, new Adam(learningRate),
        new FitOptions { Epochs = epochs, BatchSize = batchSize, Seed = seed, ValidationData = validation }, progress));

    var evaluation = network.Evaluate(test, loss);
    Console.WriteLine();
    AnsiConsole.MarkupLine($"[bold]Test accuracy: {evaluation.Accuracy * 100:F2}%[/] ({Math.Round(evaluation.Accuracy * test.Count)} of {test.Count} digits), test loss {evaluation.Loss:F4}");

    var predicted = network.PredictClasses(test.Inputs, test.Count);
    var actual = Enumerable.Range(0, test.Count).Select(i => Metrics.ArgMax(test.Target(i))).ToArray();
    new ConfusionMatrix(actual, predicted, DigitsData.Classes).Write();

    output.Create();
    var curves = Path.Combine(output.FullName, "training-curves.png");
    var kernels = Path.Combine(output.FullName, "first-layer-kernels.png");
    Pictures.SaveCurves(history, evaluation.Accuracy, curves);
    Pictures.SaveKernels(network.Conv2d1, kernels);
    Console.WriteLine($"Wrote {curves}");
    Console.WriteLine($"Wrote {kernels}");

    // The trained weights in a file, and a fresh network that loads them: a deployed program
    // would do only this part. The file is checked (architecture, checksum) before it is read.
    var weights = Path.Combine(output.FullName, "digits.cnnw");
    network.SaveWeights(weights);
    var reloaded = new DigitNet();
    reloaded.LoadWeights(weights);
    var again = reloaded.PredictClasses(test.Inputs, test.Count);
    var same = predicted.Zip(again).Count(pair => pair.First == pair.Second);
    var identical = Outputs(network, test).AsSpan().SequenceEqual(Outputs(reloaded, test));
    Console.WriteLine($"Wrote {weights} ({new FileInfo(weights).Length:N0} bytes).");
    Console.WriteLine($"Reloaded into a new DigitNet: {same} of {test.Count} test predictions the same, outputs {(identical ? "identical bit for bit" : "DIFFERENT")}.");
    return same == test.Count && identical ? 0 : 1;
}

static float[] Outputs(DigitNet network, Dataset data)
{
    var outputs = new float[data.Count * DigitNet.OutputSize];
    network.Forward(data.Inputs, outputs, data.Count);
    return outputs;
}

static Option<int> Positive(Option<int> option)
{
    option.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<int>() < 1)
        {
            result.AddError($"{option.Name} must be at least 1.");
        }
    });
    return option;
}
