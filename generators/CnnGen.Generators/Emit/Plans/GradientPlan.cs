using System.Collections.Generic;
using CnnGen.Generators.Layers;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit.Plans;

/// <summary>How a backward step writes a gradient buffer: the first step to reach it writes, the ones after add.</summary>
internal enum GradientMode
{
    /// <summary>The step writes the gradient (the buffer holds nothing yet).</summary>
    Write,

    /// <summary>The step adds into the gradient: other readers of the tensor wrote theirs first.</summary>
    Accumulate,
}

/// <summary>
/// The gradients of a tensor read by several layers are summed. Backward runs the layers from
/// the last to the first, so the readers of a tensor run one after another before the layer
/// that wrote it; the first writes the tensor's gradient, each later one adds. A layer whose
/// family can add into an input gradient (<see cref="LayerFamily.CanAccumulateInputGradient"/>)
/// adds directly; any other writes into a scratch tensor, which is then added (one more pass
/// over the tensor). In a chain every tensor has one reader and everything is written.
/// A view (flatten in memory order) shares its memory with what it reads, gradient included,
/// so the readers of both are the readers of one buffer.
/// </summary>
internal sealed class GradientPlan
{
    private GradientPlan(List<GradientMode[]> inputs, List<GradientMode> copies, List<int> cleared, List<bool[]> viaScratch, int scratchFloats)
    {
        Inputs = inputs;
        Copies = copies;
        Cleared = cleared;
        _viaScratch = viaScratch;
        ScratchFloats = scratchFloats;
    }

    private readonly List<bool[]> _viaScratch;

    /// <summary>Per layer, per input: how the layer writes the gradient of the tensor it reads.</summary>
    public IReadOnlyList<GradientMode[]> Inputs { get; }

    /// <summary>Per copy of <see cref="WorkspacePlan.Copies"/>: how the copy's gradient goes back into its source's.</summary>
    public IReadOnlyList<GradientMode> Copies { get; }

    /// <summary>Tensors whose gradient no layer writes (an output nothing reads): zeroed before the layers run.</summary>
    public IReadOnlyList<int> Cleared { get; }

    /// <summary>Floats per sample of the scratch tensor that layers which cannot add write first (0 in a chain).</summary>
    public int ScratchFloats { get; }

    /// <summary>True when layer <paramref name="layer"/> writes the gradient of input <paramref name="input"/> into the scratch tensor, to be added after.</summary>
    public bool ViaScratch(int layer, int input) => _viaScratch[layer][input];

    public static GradientPlan Create(NetworkModel network, IReadOnlyList<TensorLayout> tensors, IReadOnlyList<int[]> readTensors,
        IReadOnlyList<TensorCopy> copies)
    {
        var layers = network.Layers;
        var count = layers.Count;

        // A view's memory is its source's: one buffer, named by its root.
        var root = new int[tensors.Count];
        for (var t = 0; t < root.Length; t++)
        {
            root[t] = t > 0 && t <= count && WorkspacePlan.IsAlias(network, layers[t - 1]) ? root[readTensors[t - 1][0]] : t;
        }

        // The steps that write each buffer, in the order Backward runs them.
        var steps = new List<(int Layer, int Input, int Copy)>[tensors.Count];
        for (var t = 0; t < steps.Length; t++)
        {
            steps[t] = new List<(int, int, int)>();
        }

        for (var i = count - 1; i >= 0; i--)
        {
            if (!WorkspacePlan.IsAlias(network, layers[i]))
            {
                for (var j = 0; j < readTensors[i].Length; j++)
                {
                    steps[root[readTensors[i][j]]].Add((i, j, -1));
                }
            }

            for (var c = 0; c < copies.Count; c++)
            {
                if (copies[c].FirstReader == i)
                {
                    steps[root[copies[c].Source]].Add((-1, -1, c));
                }
            }
        }

        var inputs = new List<GradientMode[]>();
        foreach (var read in readTensors)
        {
            inputs.Add(new GradientMode[read.Length]);
        }

        var copyModes = new GradientMode[copies.Count];
        var cleared = new List<int>();
        var output = root[count];
        for (var t = 0; t < steps.Length; t++)
        {
            if (root[t] != t)
            {
                continue;
            }

            if (steps[t].Count == 0 && t != output)
            {
                cleared.Add(t);
            }

            // The output's gradient is the caller's dL/d(output), copied in before the layers run.
            var written = t == output;
            foreach (var (layer, input, copy) in steps[t])
            {
                var mode = written ? GradientMode.Accumulate : GradientMode.Write;
                written = true;
                if (copy >= 0)
                {
                    copyModes[copy] = mode;
                }
                else
                {
                    inputs[layer][input] = mode;
                }
            }
        }

        // The scratch holds one input gradient at a time: each is added as soon as it is written.
        var viaScratch = new List<bool[]>();
        var scratch = 0;
        for (var i = 0; i < count; i++)
        {
            var canAccumulate = LayerFamilies.Of(layers[i]).CanAccumulateInputGradient(layers[i]);
            var scratchInputs = new bool[inputs[i].Length];
            for (var j = 0; j < scratchInputs.Length; j++)
            {
                if (inputs[i][j] == GradientMode.Accumulate && !canAccumulate)
                {
                    scratchInputs[j] = true;
                    scratch = System.Math.Max(scratch, tensors[readTensors[i][j]].StoredSize);
                }
            }

            viaScratch.Add(scratchInputs);
        }

        return new GradientPlan(inputs, new List<GradientMode>(copyModes), cleared, viaScratch, scratch);
    }
}
