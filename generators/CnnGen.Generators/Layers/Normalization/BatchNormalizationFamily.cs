using System.Collections.Generic;
using System.Globalization;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// BatchNormalization: every channel normalised, then scaled by gamma (the layer's "kernel",
/// one per channel, if Scale) and shifted by beta (its bias, if Center). The moving mean and
/// variance are state, not parameters. Inference uses them; training mode uses the batch's
/// statistics over samples and positions and updates them. The arithmetic is in the runtime's
/// NormalizationKernels (vectors over the channels of a position, whatever the width); the
/// generated code passes every size as a constant.
/// </summary>
internal sealed class BatchNormalizationFamily : LayerFamily
{
    public const float DefaultMomentum = 0.99f;

    public const float DefaultEpsilon = 0.001f;

    private const string Kernels = FrameworkNames.Kernels + "NormalizationKernels";

    public override IReadOnlyList<LayerSyntax> Kinds { get; } = new[]
    {
        new LayerSyntax(LayerKind.BatchNormalization, "batch_norm", 0,
            new[] { LayerOptions.Momentum, LayerOptions.Epsilon, LayerOptions.Center, LayerOptions.Scale, LayerOptions.Name }, 0, string.Empty),
    };

    public override bool Validate(LayerContext context)
    {
        var spec = context.Spec;
        var ok = true;
        var momentum = spec.Real(LayerVocabulary.Momentum, DefaultMomentum);
        if (!(momentum >= 0 && momentum <= 1))
        {
            context.Report(DiagnosticDescriptors.OptionOutOfRange, spec.Locate(LayerVocabulary.Momentum), context.KindName, context.Name,
                LayerVocabulary.Momentum, Text(momentum), "between 0 and 1 (the share of the old moving statistics kept at each step; PyTorch's momentum 0.1 is 0.9 here)");
            ok = false;
        }

        var epsilon = spec.Real(LayerVocabulary.Epsilon, DefaultEpsilon);
        if (!(epsilon > 0 && epsilon <= 1e30))
        {
            context.Report(DiagnosticDescriptors.OptionOutOfRange, spec.Locate(LayerVocabulary.Epsilon), context.KindName, context.Name,
                LayerVocabulary.Epsilon, Text(epsilon), "greater than 0 (added to the variance before the square root), such as 0.001");
            ok = false;
        }

        return ok;
    }

    public override LayerModel? Infer(LayerContext context)
    {
        var spec = context.Spec;
        var channels = context.Input.Channels;
        var scale = spec.Flag(LayerVocabulary.Scale, true);
        var center = spec.Flag(LayerVocabulary.Center, true);
        if (!context.WithinParameterLimit(2 * (long)channels, 0))
        {
            return null;
        }

        return context.Model(context.Input, null, ActivationKind.Linear, center, scale ? channels : 0, center ? channels : 0,
            2L * context.Input.Size) with
        {
            StateLength = 2 * channels,
            Momentum = (float)spec.Real(LayerVocabulary.Momentum, DefaultMomentum),
            Epsilon = (float)spec.Real(LayerVocabulary.Epsilon, DefaultEpsilon),
            Scale = scale,
        };
    }

    public override bool HasTrainingMode(LayerModel layer) => true;

    public override void Describe(LayerModel layer, List<string> parts)
    {
        if (layer.Momentum != DefaultMomentum)
        {
            parts.Add("momentum " + Text(layer.Momentum));
        }

        if (layer.Epsilon != DefaultEpsilon)
        {
            parts.Add("epsilon " + Text(layer.Epsilon));
        }

        if (!layer.Scale)
        {
            parts.Add("no scale");
        }
    }

    public override int[] KernelShape(LayerModel layer) => layer.Scale ? new[] { layer.Input.Channels } : System.Array.Empty<int>();

    public override string KernelAxes(LayerModel layer) => "gamma, one per channel";

    public override void EmitInitialization(SourceWriter writer, LayerModel layer)
    {
        writer.Comment(layer.Name + ": gamma 1 and beta 0 (the identity on normalised values); moving mean 0 and moving variance 1.");
        if (layer.Scale)
        {
            writer.Line("Parameters.Slice(" + NetworkEmitter.Numbers(layer.ParameterOffset, layer.KernelLength) + ").Fill(1f);");
        }

        writer.Line("new global::System.Span<float>(_state, " + NetworkEmitter.Numbers(layer.StateOffset + layer.Input.Channels, layer.Input.Channels) + ").Fill(1f);");
    }

    public override void EmitForward(LayerEmission emission)
    {
        var writer = emission.Writer;
        var layer = emission.Layer;
        writer.Comment(emission.Description + ": y = gamma * (x - mean) / sqrt(variance + " + Text(layer.Epsilon) +
            ") + beta per channel; training: the batch's mean and biased variance, moving = moving * " + Text(layer.Momentum) +
            " + batch * " + Text(System.Math.Round(1 - (double)layer.Momentum, 6)) + " (unbiased variance); inference: the moving statistics.");
        using (writer.Open("private static void " + layer.AccessorName + "Forward(ref float p, ref float s, ref float x, ref float y, int batch, bool training)"))
        {
            var common = "ref x, " + Rows(emission.Input) + ", ref y, " + Rows(emission.Output) + ", ref " + FrameworkNames.Unsafe + ".Add(ref p, " + layer.ParameterOffset +
                "), ref " + FrameworkNames.Unsafe + ".Add(ref s, " + layer.StateOffset + "), batch, " + Sizes(layer);
            using (writer.Open("if (training)"))
            {
                writer.Line(Kernels + ".Training(" + common + ", " + Float(layer.Momentum) + ");");
            }

            using (writer.Open("else"))
            {
                writer.Line(Kernels + ".Inference(" + common + ");");
            }
        }

        writer.Line();
    }

    /// <summary>
    /// The call that writes the folded variant's bias, scales and shifts into the forward scratch
    /// (see InferenceFold): from <paramref name="normalization"/>'s gamma, beta and moving
    /// statistics, and <paramref name="producer"/>'s bias, at <paramref name="destination"/> (a
    /// ref into the scratch, see <see cref="InferenceFold.ScratchBlock"/>).
    /// </summary>
    public static string FoldCall(LayerModel normalization, LayerModel producer, string destination)
    {
        var bias = producer.UseBias
            ? "ref " + FrameworkNames.Unsafe + ".Add(ref p, " + (producer.ParameterOffset + producer.KernelLength) + ")"
            : "ref scratch";
        return Kernels + ".Fold(ref " + FrameworkNames.Unsafe + ".Add(ref p, " + normalization.ParameterOffset + "), ref " + FrameworkNames.Unsafe +
            ".Add(ref s, " + normalization.StateOffset + "), " + bias + ", " + Bool(producer.UseBias) + ", " + normalization.Input.Channels + ", " +
            Bool(normalization.Scale) + ", " + Bool(normalization.UseBias) + ", " + Float(normalization.Epsilon) + ", " + destination + ");";
    }

    public override void EmitForwardCall(LayerEmission emission) =>
        emission.Writer.Line(emission.Layer.AccessorName + "Forward(ref p, ref s, ref " + emission.InputTensor + ", ref " + emission.OutputTensor +
            ", batch, training);");

    public override void EmitBackward(LayerEmission emission)
    {
        var writer = emission.Writer;
        var layer = emission.Layer;
        writer.Comment(emission.Description + ": dL/d(gamma) = sum(dy * xhat), dL/d(beta) = sum(dy); dL/d(x) through the batch statistics " +
            "in training mode, through the fixed moving statistics in inference.");
        using (writer.Open("private static void " + layer.AccessorName +
            "Backward(ref float p, ref float s, ref float pg, ref float x, ref float dy, ref float dx, int batch, bool inputGradient, bool training)"))
        {
            var rows = "ref x, " + Rows(emission.Input) + ", ref dy, " + Rows(emission.Output) + ", ref dx, " + Rows(emission.Input) +
                ", ref " + FrameworkNames.Unsafe + ".Add(ref p, " + layer.ParameterOffset + ")";
            var gradients = "ref " + FrameworkNames.Unsafe + ".Add(ref pg, " + layer.ParameterOffset + "), batch, " + Sizes(layer) + ", inputGradient";
            using (writer.Open("if (training)"))
            {
                writer.Line(Kernels + ".TrainingBackward(" + rows + ", " + gradients + ");");
            }

            using (writer.Open("else"))
            {
                writer.Line(Kernels + ".InferenceBackward(" + rows + ", ref " + FrameworkNames.Unsafe + ".Add(ref s, " + layer.StateOffset + "), " + gradients + ");");
            }
        }

        writer.Line();
    }

    public override void EmitBackwardCall(LayerEmission emission)
    {
        // The parameter gradients are always needed; dL/d(input) only when asked for, if the layer reads the network input.
        var wanted = emission.ReadsNetworkInput(0) ? "inputGradient" : "true";
        emission.Writer.Line(emission.Layer.AccessorName + "Backward(ref p, ref s, ref pg, ref " + emission.InputTensor + ", ref " +
            emission.OutputGradient + ", ref " + emission.InputGradient + ", batch, " + wanted + ", training);");
        emission.InputGradientWork(() => { });
    }

    private static string Rows(TensorLayout layout) => RuntimeKernelArguments.Rows(layout);

    /// <summary>Positions per row, channels, scale, center, epsilon.</summary>
    private static string Sizes(LayerModel layer) =>
        NetworkEmitter.Numbers(layer.Input.Width, layer.Input.Channels) + ", " + Bool(layer.Scale) + ", " + Bool(layer.UseBias) + ", " + Float(layer.Epsilon);

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Float(float value) => value.ToString("R", CultureInfo.InvariantCulture) + "f";

    private static string Text(double value) => ((float)value).ToString("R", CultureInfo.InvariantCulture);
}
