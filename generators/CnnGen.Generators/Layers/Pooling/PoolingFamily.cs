using System.Collections.Generic;
using System.Numerics;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// MaxPool1D/2D and AvgPool1D/2D: a window per channel, the maximum or the mean of its real
/// cells. The stride defaults to the window.
/// </summary>
internal sealed class PoolingFamily : LayerFamily
{
    /// <summary>The most cells a pool window may cover (256 x 256).</summary>
    public const int MaxWindowTaps = 1 << 16;

    private static readonly LayerOption[] Options =
    {
        LayerOptions.Pool, LayerOptions.Stride, LayerOptions.Padding, LayerOptions.Name, LayerOptions.Pad, LayerOptions.CeilMode,
    };

    private static readonly LayerOption[] AverageOptions =
    {
        LayerOptions.Pool, LayerOptions.Stride, LayerOptions.Padding, LayerOptions.Name, LayerOptions.Pad, LayerOptions.CeilMode,
        LayerOptions.CountPadding,
    };

    public override IReadOnlyList<LayerSyntax> Kinds { get; } = new[]
    {
        new LayerSyntax(LayerKind.MaxPool1D, "max_pool1d", 1, Options, 1, "2"),
        new LayerSyntax(LayerKind.MaxPool2D, "max_pool2d", 2, Options, 1, "2"),
        new LayerSyntax(LayerKind.AvgPool1D, "avg_pool1d", 1, AverageOptions, 1, "2"),
        new LayerSyntax(LayerKind.AvgPool2D, "avg_pool2d", 2, AverageOptions, 1, "2"),
    };

    /// <summary>Ceil mode rounds up a division that 'same' does not make: it goes with valid or explicit padding.</summary>
    public override bool Validate(LayerContext context)
    {
        var layer = context.Spec;
        if (layer.Flag(LayerVocabulary.CeilMode, false) && layer.Padding == PaddingMode.Same)
        {
            context.Report(Diagnostics.DiagnosticDescriptors.PadsWithPaddingMode, layer.Locate(LayerVocabulary.CeilMode), context.KindName, context.Name,
                context.IsDsl ? LayerVocabulary.CeilMode : "CeilMode", LayerVocabulary.SnakeName(layer.Padding));
            return false;
        }

        return true;
    }

    public override LayerModel? Infer(LayerContext context)
    {
        var isMax = LayerVocabulary.IsMaxPooling(context.Spec.Kind);
        var inferred = WindowInference.Infer(context, isConvolution: false,
            isMax ? LayerKind.MaxPool1D : LayerKind.AvgPool1D, isMax ? LayerKind.MaxPool2D : LayerKind.AvgPool2D);
        if (inferred is not { } result || !context.WithinTensorLimit((BigInteger)result.Height * result.Width * context.Input.Channels))
        {
            return null;
        }

        if (result.Window.Taps > MaxWindowTaps)
        {
            // The kernels visit each tap of a window; a window this large is a global pooling.
            context.Report(Diagnostics.DiagnosticDescriptors.SizeLimitExceeded, context.Spec.Locate(LayerVocabulary.Pool), context.Title,
                LayerContext.Number(result.Window.Taps), "cells per pool window", LayerContext.Number(MaxWindowTaps),
                "use a smaller pool window, or global pooling");
            return null;
        }

        var output = new TensorShape(context.Input.SpatialRank, result.Height, result.Width, context.Input.Channels);
        return context.Model(output, result.Window, ActivationKind.Linear, useBias: false, kernelLength: 0, biasLength: 0, multiplyAdds: 0) with
        {
            CountPadding = !isMax && context.Spec.Flag(LayerVocabulary.CountPadding, false),
        };
    }

    public override void Describe(LayerModel layer, List<string> parts) => WindowWords.Describe(layer, "pool ", parts);

    /// <summary>Max pooling reads a frame of -infinity, so padded cells never win; average pooling reads zeros and counts real cells.</summary>
    public override Frame InputFrame(LayerModel layer) =>
        new(layer.PadTop, layer.PadBottom, layer.PadLeft, layer.PadRight, LayerVocabulary.IsMaxPooling(layer.Kind));

    public override IReadOnlyList<KernelPlan> Plans(LayerEmission emission, VectorIsa isa) => new[]
    {
        PoolingForwardEmitter.Plan(emission.Layer, isa),
        PoolingBackwardEmitter.Plan(emission.Layer, isa),
    };

    public override void EmitForward(LayerEmission emission) =>
        PoolingForwardEmitter.Emit(emission.Writer, emission.Layer, emission.Input, emission.Output, emission.Format);

    public override void EmitForwardCall(LayerEmission emission) => EmitCall(emission);

    public override void EmitBackward(LayerEmission emission) =>
        PoolingBackwardEmitter.Emit(emission.Writer, emission.Layer, emission.Input, emission.Output, emission.Format);

    public override void EmitBackwardCall(LayerEmission emission) => EmitBackwardCallOf(emission);

    /// <summary>Forward(ref x, ref y, batch): the call of every layer that reads one tensor and writes one.</summary>
    public static void EmitCall(LayerEmission emission) =>
        emission.Writer.Line(emission.Layer.AccessorName + "Forward(ref " + emission.InputTensor + ", ref " + emission.OutputTensor + ", batch);");

    /// <summary>Backward(ref x, ref y, ref dy, ref dx, batch) into a cleared input gradient.</summary>
    public static void EmitBackwardCallOf(LayerEmission emission) => emission.InputGradientWork(() =>
    {
        emission.ClearInputGradient();
        emission.Writer.Line(emission.Layer.AccessorName + "Backward(ref " + emission.InputTensor + ", ref " + emission.OutputTensor + ", ref " +
            emission.OutputGradient + ", ref " + emission.InputGradient + ", batch);");
    });
}
