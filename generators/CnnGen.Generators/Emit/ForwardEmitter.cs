using System.Collections.Generic;
using System.Globalization;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Layers;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit;

/// <summary>
/// The public Forward methods and the per-layer forward kernels of a network: check the
/// spans once, copy the input into the workspace, run each layer, copy the output out.
/// </summary>
internal static class ForwardEmitter
{
    public static void Emit(SourceWriter writer, NetworkModel network, WorkspacePlan plan, SharedLayerCode shared)
    {
        EmitEntryPoints(writer, network, plan);
        EmitWorkspaceMembers(writer, network, plan);
        for (var i = 0; i < network.Layers.Count; i++)
        {
            var index = i;
            shared.Emit(writer, network.Layers[i], scratch => LayerFamilies.Of(network.Layers[index]).EmitForward(new LayerEmission(scratch, network, plan, index)));
            if (plan.FoldOf(i) is { } fold && fold.Producer == i)
            {
                var variant = fold.Variant(network);
                shared.Emit(writer, variant, scratch => LayerFamilies.Of(variant).EmitForward(LayerEmission.Folded(scratch, network, plan, fold)));
            }
        }
    }

    private static void EmitEntryPoints(SourceWriter writer, NetworkModel network, WorkspacePlan plan)
    {
        var name = network.ClassName;
        var format = network.Format;
        writer.Line("private " + NetworkEmitter.Runtime + "Workspace? _workspace;");
        writer.Line();
        writer.Summary("Runs one sample: " + network.Input.Display(format) + " in, " + network.Output.Display(format) +
            " out. One call at a time per instance (a concurrent call throws InvalidOperationException); use the overload with a workspace to run in parallel.");
        writer.Line("public void Forward(global::System.ReadOnlySpan<float> input, global::System.Span<float> output) => Forward(input, output, 1);");
        writer.Line();
        writer.Summary("Runs a batch of samples stored one after another, using this instance's workspace.");
        writer.Line("public void Forward(global::System.ReadOnlySpan<float> input, global::System.Span<float> output, int batchSize) =>");
        writer.Indent();
        writer.Line("Forward(input, output, batchSize, _workspace ??= CreateWorkspace());");
        writer.Outdent();
        writer.Line();
        writer.Summary("Runs a batch in training mode (training: true, Keras's training=True: batch statistics, moving statistics updated) or in inference\n" +
            "mode, using this instance's workspace. Backward follows the mode of the last Forward." +
            (network.HasTrainingMode ? string.Empty : " This network computes the same in both modes."));
        writer.Line("public void Forward(global::System.ReadOnlySpan<float> input, global::System.Span<float> output, int batchSize, bool training) =>");
        writer.Indent();
        writer.Line("Forward(input, output, batchSize, _workspace ??= CreateWorkspace(), training);");
        writer.Outdent();
        writer.Line();
        writer.Summary("Runs a batch with a workspace of the caller's: threads that each use their own workspace can share one instance.");
        using (writer.Open("public void Forward(global::System.ReadOnlySpan<float> input, global::System.Span<float> output, int batchSize, " + NetworkEmitter.Runtime + "Workspace workspace)"))
        {
            EmitGuardedCall(writer, name, "ForwardCore(input, output, batchSize, workspace, false);");
        }

        writer.Line();
        writer.Summary("Runs a batch in training or inference mode with a workspace of the caller's." +
            (network.HasTrainingMode ? " Training mode updates State: run it from one thread at a time." : string.Empty));
        using (writer.Open("public void Forward(global::System.ReadOnlySpan<float> input, global::System.Span<float> output, int batchSize, " + NetworkEmitter.Runtime +
            "Workspace workspace, bool training)"))
        {
            EmitGuardedCall(writer, name, "ForwardCore(input, output, batchSize, workspace, training);");
        }

        writer.Line();
        writer.Comment("Forward on a workspace held by this call.");
        using (writer.Open("private void ForwardCore(global::System.ReadOnlySpan<float> input, global::System.Span<float> output, int batchSize, " + NetworkEmitter.Runtime +
            "Workspace workspace, bool training)"))
        {
            writer.Line(FrameworkNames.Kernels + "Guard.Spans(input.Length, output.Length, batchSize, InputSize, OutputSize, " +
                SourceWriter.Literal(network.Input.Display(format)) + ", " + SourceWriter.Literal(network.Output.Display(format)) + ", \"input\", \"output\");");
            if (plan.PackedKernelFloats > 0)
            {
                writer.Comment("The kernels PackWeights keeps packed (a null ref without them: each deep layer packs its slices as it runs).");
                writer.Line("float[]? packedWeights = _packedWeights;");
                writer.Line("ref float pw = ref (packedWeights is null ? ref " + FrameworkNames.Unsafe + ".NullRef<float>() : ref " + FrameworkNames.Kernels + "AlignedMemory.Start(packedWeights));");
                writer.Line("bool prepacked = packedWeights is not null && !_packingWeights;");
            }

            if (plan.Inference is null)
            {
                writer.Line("if (workspace.EnsureCapacity(batchSize))");
                using (writer.Scope())
                {
                    writer.Line("InitializeFrames(workspace);");
                }

                writer.Line();
                writer.Line("workspace.BatchSize = batchSize;");
                writer.Line("workspace.Training = training;");
                EmitTrainingPass(writer, network);
                writer.Line("int batch = batchSize;");
                EmitRun(writer, network, plan, null);
            }
            else
            {
                var block = SampleBlock(plan.Inference.FloatsPerSample);
                writer.Comment("A workspace for inference only reuses memory and fills each frame before the tensor is written. " +
                    "In inference mode it runs the batch in blocks of samples and holds one block.");
                writer.Line("int inferenceBlock = training ? batchSize : global::System.Math.Min(batchSize, " + VectorOps.Number(block) + ");");
                writer.Line("if (workspace.EnsureCapacity(workspace.IsInferenceOnly ? inferenceBlock : batchSize) && !workspace.IsInferenceOnly)");
                using (writer.Scope())
                {
                    writer.Line("InitializeFrames(workspace);");
                }

                writer.Line();
                writer.Line("workspace.BatchSize = batchSize;");
                writer.Line("workspace.Training = training;");
                EmitTrainingPass(writer, network);
                writer.Line("int batch = batchSize;");
                using (writer.Open("if (workspace.IsInferenceOnly)"))
                {
                    EmitInferenceRun(writer, network, plan, plan.Inference, block);
                }

                using (writer.Open("else"))
                {
                    EmitRun(writer, network, plan, null);
                }
            }
        }

        writer.Line();
        writer.Comment("Every layer in order, for samples first to first + batch - 1 of a batch whose tensors sit in a workspace of the given capacity.");
        using (writer.Open("private static void ForwardLayers(" + LayersParameters(network, plan, fromSample: true) + ")"))
        {
            EmitTensorRefs(writer, network, plan, gradients: false, declareBuffers: false, fromSample: true);
            EmitForwardScratch(writer, plan, plan.FloatsPerSample);
            EmitLayerCalls(writer, network, plan, null);
        }

        writer.Line();
        if (plan.Inference is { } inference)
        {
            writer.Comment("Every layer in order in a workspace for inference only: tensors share memory once no later layer reads them.");
            using (writer.Open("private static void InferenceLayers(" + LayersParameters(network, plan) + ")"))
            {
                EmitTensorRefs(writer, network, plan, gradients: false, declareBuffers: false, inference);
                EmitForwardScratch(writer, plan, inference.FloatsPerSample);
                EmitLayerCalls(writer, network, plan, inference);
            }

            writer.Line();
        }
    }

    /// <summary>
    /// The most bytes of tensors one block of samples may take in an inference-mode Forward
    /// (either workspace). A batch whose tensors are larger runs in blocks of samples, each through every
    /// layer, so that a block's tensors stay in the cache from one layer to the next instead of
    /// the whole batch's streaming through memory between layers (measured on an AVX2 machine:
    /// a MobileNetV2 inverted-residual block at 56x56, 4 MB of tensors per sample, took 1.6 ms
    /// per sample at batch 32 against 0.8 ms at batch 1).
    /// </summary>
    internal const int InferenceBlockBytes = 4 * 1024 * 1024;

    /// <summary>Samples per block: as many whose <paramref name="floatsPerSample"/> fit <see cref="InferenceBlockBytes"/>, at least one.</summary>
    internal static int SampleBlock(int floatsPerSample) =>
        (int)System.Math.Max(1, InferenceBlockBytes / System.Math.Max(1L, (long)floatsPerSample * sizeof(float)));

    /// <summary>"Blocks of 114 samples (4065 KB of tensors), each through every layer: ...".</summary>
    private static string BlockComment(int floatsPerSample, int block) =>
        "Blocks of " + (block == 1 ? "one sample" : VectorOps.Number(block) + " samples") + " (" +
        ((long)floatsPerSample * sizeof(float) * block + 1023) / 1024 + " KB of tensors), each through every layer: a block's tensors stay in the cache between layers.";

    /// <summary>
    /// <see cref="EmitRun"/> in a workspace for inference only, in blocks of
    /// <c>inferenceBlock</c> samples (<see cref="SampleBlock"/>; the whole batch in training
    /// mode, as in the default workspace, so that batch statistics and moving averages are the batch's).
    /// </summary>
    private static void EmitInferenceRun(SourceWriter writer, NetworkModel network, WorkspacePlan plan, InferenceLayout inference, int block)
    {
        writer.Comment(BlockComment(inference.FloatsPerSample, block) + " Training mode runs the whole batch" + (network.HasTrainingMode ? ", for its batch statistics." : "."));
        using (writer.Open("for (int n0 = 0; n0 < batchSize; n0 += inferenceBlock)"))
        {
            writer.Line("batch = global::System.Math.Min(inferenceBlock, batchSize - n0);");
            EmitRun(writer, network, plan, inference, "input.Slice(n0 * InputSize, batch * InputSize)", "output.Slice(n0 * OutputSize, batch * OutputSize)");
        }
    }

    /// <summary>The input copied in, the layers, the output copied out: in the default workspace, or in one for inference only.</summary>
    private static void EmitRun(SourceWriter writer, NetworkModel network, WorkspacePlan plan, InferenceLayout? inference, string input = "input", string output = "output")
    {
        var format = network.Format;
        EmitTensorRefs(writer, network, plan, gradients: false, inference: inference);
        if (network.HasTrainingMode)
        {
            writer.Line("ref float s = ref global::System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_state);");
        }

        writer.Comment("The input, " + network.Input.Display(format) + (plan.Tensors[0].HasFrame ? ", into the frame of tensor 0" : string.Empty) + ".");
        if (inference is not null && plan.Tensors[0].HasFrame)
        {
            TensorPasses.EmitFrameFill(writer, plan.Tensors[0], "t0");
        }

        using (writer.Scope())
        {
            ElementwiseEmitter.EmitUserCopy(writer, network.Input, plan.Tensors[0], format, input, "t0", intoTensor: true);
        }

        if (plan.Folds.Count > 0)
        {
            writer.Comment("Inference folds batch normalisations and activations into the stores of the layers before them; Backward then recomputes the layers unfolded.");
            writer.Line("workspace.Folded = !training;");
        }

        if (inference is null)
        {
            var block = SampleBlock(plan.ActivationFloats);
            writer.Comment(BlockComment(plan.ActivationFloats, block) + " Training mode runs the whole batch" + (network.HasTrainingMode ? ", for its batch statistics." : "."));
            writer.Line("int block = training ? batch : " + VectorOps.Number(block) + ";");
            using (writer.Open("for (int n0 = 0; n0 < batch; n0 += block)"))
            {
                writer.Line("ForwardLayers" + LayersArguments(network, plan, "training", "!training", "workspace.TrainingPasses", "n0", "global::System.Math.Min(block, batch - n0)"));
            }
        }
        else
        {
            writer.Line("InferenceLayers" + LayersArguments(network, plan, "training", "!training", "workspace.TrainingPasses"));
        }

        var last = network.Layers.Count;
        writer.Comment("The output, " + network.Output.Display(format) + ".");
        using (writer.Scope())
        {
            ElementwiseEmitter.EmitUserCopy(writer, network.Output, plan.Tensors[last], format, output, "t" + last, intoTensor: false);
        }
    }

    /// <summary>
    /// Each layer's step, after the copies it reads (a tensor in another frame). In a workspace
    /// for inference only, each framed tensor's frame is filled again before it is written.
    /// </summary>
    private static void EmitLayerCalls(SourceWriter writer, NetworkModel network, WorkspacePlan plan, InferenceLayout? inference)
    {
        for (var i = 0; i < network.Layers.Count; i++)
        {
            foreach (var copy in plan.Copies)
            {
                if (copy.FirstReader == i)
                {
                    var target = plan.Tensors[copy.Tensor];
                    writer.Comment("Tensor " + copy.Tensor + ": tensor " + copy.Source + " (" + network.NameOf(copy.Source - 1) + ") in the frame " +
                        network.Layers[i].Name + " reads.");
                    if (inference is not null && target.HasFrame)
                    {
                        TensorPasses.EmitFrameFill(writer, target, "t" + copy.Tensor);
                    }

                    TensorPasses.EmitInterior(writer, plan.Tensors[copy.Source], target, "t" + copy.Source, "t" + copy.Tensor, accumulate: false);
                }
            }

            var emission = new LayerEmission(writer, network, plan, i);
            writer.Comment(emission.Description);
            if (inference is not null && emission.Output.HasFrame && !WorkspacePlan.IsAlias(network, emission.Layer))
            {
                TensorPasses.EmitFrameFill(writer, emission.Output, emission.OutputTensor);
            }

            EmitLayerCall(writer, network, plan, emission);
        }
    }

    /// <summary>
    /// The layer's call; in a normalisation fold, the producer's folded variant when fold is
    /// set, and the normalisation and activation layer only when it is not.
    /// </summary>
    private static void EmitLayerCall(SourceWriter writer, NetworkModel network, WorkspacePlan plan, LayerEmission emission)
    {
        var family = LayerFamilies.Of(emission.Layer);
        if (plan.FoldOf(emission.Index) is not { } fold)
        {
            family.EmitForwardCall(emission);
            return;
        }

        if (fold.Producer == emission.Index)
        {
            using (writer.Open("if (fold)"))
            {
                // A transposed convolution's fold goes into its pass from the framed sums, not into stores.
                var into = family.NeedsPreActivation(fold.Variant(network)) ? " the pass after the sums of " : " the stores of ";
                writer.Comment("Inference: " + FoldedWork(network, fold) + into + emission.Layer.Name +
                    (fold.Last == fold.Producer ? ", with no pre-activation." : ", which writes " + network.NameOf(fold.Last) + "'s output."));
                if (fold.HasNormalization)
                {
                    writer.Line(BatchNormalizationFamily.FoldCall(network.Layers[fold.Normalization], emission.Layer, fold.ScratchBlock(network)));
                }

                family.EmitForwardCall(LayerEmission.Folded(writer, network, plan, fold));
            }

            using (writer.Open("else"))
            {
                family.EmitForwardCall(emission);
            }

            return;
        }

        using (writer.Open("if (!fold)"))
        {
            family.EmitForwardCall(emission);
        }
    }

    /// <summary>"bn_1 and relu_1 folded into", "activation_1 folded into", "its hard_swish applied in": what an inference fold moves into the producer's stores.</summary>
    private static string FoldedWork(NetworkModel network, InferenceFold fold)
    {
        if (!fold.HasNormalization && fold.Activation < 0)
        {
            return "its " + LayerVocabulary.SnakeName(network.Layers[fold.Producer].Activation) + " applied in";
        }

        var names = new List<string>();
        foreach (var layer in new[] { fold.Normalization, fold.Activation })
        {
            if (layer >= 0)
            {
                names.Add(network.Layers[layer].Name);
            }
        }

        return string.Join(" and ", names) + " folded into";
    }

    /// <summary>The forward scratch after the workspace's per-sample part, when a layer needs one (a transposed convolution's repacked kernel).</summary>
    private static void EmitForwardScratch(SourceWriter writer, WorkspacePlan plan, int floatsPerSample)
    {
        if (plan.ForwardScratchFloats > 0)
        {
            writer.Line("ref float scratch = ref " + FrameworkNames.Unsafe + ".Add(ref ws, " + CompactLoops.Times("(nint)capacity", floatsPerSample) + ");");
        }
    }

    /// <summary>Counts the training passes of a network with dropout: each pass draws new masks, and Backward draws the same again.</summary>
    private static void EmitTrainingPass(SourceWriter writer, NetworkModel network)
    {
        if (network.DrawsInTraining)
        {
            using (writer.Open("if (training)"))
            {
                writer.Line("workspace.TrainingPasses++;");
            }
        }
    }

    /// <summary>
    /// The parameters of ForwardLayers and InferenceLayers: the state and the mode too when a
    /// layer computes differently in training, and the fold flag when inference folds work into stores.
    /// </summary>
    private static string LayersParameters(NetworkModel network, WorkspacePlan plan, bool fromSample = false)
    {
        var batch = "int capacity, int batch" + (fromSample ? ", int first" : string.Empty);
        var packed = plan.PackedKernelFloats > 0 ? ", ref float pw, bool prepacked" : string.Empty;
        return network.HasTrainingMode
            ? "ref float p, ref float s, ref float ws, " + batch + ", bool training" + (plan.Folds.Count > 0 ? ", bool fold" : string.Empty) +
                (network.DrawsInTraining ? ", long draw" : string.Empty) + packed
            : "ref float p, ref float ws, " + batch + (plan.Folds.Count > 0 ? ", bool fold" : string.Empty) + packed;
    }

    /// <summary>
    /// The arguments of a ForwardLayers or InferenceLayers call: <paramref name="training"/>
    /// and <paramref name="draw"/> for a network with a training mode, and <paramref name="fold"/>,
    /// whether the inference folds apply (see InferenceFold), for one with folds; and the packed
    /// weights (pw, prepacked), or none (<paramref name="packedWeights"/> false: the layers pack as they run).
    /// </summary>
    public static string LayersArguments(NetworkModel network, WorkspacePlan plan, string training, string fold, string draw, string? first = null, string batch = "batch",
        bool packedWeights = true)
    {
        var samples = "workspace.BatchCapacity, " + batch + (first is null ? string.Empty : ", " + first);
        var packed = plan.PackedKernelFloats == 0 ? string.Empty
            : packedWeights ? ", ref pw, prepacked"
            : ", ref " + FrameworkNames.Unsafe + ".NullRef<float>(), false";
        return (network.HasTrainingMode ? "(ref p, ref s, ref ws, " + samples + ", " + training : "(ref p, ref ws, " + samples) +
            (plan.Folds.Count > 0 ? ", " + fold : string.Empty) +
            (network.DrawsInTraining ? ", " + draw : string.Empty) + packed + ");";
    }

    /// <summary>
    /// The body of a public entry point that takes a workspace: check it, hold it for the call
    /// (a concurrent call on the same workspace throws instead of returning wrong numbers), run <paramref name="call"/>.
    /// </summary>
    public static void EmitGuardedCall(SourceWriter writer, string className, string call)
    {
        writer.Line(FrameworkNames.Kernels + "Guard.Workspace(workspace, typeof(" + className + "));");
        writer.Line("workspace.Enter();");
        using (writer.Open("try"))
        {
            writer.Line(call);
        }

        using (writer.Open("finally"))
        {
            writer.Line("workspace.Exit();");
        }
    }

    /// <summary>
    /// Declares p (parameters), ws (workspace) and a ref per tensor: t0..tN (and copies), z buffers, and gradients g0..gN;
    /// at the offsets of <paramref name="inference"/> when given.
    /// </summary>
    public static void EmitTensorRefs(SourceWriter writer, NetworkModel network, WorkspacePlan plan, bool gradients, bool declareBuffers = true,
        InferenceLayout? inference = null, bool fromSample = false)
    {
        // ForwardLayers on a block of samples: each tensor from sample `first`.
        string Start(int offset, TensorLayout layout) => fromSample
            ? CompactLoops.Sum(("(nint)capacity", offset), ("(nint)first", layout.StoredSize))
            : CompactLoops.Times("(nint)capacity", offset);

        if (declareBuffers)
        {
            writer.Line("ref float p = ref " + FrameworkNames.Unsafe + ".Add(ref global::System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_parameters), Origin);");
            writer.Line("ref float ws = ref " + FrameworkNames.Kernels + "AlignedMemory.Start(workspace.Buffer);");
            writer.Line("int capacity = workspace.BatchCapacity;");
        }

        foreach (var tensor in plan.Tensors)
        {
            if (declareBuffers && tensor.Index != 0 && tensor.Index != plan.OutputTensor)
            {
                continue;
            }

            var offset = inference?.TensorOffsets[tensor.Index] ?? tensor.Offset;
            writer.Line("ref float t" + tensor.Index + " = ref " + FrameworkNames.Unsafe + ".Add(ref ws, " + Start(offset, tensor) + ");");
        }

        if (!declareBuffers)
        {
            for (var i = 0; i < plan.PreActivations.Count; i++)
            {
                if (plan.PreActivations[i] is { } z)
                {
                    var offset = inference?.PreActivationOffsets[i] ?? z.Offset;
                    writer.Line("ref float z" + (i + 1) + " = ref " + FrameworkNames.Unsafe + ".Add(ref ws, " + Start(offset, z) + ");");
                }
            }
        }

        if (gradients)
        {
            foreach (var tensor in plan.Tensors)
            {
                writer.Line("ref float g" + tensor.Index + " = ref " + FrameworkNames.Unsafe + ".Add(ref ws, " + CompactLoops.Times("(nint)capacity", (plan.ActivationFloats + tensor.Offset)) + ");");
            }
        }
    }

    private static void EmitWorkspaceMembers(SourceWriter writer, NetworkModel network, WorkspacePlan plan)
    {
        writer.Summary("A workspace for this network: one per thread to run Forward and Backward in parallel on one instance.");
        writer.Line("public " + NetworkEmitter.Runtime + "Workspace CreateWorkspace() => new " + NetworkEmitter.Runtime + "Workspace(typeof(" +
            network.ClassName + "), " + plan.FloatsPerSample + ", " + plan.ScratchFloats + ");");
        writer.Line();
        if (plan.Inference is { } inference)
        {
            writer.Summary("A workspace for Forward only: tensors share memory once no later layer reads them (" + inference.FloatsPerSample +
                " floats per sample instead of " + plan.FloatsPerSample + "). Backward refuses it.");
            writer.Line("public " + NetworkEmitter.Runtime + "Workspace CreateInferenceWorkspace() => new " + NetworkEmitter.Runtime + "Workspace(typeof(" +
                network.ClassName + "), " + inference.FloatsPerSample + ", " + (plan.ForwardScratchFloats + WorkspacePlan.TailFloats) + ", inferenceOnly: true);");
            writer.Line();
        }
        writer.Comment("Fills the frames that must not be zero (-infinity around the inputs of max pooling); runs when a workspace grows.");
        using (writer.Open("private static void InitializeFrames(" + NetworkEmitter.Runtime + "Workspace workspace)"))
        {
            var any = false;
            foreach (var tensor in plan.Tensors)
            {
                if (!tensor.FrameIsNegativeInfinity || !tensor.HasFrame)
                {
                    continue;
                }

                if (!any)
                {
                    writer.Line("ref float ws = ref " + FrameworkNames.Kernels + "AlignedMemory.Start(workspace.Buffer);");
                    writer.Line("int capacity = workspace.BatchCapacity;");
                    any = true;
                }

                writer.Comment("Tensor " + tensor.Index + ": the whole stored block to -infinity, then the interior back to zero.");
                using (writer.Scope())
                {
                    writer.Line("ref float t = ref " + FrameworkNames.Unsafe + ".Add(ref ws, " + CompactLoops.Times("(nint)capacity", tensor.Offset) + ");");
                    writer.Line("global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref t, " + CompactLoops.Times("capacity", tensor.StoredSize) + ").Fill(float.NegativeInfinity);");
                    using (writer.Open("for (int n = 0; n < capacity; n++)"))
                    using (writer.Open("for (int r = 0; r < " + tensor.Height + "; r++)"))
                    {
                        writer.Line("global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref " + FrameworkNames.Unsafe + ".Add(ref t, (nint)n * " + tensor.StoredSize +
                            VectorOps.PlusConstant(tensor.InteriorOffset) + " + r * " + tensor.RowStride + "), " + tensor.Width * tensor.Channels + ").Clear();");
                    }
                }
            }
        }

        writer.Line();
    }
}
