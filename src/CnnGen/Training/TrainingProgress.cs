using System;
using System.Collections.Generic;

namespace CnnGen.Training;

/// <summary>How to run <see cref="Trainer.Fit"/>.</summary>
/// <remarks>Each value is checked when it is set: a wrong one throws ArgumentOutOfRangeException naming the property.</remarks>
public sealed class FitOptions
{
    private readonly int _epochs = 1;
    private readonly int _batchSize = 32;
    private readonly double _validationSplit;

    /// <summary>Passes over the training data, at least 1. Default 1.</summary>
    public int Epochs
    {
        get => _epochs;
        init => _epochs = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Epochs), value, "Epochs must be at least 1.");
    }

    /// <summary>
    /// Samples per gradient step, at least 1. Default 32. A batch size larger than the training
    /// data means one step on the whole data per epoch (as in Keras).
    /// </summary>
    public int BatchSize
    {
        get => _batchSize;
        init => _batchSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "The batch size must be at least 1.");
    }

    /// <summary>Whether to visit the samples in a new random order each epoch. Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The seed of the shuffling: the same seed gives the same training.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// The last fraction of the data held out for validation, in [0, 1) (0 for none), as Keras'
    /// validation_split. At least one sample is held out and one kept, so a split needs two samples.
    /// </summary>
    public double ValidationSplit
    {
        get => _validationSplit;
        init => _validationSplit = value is >= 0 and < 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ValidationSplit), value, "The validation split must be at least 0 and less than 1 (the fraction of the data held out).");
    }

    /// <summary>Validation data; takes precedence over <see cref="ValidationSplit"/>.</summary>
    public Dataset? ValidationData { get; init; }
}

/// <summary>A progress report of <see cref="Trainer.Fit"/>: after every batch, and once more at the end of each epoch.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Epochs">The number of epochs.</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">The mean training loss of the epoch so far.</param>
/// <param name="Accuracy">The training accuracy of the epoch so far (NaN when the loss is not a classification loss).</param>
/// <param name="IsEpochEnd">True for the report that closes an epoch (it carries the validation metrics).</param>
/// <param name="ValidationLoss">The validation loss at the end of the epoch (NaN otherwise or without validation data).</param>
/// <param name="ValidationAccuracy">The validation accuracy at the end of the epoch (NaN otherwise).</param>
/// <param name="Elapsed">Time since the epoch started.</param>
public readonly record struct TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss, double Accuracy, bool IsEpochEnd,
    double ValidationLoss, double ValidationAccuracy, TimeSpan Elapsed);

/// <summary>The metrics of one epoch.</summary>
public sealed record EpochMetrics(int Epoch, double Loss, double Accuracy, double ValidationLoss, double ValidationAccuracy, TimeSpan Duration);

/// <summary>The loss and accuracy of a network on a data set.</summary>
public readonly record struct Evaluation(double Loss, double Accuracy, int Samples);

/// <summary>What <see cref="Trainer.Fit"/> returns: the metrics of every epoch.</summary>
public sealed class TrainingHistory
{
    private readonly List<EpochMetrics> _epochs = new();

    /// <summary>One entry per epoch, in order.</summary>
    public IReadOnlyList<EpochMetrics> Epochs => _epochs;

    internal void Add(EpochMetrics metrics) => _epochs.Add(metrics);
}
