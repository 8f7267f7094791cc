using System.Collections.Generic;
using CnnGen.Generators.Layers;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit.Plans;

/// <summary>
/// The memory of a forward and backward pass: where each tensor of a batch lives in the
/// workspace. Tensor 0 is the network input and tensor i + 1 the output of layer i, so the
/// last of them is the network output; a layer reads the tensors of its inputs. Tensors are
/// stored one after another, each for the whole batch (<c>offset * batch</c> floats in), so
/// that one sample's tensor is at <c>offset * batch + n * StoredSize</c>. Gradients mirror
/// the activations in a second region of the same size.
/// <para>
/// A tensor is stored inside the frame its first reader that reads frames needs (the padding
/// of a convolution or pooling). A later reader that needs another frame reads a copy with its
/// own frame (<see cref="Copies"/>): a tensor that feeds a 3x3 'same' convolution and a 1x1
/// strided one. Merges read interiors wherever they sit, so they never need a copy.
/// </para>
/// </summary>
internal sealed class WorkspacePlan
{
    private WorkspacePlan(List<TensorLayout> tensors, List<TensorLayout?> preActivations, int activationFloats, int scratchFloats,
        int paddedGradientFloats, List<int[]> readTensors, List<TensorCopy> copies, GradientPlan gradients, InferenceLayout? inference)
    {
        ScratchFloats = scratchFloats;
        PaddedGradientFloats = paddedGradientFloats;
        Tensors = tensors;
        PreActivations = preActivations;
        ActivationFloats = activationFloats;
        ReadTensors = readTensors;
        Copies = copies;
        Gradients = gradients;
        Inference = inference;
    }

    /// <summary>Tensor 0 is the input, tensor i + 1 the output of layer i; copies (<see cref="Copies"/>) follow the last layer's output.</summary>
    public IReadOnlyList<TensorLayout> Tensors { get; }

    /// <summary>
    /// For layers whose activation is applied in a separate pass (not linear, relu or leaky relu):
    /// the unframed pre-activation tensor the layer writes first. Null otherwise.
    /// </summary>
    public IReadOnlyList<TensorLayout?> PreActivations { get; }

    /// <summary>Per layer, per input: the index in <see cref="Tensors"/> of the tensor it reads (the input's own, or a copy framed for it).</summary>
    public IReadOnlyList<int[]> ReadTensors { get; }

    /// <summary>Tensors copied into another frame for readers that need it (none in a chain).</summary>
    public IReadOnlyList<TensorCopy> Copies { get; }

    /// <summary>How Backward writes each gradient: where several layers read one tensor, the sum of their gradients.</summary>
    public GradientPlan Gradients { get; }

    /// <summary>
    /// Where the tensors live in a workspace made for inference only (buffers reused once no
    /// later layer reads them), or null: a chain keeps the one layout.
    /// </summary>
    public InferenceLayout? Inference { get; }

    /// <summary>Floats per sample of all activations; gradients start at this offset (times the batch).</summary>
    public int ActivationFloats { get; }

    /// <summary>Floats per sample of the whole workspace: activations, gradients, padded input gradients, gradient scratch.</summary>
    public int FloatsPerSample => AlignedFloats(ActivationFloats * 2 + PaddedGradientFloats + Gradients.ScratchFloats);

    /// <summary>Where the padded input gradients start, per sample (times the capacity).</summary>
    public int PaddedGradientOffset => ActivationFloats * 2;

    /// <summary>Where the gradient scratch of <see cref="GradientPlan"/> starts, per sample (times the capacity).</summary>
    public int GradientScratchOffset => ActivationFloats * 2 + PaddedGradientFloats;

    /// <summary>
    /// Floats per sample of backward scratch that grows with the batch: the input gradient of a
    /// convolution whose input channels are not a whole vector, kept with the channels padded
    /// (see <see cref="PaddedGradientLayout"/>).
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
    /// the kernel of one layer, transposed so that input channels are contiguous, or the partial
    /// sums and one sample's planar dz of a position-vectorised kernel gradient
    /// (<see cref="PositionVectorizedKernelGradient"/>), which runs before the transpose.
    /// </summary>
    public int ScratchFloats { get; }

    /// <summary>
    /// Floats of forward scratch (a transposed convolution's repacked kernel) at the end of
    /// either workspace, after its per-sample part; 0 when no layer needs any.
    /// </summary>
    public int ForwardScratchFloats { get; private set; }

    /// <summary>The batch normalisations folded into the layer before them in inference mode.</summary>
    public IReadOnlyList<InferenceFold> Folds { get; private set; } = System.Array.Empty<InferenceFold>();

    /// <summary>The fold whose producer, normalisation or activation is layer <paramref name="layer"/>, or null.</summary>
    public InferenceFold? FoldOf(int layer)
    {
        foreach (var fold in Folds)
        {
            if (fold.Producer == layer || fold.Normalization == layer || fold.Activation == layer)
            {
                return fold;
            }
        }

        return null;
    }

    /// <summary>
    /// Per layer, where its kernel starts in the packed weights the network keeps after
    /// <c>PackWeights</c> (-1 for a layer that packs nothing per call, see
    /// <see cref="LayerFamily.PackedKernelFloats"/>).
    /// </summary>
    public IReadOnlyList<int> PackedKernelOffsets { get; private set; } = System.Array.Empty<int>();

    /// <summary>Floats of packed weights of the whole network (0: no layer packs its kernel per call, and the network has nothing to pack).</summary>
    public int PackedKernelFloats { get; private set; }

    /// <summary>
    /// The arguments a layer's forward kernel takes after its scratch: a ref to its packed kernel
    /// in the network's packed weights (a null ref when they are not kept) and whether the
    /// kernel is there already (<c>prepacked</c>; false while PackWeights writes it).
    /// </summary>
    public string PackedKernelArguments(int layer) =>
        "ref " + FrameworkNames.Kernels + "PackedWeights.At(ref pw, " + LayerEmission.Number(PackedKernelOffsets[layer]) + "), prepacked";

    /// <summary>The index of the network's output in <see cref="Tensors"/>.</summary>
    public int OutputTensor { get; private set; }

    public static WorkspacePlan Create(NetworkModel network)
    {
        var layers = network.Layers;
        var count = layers.Count;
        var readers = Readers(network);

        // The frame of each layer's output: the one its first reader that reads frames needs.
        var frames = new Frame[count + 1];
        for (var t = 0; t <= count; t++)
        {
            foreach (var (layer, _) in readers[t])
            {
                var family = LayerFamilies.Of(layers[layer]);
                if (!family.ReadsAnyFrame(layers[layer]))
                {
                    frames[t] = family.InputFrame(layers[layer]);
                    break;
                }
            }
        }

        // What each layer reads: the tensor itself, or a copy in the frame it needs (one copy per tensor and frame).
        var readTensors = new List<int[]>();
        var copySpecs = new List<(int Source, Frame Frame, int FirstReader)>();
        for (var i = 0; i < count; i++)
        {
            var family = LayerFamilies.Of(layers[i]);
            var read = new int[layers[i].Inputs.Count];
            for (var j = 0; j < read.Length; j++)
            {
                var t = layers[i].Inputs[j] + 1;
                read[j] = t;
                if (family.ReadsAnyFrame(layers[i]) || SameFrame(family.InputFrame(layers[i]), frames[t]))
                {
                    continue;
                }

                var frame = family.InputFrame(layers[i]);
                var copy = copySpecs.FindIndex(c => c.Source == t && SameFrame(c.Frame, frame));
                if (copy < 0)
                {
                    copy = copySpecs.Count;
                    copySpecs.Add((t, frame, i));
                }

                read[j] = count + 1 + copy;
            }

            readTensors.Add(read);
        }

        // Layouts and offsets: the outputs in order (a view takes the memory of what it reads), then the copies, then the pre-activations.
        var tensors = new TensorLayout?[count + 1 + copySpecs.Count];
        var offset = 0;
        for (var i = 0; i <= count; i++)
        {
            if (i > 0 && IsAlias(network, layers[i - 1]))
            {
                continue;
            }

            var shape = network.OutputOf(i - 1);
            tensors[i] = Layout(i, shape, frames[i], offset);
            offset += AlignedFloats(tensors[i]!.StoredSize);
        }

        var copies = new List<TensorCopy>();
        for (var c = 0; c < copySpecs.Count; c++)
        {
            var (source, frame, firstReader) = copySpecs[c];
            var index = count + 1 + c;
            tensors[index] = Layout(index, network.OutputOf(source - 1), frame, offset);
            offset += AlignedFloats(tensors[index]!.StoredSize);
            copies.Add(new TensorCopy(index, source, firstReader));
        }

        for (var i = 1; i <= count; i++)
        {
            if (IsAlias(network, layers[i - 1]))
            {
                // Flatten in channels-last order is a view of what it reads: same memory.
                var source = tensors[readTensors[i - 1][0]]!;
                tensors[i] = source with { Index = i, Height = 1, Width = 1, Channels = source.Size };
            }
        }

        var preActivations = new List<TensorLayout?>();
        foreach (var layer in layers)
        {
            if (LayerFamilies.Of(layer).NeedsPreActivation(layer))
            {
                var frame = LayerFamilies.Of(layer).PreActivationFrame(layer);
                var z = new TensorLayout(-1, layer.Output.Height, layer.Output.Width, layer.Output.Channels, frame.Top, frame.Bottom, frame.Left, frame.Right, false, offset);
                preActivations.Add(z);
                offset += AlignedFloats(z.StoredSize);
            }
            else
            {
                preActivations.Add(null);
            }
        }

        var all = new List<TensorLayout>(tensors.Length);
        foreach (var tensor in tensors)
        {
            all.Add(tensor!);
        }

        var scratch = 0;
        var forwardScratch = 0;
        var padded = 0;
        for (var i = 0; i < count; i++)
        {
            var family = LayerFamilies.Of(layers[i]);
            forwardScratch = System.Math.Max(forwardScratch, family.ForwardScratchFloats(layers[i]));
            scratch = System.Math.Max(scratch, System.Math.Max(family.BackwardScratchFloats(layers[i]), forwardScratch));
            padded = System.Math.Max(padded, family.BatchScratchFloats(layers[i], all[readTensors[i][0]]));
        }

        var packedOffsets = new int[count];
        var packedFloats = 0;
        for (var i = 0; i < count; i++)
        {
            var floats = LayerFamilies.Of(layers[i]).PackedKernelFloats(layers[i]);
            packedOffsets[i] = floats > 0 ? packedFloats : -1;
            packedFloats += AlignedFloats(floats);
        }

        var folds = InferenceFold.Find(network, copies);
        foreach (var fold in folds)
        {
            forwardScratch = System.Math.Max(forwardScratch, fold.ScratchFloats(network));
        }

        scratch = System.Math.Max(scratch, forwardScratch);
        var gradients = GradientPlan.Create(network, all, readTensors, copies);
        var inference = network.IsChain ? null : InferenceLayout.Create(network, all, preActivations, readTensors, copies, folds);

        // Vector loads and additions may run a vector past a tensor's last channel (their extra
        // lanes are masked or add zero): a vector of room at the very end keeps them in the buffer.
        return new WorkspacePlan(all, preActivations, offset, scratch + TailFloats, padded, readTensors, copies, gradients, inference)
        {
            OutputTensor = count,
            ForwardScratchFloats = forwardScratch,
            Folds = folds,
            PackedKernelOffsets = packedOffsets,
            PackedKernelFloats = packedFloats,
        };
    }

    /// <summary>
    /// <paramref name="floats"/> rounded up to whole 64-byte cache lines. The runtime hands the
    /// workspace and the packed weights out from a 64-byte boundary (its AlignedMemory), so
    /// buffers laid out in such steps start on cache lines, and so do their vectors when the
    /// channels are whole vectors: a vector load across two lines costs two.
    /// </summary>
    public static int AlignedFloats(int floats) => (floats + 15) & ~15;

    /// <summary>Room after everything for one vector that runs past the last channel.</summary>
    public const int TailFloats = 16;

    /// <summary>A layer (flatten in memory order) whose output is its input's memory: no copy.</summary>
    public static bool IsAlias(NetworkModel network, LayerModel layer) => LayerFamilies.Of(layer).IsViewOfInput(network, layer);

    /// <summary>Per tensor 0..N, the (layer, input) pairs that read it, in layer order.</summary>
    public static List<(int Layer, int Input)>[] Readers(NetworkModel network)
    {
        var readers = new List<(int Layer, int Input)>[network.Layers.Count + 1];
        for (var t = 0; t < readers.Length; t++)
        {
            readers[t] = new List<(int Layer, int Input)>();
        }

        for (var i = 0; i < network.Layers.Count; i++)
        {
            var inputs = network.Layers[i].Inputs;
            for (var j = 0; j < inputs.Count; j++)
            {
                readers[inputs[j] + 1].Add((i, j));
            }
        }

        return readers;
    }

    private static TensorLayout Layout(int index, TensorShape shape, Frame frame, int offset) =>
        new(index, shape.Height, shape.Width, shape.Channels, frame.Top, frame.Bottom, frame.Left, frame.Right, frame.IsNegativeInfinity, offset);

    /// <summary>Frames that store the same cells: no frame at all is the same whatever it would hold.</summary>
    private static bool SameFrame(Frame a, Frame b) =>
        a.Top == b.Top && a.Bottom == b.Bottom && a.Left == b.Left && a.Right == b.Right &&
        (a.IsNegativeInfinity == b.IsNegativeInfinity || a.Top + a.Bottom + a.Left + a.Right == 0);
}

/// <summary>A tensor copied into another frame for the readers that need it.</summary>
/// <param name="Tensor">The copy's index in <see cref="WorkspacePlan.Tensors"/>.</param>
/// <param name="Source">The tensor copied.</param>
/// <param name="FirstReader">The first layer that reads the copy: Forward copies just before it, Backward adds the copy's gradient back just after it.</param>
internal sealed record TensorCopy(int Tensor, int Source, int FirstReader);
