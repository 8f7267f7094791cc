using System.Collections.Generic;
using System.Globalization;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// Dropout (inverted, as Keras and PyTorch): the identity in inference; in training mode each
/// value is zeroed with probability rate and the others are scaled by 1 / (1 - rate). The mask
/// is a function of the seed, the layer, the workspace's count of training passes, the sample
/// and the position (the runtime's DropoutKernels), so Backward draws the same mask again
/// instead of keeping it.
/// </summary>
internal sealed class DropoutFamily : LayerFamily
{
    private const string Kernels = FrameworkNames.Kernels + "DropoutKernels";

    public override IReadOnlyList<LayerSyntax> Kinds { get; } = new[]
    {
        new LayerSyntax(LayerKind.Dropout, "dropout", 0, new[] { LayerOptions.Rate, LayerOptions.Seed, LayerOptions.Name }, 1, "0.5"),
    };

    public override bool Validate(LayerContext context)
    {
        var spec = context.Spec;
        var rate = spec.Real(LayerVocabulary.Rate, double.NaN);
        if (!(rate >= 0 && rate < 1))
        {
            context.Report(DiagnosticDescriptors.OptionOutOfRange, spec.Locate(LayerVocabulary.Rate), context.KindName, context.Name,
                LayerVocabulary.Rate, Text(rate), "at least 0 and less than 1 (the probability of zeroing a value in training), such as 0.5");
            return false;
        }

        var seed = spec.Number(LayerVocabulary.Seed, 0);
        if (seed < 0)
        {
            context.Report(DiagnosticDescriptors.OptionOutOfRange, spec.Locate(LayerVocabulary.Seed), context.KindName, context.Name,
                LayerVocabulary.Seed, seed.ToString(CultureInfo.InvariantCulture), "0 or more");
            return false;
        }

        return true;
    }

    public override LayerModel? Infer(LayerContext context) => context.Plain(context.Input) with
    {
        Rate = (float)context.Spec.Real(LayerVocabulary.Rate, 0),
        Seed = context.Spec.Number(LayerVocabulary.Seed, 0),
    };

    public override bool HasTrainingMode(LayerModel layer) => true;

    public override void Describe(LayerModel layer, List<string> parts)
    {
        parts.Add("rate " + Text(layer.Rate));
        if (layer.Seed != 0)
        {
            parts.Add("seed " + layer.Seed.ToString(CultureInfo.InvariantCulture));
        }
    }

    public override void EmitForward(LayerEmission emission)
    {
        var rate = Text(emission.Layer.Rate);
        EmitMaskOrCopy(emission, emission.Description + ": the identity in inference; in training, each value zeroed with probability " + rate +
            " and the others scaled by 1 / (1 - " + rate + "), the mask drawn from the seed, the layer, the pass, the sample and the position.",
            "Forward", "x", emission.Input, "y", emission.Output);
    }

    public override void EmitForwardCall(LayerEmission emission) =>
        emission.Writer.Line(emission.Layer.AccessorName + "Forward(ref " + emission.InputTensor + ", ref " + emission.OutputTensor + ", batch, training, draw);");

    public override void EmitBackward(LayerEmission emission) =>
        EmitMaskOrCopy(emission, emission.Description + ": dL/d(input) = dL/d(output) times the forward pass's mask (drawn again), or unchanged in inference.",
            "Backward", "dy", emission.Output, "dx", emission.Input);

    public override void EmitBackwardCall(LayerEmission emission) => emission.InputGradientWork(() =>
        emission.Writer.Line(emission.Layer.AccessorName + "Backward(ref " + emission.OutputGradient + ", ref " + emission.InputGradient +
            ", batch, training, draw);"));

    /// <summary>
    /// Forward and Backward are the same step (the mask applied to values or to their
    /// gradients, or a copy in inference), from <paramref name="source"/> to <paramref name="target"/>.
    /// </summary>
    private static void EmitMaskOrCopy(LayerEmission emission, string comment, string step, string source, TensorLayout from, string target, TensorLayout to)
    {
        var writer = emission.Writer;
        writer.Comment(comment);
        using (writer.Open("private static void " + emission.Layer.AccessorName + step + "(ref float " + source + ", ref float " + target + ", int batch, bool training, long draw)"))
        {
            using (writer.Open("if (training)"))
            {
                writer.Line(Kernels + ".Apply(ref " + source + ", " + RuntimeKernelArguments.Rows(from) + ", ref " + target + ", " +
                    RuntimeKernelArguments.Rows(to) + ", batch, " + Mask(emission) + ");");
                writer.Line("return;");
            }

            ElementwiseEmitter.EmitCopy(writer, from, to, source, target);
        }

        writer.Line();
    }

    /// <summary>Values per row, rate, seed, layer index, pass.</summary>
    private static string Mask(LayerEmission emission) =>
        NetworkEmitter.Numbers(emission.Layer.Input.Width * emission.Layer.Input.Channels) + ", " +
        emission.Layer.Rate.ToString("R", CultureInfo.InvariantCulture) + "f, " + NetworkEmitter.Numbers(emission.Layer.Seed, emission.Index) + ", draw";

    private static string Text(double value) => ((float)value).ToString("R", CultureInfo.InvariantCulture);
}
