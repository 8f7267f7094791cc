using System;

namespace CnnGen.Training;

/// <summary>Samples and their targets, each stored one after another in a float array.</summary>
public sealed class Dataset
{
    /// <summary>A data set of <c>inputs.Length / inputSize</c> samples.</summary>
    public Dataset(float[] inputs, float[] targets, int inputSize, int targetSize)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputSize < 1 || targetSize < 1)
        {
            throw new ArgumentException($"Input and target sizes must be at least 1 (got {inputSize} and {targetSize}).");
        }

        if (inputs.Length % inputSize != 0)
        {
            throw new ArgumentException($"The inputs have {inputs.Length} floats, which is not a whole number of samples of {inputSize}.", nameof(inputs));
        }

        Count = inputs.Length / inputSize;
        if (targets.Length != Count * targetSize)
        {
            throw new ArgumentException($"{Count} samples need {Count * targetSize} target floats ({Count} x {targetSize}), but there are {targets.Length}.", nameof(targets));
        }

        Inputs = inputs;
        Targets = targets;
        InputSize = inputSize;
        TargetSize = targetSize;
    }

    /// <summary>A classification data set: labels 0..classes-1 become one-hot targets.</summary>
    public static Dataset FromLabels(float[] inputs, int inputSize, ReadOnlySpan<int> labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var targets = new float[labels.Length * classes];
        for (var i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), $"Label {labels[i]} of sample {i} is not in 0..{classes - 1}.");
            }

            targets[i * classes + labels[i]] = 1f;
        }

        return new Dataset(inputs, targets, inputSize, classes);
    }

    /// <summary>The number of samples.</summary>
    public int Count { get; }

    /// <summary>Floats per input sample.</summary>
    public int InputSize { get; }

    /// <summary>Floats per target.</summary>
    public int TargetSize { get; }

    /// <summary>All inputs, sample after sample.</summary>
    public float[] Inputs { get; }

    /// <summary>All targets, sample after sample.</summary>
    public float[] Targets { get; }

    /// <summary>The input of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Input(int index) => Inputs.AsSpan(index * InputSize, InputSize);

    /// <summary>The target of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Target(int index) => Targets.AsSpan(index * TargetSize, TargetSize);

    /// <summary>Samples <paramref name="start"/> .. start + count - 1, copied.</summary>
    public Dataset Slice(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Samples {start}..{start + count - 1} are not within the {Count} samples.");
        }

        return new Dataset(Inputs.AsSpan(start * InputSize, count * InputSize).ToArray(),
            Targets.AsSpan(start * TargetSize, count * TargetSize).ToArray(), InputSize, TargetSize);
    }

    /// <summary>A copy with the samples in a random order fixed by <paramref name="seed"/>.</summary>
    public Dataset Shuffle(int seed)
    {
        var order = new int[Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        new SeededRandom(seed).Shuffle(order.AsSpan());
        var inputs = new float[Inputs.Length];
        var targets = new float[Targets.Length];
        for (var i = 0; i < order.Length; i++)
        {
            Input(order[i]).CopyTo(inputs.AsSpan(i * InputSize, InputSize));
            Target(order[i]).CopyTo(targets.AsSpan(i * TargetSize, TargetSize));
        }

        return new Dataset(inputs, targets, InputSize, TargetSize);
    }

    /// <summary>
    /// Splits into the first samples and the last <paramref name="fraction"/> of them (as Keras'
    /// validation_split does: shuffle first if the data is ordered).
    /// </summary>
    /// <remarks>Each part gets at least one sample, so a split needs two.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not strictly between 0 and 1.</exception>
    /// <exception cref="InvalidOperationException">The data set has fewer than two samples.</exception>
    public (Dataset First, Dataset Last) Split(double fraction)
    {
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The fraction must be between 0 and 1.");
        }

        if (Count < 2)
        {
            throw new InvalidOperationException($"A data set of {Count} sample{(Count == 1 ? "" : "s")} cannot be split: each part needs at least one sample.");
        }

        var last = (int)Math.Round(Count * fraction);
        last = Math.Clamp(last, 1, Count - 1);
        return (Slice(0, Count - last), Slice(Count - last, last));
    }
}
