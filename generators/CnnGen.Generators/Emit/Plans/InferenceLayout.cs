using System.Collections.Generic;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit.Plans;

/// <summary>
/// Where the tensors live in a workspace made for inference only
/// (<c>CreateInferenceWorkspace</c>): a tensor's memory is reused as soon as no later layer
/// reads it, so a network with skip connections holds a few tensors at a time, not every
/// activation. Backward needs every activation, so such a workspace refuses it; the default
/// workspace keeps the layout of <see cref="WorkspacePlan"/>. Each tensor keeps its layout
/// (frame, strides), only its offset changes, so Forward runs the same kernels on it; a
/// tensor's frame is filled again before each write, since the memory may have held another.
/// </summary>
internal sealed class InferenceLayout
{
    private InferenceLayout(int[] tensorOffsets, int[] preActivationOffsets, int floatsPerSample)
    {
        TensorOffsets = tensorOffsets;
        PreActivationOffsets = preActivationOffsets;
        FloatsPerSample = floatsPerSample;
    }

    /// <summary>Per tensor of <see cref="WorkspacePlan.Tensors"/>: its offset (times the capacity).</summary>
    public IReadOnlyList<int> TensorOffsets { get; }

    /// <summary>Per layer: the offset of its pre-activation tensor, or -1 when it has none.</summary>
    public IReadOnlyList<int> PreActivationOffsets { get; }

    /// <summary>Floats per sample of the inference workspace.</summary>
    public int FloatsPerSample { get; }

    /// <summary>
    /// Lifetimes in steps of Forward (the input copied in at 0; the copies a layer reads at
    /// 2i + 1, layer i at 2i + 2; the output copied out at 2N + 1; the last tensor of a
    /// normalisation fold from its producer's step), then offsets first-fit: each
    /// buffer, in order of its first step, at the lowest offset that overlaps no buffer alive
    /// at the same time.
    /// </summary>
    public static InferenceLayout Create(NetworkModel network, IReadOnlyList<TensorLayout> tensors, IReadOnlyList<TensorLayout?> preActivations,
        IReadOnlyList<int[]> readTensors, IReadOnlyList<TensorCopy> copies, IReadOnlyList<InferenceFold> folds)
    {
        var layers = network.Layers;
        var count = layers.Count;
        var root = new int[tensors.Count];
        var start = new int[tensors.Count];
        var end = new int[tensors.Count];
        for (var t = 0; t < tensors.Count; t++)
        {
            root[t] = t > 0 && t <= count && WorkspacePlan.IsAlias(network, layers[t - 1]) ? root[readTensors[t - 1][0]] : t;
            start[t] = t <= count ? 2 * t : 2 * copies[t - count - 1].FirstReader + 1;
            end[t] = start[t];
        }

        for (var i = 0; i < count; i++)
        {
            foreach (var t in readTensors[i])
            {
                end[root[t]] = System.Math.Max(end[root[t]], 2 * i + 2);
            }
        }

        foreach (var copy in copies)
        {
            end[root[copy.Source]] = System.Math.Max(end[root[copy.Source]], 2 * copy.FirstReader + 1);
        }

        end[root[count]] = 2 * count + 1;

        // A folded producer writes the group's last tensor at its own step, while its input is alive.
        foreach (var fold in folds)
        {
            start[root[fold.Target]] = System.Math.Min(start[root[fold.Target]], 2 * fold.Producer + 2);
        }

        // Buffers: the roots of the tensors, then the pre-activations (alive only during their layer).
        var buffers = new List<Buffer>();
        for (var t = 0; t < tensors.Count; t++)
        {
            if (root[t] == t)
            {
                buffers.Add(new Buffer(t, WorkspacePlan.AlignedFloats(tensors[t].StoredSize), start[t], end[t]));
            }
        }

        for (var i = 0; i < count; i++)
        {
            if (preActivations[i] is { } z)
            {
                buffers.Add(new Buffer(-1 - i, WorkspacePlan.AlignedFloats(z.StoredSize), 2 * i + 2, 2 * i + 2));
            }
        }

        var placed = new List<Buffer>();
        var floats = 0;
        foreach (var buffer in Ordered(buffers))
        {
            buffer.Offset = LowestFreeOffset(buffer, placed);
            placed.Add(buffer);
            floats = System.Math.Max(floats, buffer.Offset + buffer.Size);
        }

        var tensorOffsets = new int[tensors.Count];
        var preActivationOffsets = new int[count];
        for (var i = 0; i < count; i++)
        {
            preActivationOffsets[i] = -1;
        }

        foreach (var buffer in placed)
        {
            if (buffer.Id >= 0)
            {
                tensorOffsets[buffer.Id] = buffer.Offset;
            }
            else
            {
                preActivationOffsets[-1 - buffer.Id] = buffer.Offset;
            }
        }

        for (var t = 0; t < tensors.Count; t++)
        {
            tensorOffsets[t] = tensorOffsets[root[t]];
        }

        return new InferenceLayout(tensorOffsets, preActivationOffsets, floats);
    }

    private static List<Buffer> Ordered(List<Buffer> buffers)
    {
        var ordered = new List<Buffer>(buffers);
        ordered.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Id.CompareTo(b.Id));
        return ordered;
    }

    private static int LowestFreeOffset(Buffer buffer, List<Buffer> placed)
    {
        var live = new List<Buffer>();
        foreach (var other in placed)
        {
            if (other.Start <= buffer.End && buffer.Start <= other.End)
            {
                live.Add(other);
            }
        }

        live.Sort(static (a, b) => a.Offset.CompareTo(b.Offset));
        var offset = 0;
        foreach (var other in live)
        {
            if (offset + buffer.Size <= other.Offset)
            {
                break;
            }

            offset = System.Math.Max(offset, other.Offset + other.Size);
        }

        return offset;
    }

    /// <summary>A block of memory alive from step Start to step End: a tensor (Id its index) or a pre-activation (Id -1 - layer).</summary>
    private sealed class Buffer(int id, int size, int start, int end)
    {
        public int Id { get; } = id;

        public int Size { get; } = size;

        public int Start { get; } = start;

        public int End { get; } = end;

        public int Offset { get; set; }
    }
}
