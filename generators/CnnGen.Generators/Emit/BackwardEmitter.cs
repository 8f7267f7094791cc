using System.Globalization;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Layers;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit;

/// <summary>
/// The public Backward methods and the per-layer backward code: from dL/d(output), layer by
/// layer back to the input, the gradient of every kernel and bias (summed over the batch)
/// and, when asked for, dL/d(input). Gradient tensors mirror the activations in the
/// workspace, frames included.
/// </summary>
internal static class BackwardEmitter
{
    public static void Emit(SourceWriter writer, NetworkModel network, WorkspacePlan plan, SharedLayerCode shared)
    {
        EmitEntryPoints(writer, network, plan);
        for (var i = 0; i < network.Layers.Count; i++)
        {
            var index = i;
            shared.Emit(writer, network.Layers[i], scratch => LayerFamilies.Of(network.Layers[index]).EmitBackward(new LayerEmission(scratch, network, plan, index)));
        }
    }

    private static void EmitEntryPoints(SourceWriter writer, NetworkModel network, WorkspacePlan plan)
    {
        var format = network.Format;
        writer.Summary("Back-propagates dL/d(output) of the batch of the most recent Forward on this instance: writes dL/d(input)\n" +
            "(an empty span skips that work) and overwrites Gradients with dL/d(parameters) summed over the batch.");
        writer.Line("public void Backward(global::System.ReadOnlySpan<float> outputGradient, global::System.Span<float> inputGradient) =>");
        writer.Indent();
        writer.Line("Backward(outputGradient, inputGradient, _workspace ?? throw new global::System.InvalidOperationException(\"Backward needs the activations of a Forward call; call Forward first.\"), _gradients);");
        writer.Outdent();
        writer.Line();
        writer.Summary("Backward with a workspace of the caller's, writing parameter gradients to parameterGradients: threads that each use\n" +
            "their own workspace and gradient buffer can share one instance.");
        writer.Line("public void Backward(global::System.ReadOnlySpan<float> outputGradient, global::System.Span<float> inputGradient, " +
            NetworkEmitter.Runtime + "Workspace workspace, global::System.Span<float> parameterGradients) =>");
        writer.Indent();
        writer.Line("Backward(outputGradient, inputGradient, workspace, parameterGradients, false);");
        writer.Outdent();
        writer.Line();
        writer.Summary("Backward from dL/d(output), or from dL/d(pre-activation) of the output layer when outputGradientIsPreActivation is true\n" +
            "(the output activation's derivative is skipped: losses fused with softmax or sigmoid use it).");
        using (writer.Open("public void Backward(global::System.ReadOnlySpan<float> outputGradient, global::System.Span<float> inputGradient, " +
            NetworkEmitter.Runtime + "Workspace workspace, global::System.Span<float> parameterGradients, bool outputGradientIsPreActivation)"))
        {
            ForwardEmitter.EmitGuardedCall(writer, network.ClassName, "BackwardCore(outputGradient, inputGradient, workspace, parameterGradients, outputGradientIsPreActivation);");
        }

        writer.Line();
        writer.Comment("Backward on a workspace held by this call.");
        using (writer.Open("private void BackwardCore(global::System.ReadOnlySpan<float> outputGradient, global::System.Span<float> inputGradient, " +
            NetworkEmitter.Runtime + "Workspace workspace, global::System.Span<float> parameterGradients, bool outputGradientIsPreActivation)"))
        {
            writer.Line(FrameworkNames.Kernels + "Guard.ForwardDone(workspace);");
            writer.Line("int batch = workspace.BatchSize;");
            writer.Line(FrameworkNames.Kernels + "Guard.Spans(outputGradient.Length, inputGradient.Length, batch, OutputSize, InputSize, " +
                SourceWriter.Literal(network.Output.Display(format)) + ", " + SourceWriter.Literal(network.Input.Display(format)) + ", \"outputGradient\", \"inputGradient\");");
            writer.Line(FrameworkNames.Kernels + "Guard.Gradients(parameterGradients.Length, ParameterCount);");
            writer.Line("ref float p = ref " + FrameworkNames.Unsafe + ".Add(ref global::System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_parameters), Origin);");
            writer.Line("ref float pg = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(parameterGradients);");
            writer.Line("ref float ws = ref " + FrameworkNames.Kernels + "AlignedMemory.Start(workspace.Buffer);");
            writer.Line("int capacity = workspace.BatchCapacity;");
            var last = network.Layers.Count;
            writer.Line("ref float g0 = ref " + FrameworkNames.Unsafe + ".Add(ref ws, " + CompactLoops.Times("(nint)capacity", (plan.ActivationFloats + plan.Tensors[0].Offset)) + ");");
            if (last > 0)
            {
                writer.Line("ref float g" + last + " = ref " + FrameworkNames.Unsafe + ".Add(ref ws, " + CompactLoops.Times("(nint)capacity", (plan.ActivationFloats + plan.Tensors[last].Offset)) + ");");
            }

            writer.Comment("dL/d(output), " + network.Output.Display(format) + ".");
            using (writer.Scope())
            {
                ElementwiseEmitter.EmitUserCopy(writer, network.Output, plan.Tensors[last], format, "outputGradient", "g" + last, intoTensor: true);
            }

            if (network.HasTrainingMode)
            {
                writer.Line("ref float s = ref global::System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_state);");
            }

            if (plan.Folds.Count > 0)
            {
                using (writer.Open("if (workspace.Folded)"))
                {
                    writer.Comment("Forward ran in inference mode with work folded into stores, so some layers did not write what Backward reads");
                    writer.Comment("(outputs before a batch normalisation, pre-activations): run the layers again unfolded, in the same mode.");
                    writer.Line("ForwardLayers" + ForwardEmitter.LayersArguments(network, plan, "false", "false", "workspace.TrainingPasses", "0", packedWeights: false));
                    writer.Line("workspace.Folded = false;");
                }
            }

            if (network.HasTrainingMode)
            {
                writer.Line("BackwardLayers(ref p, ref s, ref pg, ref ws, capacity, batch, !inputGradient.IsEmpty, outputGradientIsPreActivation, workspace.Training" +
                    (network.DrawsInTraining ? ", workspace.TrainingPasses);" : ");"));
            }
            else
            {
                writer.Line("BackwardLayers(ref p, ref pg, ref ws, capacity, batch, !inputGradient.IsEmpty, outputGradientIsPreActivation);");
            }

            using (writer.Open("if (!inputGradient.IsEmpty)"))
            {
                writer.Comment("dL/d(input), " + network.Input.Display(format) + ".");
                ElementwiseEmitter.EmitUserCopy(writer, network.Input, plan.Tensors[0], format, "inputGradient", "g0", intoTensor: false);
            }
        }

        writer.Line();
        writer.Comment("Every layer from the last to the first. p: parameters, pg: their gradients, ws: the workspace.");
        using (writer.Open(network.HasTrainingMode
            ? "private static void BackwardLayers(ref float p, ref float s, ref float pg, ref float ws, int capacity, int batch, bool inputGradient, bool fromPreActivation, bool training" +
                (network.DrawsInTraining ? ", long draw)" : ")")
            : "private static void BackwardLayers(ref float p, ref float pg, ref float ws, int capacity, int batch, bool inputGradient, bool fromPreActivation)"))
        {
            ForwardEmitter.EmitTensorRefs(writer, network, plan, gradients: true, declareBuffers: false);
            writer.Line("ref float scratch = ref " + FrameworkNames.Unsafe + ".Add(ref ws, " + CompactLoops.Times("(nint)capacity", plan.FloatsPerSample) + ");");
            if (plan.PaddedGradientFloats > 0)
            {
                writer.Line("ref float padded = ref " + FrameworkNames.Unsafe + ".Add(ref ws, " + CompactLoops.Times("(nint)capacity", plan.PaddedGradientOffset) + ");");
            }
            if (plan.Gradients.ScratchFloats > 0)
            {
                writer.Line("ref float gs = ref " + FrameworkNames.Unsafe + ".Add(ref ws, " + CompactLoops.Times("(nint)capacity", plan.GradientScratchOffset) + ");");
            }

            foreach (var tensor in plan.Gradients.Cleared)
            {
                writer.Comment("No layer reads tensor " + tensor + " (" + network.NameOf(tensor - 1) + "): its gradient is zero.");
                writer.Line("global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref g" + tensor + ", " + CompactLoops.Times("batch", plan.Tensors[tensor].StoredSize) + ").Clear();");
            }

            for (var i = network.Layers.Count - 1; i >= 0; i--)
            {
                var emission = new LayerEmission(writer, network, plan, i);
                writer.Comment(emission.Description);
                LayerFamilies.Of(emission.Layer).EmitBackwardCall(emission);
                EmitCopyGradients(writer, network, plan, i);
            }
        }

        writer.Line();
    }

    /// <summary>After the first reader of a copy (the last of its readers to run backward): the copy's gradient back into its source's.</summary>
    private static void EmitCopyGradients(SourceWriter writer, NetworkModel network, WorkspacePlan plan, int layer)
    {
        for (var c = 0; c < plan.Copies.Count; c++)
        {
            var copy = plan.Copies[c];
            if (copy.FirstReader != layer)
            {
                continue;
            }

            var accumulate = plan.Gradients.Copies[c] == GradientMode.Accumulate;
            writer.Comment("dL/d(tensor " + copy.Tensor + ") " + (accumulate ? "added into" : "is") + " dL/d(tensor " + copy.Source + " (" +
                network.NameOf(copy.Source - 1) + ")), whose copy it is.");
            if (copy.Source == 0)
            {
                using (writer.Open("if (inputGradient)"))
                {
                    Pass();
                }
            }
            else
            {
                Pass();
            }

            void Pass() => TensorPasses.EmitInterior(writer, plan.Tensors[copy.Tensor], plan.Tensors[copy.Source], "g" + copy.Tensor, "g" + copy.Source, accumulate);
        }
    }
}
