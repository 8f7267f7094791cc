using System;

namespace CnnGen;

/// <summary>
/// What every generated network offers, so that losses, optimisers, training loops, weight
/// files and exporters work with any of them. The generated class also has the same members
/// as constants and statics (InputSize, InputShape, Summary...).
/// </summary>
public interface INetwork
{
    /// <summary>The resolved architecture the code was generated for.</summary>
    NetworkArchitecture Architecture { get; }

    /// <summary>Floats in one input sample.</summary>
    int InputSize { get; }

    /// <summary>Floats in one output sample.</summary>
    int OutputSize { get; }

    /// <summary>The number of parameters.</summary>
    int ParameterCount { get; }

    /// <summary>All weights, layer by layer, kernel then bias, in Keras layout.</summary>
    Span<float> Parameters { get; }

    /// <summary>dL/d(parameters) from the last <see cref="Backward(ReadOnlySpan{float}, Span{float})"/>; same layout as <see cref="Parameters"/>.</summary>
    Span<float> Gradients { get; }

    /// <summary>Runs one sample.</summary>
    void Forward(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Runs <paramref name="batchSize"/> samples stored one after another.</summary>
    void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize);

    /// <summary>
    /// Back-propagates dL/d(output) of the batch of the most recent Forward: writes dL/d(input)
    /// (an empty span skips that work) and overwrites <see cref="Gradients"/> with dL/d(parameters) summed over the batch.
    /// </summary>
    void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient);

    /// <summary>A workspace of one's own, for running this network from several threads.</summary>
    Workspace CreateWorkspace();

    /// <summary>
    /// A workspace for Forward only: in a network with skip connections or branches, a tensor's
    /// memory is reused as soon as no later layer reads it, so the workspace holds a few tensors
    /// at a time instead of every activation. Backward refuses it (InvalidOperationException).
    /// A chain's generated code has one layout, so for a chain this is <see cref="CreateWorkspace"/>.
    /// </summary>
    Workspace CreateInferenceWorkspace() => CreateWorkspace();

    /// <summary>Forward with an explicit workspace: safe to call from several threads with one workspace each.</summary>
    void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize, Workspace workspace);

    /// <summary>Backward with an explicit workspace, writing parameter gradients to <paramref name="parameterGradients"/>.</summary>
    void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, Workspace workspace, Span<float> parameterGradients);

    /// <summary>
    /// Backward where <paramref name="outputGradient"/> may be dL/d(pre-activation) of the output
    /// layer (<paramref name="outputGradientIsPreActivation"/> true): the output activation's
    /// derivative is skipped. Losses fused with a softmax or sigmoid output use it, because
    /// (y - t) is exact and stable where dividing by y is not.
    /// </summary>
    void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, Workspace workspace, Span<float> parameterGradients,
        bool outputGradientIsPreActivation);

    /// <summary>
    /// Packs, once, the kernels that deep convolutions otherwise pack on every Forward, as
    /// <see cref="Parameters"/> hold them now, so that Forward (either mode, any workspace) reads
    /// them packed: faster inference for ResNet-sized layers, at the cost of a second copy of their
    /// kernels. Reading <see cref="Parameters"/> or a layer's weights again drops the pack (the
    /// caller could write through them); Forward then packs as it runs, with the same numbers,
    /// until the next call. Does nothing in a network without such layers.
    /// </summary>
    void PackWeights()
    {
    }

    /// <summary>True while Forward reads the kernels <see cref="PackWeights"/> packed.</summary>
    bool WeightsPacked => false;

    /// <summary>Floats of non-trainable state: batch normalisation's moving mean and variance. 0 for networks without state.</summary>
    int StateCount => 0;

    /// <summary>
    /// The non-trainable state, layer by layer: each batch normalisation's moving mean then moving
    /// variance (initially 0 and 1). Training-mode Forward updates it; weight files carry it.
    /// </summary>
    Span<float> State => Span<float>.Empty;

    /// <summary>
    /// Runs a batch in training mode (<paramref name="training"/> true: Keras's <c>training=True</c>:
    /// batch statistics, moving averages updated, dropout on) or in inference mode. Backward follows
    /// the mode of the last Forward on the workspace.
    /// </summary>
    void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize, bool training) => Forward(input, output, batchSize);

    /// <summary>Forward in training or inference mode with an explicit workspace.</summary>
    void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize, Workspace workspace, bool training) =>
        Forward(input, output, batchSize, workspace);
}
