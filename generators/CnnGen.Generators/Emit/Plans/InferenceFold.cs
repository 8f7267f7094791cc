using System.Collections.Generic;
using CnnGen.Generators.Layers;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit.Plans;

/// <summary>
/// Work that inference moves into the stores of a convolution, depthwise convolution or dense
/// layer (the producer), so that it costs no pass over a tensor:
/// <list type="bullet">
/// <item>a batch normalisation whose input only it reads, after a producer with a linear
/// activation: the stores compute sum * scale + shift per channel (scale = gamma /
/// sqrt(moving variance + epsilon), shift = beta - moving mean * scale, so the sum keeps its
/// bias);</item>
/// <item>an <c>Activation</c> layer that is the only reader of the normalisation's output (or,
/// with no normalisation, of the linear producer's), with an activation the stores can apply
/// (<see cref="ActivationPlan.IsFusedInInference"/>);</item>
/// <item>the producer's own activation when training runs it as a pass from a pre-activation
/// (hard swish; gelu and silu in depthwise convolutions: their derivatives need the
/// pre-activation, which inference does not).</item>
/// </list>
/// In inference the producer runs a variant that writes the group's last tensor, and the
/// normalisation and activation layers are skipped. Training mode runs the layers as written
/// (batch statistics need the convolution's output, derivatives the pre-activation), and so does
/// a Backward after an inference Forward, which recomputes the layers unfolded first.
/// </summary>
/// <param name="Producer">The layer whose stores absorb the work.</param>
/// <param name="Normalization">The batch normalisation, or -1.</param>
/// <param name="Activation">The activation layer after it, or -1.</param>
internal sealed record InferenceFold(int Producer, int Normalization, int Activation)
{
    /// <summary>The last layer of the group: the tensor the variant writes is its output.</summary>
    public int Last => Activation >= 0 ? Activation : Normalization >= 0 ? Normalization : Producer;

    /// <summary>The tensor the variant writes (the last layer's output).</summary>
    public int Target => Last + 1;

    /// <summary>True when a batch normalisation is folded in (the variant reads its bias, scales and shifts from the forward scratch).</summary>
    public bool HasNormalization => Normalization >= 0;

    /// <summary>
    /// The producer's inference variant: the group's activation applied in its stores, and the
    /// normalisation's scales and shifts when it folds one; methods named
    /// <c>&lt;Layer&gt;Folded...</c> (with a normalisation) or <c>&lt;Layer&gt;Fused...</c>.
    /// </summary>
    public LayerModel Variant(NetworkModel network)
    {
        var producer = network.Layers[Producer];
        return producer with
        {
            AccessorName = producer.AccessorName + (HasNormalization ? "Folded" : "Fused"),
            Activation = Activation >= 0 ? network.Layers[Activation].Activation : producer.Activation,
            FoldsNormalization = HasNormalization,
            FusesInInference = true,
        };
    }

    /// <summary>
    /// Floats of forward scratch the variant uses: the producer's own (a transposed convolution's
    /// repacked kernel), then its bias, scales and shifts, one per output channel each (none
    /// without a normalisation).
    /// </summary>
    public int ScratchFloats(NetworkModel network) => HasNormalization ? ScratchOffset(network) + 3 * network.Layers[Producer].Output.Channels : 0;

    /// <summary>Where in the forward scratch the bias, scales and shifts start: after the producer's own scratch.</summary>
    public int ScratchOffset(NetworkModel network) => LayerFamilies.Of(network.Layers[Producer]).ForwardScratchFloats(network.Layers[Producer]);

    /// <summary>A ref to the bias, scales and shifts in the forward scratch, as the generated code writes it.</summary>
    public string ScratchBlock(NetworkModel network) => ScratchOffset(network) is var offset and > 0
        ? "ref " + Emit.FrameworkNames.Unsafe + ".Add(ref scratch, " + offset + ")"
        : "ref scratch";

    /// <summary>Every fold of the network, at most one per producer.</summary>
    public static IReadOnlyList<InferenceFold> Find(NetworkModel network, IReadOnlyList<TensorCopy> copies)
    {
        var layers = network.Layers;
        var readers = WorkspacePlan.Readers(network);
        var folds = new List<InferenceFold>();
        for (var producer = 0; producer < layers.Count; producer++)
        {
            var layer = layers[producer];
            if (!LayerFamilies.Of(layer).CanFoldNormalization(layer))
            {
                continue;
            }

            if (layer.Activation != ActivationKind.Linear)
            {
                // Its own activation, when training runs it as a pass (and inference would not:
                // a transposed convolution's activation is always a pass from its framed sums).
                if (!ActivationPlan.IsFused(layer.Activation) && ActivationPlan.IsFusedInInference(layer, layer.Activation) &&
                    !LayerFamilies.Of(layer).NeedsPreActivation(layer with { FusesInInference = true }))
                {
                    folds.Add(new InferenceFold(producer, -1, -1));
                }

                continue;
            }

            var next = SoleReader(layers, readers, copies, producer);
            var normalization = next >= 0 && layers[next].Kind == LayerKind.BatchNormalization ? next : -1;
            var reader = normalization >= 0 ? SoleReader(layers, readers, copies, normalization) : next;
            var activation = reader >= 0 && layers[reader].Kind == LayerKind.Activation && layers[reader].Activation != ActivationKind.Linear &&
                ActivationPlan.IsFusedInInference(layer, layers[reader].Activation) ? reader : -1;
            if (normalization >= 0 || activation >= 0)
            {
                folds.Add(new InferenceFold(producer, normalization, activation));
            }
        }

        return folds;
    }

    /// <summary>The one layer that reads layer <paramref name="layer"/>'s output, through its one input and with no copy of it made, or -1.</summary>
    private static int SoleReader(IReadOnlyList<LayerModel> layers, List<(int Layer, int Input)>[] readers, IReadOnlyList<TensorCopy> copies, int layer)
    {
        var tensor = layer + 1;
        if (readers[tensor].Count != 1 || layers[readers[tensor][0].Layer].Inputs.Count != 1)
        {
            return -1;
        }

        foreach (var copy in copies)
        {
            if (copy.Source == tensor)
            {
                return -1;
            }
        }

        return readers[tensor][0].Layer;
    }
}
