using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// The activation of a convolution or dense layer: fused into the layer's store when it costs a
/// few vector operations and its derivative reads the output (linear, relu, leaky relu, relu6,
/// hard sigmoid; in an inference variant also hard swish, and gelu and silu in depthwise
/// convolutions), otherwise a second pass from a pre-activation tensor (and its derivative in
/// Backward, in place over the output gradient).
/// Shared by the families whose layers carry an activation.
/// </summary>
internal static class ActivationPass
{
    /// <summary>True when the layer writes a pre-activation tensor first.</summary>
    public static bool IsSeparate(LayerModel layer) => Fused(layer) != layer.Activation;

    /// <summary>
    /// The activation applied in registers (in an inference variant, also those of
    /// <see cref="ActivationPlan.IsFusedInInference"/>); others run in a separate pass over the pre-activation.
    /// </summary>
    public static ActivationKind Fused(LayerModel layer) =>
        ActivationPlan.IsFused(layer.Activation) || (layer.FusesInInference && ActivationPlan.IsFusedInInference(layer, layer.Activation))
            ? layer.Activation
            : ActivationKind.Linear;

    /// <summary>The layer's Activate method (z to y), when its activation is a separate pass.</summary>
    public static void EmitForward(LayerEmission emission)
    {
        if (emission.PreActivation is not { } z)
        {
            return;
        }

        var layer = emission.Layer;
        var writer = emission.Writer;
        writer.Comment(layer.Name + ": " + LayerVocabulary.SnakeName(layer.Activation) + " over the pre-activation.");
        using (writer.Open("private static void " + layer.AccessorName + "Activate(ref float z, ref float y, int batch)"))
        {
            ElementwiseEmitter.EmitActivation(writer, layer.Activation, z, emission.Output, "z", "y");
        }

        writer.Line();
    }

    /// <summary>The call of the layer's Activate method, after the layer wrote its pre-activation.</summary>
    public static void EmitForwardCall(LayerEmission emission)
    {
        if (emission.PreActivation is not null)
        {
            emission.Writer.Line(emission.Layer.AccessorName + "Activate(ref " + emission.PreActivationTensor + ", ref " + emission.OutputTensor + ", batch);");
        }
    }

    /// <summary>
    /// The forward call of a layer with a kernel and a bias (convolution, depthwise, dense):
    /// the kernel writes the output, or the pre-activation a separate pass then activates.
    /// </summary>
    public static void EmitWeightedForwardCall(LayerEmission emission, string? scratch = null)
    {
        emission.Writer.Line(emission.Layer.AccessorName + "Forward(" + emission.Weights() + ", " + emission.Bias() + ", ref " + emission.InputTensor +
            ", " + Target(emission) + (scratch is null ? string.Empty : ", " + scratch) + ", batch);");
        EmitForwardCall(emission);
    }

    /// <summary>Where the layer's kernel writes: the pre-activation tensor or the output.</summary>
    public static string Target(LayerEmission emission) => "ref " + (emission.PreActivation is null ? emission.OutputTensor : emission.PreActivationTensor);

    /// <summary>dz = dy * f'(z) in place over the layer's output gradient, for a layer with an activation.</summary>
    public static void EmitBackward(LayerEmission emission)
    {
        var layer = emission.Layer;
        if (layer.Activation == ActivationKind.Linear)
        {
            return;
        }

        var writer = emission.Writer;
        writer.Comment(layer.Name + ": dL/d(pre-activation) = dL/d(output) * " + LayerVocabulary.SnakeName(layer.Activation) + "', in place.");
        using (writer.Open("private static void " + layer.AccessorName + "ActivationBackward(ref float z, ref float y, ref float g, int batch)"))
        {
            ElementwiseEmitter.EmitActivationDerivative(writer, layer.Activation, emission.PreActivation ?? emission.Output, emission.Output,
                "z", "y", "g", "g", dxLayout: emission.Output);
        }

        writer.Line();
    }

    /// <summary>
    /// The call of ActivationBackward; the output layer skips it when the caller passes
    /// dL/d(pre-activation) (losses fused with softmax or sigmoid).
    /// </summary>
    public static void EmitBackwardCall(LayerEmission emission)
    {
        var layer = emission.Layer;
        if (layer.Activation == ActivationKind.Linear)
        {
            return;
        }

        var writer = emission.Writer;
        var z = emission.PreActivation is null ? emission.OutputTensor : emission.PreActivationTensor;
        var call = layer.AccessorName + "ActivationBackward(ref " + z + ", ref " + emission.OutputTensor + ", ref " + emission.OutputGradient + ", batch);";
        if (emission.IsLast)
        {
            using (writer.Open("if (!fromPreActivation)"))
            {
                writer.Line(call);
            }
        }
        else
        {
            writer.Line(call);
        }
    }
}
