using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// ZeroPadding1D/2D (Keras semantics): zeros added before and after a sequence, or above,
/// below, left and right of an image. The pads are the layer's window (one tap, stride 1), so
/// the architecture and the summary report them as those of a convolution. Forward copies each
/// input row into the middle of its output row; Backward copies the middle back.
/// </summary>
internal sealed class ZeroPaddingFamily : LayerFamily
{
    private const string Kernels = FrameworkNames.Kernels + "ResampleKernels";

    private static readonly LayerOption[] Options = { LayerOptions.ZeroPads, LayerOptions.Name };

    public override IReadOnlyList<LayerSyntax> Kinds { get; } = new[]
    {
        new LayerSyntax(LayerKind.ZeroPadding1D, "zero_padding1d", 1, Options, 1, "1"),
        new LayerSyntax(LayerKind.ZeroPadding2D, "zero_padding2d", 2, Options, 1, "1"),
    };

    public override bool ChecksOwnSizes => true;

    /// <summary>One count for every side or one per side (CNN0025), none negative (CNN0030).</summary>
    public override bool Validate(LayerContext context)
    {
        var spec = context.Spec;
        var rank = LayerFamilies.Syntax(spec.Kind).SpatialRank;
        var values = spec.Numbers(LayerVocabulary.Pad);
        var key = spec.Has(LayerVocabulary.Pads) ? LayerVocabulary.Pads : LayerVocabulary.Pad;
        if (values.Count != 1 && values.Count != 2 * rank)
        {
            var sides = rank == 1 ? "two, before and after" : "four, top, bottom, left and right";
            context.Report(DiagnosticDescriptors.InvalidPads, spec.Locate(key), context.KindName, context.Name, ExplicitPadding.Spelling(context, key),
                ExplicitPadding.Display(context, values), "one count for every side or " + sides);
            return false;
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] >= 0)
            {
                continue;
            }

            var side = rank == 1 ? (i == 0 ? "before" : "after") : i switch { 0 => "top", 1 => "bottom", 2 => "left", _ => "right" };
            var word = values.Count == 1 ? LayerVocabulary.Pad : context.IsDsl ? key + " " + side : side;
            context.Report(DiagnosticDescriptors.OptionOutOfRange, spec.Locate(key, values.Count == 1 ? -1 : i), context.KindName, context.Name,
                word, values[i].ToString(CultureInfo.InvariantCulture), "0 or more (cells of zeros added on that side)");
            return false;
        }

        return true;
    }

    public override LayerModel? Infer(LayerContext context)
    {
        if (!WindowInference.HasRank(context, LayerKind.ZeroPadding1D, LayerKind.ZeroPadding2D))
        {
            return null;
        }

        var input = context.Input;
        var pads = ExplicitPadding.Resolve(context.Spec, input.SpatialRank);
        var height = (BigInteger)input.Height + pads[0] + pads[1];
        var width = (BigInteger)input.Width + pads[2] + pads[3];
        if (!context.WithinTensorLimit(height * width * input.Channels))
        {
            return null;
        }

        var window = new Window(new Spatial(1, 1, 1, pads[0], pads[1]), new Spatial(1, 1, 1, pads[2], pads[3]), PaddingMode.Valid) { IsExplicit = true };
        var output = new TensorShape(input.SpatialRank, (int)height, (int)width, input.Channels);
        return context.Model(output, window, ActivationKind.Linear, useBias: false, kernelLength: 0, biasLength: 0, multiplyAdds: 0);
    }

    public override void Describe(LayerModel layer, List<string> parts) => parts.Add(layer.Input.SpatialRank == 1
        ? "pad before " + layer.PadLeft + ", after " + layer.PadRight
        : "pad top " + layer.PadTop + ", bottom " + layer.PadBottom + ", left " + layer.PadLeft + ", right " + layer.PadRight);

    public override void EmitForward(LayerEmission emission)
    {
        var layer = emission.Layer;
        var writer = emission.Writer;
        writer.Comment(emission.Description + ": each input row copied into the middle of its output row, zeros around.");
        using (writer.Open("private static void " + layer.AccessorName + "Forward(ref float x, ref float y, int batch)"))
        {
            writer.Line(Kernels + ".ZeroPad(ref x, " + RuntimeKernelArguments.Rows(emission.Input) + ", ref y, " + RuntimeKernelArguments.Rows(emission.Output) +
                ", batch, " + NetworkEmitter.Numbers(layer.Input.Width * layer.Input.Channels, layer.Output.Width * layer.Output.Channels, layer.PadTop,
                    layer.PadLeft * layer.Input.Channels) + ");");
        }

        writer.Line();
    }

    public override void EmitForwardCall(LayerEmission emission) => PoolingFamily.EmitCall(emission);

    public override void EmitBackward(LayerEmission emission)
    {
        var layer = emission.Layer;
        var writer = emission.Writer;
        writer.Comment(emission.Description + ": dL/d(input) is the middle of dL/d(output), row by row.");
        using (writer.Open("private static void " + layer.AccessorName + "Backward(ref float dy, ref float dx, int batch)"))
        {
            writer.Line(Kernels + ".ZeroPadBackward(ref dy, " + RuntimeKernelArguments.Rows(emission.Output) + ", ref dx, " +
                RuntimeKernelArguments.Rows(emission.Input) + ", batch, " +
                NetworkEmitter.Numbers(layer.Input.Width * layer.Input.Channels, layer.PadTop, layer.PadLeft * layer.Input.Channels) + ");");
        }

        writer.Line();
    }

    public override void EmitBackwardCall(LayerEmission emission) => EmitGradientCall(emission);

    /// <summary>Backward(ref dy, ref dx, batch): a backward that writes every cell of dL/d(input).</summary>
    public static void EmitGradientCall(LayerEmission emission) => emission.InputGradientWork(() =>
        emission.Writer.Line(emission.Layer.AccessorName + "Backward(ref " + emission.OutputGradient + ", ref " + emission.InputGradient + ", batch);"));
}
