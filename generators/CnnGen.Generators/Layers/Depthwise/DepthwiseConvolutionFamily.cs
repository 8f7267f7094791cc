using System.Collections.Generic;
using System.Numerics;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// DepthwiseConv1D and DepthwiseConv2D: each input channel convolved with its own
/// depth-multiplier kernels, channels never mixed. Output channel c * m + j comes from input
/// channel c; the Keras kernel layout (kh, kw, c_in, m) keeps output channels contiguous, so
/// the kernels are vectors of output channels like the convolution's. 1-D is 2-D with height 1.
/// </summary>
internal sealed class DepthwiseConvolutionFamily : LayerFamily
{
    /// <summary>
    /// The largest depth multiplier: every output channel of a vector of input channels is
    /// kept in registers, so the code grows with it (MobileNets use 1).
    /// </summary>
    public const int MaxDepthMultiplier = 64;

    private static readonly LayerOption[] Options =
    {
        LayerOptions.Kernel, LayerOptions.DepthMultiplier, LayerOptions.Stride, LayerOptions.Dilation, LayerOptions.Padding,
        LayerOptions.Activation, LayerOptions.UseBias, LayerOptions.Name, LayerOptions.Pad,
    };

    public override IReadOnlyList<LayerSyntax> Kinds { get; } = new[]
    {
        new LayerSyntax(LayerKind.DepthwiseConv1D, "depthwise_conv1d", 1, Options, 1, "3", AllowsCausal: true),
        new LayerSyntax(LayerKind.DepthwiseConv2D, "depthwise_conv2d", 2, Options, 1, "3"),
    };

    /// <summary>Output channels per input channel.</summary>
    public static int Multiplier(LayerModel layer) => layer.Output.Channels / layer.Input.Channels;

    public override bool Validate(LayerContext context)
    {
        var multiplier = context.Spec.Number(LayerVocabulary.DepthMultiplier, 1);
        if (multiplier <= MaxDepthMultiplier)
        {
            return true;
        }

        context.Report(DiagnosticDescriptors.SizeLimitExceeded, context.Spec.Locate(LayerVocabulary.DepthMultiplier), context.Title,
            LayerContext.Number(multiplier), "output channels per input channel", LayerContext.Number(MaxDepthMultiplier),
            "use a smaller depth multiplier, or a convolution after it");
        return false;
    }

    public override LayerModel? Infer(LayerContext context)
    {
        if (WindowInference.Infer(context, isConvolution: true, LayerKind.DepthwiseConv1D, LayerKind.DepthwiseConv2D) is not { } inferred)
        {
            return null;
        }

        var spec = context.Spec;
        var (window, height, width) = inferred;
        var multiplier = spec.Number(LayerVocabulary.DepthMultiplier, 1);
        var channels = (BigInteger)context.Input.Channels * multiplier;
        if (!context.WithinTensorLimit(height * (BigInteger)width * channels))
        {
            return null;
        }

        // Within the tensor limit, the output channels fit an int.
        var filters = (int)channels;
        if (!context.WithinParameterLimit(window.Taps * channels, spec.UseBias ? filters : 0))
        {
            return null;
        }

        var output = new TensorShape(context.Input.SpatialRank, height, width, filters);
        var biasLength = spec.UseBias ? filters : 0;
        return context.Model(output, window, spec.Activation, spec.UseBias, (int)(window.Taps * filters), biasLength,
            output.Positions * filters * window.Taps);
    }

    public override void Describe(LayerModel layer, List<string> parts)
    {
        WindowWords.Describe(layer, "kernel ", parts);
        if (Multiplier(layer) != 1)
        {
            parts.Add("depth multiplier " + Multiplier(layer).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public override int[] KernelShape(LayerModel layer) => layer.Kind == LayerKind.DepthwiseConv1D
        ? new[] { layer.KernelWidth, layer.Input.Channels, Multiplier(layer) }
        : new[] { layer.KernelHeight, layer.KernelWidth, layer.Input.Channels, Multiplier(layer) };

    public override string KernelAxes(LayerModel layer) => layer.Kind == LayerKind.DepthwiseConv1D
        ? "kernel length, input channels, depth multiplier"
        : "kernel height, kernel width, input channels, depth multiplier";

    public override Frame InputFrame(LayerModel layer) => new(layer.PadTop, layer.PadBottom, layer.PadLeft, layer.PadRight, false);

    public override bool NeedsPreActivation(LayerModel layer) => ActivationPass.IsSeparate(layer);

    public override IReadOnlyList<KernelPlan> Plans(LayerEmission emission, VectorIsa isa) => new[]
    {
        DepthwiseForwardEmitter.Plan(emission.Layer, emission.Input, isa),
        DepthwiseBackwardEmitter.KernelGradientPlan(emission.Layer, isa),
        DepthwiseBackwardEmitter.InputGradientPlan(emission.Layer, emission.Input, isa),
    };

    public override void EmitForward(LayerEmission emission)
    {
        DepthwiseForwardEmitter.Emit(emission.Writer, emission.Layer, emission.Input, emission.PreActivation ?? emission.Output, emission.Format);
        ActivationPass.EmitForward(emission);
    }

    /// <summary>Every forward kernel of the family applies a folded normalisation in its stores.</summary>
    public override bool CanFoldNormalization(LayerModel layer) => true;

    /// <summary>
    /// Memory-bound: gelu or silu in the stores costs less than a pass over the output. (In the
    /// register-blocked convolutions they crowd out the accumulators: measured slower than the
    /// pass with 16 registers of 256 bits.)
    /// </summary>
    public override bool AppliesCostlyActivationsInStores(LayerModel layer) => true;

    public override void EmitForwardCall(LayerEmission emission) => ActivationPass.EmitWeightedForwardCall(emission);

    public override void EmitBackward(LayerEmission emission)
    {
        ActivationPass.EmitBackward(emission);
        DepthwiseBackwardEmitter.Emit(emission.Writer, emission.Layer, emission.Input, emission.Output, emission.Format);
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
            emission.ClearInputGradient();
            writer.Line(layer.AccessorName + "InputGradient(ref " + emission.OutputGradient + ", " + emission.Weights() + ", ref " + emission.InputGradient + ", batch);");
        });
    }
}
