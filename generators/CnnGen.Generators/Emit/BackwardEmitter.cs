using System.Globalization;
using CnnGen.Generators.Emit.Plans;
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
    private const string Kernels = "global::CnnGen.Kernels.ActivationKernels";

    public static void Emit(SourceWriter writer, NetworkModel network, WorkspacePlan plan)
    {
        EmitEntryPoints(writer, network, plan);
        for (var i = 0; i < network.Layers.Count; i++)
        {
            EmitLayer(writer, network, plan, i);
        }
    }

    private static void EmitEntryPoints(SourceWriter writer, NetworkModel network, WorkspacePlan plan)
    {
        var format = network.Format;
        writer.Summary("Back-propagates dL/d(output) of the batch of the most recent Forward on this instance: writes dL/d(input)\n" +
            "(an empty span skips that work) and overwrites Gradients with dL/d(parameters) summed over the batch.");
        writer.Line("public void Backward(global::System.ReadOnlySpan<float> outputGradient, global::System.Span<float> inputGradient) =>");
        writer.Line("    Backward(outputGradient, inputGradient, _workspace ?? throw new global::System.InvalidOperationException(\"Backward needs the activations of a Forward call; call Forward first.\"), _gradients);");
        writer.Line();
        writer.Summary("Backward with a workspace of the caller's, writing parameter gradients to parameterGradients: threads that each use\n" +
            "their own workspace and gradient buffer can share one instance.");
        writer.Line("public void Backward(global::System.ReadOnlySpan<float> outputGradient, global::System.Span<float> inputGradient, " +
            NetworkEmitter.Runtime + "Workspace workspace, global::System.Span<float> parameterGradients) =>");
        writer.Line("    Backward(outputGradient, inputGradient, workspace, parameterGradients, false);");
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
            writer.Line("global::CnnGen.Kernels.Guard.ForwardDone(workspace);");
            writer.Line("int batch = workspace.BatchSize;");
            writer.Line("global::CnnGen.Kernels.Guard.Spans(outputGradient.Length, inputGradient.Length, batch, OutputSize, InputSize, " +
                SourceWriter.Literal(network.Output.Display(format)) + ", " + SourceWriter.Literal(network.Input.Display(format)) + ", \"outputGradient\", \"inputGradient\");");
            writer.Line("global::CnnGen.Kernels.Guard.Gradients(parameterGradients.Length, ParameterCount);");
            writer.Line("ref float p = ref global::System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_parameters);");
            writer.Line("ref float pg = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(parameterGradients);");
            writer.Line("ref float ws = ref global::System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(workspace.Buffer);");
            writer.Line("int capacity = workspace.BatchCapacity;");
            var last = network.Layers.Count;
            writer.Line("ref float g0 = ref Unsafe.Add(ref ws, (nint)capacity * " + (plan.ActivationFloats + plan.Tensors[0].Offset) + ");");
            if (last > 0)
            {
                writer.Line("ref float g" + last + " = ref Unsafe.Add(ref ws, (nint)capacity * " + (plan.ActivationFloats + plan.Tensors[last].Offset) + ");");
            }

            writer.Comment("dL/d(output), " + network.Output.Display(format) + ".");
            using (writer.Scope())
            {
                ElementwiseEmitter.EmitUserCopy(writer, network.Output, plan.Tensors[last], format, "outputGradient", "g" + last, intoTensor: true);
            }

            writer.Line("BackwardLayers(ref p, ref pg, ref ws, capacity, batch, !inputGradient.IsEmpty, outputGradientIsPreActivation);");
            using (writer.Open("if (!inputGradient.IsEmpty)"))
            {
                writer.Comment("dL/d(input), " + network.Input.Display(format) + ".");
                ElementwiseEmitter.EmitUserCopy(writer, network.Input, plan.Tensors[0], format, "inputGradient", "g0", intoTensor: false);
            }
        }

        writer.Line();
        writer.Comment("Every layer from the last to the first. p: parameters, pg: their gradients, ws: the workspace.");
        using (writer.Open("private static void BackwardLayers(ref float p, ref float pg, ref float ws, int capacity, int batch, bool inputGradient, bool fromPreActivation)"))
        {
            ForwardEmitter.EmitTensorRefs(writer, network, plan, gradients: true, declareBuffers: false);
            writer.Line("ref float scratch = ref Unsafe.Add(ref ws, (nint)capacity * " + plan.FloatsPerSample + ");");
            if (plan.PaddedGradientFloats > 0)
            {
                writer.Line("ref float padded = ref Unsafe.Add(ref ws, (nint)capacity * " + plan.PaddedGradientOffset + ");");
            }
            for (var i = network.Layers.Count - 1; i >= 0; i--)
            {
                var layer = network.Layers[i];
                writer.Comment(LayerDescriber.Describe(layer, format: network.Format));
                EmitLayerCalls(writer, layer, plan, i, isLast: i == network.Layers.Count - 1);
            }
        }

        writer.Line();
    }

    private static void EmitLayerCalls(SourceWriter writer, LayerModel layer, WorkspacePlan plan, int index, bool isLast)
    {
        var i = index.ToString(CultureInfo.InvariantCulture);
        var o = (index + 1).ToString(CultureInfo.InvariantCulture);
        var input = plan.Tensors[index];
        var condition = index == 0 ? "inputGradient" : null;
        void InputGradient(System.Action body)
        {
            if (condition is null)
            {
                body();
                return;
            }

            using (writer.Open("if (" + condition + ")"))
            {
                body();
            }
        }

        void Clear() => writer.Line("global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref g" + i + ", batch * " + input.StoredSize + ").Clear();");

        switch (layer.Kind)
        {
            case LayerKind.Conv1D:
            case LayerKind.Conv2D:
            case LayerKind.Dense:
                if (layer.Activation != ActivationKind.Linear)
                {
                    var z = plan.PreActivations[index] is null ? "t" + o : "z" + o;
                    var call = layer.AccessorName + "ActivationBackward(ref " + z + ", ref t" + o + ", ref g" + o + ", batch);";
                    if (isLast)
                    {
                        writer.Line("if (!fromPreActivation)");
                        writer.Line("{");
                        writer.Line("    " + call);
                        writer.Line("}");
                    }
                    else
                    {
                        writer.Line(call);
                    }
                }

                if (layer.UseBias)
                {
                    writer.Line(layer.AccessorName + "BiasGradient(ref g" + o + ", ref Unsafe.Add(ref pg, " + (layer.ParameterOffset + layer.KernelLength) + "), batch);");
                }

                writer.Line(layer.AccessorName + "KernelGradient(ref t" + i + ", ref g" + o + ", ref Unsafe.Add(ref pg, " + layer.ParameterOffset + ")" +
                    (PositionVectorizedKernelGradient.Applies(layer) ? ", ref padded" : string.Empty) + ", batch);");
                InputGradient(() =>
                {
                    if (layer.Kind != LayerKind.Dense)
                    {
                        Clear();
                    }

                    writer.Line(layer.AccessorName + "TransposeKernel(" + ForwardEmitter.WeightsArgument(layer) + ", ref scratch);");
                    writer.Line(layer.AccessorName + "InputGradient(ref g" + o + ", ref scratch, ref g" + i + (ConvolutionBackwardEmitter.UsesPaddedGradient(layer) ? ", ref padded" : string.Empty) + ", batch);");
                });
                break;
            case LayerKind.Flatten:
                if (plan.Tensors[index].Offset == plan.Tensors[index + 1].Offset)
                {
                    writer.Comment("Nothing to do: the gradient of the flattened vector is the same memory.");
                }
                else
                {
                    InputGradient(() => writer.Line(layer.AccessorName + "Backward(ref g" + i + ", ref g" + o + ", batch);"));
                }

                break;
            case LayerKind.Activation:
                InputGradient(() =>
                {
                    var call = layer.AccessorName + "Backward(ref t" + i + ", ref t" + o + ", ref g" + o + ", ref g" + i + ", batch);";
                    if (!isLast)
                    {
                        writer.Line(call);
                        return;
                    }

                    // Given dL/d(pre-activation), the activation layer passes it through unchanged.
                    using (writer.Open("if (fromPreActivation)"))
                    {
                        writer.Line("global::System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref g" + o + ", batch * " + plan.Tensors[index + 1].StoredSize +
                            ").CopyTo(global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref g" + i + ", batch * " + input.StoredSize + "));");
                    }

                    using (writer.Open("else"))
                    {
                        writer.Line(call);
                    }
                });
                break;
            default:
                InputGradient(() =>
                {
                    Clear();
                    writer.Line(layer.AccessorName + "Backward(ref t" + i + ", ref t" + o + ", ref g" + o + ", ref g" + i + ", batch);");
                });
                break;
        }
    }

    private static void EmitLayer(SourceWriter writer, NetworkModel network, WorkspacePlan plan, int index)
    {
        var layer = network.Layers[index];
        var input = plan.Tensors[index];
        var output = plan.Tensors[index + 1];
        var format = network.Format;
        var needsInputGradient = true;
        switch (layer.Kind)
        {
            case LayerKind.Conv1D:
            case LayerKind.Conv2D:
                EmitActivationBackward(writer, layer, plan.PreActivations[index], output);
                ConvolutionBackwardEmitter.Emit(writer, layer, input, output, format, needsInputGradient);
                break;
            case LayerKind.Dense:
                EmitActivationBackward(writer, layer, plan.PreActivations[index], output);
                DenseBackwardEmitter.Emit(writer, layer, input, output, format, needsInputGradient);
                break;
            case LayerKind.Flatten:
                if (input.Offset != output.Offset)
                {
                    writer.Comment(LayerDescriber.Describe(layer, format) + ": back from (c, h, w) order to (h, w, c).");
                    using (writer.Open("private static void " + layer.AccessorName + "Backward(ref float dx, ref float dy, int batch)"))
                    {
                        ElementwiseEmitter.EmitFlattenTranspose(writer, layer.Input, input, output, "dx", "dy", backward: true);
                    }

                    writer.Line();
                }

                break;
            case LayerKind.Activation:
                writer.Comment(LayerDescriber.Describe(layer, format) + ": dL/d(input) = dL/d(output) * f'(input).");
                using (writer.Open("private static void " + layer.AccessorName + "Backward(ref float x, ref float y, ref float dy, ref float dx, int batch)"))
                {
                    EmitActivationDerivative(writer, layer.Activation, input, output, "x", "y", "dy", "dx", inputLayoutForOutput: input);
                }

                writer.Line();
                break;
            default:
                PoolingBackwardEmitter.Emit(writer, layer, input, output, format);
                break;
        }
    }

    /// <summary>dz = dy * f'(z) in place over the layer's output gradient, for a convolution or dense layer with an activation.</summary>
    private static void EmitActivationBackward(SourceWriter writer, LayerModel layer, TensorLayout? preActivation, TensorLayout output)
    {
        if (layer.Activation == ActivationKind.Linear)
        {
            return;
        }

        writer.Comment(layer.Name + ": dL/d(pre-activation) = dL/d(output) * " + LayerVocabulary.SnakeName(layer.Activation) + "', in place.");
        using (writer.Open("private static void " + layer.AccessorName + "ActivationBackward(ref float z, ref float y, ref float g, int batch)"))
        {
            EmitActivationDerivative(writer, layer.Activation, preActivation ?? output, output, "z", "y", "g", "g", inputLayoutForOutput: output);
        }

        writer.Line();
    }

    /// <summary>
    /// dx = dy * f'(z) row by row: <paramref name="zLayout"/> is the layout of z,
    /// <paramref name="yLayout"/> of y and dy, <paramref name="inputLayoutForOutput"/> of dx.
    /// </summary>
    private static void EmitActivationDerivative(SourceWriter writer, ActivationKind activation, TensorLayout zLayout, TensorLayout yLayout,
        string z, string y, string dy, string dx, TensorLayout inputLayoutForOutput)
    {
        var rows = zLayout.Height;
        var rowLength = zLayout.Width * zLayout.Channels;
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        using (writer.Open("for (int r = 0; r < " + rows + "; r++)"))
        {
            writer.Line("ref float zr = ref Unsafe.Add(ref " + z + ", (nint)n * " + zLayout.StoredSize + " + " + zLayout.InteriorOffset + " + r * " + zLayout.RowStride + ");");
            writer.Line("ref float yr = ref Unsafe.Add(ref " + y + ", (nint)n * " + yLayout.StoredSize + " + " + yLayout.InteriorOffset + " + r * " + yLayout.RowStride + ");");
            writer.Line("ref float dyr = ref Unsafe.Add(ref " + dy + ", (nint)n * " + yLayout.StoredSize + " + " + yLayout.InteriorOffset + " + r * " + yLayout.RowStride + ");");
            writer.Line("ref float dxr = ref Unsafe.Add(ref " + dx + ", (nint)n * " + inputLayoutForOutput.StoredSize + " + " + inputLayoutForOutput.InteriorOffset + " + r * " +
                inputLayoutForOutput.RowStride + ");");
            writer.Line(activation == ActivationKind.Softmax
                ? Kernels + ".SoftmaxBackward(ref yr, ref dyr, ref dxr, " + zLayout.Width + ", " + zLayout.Channels + ");"
                : Kernels + ".Backward(global::CnnGen.Activation." + activation + ", ref zr, ref yr, ref dyr, ref dxr, " + rowLength + ");");
        }
    }
}
