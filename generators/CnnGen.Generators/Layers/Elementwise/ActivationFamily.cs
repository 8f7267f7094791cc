using System.Collections.Generic;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>Activation as a layer of its own: the function applied to every value (softmax over the channel axis).</summary>
internal sealed class ActivationFamily : LayerFamily
{
    public override IReadOnlyList<LayerSyntax> Kinds { get; } = new[]
    {
        new LayerSyntax(LayerKind.Activation, "activation", 0, new[] { LayerOptions.Activation, LayerOptions.Name }, 1, "relu"),
    };

    public override LayerModel? Infer(LayerContext context) => context.Plain(context.Input, context.Spec.Activation);

    public override void Describe(LayerModel layer, List<string> parts)
    {
        // Other layers name a non-linear activation only; this layer is its activation.
        if (layer.Activation == ActivationKind.Linear)
        {
            parts.Add(LayerVocabulary.SnakeName(layer.Activation));
        }
    }

    public override void EmitForward(LayerEmission emission)
    {
        var writer = emission.Writer;
        var layer = emission.Layer;
        writer.Comment(emission.Description);
        using (writer.Open("private static void " + layer.AccessorName + "Forward(ref float x, ref float y, int batch)"))
        {
            if (layer.Activation == ActivationKind.Linear)
            {
                ElementwiseEmitter.EmitCopy(writer, emission.Input, emission.Output, "x", "y");
            }
            else
            {
                ElementwiseEmitter.EmitActivation(writer, layer.Activation, emission.Input, emission.Output, "x", "y");
            }
        }

        writer.Line();
    }

    public override void EmitForwardCall(LayerEmission emission) => PoolingFamily.EmitCall(emission);

    public override void EmitBackward(LayerEmission emission)
    {
        var writer = emission.Writer;
        writer.Comment(emission.Description + ": dL/d(input) = dL/d(output) * f'(input).");
        using (writer.Open("private static void " + emission.Layer.AccessorName + "Backward(ref float x, ref float y, ref float dy, ref float dx, int batch)"))
        {
            ElementwiseEmitter.EmitActivationDerivative(writer, emission.Layer.Activation, emission.Input, emission.Output, "x", "y", "dy", "dx",
                dxLayout: emission.Input);
        }

        writer.Line();
    }

    public override void EmitBackwardCall(LayerEmission emission) => emission.InputGradientWork(() =>
    {
        var writer = emission.Writer;
        var call = emission.Layer.AccessorName + "Backward(ref " + emission.InputTensor + ", ref " + emission.OutputTensor + ", ref " +
            emission.OutputGradient + ", ref " + emission.InputGradient + ", batch);";
        if (!emission.IsLast)
        {
            writer.Line(call);
            return;
        }

        // Given dL/d(pre-activation), the activation layer passes it through unchanged.
        using (writer.Open("if (fromPreActivation)"))
        {
            writer.Line("global::System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref " + emission.OutputGradient + ", batch * " +
                emission.Output.StoredSize + ").CopyTo(global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref " + emission.InputGradient +
                ", batch * " + emission.Input.StoredSize + "));");
        }

        using (writer.Open("else"))
        {
            writer.Line(call);
        }
    });
}
