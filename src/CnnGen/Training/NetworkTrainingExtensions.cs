using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace CnnGen.Training;

/// <summary>
/// Training straight on a network: <c>net.Fit(data, loss, optimizer, options)</c>. Each network
/// keeps one trainer for its loss and optimiser (made again when either changes), so repeated
/// <see cref="TrainStep"/> calls allocate nothing.
/// </summary>
public static class NetworkTrainingExtensions
{
    private static readonly ConditionalWeakTable<INetwork, Trainer> Trainers = new();

    // Predictions of a network that is not a chain run in a workspace for inference only (less
    // memory, and the network's own workspace keeps the activations of its last Forward).
    private static readonly ConditionalWeakTable<INetwork, Workspace> PredictionWorkspaces = new();

    /// <summary>One gradient step on a mini-batch; returns the mean loss before the update.</summary>
    public static float TrainStep(this INetwork network, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize, Loss loss, Optimizer optimizer) =>
        TrainerFor(network, loss, optimizer).TrainStep(inputs, targets, batchSize);

    /// <summary>Trains on <paramref name="data"/>; see <see cref="Trainer.Fit"/>.</summary>
    public static TrainingHistory Fit(this INetwork network, Dataset data, Loss loss, Optimizer optimizer, FitOptions? options = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        TrainerFor(network, loss, optimizer).Fit(data, options, progress, cancellationToken);

    /// <summary>The mean loss and accuracy on <paramref name="data"/>.</summary>
    public static Evaluation Evaluate(this INetwork network, Dataset data, Loss loss, int batchSize = 256) =>
        new Trainer(network, loss, new Sgd(), threads: 1).Evaluate(data, batchSize);

    /// <summary>The predicted class (arg-max of the output) of each sample.</summary>
    public static int[] PredictClasses(this INetwork network, ReadOnlySpan<float> inputs, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var output = new float[(long)batchSize * network.OutputSize];
        if (network.Architecture.IsChain)
        {
            network.Forward(inputs, output, batchSize);
        }
        else
        {
            network.Forward(inputs, output, batchSize, PredictionWorkspaces.GetValue(network, static n => n.CreateInferenceWorkspace()));
        }

        var classes = new int[batchSize];
        for (var n = 0; n < batchSize; n++)
        {
            classes[n] = Metrics.ArgMax(output.AsSpan(n * network.OutputSize, network.OutputSize));
        }

        return classes;
    }

    private static Trainer TrainerFor(INetwork network, Loss loss, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (Trainers.TryGetValue(network, out var trainer) && ReferenceEquals(trainer.Loss, loss) && ReferenceEquals(trainer.Optimizer, optimizer))
        {
            return trainer;
        }

        trainer = new Trainer(network, loss, optimizer);
        Trainers.AddOrUpdate(network, trainer);
        return trainer;
    }
}
