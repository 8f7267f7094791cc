using System.Diagnostics;
using CnnGen;
using CnnGen.Training;

namespace CnnGen.Benchmarks;

/// <summary>
/// A quick look without BenchmarkDotNet, for development: median time per call of forward
/// and training steps, and GFLOP/s. The numbers to report come from the BenchmarkDotNet run.
/// </summary>
internal static class QuickTimings
{
    /// <summary>
    /// Measure this thread's CPU time instead of wall-clock time ("cpu"): on a machine shared
    /// with other work it counts only the time the benchmark ran, a rough stand-in for an idle
    /// machine (caches are still shared). Never a substitute for the BenchmarkDotNet run.
    /// </summary>
    private static bool s_cpuTime;

    public static void Run(string[] args)
    {
        s_cpuTime = args.Contains("cpu");
        if (args.Contains("profile"))
        {
            foreach (var model in args.Where(Workloads.Models.Contains))
            {
                LayerProfile.Run(model, Measure);
            }

            return;
        }

        if (args.Contains("generator-first"))
        {
            // One generation in this new process (see TimeGenerator): its wall-clock milliseconds.
            var name = args[System.Array.IndexOf(args, "generator-first") + 1];
            var declarations = GeneratorWorkload.Compilation(name);
            var files = GeneratorWorkload.AdditionalFiles(name);
            var clock = Stopwatch.StartNew();
            GeneratorWorkload.Generate(declarations, files);
            Console.WriteLine(clock.Elapsed.TotalMilliseconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
            return;
        }

        if (args.Contains("generator-loop"))
        {
            // The generator on one workload, warm, again and again: a steady process to profile
            // (dotnet-trace; docs/benchmarks.md, "The generator's time").
            var name = args[System.Array.IndexOf(args, "generator-loop") + 1];
            var declarations = GeneratorWorkload.Compilation(name);
            var files = GeneratorWorkload.AdditionalFiles(name);
            var clock = Stopwatch.StartNew();
            for (var run = 1; run <= 200; run++)
            {
                GeneratorWorkload.Generate(declarations.Clone(), files);
                if (run % 50 == 0)
                {
                    Console.WriteLine($"{run} runs, {clock.Elapsed.TotalMilliseconds / run:F1} ms each");
                }
            }

            return;
        }

        if (args.Contains("generator"))
        {
            TimeGenerator(args.Contains("models") ? Workloads.Models : GeneratorWorkload.Names);
            return;
        }

        if (args.Contains("ort"))
        {
            // CnnGen and ONNX Runtime (ORT_ENABLE_ALL, one thread, which runs on the calling
            // thread) timed one after the other on the same input: with "cpu", a ratio a loaded machine
            // distorts less than wall-clock time. "deep": the ResNet stage and transposed layers, a depthwise filter on RGB and a decoder head to RGB;
            // "models": the imported torchvision models; "blocks": the hand-declared ResNet and
            // MobileNetV2 blocks, with batch norms and folded, at batch 1 and 32.
            var workloads = args.Contains("deep")
                ? new (string, INetwork, int)[]
                {
                    ("ResNetStage2", new ResNetStage2Conv(1), 1), ("ResNetStage3", new ResNetStage3Conv(1), 1),
                    ("ResNetStage4", new ResNetStage4Conv(1), 1), ("ResNeXtGrouped", new ResNeXtGroupedConv(1), 1),
                    ("UNetUpConv", new UNetUpConv(1), 1), ("DecoderUp3x3", new DecoderUpConv3x3(1), 1),
                    ("RgbDepthwise", new RgbDepthwiseFilter(1), 1), ("RgbDepthwise", new RgbDepthwiseFilter(1), 32),
                    ("DecoderRgbHead", new DecoderRgbHead(1), 1), ("DecoderRgbHead", new DecoderRgbHead(1), 32),
                }
                : args.Contains("models")
                    ? Workloads.Models.Select(name => (name, Workloads.Create(name), 1)).ToArray()
                    : args.Contains("blocks")
                        ? Workloads.Blocks.SelectMany(name => new[] { 1, 32 }.Select(batch => (name, Workloads.Create(name), batch))).ToArray()
                        : new (string, INetwork, int)[]
                        {
                            ("LeNet5", new LeNet5(1), 1), ("LeNet5", new LeNet5(1), 32), ("DigitNet", new DigitNet(1), 1),
                            ("Conv1DNet", new Conv1DNet(1), 1), ("LargeLayer", new LargeLayer(1), 1),
                        };
            if (args.Contains("models") || args.Contains("blocks"))
            {
                // The FMA peak of this thread in the same process, for the share of peak (PeakFmaBenchmark's loop).
                var peak = new PeakFmaBenchmark { Threads = 1 };
                var peakTime = Measure(() => peak.Fma());
                Console.WriteLine($"PeakFma, 1 thread, {(PeakFmaBenchmark.Uses512 ? 512 : 256)}-bit: " +
                    $"{2.0 * PeakFmaBenchmark.FmasPerIteration * PeakFmaBenchmark.Iterations / peakTime / 1000:F1} GFLOP/s");
            }

            foreach (var (name, network, batch) in workloads)
            {
                var input = RandomInput(network, batch);
                var output = new float[batch * network.OutputSize];
                using var engine = new OnnxRuntimeEngine(network, input, batch, Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_ALL);
                var flops = 2.0 * network.Architecture.Layers.Sum(l => l.MultiplyAdds) * batch;
                var detail = args.Contains("models") || args.Contains("blocks");
                var label = (name + " b" + batch).PadRight(detail ? 30 : 14);
                double cnngen, ort;
                string row;
                if (!detail)
                {
                    cnngen = Measure(() => network.Forward(input, output, batch));
                    ort = Measure(engine.Run);
                    row = $"{label} CnnGen {cnngen,10:F2} us ({flops / cnngen / 1000,6:F1} GFLOP/s)   ORT {ort,10:F2} us   CnnGen speed-up {ort / cnngen,5:F2}x";
                }
                else
                {
                    // Inference: the models and blocks are graphs, whose default workspace keeps every
                    // activation for Backward; CreateInferenceWorkspace() reuses memory (docs/generated-code.md).
                    // CnnGen's row is the inference workspace's; the default workspace's time follows.
                    var workspace = network.CreateInferenceWorkspace();
                    var firstCall = Stopwatch.StartNew();
                    network.Forward(input, output, batch, workspace);
                    var first = firstCall.Elapsed.TotalMilliseconds;
                    cnngen = Measure(() => network.Forward(input, output, batch, workspace));
                    ort = Measure(engine.Run);
                    var keeping = Measure(() => network.Forward(input, output, batch));

                    // With the deep layers' kernels packed once (PackWeights) instead of on every call.
                    network.PackWeights();
                    var packed = network.WeightsPacked ? Measure(() => network.Forward(input, output, batch, workspace)) : double.NaN;
                    _ = network.Parameters; // drops the pack again
                    row = $"{label} CnnGen {cnngen,10:F2} us ({flops / cnngen / 1000,6:F1} GFLOP/s)   ORT {ort,10:F2} us   CnnGen speed-up {ort / cnngen,5:F2}x" +
                        (double.IsNaN(packed) ? "   packed weights: nothing to pack" : $"   packed weights {packed,10:F2} us ({ort / packed,5:F2}x)") +
                        $"   default workspace {keeping,10:F2} us";

                    // The largest difference between the engines' outputs, relative to the largest output.
                    var largest = output.Max(Math.Abs);
                    var difference = output.Zip(engine.Output, (a, b) => Math.Abs(a - b)).Max();
                    row += $"   max |difference| {difference / largest:E1} of max |output| {largest:G3}";
                    if (args.Contains("models"))
                    {
                        row += $"   first call (JIT) {first:F0} ms";
                    }
                }

                Console.WriteLine(row);
            }

            return;
        }

        Time("LeNet5 forward b1", new LeNet5(1), 1, train: false);
        Time("LeNet5 forward b32", new LeNet5(1), 32, train: false);
        Time("LeNet5 train b32", new LeNet5(1), 32, train: true);
        Time("LeNet5 fwd+bwd b32", new LeNet5(1), 32, train: true, direct: true);
        if (args.Contains("layers"))
        {
            foreach (var (name, network) in new (string, INetwork)[]
            {
                ("conv1", new LeNetConv1(1)), ("pool1", new LeNetPool1(1)), ("conv2", new LeNetConv2(1)),
                ("dense1", new LeNetDense1(1)), ("head", new LeNetHead(1)),
            })
            {
                Time(name + " forward b1", network, 1, train: false);
                Time(name + " forward b32", network, 32, train: false);
                Time(name + " fwd+bwd b32", network, 32, train: true);
                Time(name + " fwd+bwd+dx b32", network, 32, train: true, inputGradient: true);
            }

            return;
        }

        Time("DigitNet forward b1", new DigitNet(1), 1, train: false);
        Time("Conv1DNet forward b1", new Conv1DNet(1), 1, train: false);
        Time("LargeLayer forward b1", new LargeLayer(1), 1, train: false);
        Time("LargeLayer backward b1", new LargeLayer(1), 1, train: true);
        if (args.Contains("large"))
        {
            Time("LargeLayer fwd+bwd b32", new LargeLayer(1), 32, train: true);
            Time("LargeLayer fwd+bwd+dx b32", new LargeLayer(1), 32, train: true, inputGradient: true);
        }
    }

    private static float[] RandomInput(INetwork network, int batch)
    {
        var input = new float[batch * network.InputSize];
        var random = new SeededRandom(1);
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (float)random.NextDouble();
        }

        return input;
    }

    private static void Time(string name, INetwork network, int batch, bool train, bool direct = false, bool inputGradient = false)
    {
        var input = RandomInput(network, batch);
        var output = new float[batch * network.OutputSize];
        var targets = new float[output.Length];
        for (var n = 0; n < batch; n++)
        {
            targets[n * network.OutputSize] = 1;
        }

        var trainer = new Trainer(network, network.OutputSize > 1 ? new SoftmaxCrossEntropy() : new MeanSquaredError(), new Sgd(0.001f), threads: 1);
        var outputGradient = new float[output.Length];
        var inputGradients = new float[input.Length];
        Action step = train
            ? !direct && !inputGradient && network.Architecture.Layers[^1].Activation == Activation.Softmax && network.Architecture.Layers.Count > 2
                ? () => trainer.TrainStep(input, targets, batch)
                : () => { network.Forward(input, output, batch); network.Backward(outputGradient, inputGradient ? inputGradients : Span<float>.Empty); }
            : () => network.Forward(input, output, batch);
        var flops = 2.0 * network.Architecture.Layers.Sum(l => l.MultiplyAdds) * batch * (train ? 3 : 1);
        var median = Measure(step);
        Console.WriteLine($"{name,-26} {median,10:F2} us   {flops / median / 1000,7:F1} GFLOP/s");
    }

    /// <summary>
    /// "generator": what GeneratorBenchmarks measures, quickly: the generator on a new driver and
    /// compilation, then parsing the generated source and compiling everything into an optimised
    /// assembly (Roslyn compiles methods on several threads, so the process's CPU time is given
    /// next to the wall-clock time). The median of 5 runs after one warm-up run, while the JIT
    /// still recompiles the generator at higher tiers. Two more times for the generator: the first
    /// generation in a new process (a child process; a build without a compiler server runs the
    /// generator so every time) and warm (the median of 10 after 20 more runs: an IDE or a
    /// compiler server).
    /// </summary>
    private static void TimeGenerator(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            var declarations = GeneratorWorkload.Compilation(name);
            var files = GeneratorWorkload.AdditionalFiles(name);
            string[] generated = [];
            var generate = MeasureBuildStep(() => generated = GeneratorWorkload.Generate(declarations.Clone(), files)
                .GeneratedTrees.Select(t => t.GetText().ToString()).ToArray());
            long bytes = 0;
            var compile = MeasureBuildStep(() =>
            {
                var trees = generated.Select(text => Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(text, GeneratorWorkload.ParseOptions));
                using var pe = new MemoryStream();
                var emit = GeneratorWorkload.Compilation([.. declarations.SyntaxTrees, .. trees]).Emit(pe);
                if (!emit.Success)
                {
                    throw new InvalidOperationException($"The generated code of {name} does not compile.");
                }

                bytes = pe.Length;
            });
            var warm = WarmMilliseconds(() => GeneratorWorkload.Generate(declarations.Clone(), files));
            var first = FirstGenerationMilliseconds(name);
            var size = GeneratorWorkload.GeneratedSize(name);
            Console.WriteLine($"{name,-18} generated {size.Lines,8:N0} lines {size.Chars,11:N0} chars   generate {generate.Wall,8:F1} ms (CPU {generate.Cpu,8:F1} ms; " +
                $"first in a new process {first,6:F0} ms, warm {warm,6:F1} ms)   " +
                $"parse + compile {compile.Wall / 1000,6:F2} s (CPU {compile.Cpu / 1000,6:F2} s, {bytes / 1024.0:N0} KB of IL assembly)");
        }
    }

    /// <summary>The median wall-clock milliseconds of 10 runs after 20 warm-up runs, each after a full collection (as BenchmarkDotNet's iterations).</summary>
    private static double WarmMilliseconds(Action step)
    {
        for (var r = 0; r < 20; r++)
        {
            step();
        }

        var runs = new List<double>();
        for (var r = 0; r < 10; r++)
        {
            GC.Collect();
            var clock = Stopwatch.StartNew();
            step();
            runs.Add(clock.Elapsed.TotalMilliseconds);
        }

        return runs.Order().ElementAt(5);
    }

    /// <summary>The median of 3 child processes' first generation of <paramref name="name"/> ("generator-first"); NaN when one fails.</summary>
    private static double FirstGenerationMilliseconds(string name)
    {
        var runs = new List<double>();
        for (var r = 0; r < 3; r++)
        {
            // Started as this process was: the app host, or dotnet with this assembly.
            var host = Environment.ProcessPath ?? "dotnet";
            var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            {
                start.ArgumentList.Add(typeof(QuickTimings).Assembly.Location);
            }

            foreach (var argument in new[] { "--quick", "generator-first", name })
            {
                start.ArgumentList.Add(argument);
            }

            using var child = Process.Start(start)!;
            var output = child.StandardOutput.ReadToEnd();
            child.WaitForExit();
            if (child.ExitCode != 0 || !double.TryParse(output.Trim().Split('\n')[^1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var ms))
            {
                return double.NaN;
            }

            runs.Add(ms);
        }

        return runs.Order().ElementAt(1);
    }

    /// <summary>Median wall-clock and process CPU milliseconds of 5 runs after one warm-up run.</summary>
    private static (double Wall, double Cpu) MeasureBuildStep(Action step)
    {
        step();
        var runs = new List<(double Wall, double Cpu)>();
        using var process = Process.GetCurrentProcess();
        for (var r = 0; r < 5; r++)
        {
            GC.Collect();
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            step();
            clock.Stop();
            process.Refresh();
            runs.Add((clock.Elapsed.TotalMilliseconds, (process.TotalProcessorTime - cpu).TotalMilliseconds));
        }

        return (runs.Select(r => r.Wall).Order().ElementAt(2), runs.Select(r => r.Cpu).Order().ElementAt(2));
    }

    /// <summary>The median time per call, in microseconds, of 15 rounds after a warm-up.</summary>
    private static double Measure(Action step)
    {
        for (var i = 0; i < 20; i++)
        {
            step();
        }

        var clock = Stopwatch.StartNew();
        var iterations = 0;
        while (clock.ElapsedMilliseconds < 300)
        {
            step();
            iterations++;
        }

        var samples = new List<double>();
        for (var r = 0; r < 15; r++)
        {
            clock.Restart();
            var cpuStart = ThreadCpuMicroseconds();
            for (var i = 0; i < iterations / 3 + 1; i++)
            {
                step();
            }

            var elapsed = s_cpuTime ? ThreadCpuMicroseconds() - cpuStart : clock.Elapsed.TotalMilliseconds * 1000;
            samples.Add(elapsed / (iterations / 3 + 1));
        }

        samples.Sort();
        return samples[samples.Count / 2];
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>CPU time of the calling thread (Linux CLOCK_THREAD_CPUTIME_ID).</summary>
    private static double ThreadCpuMicroseconds()
    {
        ClockGetTime(3, out var time);
        return time.Seconds * 1e6 + time.Nanoseconds / 1e3;
    }
}
