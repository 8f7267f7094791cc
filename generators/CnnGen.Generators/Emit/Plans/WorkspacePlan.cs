using System.Collections.Generic;
using CnnGen.Generators.Layers;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit.Plans;

/// <summary>
/// The memory of a forward and backward pass: where each tensor of a batch lives in the
/// workspace. Tensor i is the input of layer i; the last one is the network output. Tensors
/// are stored layer after layer, each for the whole batch (<c>offset * batch</c> floats in),
/// so that one sample's tensor is at <c>offset * batch + n * StoredSize</c>. Gradients mirror
/// the activations in a second region of the same size.
/// </summary>
internal sealed class WorkspacePlan
{
    private WorkspacePlan(List<TensorLayout> tensors, List<TensorLayout?> preActivations, int activationFloats, int scratchFloats, int paddedGradientFloats)
    {
        ScratchFloats = scratchFloats;
        PaddedGradientFloats = paddedGradientFloats;
        Tensors = tensors;
        PreActivations = preActivations;
        ActivationFloats = activationFloats;
    }

    /// <summary>Tensor i feeds layer i; tensor Layers.Count is the output.</summary>
    public IReadOnlyList<TensorLayout> Tensors { get; }

    /// <summary>
    /// For layers whose activation is applied in a separate pass (not linear, relu or leaky relu):
    /// the unframed pre-activation tensor the layer writes first. Null otherwise.
    /// </summary>
    public IReadOnlyList<TensorLayout?> PreActivations { get; }

    /// <summary>Floats per sample of all activations; gradients start at this offset (times the batch).</summary>
    public int ActivationFloats { get; }

    /// <summary>Floats per sample of the whole workspace: activations, gradients, padded input gradients.</summary>
    public int FloatsPerSample => ActivationFloats * 2 + PaddedGradientFloats;

    /// <summary>Where the padded input gradients start, per sample (times the capacity).</summary>
    public int PaddedGradientOffset => ActivationFloats * 2;

    /// <summary>
    /// Floats per sample of backward scratch that grows with the batch: the input gradient of a
    /// convolution whose input channels are not a whole vector, kept with the channels padded
    /// (see <see cref="PaddedGradientLayout"/>), and the planar dz of a position-vectorised
    /// kernel gradient (see <see cref="PositionVectorizedKernelGradient"/>).
    /// </summary>
    public int PaddedGradientFloats { get; }

    /// <summary>
    /// The input gradient of <paramref name="layer"/> with <paramref name="paddedChannels"/>
    /// channels per position: vectors of one position never overlap the next, so adding into
    /// it never waits on the previous store.
    /// </summary>
    public static TensorLayout PaddedGradientLayout(TensorLayout input, int paddedChannels) =>
        input with { Index = -1, Channels = paddedChannels, Offset = 0 };

    /// <summary>
    /// Floats after the per-sample part (at capacity * FloatsPerSample) for the backward pass:
    /// the kernel of one layer, transposed so that input channels are contiguous.
    /// </summary>
    public int ScratchFloats { get; }

    public static WorkspacePlan Create(NetworkModel network)
    {
        var layers = network.Layers;
        var tensors = new List<TensorLayout>();
        var preActivations = new List<TensorLayout?>();
        var offset = 0;
        for (var i = 0; i <= layers.Count; i++)
        {
            var shape = i == 0 ? network.Input : layers[i - 1].Output;
            if (i > 0 && IsAlias(network, layers[i - 1]))
            {
                // Flatten in channels-last order is a view of its input: same memory.
                var source = tensors[i - 1];
                tensors.Add(source with { Index = i, Height = 1, Width = 1, Channels = source.Size });
                continue;
            }

            var frame = i < layers.Count ? LayerFamilies.Of(layers[i]).InputFrame(layers[i]) : Frame.None;
            var tensor = new TensorLayout(i, shape.Height, shape.Width, shape.Channels, frame.Top, frame.Bottom, frame.Left, frame.Right,
                frame.IsNegativeInfinity, offset);
            tensors.Add(tensor);
            offset += tensor.StoredSize;
        }

        foreach (var layer in layers)
        {
            if (LayerFamilies.Of(layer).NeedsPreActivation(layer))
            {
                var z = new TensorLayout(-1, layer.Output.Height, layer.Output.Width, layer.Output.Channels, 0, 0, 0, 0, false, offset);
                preActivations.Add(z);
                offset += z.StoredSize;
            }
            else
            {
                preActivations.Add(null);
            }
        }

        var scratch = 0;
        var padded = 0;
        for (var i = 0; i < layers.Count; i++)
        {
            var family = LayerFamilies.Of(layers[i]);
            scratch = System.Math.Max(scratch, family.BackwardScratchFloats(layers[i]));
            padded = System.Math.Max(padded, family.BatchScratchFloats(layers[i], tensors[i]));
        }

        // Vector loads and additions may run a vector past a tensor's last channel (their extra
        // lanes are masked or add zero): a vector of room at the very end keeps them in the buffer.
        return new WorkspacePlan(tensors, preActivations, offset, scratch + TailFloats, padded);
    }

    /// <summary>Room after everything for one vector that runs past the last channel.</summary>
    public const int TailFloats = 16;

    /// <summary>A layer (flatten in memory order) whose output is its input's memory: no copy.</summary>
    public static bool IsAlias(NetworkModel network, LayerModel layer) => LayerFamilies.Of(layer).IsViewOfInput(network, layer);
}
