// A model trained in PyTorch, imported with one command, compiled into this program. The network
// in DigitsResNet.cnn (a small ResNet with batch norm, for the bundled 8x8 digits) was written by
//
//   cnngen import digits_resnet.onnx --name DigitsResNet --namespace ImportedModel
//
// from the ONNX file that train_model.py exported; DigitsResNet.cnnw holds its weights. The
// program classifies the test digits with the generated code and with ONNX Runtime on the same
// ONNX file, and shows that they agree and how long each takes per image.
//
//   dotnet run --project examples/ImportedModel
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CnnGen;
using CnnGen.Examples.Data;
using ImportedModel;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

var output = new Option<DirectoryInfo>("--output", "-o")
{
    Description = "Where to write predictions.csv (every test digit: label, both predictions, the largest score difference).",
    DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("out", "imported-model")),
};
var quick = new Option<bool>("--quick") { Description = "The first 60 test digits only (a smoke test)." };
var command = new RootCommand("Runs a PyTorch model imported with 'cnngen import' next to ONNX Runtime on the bundled digits.") { output, quick };
command.SetAction(parsed => Run(parsed.GetValue(output)!, parsed.GetValue(quick)));
return command.Parse(args).Invoke();

static int Run(DirectoryInfo output, bool quick)
{
    // The digits whose index is a multiple of 5 are the ones train_model.py never trained on.
    var (pixels, labels) = DigitsData.Load(DigitsData.FindFile());
    var test = Enumerable.Range(0, labels.Length).Where(i => i % 5 == 0).Take(quick ? 60 : int.MaxValue).ToArray();
    const int ImageSize = DigitsData.Size * DigitsData.Size;

    var network = new DigitsResNet();
    network.LoadWeights(Path.Combine(AppContext.BaseDirectory, "DigitsResNet.cnnw"));
    Console.WriteLine(DigitsResNet.Summary);

    // One thread for both: the per-image times compare the code, not the thread pools.
    using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
    using var session = new InferenceSession(Path.Combine(AppContext.BaseDirectory, "digits_resnet.onnx"), options);

    var ours = new float[DigitsResNet.OutputSize];
    var theirs = new float[DigitsResNet.OutputSize];
    float[] RunOnnxRuntime(ReadOnlyMemory<float> image)
    {
        var tensor = new DenseTensor<float>(image.ToArray(), [1, 1, DigitsData.Size, DigitsData.Size]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", tensor)]);
        return results.Single().AsTensor<float>().ToArray();
    }

    // Warm up both (the JIT, ONNX Runtime's first run), then time every test digit one at a time.
    for (var i = 0; i < 20; i++)
    {
        network.Forward(pixels.AsSpan(test[i % test.Length] * ImageSize, ImageSize), ours);
        RunOnnxRuntime(pixels.AsMemory(test[i % test.Length] * ImageSize, ImageSize));
    }

    var cnnGenTime = new Stopwatch();
    var onnxTime = new Stopwatch();
    var rows = new List<(int Label, int Ours, int Theirs, float Difference)>();
    foreach (var index in test)
    {
        var image = pixels.AsMemory(index * ImageSize, ImageSize);
        cnnGenTime.Start();
        network.Forward(image.Span, ours);
        cnnGenTime.Stop();
        onnxTime.Start();
        theirs = RunOnnxRuntime(image);
        onnxTime.Stop();
        var difference = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
        rows.Add((labels[index], ArgMax(ours), ArgMax(theirs), difference));
    }

    Console.WriteLine();
    Console.WriteLine("digit  CnnGen  ONNX Runtime  largest score difference");
    foreach (var row in rows.Take(10))
    {
        Console.WriteLine($"{row.Label,5}  {row.Ours,6}  {row.Theirs,12}  {row.Difference,24:0.0E+0}");
    }

    var correct = rows.Count(row => row.Ours == row.Label);
    var agree = rows.Count(row => row.Ours == row.Theirs);
    Console.WriteLine($"... ({rows.Count} test digits)");
    Console.WriteLine();
    Console.WriteLine($"Test accuracy: {100.0 * correct / rows.Count:F2}% ({correct} of {rows.Count} digits)");
    Console.WriteLine($"CnnGen and ONNX Runtime agree on {agree} of {rows.Count} predictions; the largest score difference is {rows.Max(row => row.Difference):0.0E+0}.");
    Console.WriteLine($"Per image, one at a time, one thread: CnnGen {Micro(cnnGenTime, rows.Count)}, ONNX Runtime {Micro(onnxTime, rows.Count)} " +
        $"({onnxTime.Elapsed / cnnGenTime.Elapsed:F1}x).");

    output.Create();
    var csv = Path.Combine(output.FullName, "predictions.csv");
    File.WriteAllLines(csv, rows.Select(row => string.Create(CultureInfo.InvariantCulture, $"{row.Label},{row.Ours},{row.Theirs},{row.Difference:R}"))
        .Prepend("label,cnngen,onnxruntime,largest_score_difference"));
    Console.WriteLine($"Wrote {csv}");
    return agree == rows.Count ? 0 : 1;
}

static int ArgMax(ReadOnlySpan<float> values)
{
    var best = 0;
    for (var i = 1; i < values.Length; i++)
    {
        if (values[i] > values[best])
        {
            best = i;
        }
    }

    return best;
}

static string Micro(Stopwatch watch, int count) => (watch.Elapsed.TotalMicroseconds / count).ToString("F1", CultureInfo.InvariantCulture) + " us";
