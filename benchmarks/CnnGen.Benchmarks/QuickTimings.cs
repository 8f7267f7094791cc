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
        if (args.Contains("ort"))
        {
            // CnnGen and ONNX Runtime (ORT_ENABLE_ALL, one thread, which runs on the calling
            // thread) timed one after the other on the same input: with "cpu", a ratio a loaded machine
            // distorts less than wall-clock time.
            foreach (var (name, network, batch) in new (string, INetwork, int)[]
            {
                ("LeNet5", new LeNet5(1), 1), ("LeNet5", new LeNet5(1), 32), ("DigitNet", new DigitNet(1), 1),
                ("Conv1DNet", new Conv1DNet(1), 1), ("LargeLayer", new LargeLayer(1), 1),
            }.Where(w => !args.Contains("deep")).Concat(new (string, INetwork, int)[]
            {
                ("ResNetStage2", new ResNetStage2Conv(1), 1), ("ResNetStage3", new ResNetStage3Conv(1), 1),
                ("ResNetStage4", new ResNetStage4Conv(1), 1), ("ResNeXtGrouped", new ResNeXtGroupedConv(1), 1),
                ("UNetUpConv", new UNetUpConv(1), 1), ("DecoderUp3x3", new DecoderUpConv3x3(1), 1),
            }.Where(w => args.Contains("deep"))))
            {
                var input = RandomInput(network, batch);
                var output = new float[batch * network.OutputSize];
                using var engine = new OnnxRuntimeEngine(network, input, batch, Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_ALL);
                var flops = 2.0 * network.Architecture.Layers.Sum(l => l.MultiplyAdds) * batch;
                var cnngen = Measure(() => network.Forward(input, output, batch));
                var ort = Measure(engine.Run);
                Console.WriteLine($"{name + " b" + batch,-14} CnnGen {cnngen,10:F2} us ({flops / cnngen / 1000,6:F1} GFLOP/s)   ORT {ort,10:F2} us   CnnGen speed-up {ort / cnngen,5:F2}x");
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
