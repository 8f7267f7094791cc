using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using CnnGen.Benchmarks.Columns;
using CnnGen.Training;

namespace CnnGen.Benchmarks;

/// <summary>
/// One training step at batch 32 through <see cref="Trainer.TrainStep"/>: forward, loss,
/// backward, SGD update, on 1 and 2 threads (the trainer's micro-batches of 16). The classifiers
/// use softmax cross-entropy; LargeLayer (no softmax, one convolution) uses mean squared error,
/// so its step is forward + backward + the update of its 37k parameters.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class TrainingBenchmarks : IReportsFlops
{
    public const int Batch = 32;

    private Trainer _trainer = null!;
    private float[] _input = [];
    private float[] _targets = [];

    public static IEnumerable<string> Networks => Workloads.Names;

    [ParamsSource(nameof(Networks), Priority = -1)]
    public string Network { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Nominally 3 x forward (forward, input gradient, weight gradient), the usual convention.</summary>
    public static double? FlopsPerCall(BenchmarkCase benchmark) =>
        3 * 2.0 * Workloads.MultiplyAdds((string)benchmark.Parameters[nameof(Network)]) * Batch;

    [GlobalSetup]
    public void Setup()
    {
        var network = Workloads.Create(Network);
        var classifier = Workloads.Classifiers.Contains(Network);
        _input = Workloads.RandomValues(Batch * network.InputSize, seed: 3);
        _targets = classifier
            ? Workloads.OneHotTargets(network.OutputSize, Batch)
            : Workloads.RandomValues(Batch * network.OutputSize, seed: 4);
        // A small learning rate keeps the weights (and so the work) steady over millions of steps.
        _trainer = new Trainer(network, classifier ? new SoftmaxCrossEntropy() : new MeanSquaredError(), new Sgd(1e-4f), threads: Threads);
        var loss = _trainer.TrainStep(_input, _targets, Batch);
        if (!float.IsFinite(loss))
        {
            throw new InvalidOperationException($"{Network}: the first training step gives loss {loss}.");
        }
    }

    [Benchmark]
    public float TrainStep() => _trainer.TrainStep(_input, _targets, Batch);
}
