using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace CnnGen.Training;

/// <summary>
/// Trains a network by gradient descent: <see cref="TrainStep"/> runs one mini-batch
/// (forward, loss, backward, optimiser update) and <see cref="Fit"/> loops over a data set.
/// A mini-batch is cut into micro-batches of <see cref="MicroBatchSize"/> samples that run on
/// up to <see cref="Threads"/> threads, each with its own workspace and gradient buffer; the
/// gradients are then added in micro-batch order. The cut does not depend on the thread
/// count, so the same seed gives bit-identical weights on 1 or 16 threads. After the first
/// step at a batch size, steps allocate nothing.
/// <para>
/// Training steps run the network in training mode (<c>Forward(..., training: true)</c>);
/// evaluation runs inference. A network with state (batch normalisation) trains each mini-batch
/// as one piece, as Keras does: the batch statistics are those of the whole mini-batch and the
/// moving statistics are updated once per step, so the result is the same on any number of
/// threads (the step then runs on one thread; evaluation still uses micro-batches).
/// </para>
/// </summary>
public sealed class Trainer
{
    private readonly ChunkRunner _runner;
    private readonly Action<int> _chunkWork;
    private readonly Activation _outputActivation;
    private Chunk[] _chunks = Array.Empty<Chunk>();
    private Chunk? _wholeBatch;
    private readonly bool _hasDropout;
    private bool _useWholeBatch;
    private int _samplesPerChunk;
    private float[] _batchInputs = Array.Empty<float>();
    private float[] _batchTargets = Array.Empty<float>();

    // The mini-batch being processed (pinned for the duration of a step).
    private unsafe float* _inputs;
    private unsafe float* _targets;
    private int _batchSize;

    /// <summary>A trainer for <paramref name="network"/>.</summary>
    /// <param name="network">The network to train.</param>
    /// <param name="loss">The loss to minimise.</param>
    /// <param name="optimizer">The update rule.</param>
    /// <param name="threads">Threads per step; default: the processor count.</param>
    /// <param name="microBatchSize">Samples per unit of parallel work (and of gradient summation order).</param>
    public Trainer(INetwork network, Loss loss, Optimizer optimizer, int? threads = null, int microBatchSize = 16)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (microBatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(microBatchSize), microBatchSize, "The micro-batch size must be at least 1.");
        }

        Network = network;
        Loss = loss;
        Optimizer = optimizer;
        MicroBatchSize = microBatchSize;
        _runner = new ChunkRunner(threads ?? Environment.ProcessorCount);
        _chunkWork = RunChunk;
        var layers = network.Architecture.Layers;
        _outputActivation = layers.Count == 0 ? Activation.Linear : layers[^1].Activation;
        _hasDropout = layers.Any(l => l.Kind == LayerKind.Dropout);
    }

    /// <summary>The network being trained.</summary>
    public INetwork Network { get; }

    /// <summary>The loss.</summary>
    public Loss Loss { get; }

    /// <summary>The optimiser.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Threads per step.</summary>
    public int Threads => _runner.Threads;

    /// <summary>Samples per micro-batch.</summary>
    public int MicroBatchSize { get; }

    /// <summary>Bytes allocated on helper threads while they ran micro-batches (for allocation tests).</summary>
    internal long HelperAllocatedBytes => _runner.HelperAllocatedBytes;

    /// <summary>
    /// One step on a mini-batch of <paramref name="batchSize"/> samples: returns the mean loss
    /// before the update. <paramref name="targets"/> has the layout of the network output.
    /// </summary>
    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize) =>
        (float)(Step(inputs, targets, batchSize, update: true, out _) / batchSize);

    /// <summary>Runs the step and returns the summed loss and the number of correct predictions.</summary>
    private unsafe double Step(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize, bool update, out int correct)
    {
        CheckBatch(inputs.Length, targets.Length, batchSize);

        // Batch statistics must be the whole mini-batch's (Keras semantics): a network with state trains it as one piece.
        // So does one with dropout: its masks are drawn per workspace, and one workspace keeps them independent and deterministic.
        _useWholeBatch = update && (Network.StateCount > 0 || _hasDropout);
        _samplesPerChunk = _useWholeBatch ? batchSize : MicroBatchSize;
        var chunkCount = (batchSize + _samplesPerChunk - 1) / _samplesPerChunk;
        if (_useWholeBatch)
        {
            if (_wholeBatch is null || _wholeBatch.Samples < batchSize)
            {
                _wholeBatch = new Chunk(Network, batchSize);
            }
        }
        else
        {
            EnsureChunks(chunkCount);
        }

        fixed (float* inputPointer = inputs)
        fixed (float* targetPointer = targets)
        {
            _inputs = inputPointer;
            _targets = targetPointer;
            _batchSize = batchSize;
            _update = update;
            try
            {
                _runner.Run(chunkCount, _chunkWork);
            }
            finally
            {
                _inputs = null;
                _targets = null;
            }
        }

        var loss = 0.0;
        correct = 0;
        for (var c = 0; c < chunkCount; c++)
        {
            loss += ChunkAt(c).Loss;
            correct += ChunkAt(c).Correct;
        }

        if (update)
        {
            // Gradients of the micro-batches, added in order: the same sum on any number of threads.
            var gradients = Network.Gradients;
            ChunkAt(0).Gradients.AsSpan(0, Network.ParameterCount).CopyTo(gradients);
            for (var c = 1; c < chunkCount; c++)
            {
                Add(gradients, _chunks[c].Gradients);
            }

            Optimizer.Step(Network.Parameters, gradients);
        }

        return loss;
    }

    private bool _update;

    private Chunk ChunkAt(int index) => _useWholeBatch ? _wholeBatch! : _chunks[index];

    private unsafe void RunChunk(int index)
    {
        var chunk = ChunkAt(index);
        var start = index * _samplesPerChunk;
        var samples = Math.Min(_samplesPerChunk, _batchSize - start);
        var network = Network;
        var input = new ReadOnlySpan<float>(_inputs + (long)start * network.InputSize, samples * network.InputSize);
        var target = new ReadOnlySpan<float>(_targets + (long)start * network.OutputSize, samples * network.OutputSize);
        var output = chunk.Output.AsSpan(0, samples * network.OutputSize);
        if (_update)
        {
            network.Forward(input, output, samples, chunk.Workspace, training: true);
        }
        else
        {
            network.Forward(input, output, samples, chunk.InferenceWorkspace);
        }

        chunk.Correct = Loss.IsClassification ? Metrics.CountCorrect(output, target, samples, _outputActivation) : 0;
        if (!_update)
        {
            chunk.Loss = Loss.Sum(output, target, samples, _outputActivation);
            return;
        }

        var gradient = chunk.OutputGradient.AsSpan(0, samples * network.OutputSize);
        chunk.Loss = Loss.Gradient(output, target, gradient, samples, _batchSize, _outputActivation, out var preActivation);
        network.Backward(gradient, Span<float>.Empty, chunk.Workspace, chunk.Gradients, preActivation);
    }

    /// <summary>
    /// Trains for <see cref="FitOptions.Epochs"/> epochs and returns the metrics of each.
    /// <paramref name="progress"/> hears after every batch and at the end of every epoch.
    /// </summary>
    public TrainingHistory Fit(Dataset data, FitOptions? options = null, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new FitOptions();

        // Everything is checked before the first step: on an exception the network is unchanged.
        CheckData(data, nameof(data), "training data");
        var (train, validation) = (data, options.ValidationData);
        if (validation is null && options.ValidationSplit > 0)
        {
            if (data.Count < 2)
            {
                throw new ArgumentException(
                    $"The training data has {data.Count} sample, which cannot be split into training and validation data as ValidationSplit = {options.ValidationSplit.ToString(CultureInfo.InvariantCulture)} asks: " +
                    "a split keeps at least one sample on each side. Give more data, ValidationSplit = 0, or ValidationData.", nameof(options));
            }

            (train, validation) = data.Split(options.ValidationSplit);
        }

        if (validation is not null)
        {
            CheckData(validation, nameof(options), "validation data");
        }

        // A batch larger than the data is the whole data, as in Keras.
        var batchSize = Math.Min(options.BatchSize, train.Count);
        var history = new TrainingHistory();
        var order = new int[train.Count];
        var batches = (int)(((long)train.Count + batchSize - 1) / batchSize);
        EnsureBatchBuffers(batchSize);
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            if (options.Shuffle)
            {
                new SeededRandom(options.Seed * 1_000_003L + epoch).Shuffle(order.AsSpan());
            }

            double lossSum = 0;
            var correct = 0;
            var seen = 0;
            for (var b = 0; b < batches; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var start = b * batchSize;
                var size = Math.Min(batchSize, train.Count - start);
                Gather(train, order.AsSpan(start, size));
                lossSum += Step(_batchInputs.AsSpan(0, size * train.InputSize), _batchTargets.AsSpan(0, size * train.TargetSize), size, update: true,
                    out var batchCorrect);
                correct += batchCorrect;
                seen += size;
                progress?.Report(new TrainingProgress(epoch, options.Epochs, b + 1, batches, lossSum / seen, Accuracy(correct, seen), false,
                    double.NaN, double.NaN, clock.Elapsed));
            }

            var evaluation = validation is null ? new Evaluation(double.NaN, double.NaN, 0) : Evaluate(validation, options.BatchSize);
            var metrics = new EpochMetrics(epoch, lossSum / seen, Accuracy(correct, seen), evaluation.Loss, evaluation.Accuracy, clock.Elapsed);
            history.Add(metrics);
            progress?.Report(new TrainingProgress(epoch, options.Epochs, batches, batches, metrics.Loss, metrics.Accuracy, true,
                metrics.ValidationLoss, metrics.ValidationAccuracy, clock.Elapsed));
        }

        return history;
    }

    /// <summary>The mean loss and the accuracy of the network on <paramref name="data"/> (no update).</summary>
    /// <exception cref="ArgumentException">The data is empty or does not fit the network, or the batch size is below 1.</exception>
    public Evaluation Evaluate(Dataset data, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckData(data, nameof(data), "data");
        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");
        }

        batchSize = Math.Min(batchSize, data.Count);
        double lossSum = 0;
        var correct = 0;
        for (var start = 0; start < data.Count; start += batchSize)
        {
            var size = Math.Min(batchSize, data.Count - start);
            lossSum += Step(data.Inputs.AsSpan(start * data.InputSize, size * data.InputSize),
                data.Targets.AsSpan(start * data.TargetSize, size * data.TargetSize), size, update: false, out var batchCorrect);
            correct += batchCorrect;
        }

        return new Evaluation(lossSum / data.Count, Accuracy(correct, data.Count), data.Count);
    }

    private double Accuracy(int correct, int samples) => Loss.IsClassification ? (double)correct / samples : double.NaN;

    private void Gather(Dataset data, ReadOnlySpan<int> indices)
    {
        for (var i = 0; i < indices.Length; i++)
        {
            data.Input(indices[i]).CopyTo(_batchInputs.AsSpan(i * data.InputSize, data.InputSize));
            data.Target(indices[i]).CopyTo(_batchTargets.AsSpan(i * data.TargetSize, data.TargetSize));
        }
    }

    private void EnsureBatchBuffers(int batchSize)
    {
        if (_batchInputs.Length < batchSize * Network.InputSize)
        {
            _batchInputs = new float[batchSize * Network.InputSize];
            _batchTargets = new float[batchSize * Network.OutputSize];
        }
    }

    private void EnsureChunks(int count)
    {
        if (_chunks.Length >= count)
        {
            return;
        }

        var chunks = new Chunk[count];
        _chunks.AsSpan().CopyTo(chunks);
        for (var i = _chunks.Length; i < count; i++)
        {
            chunks[i] = new Chunk(Network, MicroBatchSize);
        }

        _chunks = chunks;
    }

    private void CheckBatch(int inputLength, int targetLength, int batchSize)
    {
        if (batchSize < 1)
        {
            throw new ArgumentException($"The batch size must be at least 1, but it is {batchSize}.", nameof(batchSize));
        }

        if (inputLength != (long)batchSize * Network.InputSize)
        {
            throw new ArgumentException($"inputs has {inputLength} floats, but a batch of {batchSize} needs {(long)batchSize * Network.InputSize}.", "inputs");
        }

        if (targetLength != (long)batchSize * Network.OutputSize)
        {
            throw new ArgumentException($"targets has {targetLength} floats, but a batch of {batchSize} needs {(long)batchSize * Network.OutputSize} (the output size).", "targets");
        }
    }

    private void CheckData(Dataset data, string parameter, string what)
    {
        if (data.InputSize != Network.InputSize || data.TargetSize != Network.OutputSize)
        {
            throw new ArgumentException(
                $"The {what} has inputs of {data.InputSize} and targets of {data.TargetSize} floats, but {Network.Architecture.Name} takes {Network.InputSize} and outputs {Network.OutputSize}.",
                parameter);
        }

        if (data.Count == 0)
        {
            throw new ArgumentException($"The {what} has no samples.", parameter);
        }
    }

    private static void Add(Span<float> sum, ReadOnlySpan<float> values)
    {
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var width = System.Numerics.Vector<float>.Count;
            for (; i + width <= sum.Length; i += width)
            {
                (new System.Numerics.Vector<float>(sum.Slice(i)) + new System.Numerics.Vector<float>(values.Slice(i))).CopyTo(sum.Slice(i));
            }
        }

        for (; i < sum.Length; i++)
        {
            sum[i] += values[i];
        }
    }

    /// <summary>The buffers of one micro-batch.</summary>
    private sealed class Chunk
    {
        public Chunk(INetwork network, int samples)
        {
            Workspace = network.CreateWorkspace();
            Samples = samples;

            // Evaluation runs Forward alone: a network with skip connections needs far less memory
            // for it. A chain has one layout, so it shares the training workspace.
            InferenceWorkspace = network.Architecture.IsChain ? Workspace : network.CreateInferenceWorkspace();
            Output = new float[samples * network.OutputSize];
            OutputGradient = new float[samples * network.OutputSize];
            Gradients = new float[network.ParameterCount];
        }

        public Workspace Workspace { get; }

        /// <summary>The most samples the buffers hold.</summary>
        public int Samples { get; }

        /// <summary>The workspace of Evaluate: laid out for inference only in a network that is not a chain.</summary>
        public Workspace InferenceWorkspace { get; }

        public float[] Output { get; }

        public float[] OutputGradient { get; }

        public float[] Gradients { get; }

        public double Loss { get; set; }

        public int Correct { get; set; }
    }
}
