using System.Runtime.InteropServices;
using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;
using CnnGen.Training;

namespace CnnGen.Tests;

/// <summary>
/// Arguments of training that used to train nothing, give NaN or a confusing message: each is
/// either handled as Keras does or refused with a clear exception before any weight changes.
/// </summary>
public class TrainingArgumentTests
{
    private static Dataset Data(int samples, int seed = 1)
    {
        var labels = Enumerable.Range(0, samples).Select(i => (i * 7 + seed) % 10).ToArray();
        return Dataset.FromLabels(Numerics.Random(samples * DigitNet.InputSize, seed), DigitNet.InputSize, labels, 10);
    }

    private static byte[] Bytes(INetwork network) => MemoryMarshal.AsBytes(network.Parameters).ToArray();

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(41)]
    [InlineData(1_000_000)]
    public void ABatchLargerThanTheDataIsOneStepOnTheWholeData(int batchSize)
    {
        // Reference: the same training with the batch size equal to the data (one step per epoch).
        var data = Data(40);
        byte[] Train(int size, out TrainingHistory history, out int batches)
        {
            var network = new DigitNet(seed: 3);
            var reports = new List<TrainingProgress>();
            history = new Trainer(network, new SoftmaxCrossEntropy(), new Sgd(0.1f), threads: 2)
                .Fit(data, new FitOptions { Epochs = 2, BatchSize = size, Shuffle = false }, new SynchronousProgress(reports.Add));
            batches = reports[0].Batches;
            return Bytes(network);
        }

        var expected = Train(40, out var expectedHistory, out _);
        var actual = Train(batchSize, out var history, out var batches);
        Assert.Equal(1, batches);
        Assert.Equal(expected, actual);
        Assert.Equal(expectedHistory.Epochs.Select(e => e.Loss), history.Epochs.Select(e => e.Loss));
        Assert.True(double.IsFinite(history.Epochs[1].Loss) && history.Epochs[1].Loss < history.Epochs[0].Loss,
            $"Losses {history.Epochs[0].Loss} then {history.Epochs[1].Loss}.");
        Assert.NotEqual(Bytes(new DigitNet(seed: 3)), actual);
    }

    [Fact]
    public void EvaluateWithABatchLargerThanTheDataIsOneBatch()
    {
        var data = Data(20);
        var network = new DigitNet(seed: 4);
        var expected = network.Evaluate(data, new SoftmaxCrossEntropy(), batchSize: 20);
        Assert.Equal(expected, network.Evaluate(data, new SoftmaxCrossEntropy(), batchSize: int.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>("batchSize", () => network.Evaluate(data, new SoftmaxCrossEntropy(), batchSize: 0));
    }

    [Fact]
    public void AnEmptyDataSetIsAnArgumentExceptionNotNaN()
    {
        var empty = new Dataset([], [], DigitNet.InputSize, 10);
        var network = new DigitNet(seed: 5);
        var before = Bytes(network);
        var exception = Assert.Throws<ArgumentException>("data", () => network.Fit(empty, new SoftmaxCrossEntropy(), new Adam()));
        Assert.Contains("The training data has no samples.", exception.Message);
        exception = Assert.Throws<ArgumentException>("options", () =>
            network.Fit(Data(8), new SoftmaxCrossEntropy(), new Adam(), new FitOptions { ValidationData = empty }));
        Assert.Contains("The validation data has no samples.", exception.Message);
        Assert.Throws<ArgumentException>("data", () => network.Evaluate(empty, new SoftmaxCrossEntropy()));
        Assert.Equal(before, Bytes(network));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.5)]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(double.PositiveInfinity)]
    public void AValidationSplitOutsideZeroToOneIsRefused(double split)
    {
        var network = new DigitNet(seed: 6);
        var before = Bytes(network);
        var exception = Assert.Throws<ArgumentOutOfRangeException>("ValidationSplit", () =>
            network.Fit(Data(10), new SoftmaxCrossEntropy(), new Adam(), new FitOptions { ValidationSplit = split }));
        Assert.Contains("at least 0 and less than 1", exception.Message);
        Assert.Equal(before, Bytes(network));
    }

    [Fact]
    public void ASplitOfOneSampleSaysWhy()
    {
        var network = new DigitNet(seed: 7);
        var before = Bytes(network);
        var exception = Assert.Throws<ArgumentException>("options", () =>
            network.Fit(Data(1), new SoftmaxCrossEntropy(), new Adam(), new FitOptions { ValidationSplit = 0.5 }));
        Assert.StartsWith("The training data has 1 sample, which cannot be split into training and validation data as ValidationSplit = 0.5 asks", exception.Message);
        Assert.DoesNotContain("cannot be greater than", exception.Message);
        Assert.Equal(before, Bytes(network));
        Assert.Contains("A data set of 1 sample cannot be split", Assert.Throws<InvalidOperationException>(() => Data(1).Split(0.5)).Message);

        // Two samples split into one and one.
        var (first, last) = Data(2).Split(0.5);
        Assert.Equal((1, 1), (first.Count, last.Count));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void EpochsAndBatchSizesBelowOneAreRefusedByName(int value)
    {
        var network = new DigitNet(seed: 8);
        var before = Bytes(network);
        Assert.Throws<ArgumentOutOfRangeException>("Epochs", () => network.Fit(Data(4), new SoftmaxCrossEntropy(), new Adam(), new FitOptions { Epochs = value }));
        Assert.Throws<ArgumentOutOfRangeException>("BatchSize", () => network.Fit(Data(4), new SoftmaxCrossEntropy(), new Adam(), new FitOptions { BatchSize = value }));
        Assert.Equal(before, Bytes(network));
    }

    public static TheoryData<string, Func<Optimizer>> BadHyperParameters => new()
    {
        { "epsilon", () => new Adam(epsilon: 0) },
        { "epsilon", () => new Adam(epsilon: -1e-7f) },
        { "epsilon", () => new Adam(epsilon: float.NaN) },
        { "epsilon", () => new Adam(epsilon: float.PositiveInfinity) },
        { "beta1", () => new Adam(beta1: float.NaN) },
        { "beta1", () => new Adam(beta1: -0.1f) },
        { "beta1", () => new Adam(beta1: 1f) },
        { "beta2", () => new Adam(beta2: float.NaN) },
        { "beta2", () => new Adam(beta2: 1f) },
        { "beta2", () => new Adam(beta2: -1f) },
        { "learningRate", () => new Adam(learningRate: 0) },
        { "learningRate", () => new Adam(learningRate: float.NaN) },
        { "learningRate", () => new Adam(learningRate: -0.001f) },
        { "learningRate", () => new Sgd(learningRate: float.NaN) },
        { "learningRate", () => new Sgd(learningRate: float.NegativeInfinity) },
        { "momentum", () => new Sgd(momentum: float.NaN) },
        { "momentum", () => new Sgd(momentum: -0.5f) },
        { "momentum", () => new Sgd(momentum: 1f) },
    };

    [Theory]
    [MemberData(nameof(BadHyperParameters))]
    public void BadHyperParametersAreRefusedAtConstructionByName(string parameter, Func<Optimizer> create)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(parameter, () => create());
        Assert.Contains(parameter, exception.Message);
    }

    [Fact]
    public void ALearningRateSetLaterIsCheckedToo()
    {
        var sgd = new Sgd(0.1f);
        foreach (var bad in new[] { 0f, -1f, float.NaN, float.PositiveInfinity })
        {
            Assert.Throws<ArgumentOutOfRangeException>("LearningRate", () => sgd.LearningRate = bad);
            Assert.Equal(0.1f, sgd.LearningRate);
        }
    }

    [Fact]
    public void AdamWithTheSmallestEpsilonKeepsParametersOnAZeroGradient()
    {
        // Epsilon 0 made 0 / 0 = NaN of every parameter with a zero gradient; any positive epsilon keeps them.
        var weights = new[] { 1.5f, -2f, 0f };
        var adam = new Adam(epsilon: float.Epsilon);
        adam.Step(weights, new float[3]);
        Assert.Equal(new[] { 1.5f, -2f, 0f }, weights);
    }

    /// <summary>Progress reported on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
