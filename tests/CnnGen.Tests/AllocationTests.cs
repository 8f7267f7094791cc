using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;
using CnnGen.Training;

namespace CnnGen.Tests;

[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public class AllocationCollection;

/// <summary>After construction and a first call at a batch size, Forward, Backward and a training step allocate nothing.</summary>
[Collection(nameof(AllocationTests))]
public class AllocationTests
{
    [Fact]
    public void SteadyStateForwardAndBackwardAllocateNothing()
    {
        var network = new LeNet5(seed: 1);
        var input = Numerics.Random(8 * LeNet5.InputSize, seed: 1);
        var output = new float[8 * LeNet5.OutputSize];
        var outputGradient = Numerics.Random(output.Length, seed: 2);
        var inputGradient = new float[input.Length];
        for (var i = 0; i < 50; i++)
        {
            network.Forward(input, output, 8);
            network.Backward(outputGradient, inputGradient);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            network.Forward(input, output, 8);
            network.Forward(input.AsSpan(0, LeNet5.InputSize), output.AsSpan(0, LeNet5.OutputSize));
            network.Forward(input, output, 8);
            network.Backward(outputGradient, inputGradient);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void SteadyStateTrainStepAllocatesNothingOnAnyThread()
    {
        var network = new LeNet5(seed: 1);
        var trainer = new Trainer(network, new SoftmaxCrossEntropy(), new Adam(), threads: 2);
        var inputs = Numerics.Random(32 * LeNet5.InputSize, seed: 1);
        var labels = Enumerable.Range(0, 32).Select(i => i % 10).ToArray();
        var targets = Dataset.FromLabels(inputs, LeNet5.InputSize, labels, 10).Targets;
        for (var i = 0; i < 30; i++)
        {
            trainer.TrainStep(inputs, targets, 32);
        }

        // This thread and the helper threads while they run micro-batches (the rest of the
        // process, such as the test runner, allocates on its own).
        var before = GC.GetAllocatedBytesForCurrentThread();
        var helpersBefore = trainer.HelperAllocatedBytes;
        for (var i = 0; i < 20; i++)
        {
            trainer.TrainStep(inputs, targets, 32);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, trainer.HelperAllocatedBytes - helpersBefore);
    }

    /// <summary>Zero padding and up-sampling (bilinear rents its coordinate tables from the shared pool) allocate nothing either.</summary>
    [Theory]
    [InlineData(nameof(UpSamplingNetChannelsFirst))]
    [InlineData(nameof(ResamplingGraphNet))]
    [InlineData(nameof(ZeroPaddingSignalNetChannelsFirst))]
    public void SteadyStateResamplingAllocatesNothing(string name)
    {
        var network = ResamplingTests.Create(name, seed: 1);
        var input = Numerics.Random(4 * network.InputSize, seed: 1);
        var output = new float[4 * network.OutputSize];
        var outputGradient = Numerics.Random(output.Length, seed: 2);
        var inputGradient = new float[input.Length];
        for (var i = 0; i < 50; i++)
        {
            network.Forward(input, output, 4);
            network.Backward(outputGradient, inputGradient);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            network.Forward(input, output, 4);
            network.Backward(outputGradient, inputGradient);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>A graph: merges, framed copies, summed gradients and the inference workspace allocate nothing either.</summary>
    [Fact]
    public void SteadyStateGraphForwardBackwardAndInferenceAllocateNothing()
    {
        var network = new ResNetBlockNet(seed: 1);
        var inference = network.CreateInferenceWorkspace();
        var input = Numerics.Random(8 * ResNetBlockNet.InputSize, seed: 1);
        var output = new float[8 * ResNetBlockNet.OutputSize];
        var outputGradient = Numerics.Random(output.Length, seed: 2);
        var inputGradient = new float[input.Length];
        for (var i = 0; i < 20; i++)
        {
            network.Forward(input, output, 8);
            network.Backward(outputGradient, inputGradient);
            network.Forward(input, output, 8, inference);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            network.Forward(input, output, 8);
            network.Backward(outputGradient, inputGradient);
            network.Forward(input, output, 8, inference);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
