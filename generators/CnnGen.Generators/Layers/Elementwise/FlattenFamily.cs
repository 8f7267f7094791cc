using System.Collections.Generic;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// Flatten: a tensor to the vector of its values in the memory order of the data format. In
/// channels-last order that is the memory already (a view, no code); channels-first needs a
/// transpose from the (h, w, c) order kept inside.
/// </summary>
internal sealed class FlattenFamily : LayerFamily
{
    public override IReadOnlyList<LayerSyntax> Kinds { get; } = new[]
    {
        new LayerSyntax(LayerKind.Flatten, "flatten", 0, new[] { LayerOptions.Name }, 0, string.Empty),
    };

    public override LayerModel? Infer(LayerContext context) => context.Plain(TensorShape.Vector(context.Input.Size));

    public override bool IsViewOfInput(NetworkModel network, LayerModel layer) =>
        network.Format == DataFormat.ChannelsLast || layer.Input.Channels == 1 || layer.Input.Positions == 1;

    private static bool IsView(LayerEmission emission) => emission.Input.Offset == emission.Output.Offset;

    public override void EmitForward(LayerEmission emission)
    {
        if (IsView(emission))
        {
            return;
        }

        var writer = emission.Writer;
        writer.Comment(emission.Description + ": channels-first order, (h, w, c) -> (c, h, w).");
        using (writer.Open("private static void " + emission.Layer.AccessorName + "Forward(ref float x, ref float y, int batch)"))
        {
            ElementwiseEmitter.EmitFlattenTranspose(writer, emission.Layer.Input, emission.Input, emission.Output, "x", "y", backward: false);
        }

        writer.Line();
    }

    public override void EmitForwardCall(LayerEmission emission)
    {
        if (IsView(emission))
        {
            emission.Writer.Comment("Nothing to do: the flattened vector is the same memory.");
        }
        else
        {
            PoolingFamily.EmitCall(emission);
        }
    }

    public override void EmitBackward(LayerEmission emission)
    {
        if (IsView(emission))
        {
            return;
        }

        var writer = emission.Writer;
        writer.Comment(emission.Description + ": back from (c, h, w) order to (h, w, c).");
        using (writer.Open("private static void " + emission.Layer.AccessorName + "Backward(ref float dx, ref float dy, int batch)"))
        {
            ElementwiseEmitter.EmitFlattenTranspose(writer, emission.Layer.Input, emission.Input, emission.Output, "dx", "dy", backward: true);
        }

        writer.Line();
    }

    public override void EmitBackwardCall(LayerEmission emission)
    {
        if (IsView(emission))
        {
            emission.Writer.Comment("Nothing to do: the gradient of the flattened vector is the same memory.");
            return;
        }

        emission.InputGradientWork(() =>
            emission.Writer.Line(emission.Layer.AccessorName + "Backward(ref " + emission.InputGradient + ", ref " + emission.OutputGradient + ", batch);"));
    }
}
