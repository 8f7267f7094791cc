using System.Collections.Generic;
using System.Numerics;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// Conv1D and Conv2D: a kernel of (kh x kw x input channels) per filter slides over the
/// input; each filter gives one output channel (Keras layout (kh, kw, c_in, filters)).
/// With groups, filter f reads only the input channels of its group: the kernel is
/// (kh, kw, c_in / groups, filters). 1-D is 2-D with height 1 throughout.
/// </summary>
internal sealed class ConvolutionFamily : LayerFamily
{
    private static readonly LayerOption[] Options =
    {
        LayerOptions.Filters, LayerOptions.Kernel, LayerOptions.Stride, LayerOptions.Dilation, LayerOptions.Padding,
        LayerOptions.Activation, LayerOptions.UseBias, LayerOptions.Name, LayerOptions.Pad, LayerOptions.Groups,
    };

    public override IReadOnlyList<LayerSyntax> Kinds { get; } = new[]
    {
        new LayerSyntax(LayerKind.Conv1D, "conv1d", 1, Options, 2, "16, 3", AllowsCausal: true),
        new LayerSyntax(LayerKind.Conv2D, "conv2d", 2, Options, 2, "8, 3"),
    };

    public override LayerModel? Infer(LayerContext context)
    {
        if (WindowInference.Infer(context, isConvolution: true, LayerKind.Conv1D, LayerKind.Conv2D) is not { } inferred)
        {
            return null;
        }

        var spec = context.Spec;
        var (window, height, width) = inferred;
        var groups = spec.Number(LayerVocabulary.Groups, 1);
        if (context.Input.Channels % groups != 0 || spec.Filters % groups != 0)
        {
            ReportGroups(context, groups, spec.Filters);
            return null;
        }

        if (!context.WithinTensorLimit((BigInteger)height * width * spec.Filters))
        {
            return null;
        }

        // Exact: with 'same' or causal padding the kernel is not bounded by the input, and
        // kh * kw * channels * filters can overflow a long and wrap below the limit.
        var biasLength = spec.UseBias ? spec.Filters : 0;
        var channels = context.Input.Channels / groups;
        if (!context.WithinParameterLimit((BigInteger)window.Taps * channels * spec.Filters, biasLength))
        {
            return null;
        }

        var output = new TensorShape(context.Input.SpatialRank, height, width, spec.Filters);
        var kernelLength = window.Taps * channels * spec.Filters;
        var multiplyAdds = output.Positions * spec.Filters * window.Taps * channels;
        return context.Model(output, window, spec.Activation, spec.UseBias, (int)kernelLength, biasLength, multiplyAdds) with { Groups = groups };
    }

    private static void ReportGroups(LayerContext context, int groups, int filters)
    {
        var channels = context.Input.Channels;
        var problems = new List<string>();
        if (channels % groups != 0)
        {
            problems.Add("its input has " + LayerContext.Number(channels) + " channels");
        }

        if (filters % groups != 0)
        {
            problems.Add("it has " + LayerContext.Number(filters) + " filters");
        }

        var divisors = new List<string>();
        for (var d = 1; d <= System.Math.Min(channels, filters); d++)
        {
            if (channels % d == 0 && filters % d == 0)
            {
                divisors.Add(LayerContext.Number(d));
            }
        }

        var fix = divisors.Count == 1
            ? "only 1 divides both " + LayerContext.Number(channels) + " and " + LayerContext.Number(filters)
            : "use " + string.Join(", ", divisors.GetRange(0, divisors.Count - 1)) + " or " + divisors[divisors.Count - 1] +
              ", or change the filters";
        context.Report(DiagnosticDescriptors.GroupsDoNotDivide, context.Spec.Locate(LayerVocabulary.Groups) ?? context.LayerLocation,
            context.KindName, context.Name, LayerContext.Number(groups), string.Join(" and ", problems), fix);
    }

    public override void Describe(LayerModel layer, List<string> parts)
    {
        WindowWords.Describe(layer, "kernel ", parts);
        if (layer.Groups != 1)
        {
            parts.Add(layer.Groups.ToString(System.Globalization.CultureInfo.InvariantCulture) + " groups");
        }
    }

    public override int[] KernelShape(LayerModel layer) => layer.Kind == LayerKind.Conv1D
        ? new[] { layer.KernelWidth, layer.GroupChannels, layer.Output.Channels }
        : new[] { layer.KernelHeight, layer.KernelWidth, layer.GroupChannels, layer.Output.Channels };

    public override string KernelAxes(LayerModel layer) =>
        (layer.Kind == LayerKind.Conv1D ? "kernel length, " : "kernel height, kernel width, ") +
        (layer.Groups == 1 ? "input channels" : "input channels per group") + ", filters";

    public override Frame InputFrame(LayerModel layer) => new(layer.PadTop, layer.PadBottom, layer.PadLeft, layer.PadRight, false);

    public override bool NeedsPreActivation(LayerModel layer) => ActivationPass.IsSeparate(layer);

    /// <summary>The transposed kernel of the input gradient, or, before it, the partial sums and planar dz of a position-vectorised kernel gradient.</summary>
    public override int BackwardScratchFloats(LayerModel layer) => System.Math.Max(
        layer.KernelHeight * layer.KernelWidth * layer.Output.Channels * ConvolutionBackwardEmitter.PaddedChannels(layer),
        PositionVectorizedKernelGradient.ScratchFloats(layer));

    public override int BatchScratchFloats(LayerModel layer, TensorLayout input)
    {
        return ConvolutionBackwardEmitter.UsesPaddedGradient(layer)
            ? WorkspacePlan.PaddedGradientLayout(input, ConvolutionBackwardEmitter.PaddedChannels(layer)).StoredSize
            : 0;
    }

    public override IReadOnlyList<KernelPlan> Plans(LayerEmission emission, VectorIsa isa)
    {
        var layer = emission.Layer;
        var plans = new List<KernelPlan>
        {
            ConvolutionForwardEmitter.Plan(layer, isa),
            ConvolutionBackwardEmitter.KernelGradientPlan(layer, emission.Input, emission.Output, isa),
            ConvolutionBackwardEmitter.InputGradientPlan(layer, isa),
        };
        if (layer.UseBias)
        {
            plans.Add(ConvolutionBackwardEmitter.BiasGradientPlan(layer.Output.Channels, isa));
        }

        return plans;
    }

    public override void EmitForward(LayerEmission emission)
    {
        ConvolutionForwardEmitter.Emit(emission.Writer, emission.Layer, emission.Input, emission.PreActivation ?? emission.Output, emission.Format, scratch: true);
        ActivationPass.EmitForward(emission);
    }

    /// <summary>Every forward kernel of the family applies a folded normalisation in its stores.</summary>
    public override bool CanFoldNormalization(LayerModel layer) => true;

    public override void EmitForwardCall(LayerEmission emission) =>
        ActivationPass.EmitWeightedForwardCall(emission, ScratchArguments(emission));

    /// <summary>
    /// The forward scratch (deep layers that pack every filter group's slice there), then the
    /// packed weights (every layer that slices its input channels has a place in them, the deep ones included).
    /// </summary>
    private static string? ScratchArguments(LayerEmission emission)
    {
        if (emission.Plan.PackedKernelOffsets[emission.Index] < 0)
        {
            return null;
        }

        var packed = emission.Plan.PackedKernelArguments(emission.Index);
        return ConvolutionForwardEmitter.ScratchFloats(emission.Layer) > 0 ? "ref scratch, " + packed : packed;
    }

    /// <summary>The weights of a deep layer packed for every filter group at once (<see cref="ConvolutionForwardEmitter.ScratchFloats"/>).</summary>
    public override int ForwardScratchFloats(LayerModel layer) => ConvolutionForwardEmitter.ScratchFloats(layer);

    public override int PackedKernelFloats(LayerModel layer) => ConvolutionForwardEmitter.PackedKernelFloats(layer);

    public override void EmitBackward(LayerEmission emission)
    {
        ActivationPass.EmitBackward(emission);
        ConvolutionBackwardEmitter.Emit(emission.Writer, emission.Layer, emission.Input, emission.Output, emission.Format, inputGradient: true);
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

        writer.Line(layer.AccessorName + "KernelGradient(ref " + emission.InputTensor + ", ref " + emission.OutputGradient + ", " + emission.Weights("pg") +
            (PositionVectorizedKernelGradient.AppliesAtAnyWidth(layer) ? ", ref scratch" : string.Empty) + ", batch);");
        emission.InputGradientWork(() =>
        {
            emission.ClearInputGradient();
            writer.Line(layer.AccessorName + "TransposeKernel(" + emission.Weights() + ", ref scratch);");
            var kernels = ConvolutionBackwardEmitter.InputGradientTakesKernel(layer) ? emission.Weights() + ", ref scratch" : "ref scratch";
            writer.Line(layer.AccessorName + "InputGradient(ref " + emission.OutputGradient + ", " + kernels + ", ref " + emission.InputGradient +
                (ConvolutionBackwardEmitter.UsesPaddedGradient(layer) ? ", ref padded" : string.Empty) + ", batch);");
        });
    }
}
