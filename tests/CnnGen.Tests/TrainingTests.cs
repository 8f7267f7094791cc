using CnnGen.Examples.Data;
using CnnGen.Tests.Networks;
using CnnGen.Training;

namespace CnnGen.Tests;

[Trait("Category", "Numerics")]
public class TrainingTests
{
    [Fact]
    public void DigitsNetworkReachesAtLeast97PercentTestAccuracy()
    {
        var (train, test) = DigitsData.LoadSplit(DigitsData.FindFile(), seed: 42);
        var network = new DigitNet(seed: 1);
        var history = network.Fit(train, new SoftmaxCrossEntropy(), new Adam(0.01f),
            new FitOptions { Epochs = 12, BatchSize = 32, Seed = 3 });
        var evaluation = network.Evaluate(test, new SoftmaxCrossEntropy());
        Assert.True(evaluation.Accuracy >= 0.97,
            $"Test accuracy {evaluation.Accuracy:P2} after {history.Epochs.Count} epochs (training loss {history.Epochs[^1].Loss:F4}).");
        Assert.True(history.Epochs[^1].Loss < history.Epochs[0].Loss, "The training loss did not go down.");
    }

    [Fact]
    public void SameSeedGivesBitIdenticalWeightsOnAnyNumberOfThreads()
    {
        var (train, _) = DigitsData.LoadSplit(DigitsData.FindFile(), seed: 42);
        byte[] Train(int threads)
        {
            var network = new DigitNet(seed: 5);
            var trainer = new Trainer(network, new SoftmaxCrossEntropy(), new Adam(0.01f), threads: threads);
            trainer.Fit(train.Slice(0, 400), new FitOptions { Epochs = 2, BatchSize = 50, Seed = 9 });
            return System.Runtime.InteropServices.MemoryMarshal.AsBytes(network.Parameters).ToArray();
        }

        var one = Train(1);
        Assert.Equal(one, Train(2));
        Assert.Equal(one, Train(3));
        Assert.Equal(one, Train(8));
    }

    [Fact]
    public void TrainStepLossMatchesTheLossOfTheForwardOutputs()
    {
        var network = new LeNet5(seed: 2);
        var inputs = Infrastructure.Numerics.Random(4 * LeNet5.InputSize, seed: 1);
        var labels = new[] { 3, 1, 4, 1 };
        var targets = Dataset.FromLabels(inputs, LeNet5.InputSize, labels, 10).Targets;
        var outputs = new float[4 * LeNet5.OutputSize];
        network.Forward(inputs, outputs, 4);
        var expected = 0.0;
        for (var n = 0; n < 4; n++)
        {
            expected -= Math.Log(outputs[n * 10 + labels[n]]);
        }

        var loss = new Trainer(network, new SoftmaxCrossEntropy(), new Sgd(0.1f), threads: 2).TrainStep(inputs, targets, 4);
        Assert.Equal(expected / 4, loss, 5);
    }
}
