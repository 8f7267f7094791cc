using System;
using System.ComponentModel;
using System.Threading;

namespace CnnGen;

/// <summary>
/// The scratch memory of one forward and backward pass: every intermediate tensor of a batch.
/// A network instance owns one for its own calls; create more with
/// <see cref="INetwork.CreateWorkspace"/> to run the same network from several threads (one
/// workspace per thread). It grows to the largest batch it has seen and is then reused, so
/// steady-state calls allocate nothing. A workspace serves one call at a time: a Forward or
/// Backward that finds it in use by another thread throws InvalidOperationException rather
/// than return wrong numbers.
/// </summary>
public sealed class Workspace
{
    /// <summary>
    /// Used by generated code: a workspace for <paramref name="network"/> needing
    /// <paramref name="floatsPerSample"/> floats per sample and <paramref name="fixedFloats"/> more for the whole batch.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Workspace(Type network, int floatsPerSample, int fixedFloats)
        : this(network, floatsPerSample, fixedFloats, inferenceOnly: false)
    {
    }

    /// <summary>
    /// Used by generated code: a workspace as above; with <paramref name="inferenceOnly"/>, laid
    /// out for Forward alone (tensors share memory once no later layer reads them), which
    /// Backward refuses.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Workspace(Type network, int floatsPerSample, int fixedFloats, bool inferenceOnly)
    {
        ArgumentNullException.ThrowIfNull(network);
        Network = network;
        FloatsPerSample = floatsPerSample;
        FixedFloats = fixedFloats;
        IsInferenceOnly = inferenceOnly;
        Buffer = Array.Empty<float>();
    }

    /// <summary>The network type this workspace belongs to.</summary>
    public Type Network { get; }

    /// <summary>
    /// True for a workspace from <see cref="INetwork.CreateInferenceWorkspace"/>: Forward reuses
    /// the memory of tensors no later layer reads, so Backward (which needs them all) refuses it.
    /// </summary>
    public bool IsInferenceOnly { get; }

    /// <summary>The largest batch the workspace holds without growing.</summary>
    public int BatchCapacity { get; private set; }

    /// <summary>The batch size of the most recent forward pass (0 before the first).</summary>
    public int BatchSize { get; [EditorBrowsable(EditorBrowsableState.Never)] set; }

    /// <summary>
    /// True when the most recent Forward on this workspace ran in training mode (batch statistics,
    /// dropout on): Backward follows that mode.
    /// </summary>
    public bool Training { get; [EditorBrowsable(EditorBrowsableState.Never)] set; }

    /// <summary>
    /// True when the most recent Forward ran in inference mode with its batch normalisations
    /// folded into the layers before them, so those layers' own outputs were not written:
    /// Backward recomputes the forward pass unfolded first.
    /// </summary>
    public bool Folded { get; [EditorBrowsable(EditorBrowsableState.Never)] set; }

    /// <summary>
    /// The training-mode Forward passes run on this workspace by a network with dropout. Each
    /// pass draws its dropout masks from this count and the layer's seed, and Backward draws the
    /// same masks again, so they need no memory; the same seed and the same calls give the same masks.
    /// </summary>
    public long TrainingPasses { get; [EditorBrowsable(EditorBrowsableState.Never)] set; }

    /// <summary>Floats of intermediate tensors per sample.</summary>
    public int FloatsPerSample { get; }

    /// <summary>Floats after the per-sample part: scratch of the backward pass.</summary>
    public int FixedFloats { get; }

    /// <summary>The memory, laid out by the generated code from its 64-byte aligned start (<see cref="Kernels.AlignedMemory.Start(float[])"/>).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public float[] Buffer { get; private set; }

    /// <summary>
    /// Grows the buffer to hold <paramref name="batchSize"/> samples. Returns true when it
    /// allocated a new (zeroed) buffer, whose frames the caller then fills.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public bool EnsureCapacity(int batchSize)
    {
        if (batchSize <= BatchCapacity)
        {
            return false;
        }

        var floats = (long)FloatsPerSample * batchSize + FixedFloats;
        if (floats + Kernels.AlignedMemory.SlackFloats > Array.MaxLength)
        {
            throw new ArgumentException($"A batch of {batchSize} samples needs {floats:N0} floats of workspace, more than an array can hold; use smaller batches.", nameof(batchSize));
        }

        // Pinned and read from a 64-byte boundary (AlignedMemory): the tensors' vectors start on cache
        // lines, and the layout found by Backward is the one Forward wrote.
        Buffer = Kernels.AlignedMemory.Allocate(floats);
        BatchCapacity = batchSize;
        return true;
    }

    // 1 while a Forward or Backward call runs on this workspace: two calls at once would overwrite
    // each other's intermediate tensors and return wrong numbers without any error.
    private int _busy;

    /// <summary>
    /// Used by generated code at the start of Forward and Backward: marks the workspace as in use,
    /// or throws <see cref="InvalidOperationException"/> if another call is using it right now.
    /// Pair with <see cref="Exit"/> in a finally block.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Enter()
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException(
                $"Another Forward or Backward call of {Network.Name} is using this workspace right now (a network instance is not thread-safe: " +
                "its own Forward and Backward share one workspace). Give each thread its own workspace: var workspace = network.CreateWorkspace(); " +
                "then network.Forward(input, output, batchSize, workspace) and network.Backward(outputGradient, inputGradient, workspace, parameterGradients).");
        }
    }

    /// <summary>Used by generated code: marks the workspace as free again (see <see cref="Enter"/>).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Exit() => Volatile.Write(ref _busy, 0);

    /// <summary>Throws unless this workspace was created by the network type <paramref name="network"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void CheckOwner(Type network)
    {
        if (network != Network)
        {
            throw new ArgumentException($"This workspace belongs to {Network.Name}, not {network.Name}; create it with that network's CreateWorkspace().", "workspace");
        }
    }
}
