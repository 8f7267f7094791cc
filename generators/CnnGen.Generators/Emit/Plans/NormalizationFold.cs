using System.Collections.Generic;
using CnnGen.Generators.Layers;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit.Plans;

/// <summary>
/// A batch normalisation folded into the layer before it in inference mode: a convolution,
/// depthwise convolution or dense layer with a linear activation (the producer) whose output
/// only the normalisation reads, and, when the normalisation's output is read only by an
/// activation layer whose activation is fused (relu, leaky relu, relu6, hard sigmoid), that
/// activation too. In inference the producer runs a variant whose stores compute
/// sum * scale + shift per channel (scale = gamma / sqrt(moving variance + epsilon),
/// shift = beta - moving mean * scale, so the sum keeps its bias), then the activation, and
/// write the group's last tensor; the normalisation and the activation layer are skipped.
/// Conv-BN-ReLU then costs what Conv-ReLU costs. Training mode runs the three layers as
/// written (the batch statistics need the convolution's output), and so does a Backward after
/// an inference Forward, which recomputes the unfolded forward first (BN's gradient needs its input).
/// </summary>
/// <param name="Producer">The layer whose stores absorb the normalisation.</param>
/// <param name="Normalization">The batch normalisation.</param>
/// <param name="Activation">The activation layer after it, or -1.</param>
internal sealed record NormalizationFold(int Producer, int Normalization, int Activation)
{
    /// <summary>The last layer of the group: the tensor the variant writes is its output.</summary>
    public int Last => Activation >= 0 ? Activation : Normalization;

    /// <summary>The tensor the variant writes (the last layer's output).</summary>
    public int Target => Last + 1;

    /// <summary>The producer's inference variant: the activation after the normalisation, scales and shifts in its stores, methods named <c>&lt;Layer&gt;Folded...</c>.</summary>
    public LayerModel Variant(NetworkModel network)
    {
        var producer = network.Layers[Producer];
        return producer with
        {
            AccessorName = producer.AccessorName + "Folded",
            Activation = Activation >= 0 ? network.Layers[Activation].Activation : ActivationKind.Linear,
            FoldsNormalization = true,
        };
    }

    /// <summary>Floats of forward scratch the variant reads: its bias, scales and shifts, one per output channel each.</summary>
    public int ScratchFloats(NetworkModel network) => 3 * network.Layers[Producer].Output.Channels;

    /// <summary>Every fold of the network: a normalisation whose input only it reads, produced by a layer that can absorb it.</summary>
    public static IReadOnlyList<NormalizationFold> Find(NetworkModel network, IReadOnlyList<TensorCopy> copies)
    {
        var layers = network.Layers;
        var readers = WorkspacePlan.Readers(network);
        var folds = new List<NormalizationFold>();
        for (var i = 0; i < layers.Count; i++)
        {
            var normalization = layers[i];
            if (normalization.Kind != LayerKind.BatchNormalization || normalization.Inputs.Count != 1)
            {
                continue;
            }

            var producer = normalization.Inputs[0];
            if (producer < 0 || !OnlyReader(readers, copies, producer + 1, i) ||
                layers[producer].Activation != ActivationKind.Linear || !LayerFamilies.Of(layers[producer]).CanFoldNormalization(layers[producer]))
            {
                continue;
            }

            var activation = -1;
            if (readers[i + 1].Count == 1 && readers[i + 1][0].Layer is var reader && OnlyReader(readers, copies, i + 1, reader) &&
                layers[reader].Kind == LayerKind.Activation && layers[reader].Activation != ActivationKind.Linear && ActivationPlan.IsFused(layers[reader].Activation))
            {
                activation = reader;
            }

            folds.Add(new NormalizationFold(producer, i, activation));
        }

        return folds;
    }

    /// <summary>True when layer <paramref name="layer"/> is the one reader of tensor <paramref name="tensor"/> and no copy is made of it.</summary>
    private static bool OnlyReader(List<(int Layer, int Input)>[] readers, IReadOnlyList<TensorCopy> copies, int tensor, int layer)
    {
        if (readers[tensor].Count != 1 || readers[tensor][0].Layer != layer)
        {
            return false;
        }

        foreach (var copy in copies)
        {
            if (copy.Source == tensor)
            {
                return false;
            }
        }

        return true;
    }
}
