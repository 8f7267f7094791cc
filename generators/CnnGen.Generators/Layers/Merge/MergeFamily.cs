using System.Collections.Generic;
using System.Numerics;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// Add, Multiply and Concatenate: layers that read two or more earlier outputs, named in
/// order. Add and Multiply work element by element on equal shapes, broadcasting an input of
/// one position (1x1xC, 1xC or a channel vector C) over every position of the others; Add
/// takes an activation applied after the sum (ResNet's relu). Concatenate joins its inputs
/// along the channel axis, in the order named; their spatial sizes must be equal.
/// </summary>
internal sealed class MergeFamily : LayerFamily
{
    private static readonly LayerOption[] AddOptions = { LayerOptions.Inputs, LayerOptions.Activation, LayerOptions.Name };

    private static readonly LayerOption[] Options = { LayerOptions.Inputs, LayerOptions.Name };

    public override IReadOnlyList<LayerSyntax> Kinds { get; } = new[]
    {
        new LayerSyntax(LayerKind.Add, "add", 0, AddOptions, 1, "conv2d_2, input"),
        new LayerSyntax(LayerKind.Multiply, "multiply", 0, Options, 1, "conv2d_2, dense_2"),
        new LayerSyntax(LayerKind.Concatenate, "concatenate", 0, Options, 1, "conv2d_2, conv2d_3"),
    };

    /// <summary>Two inputs at least: one is a layer that reads one.</summary>
    public override bool Validate(LayerContext context)
    {
        var names = context.Spec.Value(LayerVocabulary.Inputs)?.Words ?? EquatableArray<string>.Empty;
        if (names.Count >= 2)
        {
            return true;
        }

        var reads = names.Count == 0 ? "no layer" : "only '" + names[0] + "'";
        var example = context.SuggestMerge(context.Spec.Kind, names.Count == 0 ? "conv2d_2" : names[0], LayerVocabulary.NetworkInput);
        context.Report(DiagnosticDescriptors.TooFewMergeInputs, context.LayerLocation, context.KindName, context.Name, reads, example);
        return false;
    }

    public override LayerModel? Infer(LayerContext context)
    {
        var output = context.Spec.Kind == LayerKind.Concatenate ? Concatenated(context) : Broadcast(context);
        if (output is not { } shape)
        {
            return null;
        }

        var activation = context.Spec.Kind == LayerKind.Add ? context.Spec.Activation : ActivationKind.Linear;
        return context.Model(shape, null, activation, useBias: false, kernelLength: 0, biasLength: 0, multiplyAdds: 0);
    }

    /// <summary>
    /// The shape of Add and Multiply: the input with the most positions (the first of them, of
    /// the highest rank); every other input has its shape, or one position and its channels.
    /// </summary>
    private static TensorShape? Broadcast(LayerContext context)
    {
        var inputs = context.Inputs;
        var target = inputs[0];
        foreach (var input in inputs)
        {
            if (input.Shape.Positions > target.Shape.Positions ||
                input.Shape.Positions == target.Shape.Positions && input.Shape.SpatialRank > target.Shape.SpatialRank)
            {
                target = input;
            }
        }

        foreach (var input in inputs)
        {
            var shape = input.Shape;
            var fits = shape.Channels == target.Shape.Channels &&
                (SameSpatial(shape, target.Shape) || shape.Positions == 1 && (shape.SpatialRank == 0 || shape.SpatialRank == target.Shape.SpatialRank));
            if (!fits)
            {
                Report(context, target, input, BroadcastFix(context, target.Shape, shape));
                return null;
            }
        }

        return target.Shape;
    }

    private static string BroadcastFix(LayerContext context, TensorShape target, TensorShape other)
    {
        var format = context.Format;
        var single = new TensorShape(target.SpatialRank, 1, 1, target.Channels);
        var rule = context.KindName + " needs inputs of one shape, or an input of one position (" +
            (target.SpatialRank == 0 ? string.Empty : single.Display(format) + " or ") + TensorShape.Vector(target.Channels).Display(format) +
            ") broadcast over the other's positions; ";
        if (other.SpatialRank != target.SpatialRank && other.Positions > 1)
        {
            return rule + "one is " + target.RankDescription(format) + " and the other " + other.RankDescription(format) + ".";
        }

        if (other.Channels != target.Channels)
        {
            return rule + "give both " + target.Channels + " channels or both " + other.Channels +
                " (a 1x1 convolution or a dense layer can change the channels of one).";
        }

        return rule + "their spatial sizes differ (" + target.SpatialDisplay() + " and " + other.SpatialDisplay() +
            "): use the same strides and padding 'same' on both paths, or a strided 1x1 convolution on the larger one.";
    }

    /// <summary>The shape of Concatenate: the inputs' spatial sizes, and the sum of their channels.</summary>
    private static TensorShape? Concatenated(LayerContext context)
    {
        var inputs = context.Inputs;
        var first = inputs[0];
        var channels = BigInteger.Zero;
        foreach (var input in inputs)
        {
            if (!SameSpatial(input.Shape, first.Shape))
            {
                var rule = context.KindName + " joins its inputs along the channel axis, so ";
                Report(context, first, input, input.Shape.SpatialRank != first.Shape.SpatialRank
                    ? rule + "they must be of one rank, not " + first.Shape.RankDescription(context.Format) + " and " + input.Shape.RankDescription(context.Format) + "."
                    : rule + "their spatial sizes must be equal, not " + first.Shape.SpatialDisplay() + " and " + input.Shape.SpatialDisplay() +
                      "; use the same strides and padding 'same' on both paths, or pooling on the larger one.");
                return null;
            }

            channels += input.Shape.Channels;
        }

        if (!context.WithinTensorLimit(channels * first.Shape.Positions))
        {
            return null;
        }

        return first.Shape with { Channels = (int)channels };
    }

    private static bool SameSpatial(TensorShape a, TensorShape b) => a.SpatialRank == b.SpatialRank && a.Height == b.Height && a.Width == b.Width;

    /// <summary>On the argument of the input that does not fit <paramref name="reference"/>, with both shapes.</summary>
    private static void Report(LayerContext context, LayerInput reference, LayerInput input, string why) =>
        context.Report(DiagnosticDescriptors.MergeInputsDoNotFit, input.Location ?? context.LayerLocation, context.KindName, context.Name,
            reference.Name, reference.Shape.Display(context.Format), input.Name, input.Shape.Display(context.Format), why);

    public override void Describe(LayerModel layer, List<string> parts) => parts.Add(layer.Kind switch
    {
        LayerKind.Add => "sum of " + layer.Inputs.Count + " inputs",
        LayerKind.Multiply => "product of " + layer.Inputs.Count + " inputs",
        _ => "channels of " + layer.Inputs.Count + " inputs joined",
    });

    // ---- Memory: merges read interiors wherever they sit, and add into gradients themselves.

    public override bool ReadsAnyFrame(LayerModel layer) => true;

    public override bool CanAccumulateInputGradient(LayerModel layer) => true;

    public override bool NeedsPreActivation(LayerModel layer) => ActivationPass.IsSeparate(layer);

    /// <summary>Multiply's input gradient is dL/d(output) times the other inputs: a row of them before it is summed or added.</summary>
    public override int BackwardScratchFloats(LayerModel layer) => layer.Kind == LayerKind.Multiply ? layer.Output.Size : 0;

    // ---- Code -------------------------------------------------------------------------------

    public override void EmitForward(LayerEmission emission)
    {
        MergeEmitter.EmitForward(emission);
        ActivationPass.EmitForward(emission);
    }

    public override void EmitForwardCall(LayerEmission emission)
    {
        var arguments = new List<string>();
        for (var k = 0; k < emission.InputCount; k++)
        {
            arguments.Add("ref " + emission.InputTensorOf(k));
        }

        emission.Writer.Line(emission.Layer.AccessorName + "Forward(" + string.Join(", ", arguments) + ", " + ActivationPass.Target(emission) + ", batch);");
        ActivationPass.EmitForwardCall(emission);
    }

    public override void EmitBackward(LayerEmission emission)
    {
        ActivationPass.EmitBackward(emission);
        MergeEmitter.EmitBackward(emission);
    }

    public override void EmitBackwardCall(LayerEmission emission)
    {
        ActivationPass.EmitBackwardCall(emission);
        for (var k = 0; k < emission.InputCount; k++)
        {
            var input = k;
            emission.InputGradientWork(input, () => emission.Writer.Line(MergeEmitter.InputGradientCall(emission, input)));
        }
    }
}
