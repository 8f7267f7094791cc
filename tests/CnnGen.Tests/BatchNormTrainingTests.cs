using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;
using CnnGen.Training;

namespace CnnGen.Tests;

/// <summary>
/// The trainer with batch normalisation: training steps run training mode on the whole
/// mini-batch (one update of the moving statistics per step, the same on any number of threads),
/// evaluation runs inference and leaves the state alone.
/// </summary>
public class BatchNormTrainingTests
{
    private const int Batch = 6;

    private static (float[] Inputs, float[] Targets) Data(int seed) =>
        (Numerics.Random(Batch * BatchNormNet.InputSize, seed), Numerics.Random(Batch * BatchNormNet.OutputSize, seed + 1));

    [Fact]
    public void AStepUsesTheWholeBatchsStatisticsOnce()
    {
        var (inputs, targets) = Data(5);
        var trained = new BatchNormNet(seed: 1);
        var trainer = new Trainer(trained, new MeanSquaredError(), new Sgd(0.01f), threads: 3, microBatchSize: 2);
        trainer.TrainStep(inputs, targets, Batch);

        // The state a single training-mode Forward over the six samples gives, from the same start.
        var manual = new BatchNormNet(seed: 1);
        manual.Forward(inputs, new float[Batch * BatchNormNet.OutputSize], Batch, training: true);
        Assert.Equal(manual.State.ToArray(), trained.State.ToArray());
        Assert.NotEqual(new BatchNormNet(seed: 1).State.ToArray(), trained.State.ToArray());

        // And the parameters moved by the gradient of that training-mode pass.
        var output = new float[Batch * BatchNormNet.OutputSize];
        var reference = new BatchNormNet(seed: 1);
        reference.Forward(inputs, output, Batch, training: true);
        var gradient = new float[output.Length];
        new MeanSquaredError().Gradient(output, targets, gradient, Batch, Batch, Activation.Linear, out _);
        reference.Backward(gradient, Span<float>.Empty);
        var expected = reference.Parameters.ToArray();
        for (var i = 0; i < expected.Length; i++)
        {
            expected[i] -= 0.01f * reference.Gradients[i];
        }

        Assert.Equal(expected, trained.Parameters.ToArray());
    }

    [Fact]
    public void TrainingIsTheSameOnAnyNumberOfThreads()
    {
        byte[]? first = null;
        foreach (var threads in new[] { 1, 2, 3 })
        {
            var network = new BatchNormNet(seed: 4);
            var trainer = new Trainer(network, new MeanSquaredError(), new Sgd(0.05f, momentum: 0.9f), threads, microBatchSize: 2);
            for (var step = 0; step < 4; step++)
            {
                var (inputs, targets) = Data(10 + step);
                trainer.TrainStep(inputs, targets, Batch);
            }

            var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(network.Parameters).ToArray()
                .Concat(System.Runtime.InteropServices.MemoryMarshal.AsBytes(network.State).ToArray()).ToArray();
            first ??= bytes;
            Assert.Equal(first, bytes);
        }
    }

    [Fact]
    public void EvaluationRunsInferenceAndKeepsTheState()
    {
        var (inputs, targets) = Data(20);
        var network = new BatchNormNet(seed: 2);
        for (var i = 0; i < network.State.Length; i++)
        {
            network.State[i] = 0.5f + 0.01f * i;
        }

        var before = network.State.ToArray();
        var trainer = new Trainer(network, new MeanSquaredError(), new Sgd(0.01f), threads: 2, microBatchSize: 4);
        var evaluation = trainer.Evaluate(new Dataset(inputs, targets, BatchNormNet.InputSize, BatchNormNet.OutputSize), batchSize: 3);
        Assert.Equal(before, network.State.ToArray());

        // Inference: the loss of the outputs of the inference Forward.
        var output = new float[Batch * BatchNormNet.OutputSize];
        network.Forward(inputs, output, Batch);
        var sum = new MeanSquaredError().Sum(output, targets, Batch, Activation.Linear);
        Assert.Equal(sum / Batch, evaluation.Loss, 5);
    }
}
