using System.Collections.Generic;
using System.Numerics;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>Dense: every unit a weighted sum of every input (Keras layout (inputs, units)); the input must be a vector.</summary>
internal sealed class DenseFamily : LayerFamily
{
    public override IReadOnlyList<LayerSyntax> Kinds { get; } = new[]
    {
        new LayerSyntax(LayerKind.Dense, "dense", 0,
            new[] { LayerOptions.Units, LayerOptions.Activation, LayerOptions.UseBias, LayerOptions.Name }, 1, "10"),
    };

    public override LayerModel? Infer(LayerContext context)
    {
        var spec = context.Spec;
        var input = context.Input;
        if (input.SpatialRank != 0)
        {
            return context.WrongRank("a vector", "Add " + context.Suggest(LayerKind.Flatten) + " (or global pooling) before it.");
        }

        var bias = spec.UseBias ? spec.Units : 0;
        if (!context.WithinParameterLimit((BigInteger)input.Size * spec.Units, bias))
        {
            return null;
        }

        var kernel = (long)input.Size * spec.Units;
        return context.Model(TensorShape.Vector(spec.Units), null, spec.Activation, spec.UseBias, (int)kernel, bias, kernel);
    }

    public override void Describe(LayerModel layer, List<string> parts) =>
        parts.Add(layer.Output.Channels.ToString(System.Globalization.CultureInfo.InvariantCulture) + " units");

    public override int[] KernelShape(LayerModel layer) => new[] { layer.Input.Size, layer.Output.Channels };

    public override string KernelAxes(LayerModel layer) => "inputs, units";

    public override bool NeedsPreActivation(LayerModel layer) => ActivationPass.IsSeparate(layer);

    public override int BackwardScratchFloats(LayerModel layer) => layer.KernelLength;

    public override IReadOnlyList<KernelPlan> Plans(LayerEmission emission, VectorIsa isa)
    {
        var layer = emission.Layer;
        var plans = new List<KernelPlan>
        {
            DenseForwardEmitter.Plan(layer, isa),
            DenseBackwardEmitter.KernelGradientPlan(layer, isa),
            DenseBackwardEmitter.InputGradientPlan(layer, isa),
        };
        if (layer.UseBias)
        {
            plans.Add(ConvolutionBackwardEmitter.BiasGradientPlan(layer.Output.Channels, isa));
        }

        return plans;
    }

    public override void EmitForward(LayerEmission emission)
    {
        DenseForwardEmitter.Emit(emission.Writer, emission.Layer, emission.Format);
        ActivationPass.EmitForward(emission);
    }

    /// <summary>Every forward kernel of the family applies a folded normalisation in its stores.</summary>
    public override bool CanFoldNormalization(LayerModel layer) => true;

    public override void EmitForwardCall(LayerEmission emission) => ActivationPass.EmitWeightedForwardCall(emission,
        emission.Plan.PackedKernelOffsets[emission.Index] < 0 ? null : emission.Plan.PackedKernelArguments(emission.Index));

    /// <summary>A kernel over 1 MB, which a single sample streams row by row, packed in the order the stream reads it.</summary>
    public override int PackedKernelFloats(LayerModel layer) => DenseForwardEmitter.PackedKernelFloats(layer);

    public override void EmitBackward(LayerEmission emission)
    {
        ActivationPass.EmitBackward(emission);
        DenseBackwardEmitter.Emit(emission.Writer, emission.Layer, emission.Input, emission.Output, emission.Format, inputGradient: true);
    }

    public override void EmitBackwardCall(LayerEmission emission)
    {
        var layer = emission.Layer;
        var writer = emission.Writer;
        ActivationPass.EmitBackwardCall(emission);
        if (layer.UseBias)
        {
            writer.Line(layer.AccessorName + "BiasGradient(ref " + emission.OutputGradient + ", " + emission.Bias("pg") + ", batch);");
        }

        writer.Line(layer.AccessorName + "KernelGradient(ref " + emission.InputTensor + ", ref " + emission.OutputGradient + ", " + emission.Weights("pg") + ", batch);");
        emission.InputGradientWork(() =>
        {
            writer.Line(layer.AccessorName + "TransposeKernel(" + emission.Weights() + ", ref scratch);");
            writer.Line(layer.AccessorName + "InputGradient(ref " + emission.OutputGradient + ", ref scratch, ref " + emission.InputGradient + ", batch);");
        });
    }
}
