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

    /// <summary>
    /// The grouped convolution a depthwise layer of 1 to 3 channels runs as where its rows are
    /// not runs at every width (a depth multiplier, a stride above 2 along the row, rows of
    /// fewer than 4 floats, runs too long for the stack), or null: it keeps the family's code.
    /// Such a layer has too few channels for vectors of them, and output channel c * m + j
    /// from input channel c is what a convolution of C groups with one input channel and m
    /// filters each computes, with the same kernel in the same order ((kh, kw, c, j) is
    /// (kh, kw, 1, c * m + j)), so the convolution family's vectorised kernels serve it
    /// (filters or positions in the lanes) where the depthwise kernels had only scalar loops.
    /// </summary>
    public static LayerModel? GroupedConvolution(LayerModel layer)
    {
        if (layer.Input.Channels >= 4 || RunsAtEveryWidth(layer))
        {
            return null;
        }

        return layer with
        {
            Kind = layer.Kind == LayerKind.DepthwiseConv1D ? LayerKind.Conv1D : LayerKind.Conv2D,
            Name = layer.Name + " as a grouped convolution",
            Groups = layer.Input.Channels,
        };
    }

    private static bool RunsAtEveryWidth(LayerModel layer)
    {
        foreach (var isa in VectorIsa.All)
        {
            if (DepthwiseRowRuns.For(layer, isa) is null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The convolution family, which runs the layers of <see cref="GroupedConvolution"/>.</summary>
    private static LayerFamily Convolution => LayerFamilies.Of(LayerKind.Conv2D);

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

    // Memory and code: a layer of GroupedConvolution asks the convolution family everything,
    // as that layer, so that its workspace and its code agree.

    public override Frame InputFrame(LayerModel layer) => GroupedConvolution(layer) is { } grouped
        ? Convolution.InputFrame(grouped)
        : new(layer.PadTop, layer.PadBottom, layer.PadLeft, layer.PadRight, false);

    public override bool ReadsAnyFrame(LayerModel layer) => GroupedConvolution(layer) is { } grouped && Convolution.ReadsAnyFrame(grouped);

    public override bool CanAccumulateInputGradient(LayerModel layer) =>
        GroupedConvolution(layer) is { } grouped && Convolution.CanAccumulateInputGradient(grouped);

    public override bool NeedsPreActivation(LayerModel layer) => GroupedConvolution(layer) is { } grouped
        ? Convolution.NeedsPreActivation(grouped)
        : ActivationPass.IsSeparate(layer);

    public override Frame PreActivationFrame(LayerModel layer) => GroupedConvolution(layer) is { } grouped ? Convolution.PreActivationFrame(grouped) : Frame.None;

    public override int ForwardScratchFloats(LayerModel layer) => GroupedConvolution(layer) is { } grouped ? Convolution.ForwardScratchFloats(grouped) : 0;

    public override int PackedKernelFloats(LayerModel layer) => GroupedConvolution(layer) is { } grouped ? Convolution.PackedKernelFloats(grouped) : 0;

    public override int BackwardScratchFloats(LayerModel layer) => GroupedConvolution(layer) is { } grouped ? Convolution.BackwardScratchFloats(grouped) : 0;

    public override int BatchScratchFloats(LayerModel layer, TensorLayout input) =>
        GroupedConvolution(layer) is { } grouped ? Convolution.BatchScratchFloats(grouped, input) : 0;

    public override IReadOnlyList<KernelPlan> Plans(LayerEmission emission, VectorIsa isa) => GroupedConvolution(emission.Layer) is { } grouped
        ? Convolution.Plans(emission.RunAs(grouped), isa)
        : new[]
        {
            DepthwiseForwardEmitter.Plan(emission.Layer, emission.Input, isa),
            DepthwiseBackwardEmitter.KernelGradientPlan(emission.Layer, isa),
            DepthwiseBackwardEmitter.InputGradientPlan(emission.Layer, emission.Input, isa),
        };

    public override void EmitForward(LayerEmission emission)
    {
        if (GroupedConvolution(emission.Layer) is { } grouped)
        {
            Convolution.EmitForward(emission.RunAs(grouped));
            return;
        }

        DepthwiseForwardEmitter.Emit(emission.Writer, emission.Layer, emission.Input, emission.PreActivation ?? emission.Output, emission.Format);
        ActivationPass.EmitForward(emission);
    }

    /// <summary>Every forward kernel of the family (and of the convolutions) applies a folded normalisation in its stores.</summary>
    public override bool CanFoldNormalization(LayerModel layer) => GroupedConvolution(layer) is not { } grouped || Convolution.CanFoldNormalization(grouped);

    /// <summary>
    /// Memory-bound: gelu or silu in the stores costs less than a pass over the output. (In the
    /// register-blocked convolutions they crowd out the accumulators: measured slower than the
    /// pass with 16 registers of 256 bits.)
    /// </summary>
    public override bool AppliesCostlyActivationsInStores(LayerModel layer) =>
        GroupedConvolution(layer) is not { } grouped || Convolution.AppliesCostlyActivationsInStores(grouped);

    public override void EmitForwardCall(LayerEmission emission)
    {
        if (GroupedConvolution(emission.Layer) is { } grouped)
        {
            Convolution.EmitForwardCall(emission.RunAs(grouped));
            return;
        }

        ActivationPass.EmitWeightedForwardCall(emission);
    }

    public override void EmitBackward(LayerEmission emission)
    {
        if (GroupedConvolution(emission.Layer) is { } grouped)
        {
            Convolution.EmitBackward(emission.RunAs(grouped));
            return;
        }

        ActivationPass.EmitBackward(emission);
        DepthwiseBackwardEmitter.Emit(emission.Writer, emission.Layer, emission.Input, emission.Output, emission.Format);
    }

    public override void EmitBackwardCall(LayerEmission emission)
    {
        if (GroupedConvolution(emission.Layer) is { } grouped)
        {
            Convolution.EmitBackwardCall(emission.RunAs(grouped));
            return;
        }

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
