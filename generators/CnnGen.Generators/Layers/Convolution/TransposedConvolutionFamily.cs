using System.Collections.Generic;
using System.Numerics;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;
using CnnGen.Generators.Shapes;

namespace CnnGen.Generators.Layers;

/// <summary>
/// Conv1DTranspose and Conv2DTranspose: the adjoint of the convolution with the same kernel,
/// stride and padding. The Keras kernel (kh, kw, filters, c_in) is that convolution's kernel
/// (kh, kw, its input channels, its filters), read the other way round, so the layer runs the
/// convolution family's register-blocked kernels with the roles swapped (see <see cref="Adjoint"/>):
/// <list type="bullet">
/// <item>Forward is the adjoint convolution's input gradient: the kernel transposed into the
/// forward scratch, every input position scattered into the pre-activation tensor, which has
/// the crop pads as its frame (what lands there is cropped), then the activation from its interior.</item>
/// <item>Backward's kernel gradient is the adjoint's kernel gradient with dz (copied into the
/// pre-activation tensor's interior, its frame zeroed) as that convolution's input and the
/// layer's input as its output gradient; dL/d(input) is the adjoint's forward pass over dz.</item>
/// </list>
/// 1-D is 2-D with height 1 throughout.
/// </summary>
internal sealed class TransposedConvolutionFamily : LayerFamily
{
    private static readonly LayerOption[] Options =
    {
        LayerOptions.Filters, LayerOptions.Kernel, LayerOptions.Stride, LayerOptions.Dilation, LayerOptions.Padding,
        LayerOptions.Activation, LayerOptions.UseBias, LayerOptions.Name, LayerOptions.Pad, LayerOptions.OutputPadding,
    };

    public override IReadOnlyList<LayerSyntax> Kinds { get; } = new[]
    {
        new LayerSyntax(LayerKind.Conv1DTranspose, "conv1d_transpose", 1, Options, 2, "16, 3"),
        new LayerSyntax(LayerKind.Conv2DTranspose, "conv2d_transpose", 2, Options, 2, "8, 3"),
    };

    /// <summary>
    /// The convolution this layer is the adjoint of: its input is this layer's output (the
    /// filters are its channels), its output this layer's input, with the same kernel, strides,
    /// dilations and pads. Its methods are named after the layer with "Adjoint".
    /// </summary>
    public static LayerModel Adjoint(LayerModel layer) =>
        new(layer.Kind == LayerKind.Conv1DTranspose ? LayerKind.Conv1D : LayerKind.Conv2D, layer.Name + "'s adjoint", layer.AccessorName + "Adjoint",
            layer.Output, layer.Input, layer.Window, ActivationKind.Linear, UseBias: false, layer.ParameterOffset, layer.KernelLength, 0, layer.MultiplyAdds)
        {
            Inputs = layer.Inputs,
            IsAdjoint = true,
        };

    public override bool Validate(LayerContext context)
    {
        var spec = context.Spec;
        var rank = LayerFamilies.Syntax(spec.Kind).SpatialRank;
        var key = spec.Has(LayerVocabulary.OutputPaddings) ? LayerVocabulary.OutputPaddings : LayerVocabulary.OutputPadding;
        var values = spec.Numbers(LayerVocabulary.OutputPadding);
        if (values.Count > 1 && values.Count != rank || values.Count == 0 && spec.Has(LayerVocabulary.OutputPaddings))
        {
            context.Report(DiagnosticDescriptors.WrongDimensionCount, spec.Locate(key), context.KindName, context.Name, key, values.Count, rank);
            return false;
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] < 0)
            {
                context.Report(DiagnosticDescriptors.TransposedOutputDoesNotFit, spec.Locate(key, values.Count == 1 ? -1 : i), context.KindName, context.Name,
                    "has output padding " + values[i], "it adds cells after the output, so it must be 0 or more and less than the stride");
                return false;
            }
        }

        return true;
    }

    public override LayerModel? Infer(LayerContext context)
    {
        if (!WindowInference.HasRank(context, LayerKind.Conv1DTranspose, LayerKind.Conv2DTranspose))
        {
            return null;
        }

        var spec = context.Spec;
        var input = context.Input;
        var rank = input.SpatialRank;
        var window = WindowInference.Expand(spec.Window, 1);
        var stride = WindowInference.Expand(spec.Stride, 1);
        var dilation = WindowInference.Expand(spec.Dilation, 1);
        var outputPadding = WindowInference.Expand(spec.Numbers(LayerVocabulary.OutputPadding), 0);
        var isExplicit = ExplicitPadding.IsDeclared(spec);
        var pads = ExplicitPadding.Resolve(spec, rank);
        if (isExplicit && !ExplicitPadding.Fits(context, pads, window, dilation, isConvolution: true))
        {
            return null;
        }

        var inputSizes = new[] { input.Height, input.Width };
        var results = new TransposedResult[2];
        for (var dim = 2 - rank; dim < 2; dim++)
        {
            results[dim] = SpatialMath.Transposed(inputSizes[dim], window[dim], stride[dim], dilation[dim], spec.Padding, pads[2 * dim], pads[2 * dim + 1],
                outputPadding[dim]);
            var dimension = LayerContext.DimensionName(rank, rank == 1 ? 0 : dim);
            var paddingKey = spec.Has(LayerVocabulary.OutputPaddings) ? LayerVocabulary.OutputPaddings : LayerVocabulary.OutputPadding;
            if (results[dim].OutputPadding >= stride[dim])
            {
                var declared = outputPadding[dim];
                var problem = declared >= stride[dim]
                    ? "has output padding " + declared + " in its " + dimension + " but a stride of " + stride[dim]
                    : "adds " + results[dim].OutputPadding + " cells after its " + dimension + " (padding 'same' adds " + (results[dim].OutputPadding - declared) +
                      " for a kernel smaller than the stride, and output padding " + declared + ") but its stride is " + stride[dim];
                context.Report(DiagnosticDescriptors.TransposedOutputDoesNotFit,
                    spec.Locate(paddingKey, spec.Numbers(LayerVocabulary.OutputPadding).Count == 1 ? -1 : rank == 1 ? 0 : dim) ?? context.LayerLocation,
                    context.KindName, context.Name, problem,
                    "the output padding must be less than the stride (PyTorch's rule: more would add cells no input reaches); use at most " + (stride[dim] - 1 - (results[dim].OutputPadding - declared)));
                return null;
            }

            if (results[dim].Output < 1)
            {
                context.Report(DiagnosticDescriptors.TransposedOutputDoesNotFit, spec.Locate(spec.Has(LayerVocabulary.Pads) ? LayerVocabulary.Pads : LayerVocabulary.Pad) ?? context.LayerLocation,
                    context.KindName, context.Name,
                    "crops " + results[dim].CropBefore + " + " + results[dim].CropAfter + " cells of its " + dimension + " of " +
                    (results[dim].Output + results[dim].CropBefore + results[dim].CropAfter - results[dim].OutputPadding) + ", which leaves " + results[dim].Output,
                    "crop less (smaller pads) or use a larger kernel or stride");
                return null;
            }
        }

        var height = rank == 1 ? 1L : results[0].Output;
        var width = results[1].Output;
        var filters = spec.Filters;
        var framed = (BigInteger)(height + results[0].CropBefore + results[0].CropAfter) * (width + results[1].CropBefore + results[1].CropAfter) * filters;
        if (!context.WithinTensorLimit(framed))
        {
            return null;
        }

        var biasLength = spec.UseBias ? filters : 0;
        var taps = (long)window[0] * window[1];
        if (rank == 1)
        {
            taps = window[1];
        }

        if (!context.WithinParameterLimit((BigInteger)taps * filters * input.Channels, biasLength))
        {
            return null;
        }

        // The adjoint convolution reads the output framed by the crops; a stride with one
        // input position (its one output) moves nothing, as for the convolution.
        Spatial Dimension(int dim) => new(window[dim], stride[dim], dilation[dim], (int)results[dim].CropBefore, (int)results[dim].CropAfter)
        {
            Step = inputSizes[dim] == 1 ? 1 : stride[dim],
            Spread = window[dim] == 1 ? 1 : dilation[dim],
        };

        var output = new TensorShape(rank, (int)height, (int)width, filters);
        var kernelLength = taps * filters * input.Channels;
        var multiplyAdds = input.Positions * (long)input.Channels * filters * taps;
        var model = context.Model(output, new Window(rank == 1 ? Spatial.None : Dimension(0), Dimension(1), spec.Padding) { IsExplicit = isExplicit },
            spec.Activation, spec.UseBias, (int)kernelLength, biasLength, multiplyAdds);
        return model with
        {
            OutputPaddingHeight = rank == 1 ? 0 : (int)results[0].OutputPadding,
            OutputPaddingWidth = (int)results[1].OutputPadding,
        };
    }

    public override void Describe(LayerModel layer, List<string> parts)
    {
        WindowWords.Describe(layer, "kernel ", parts);
        if (layer.OutputPaddingHeight + layer.OutputPaddingWidth > 0)
        {
            parts.Add("output padding " + (layer.Input.SpatialRank == 1
                ? layer.OutputPaddingWidth.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : layer.OutputPaddingHeight + "x" + layer.OutputPaddingWidth));
        }
    }

    public override int[] KernelShape(LayerModel layer) => layer.Kind == LayerKind.Conv1DTranspose
        ? new[] { layer.KernelWidth, layer.Output.Channels, layer.Input.Channels }
        : new[] { layer.KernelHeight, layer.KernelWidth, layer.Output.Channels, layer.Input.Channels };

    public override string KernelAxes(LayerModel layer) =>
        (layer.Kind == LayerKind.Conv1DTranspose ? "kernel length, " : "kernel height, kernel width, ") + "filters, input channels";

    // The sums land in the pre-activation tensor, framed by the crop pads; the activation (or a
    // copy, when linear) moves its interior to the output, whatever frame the next layer needs.
    public override bool NeedsPreActivation(LayerModel layer) => true;

    public override Frame PreActivationFrame(LayerModel layer) => new(layer.PadTop, layer.PadBottom, layer.PadLeft, layer.PadRight, false);

    /// <summary>The kernel transposed for the adjoint's input gradient: (taps, c_in, filters).</summary>
    public override int ForwardScratchFloats(LayerModel layer) => layer.KernelLength;

    public override int BackwardScratchFloats(LayerModel layer) => PositionVectorizedKernelGradient.ScratchFloats(Adjoint(layer));

    /// <summary>
    /// A batch normalisation after it folds into its activation pass in inference: the pass
    /// maps its sums (bias included) by the folded scales and shifts, then applies the
    /// activation, and writes the output of the last layer of the fold (see InferenceFold).
    /// </summary>
    public override bool CanFoldNormalization(LayerModel layer) => true;

    public override IReadOnlyList<KernelPlan> Plans(LayerEmission emission, VectorIsa isa)
    {
        var layer = emission.Layer;
        var adjoint = Adjoint(layer);
        var sums = PreActivation(emission);
        var plans = new List<KernelPlan>
        {
            ConvolutionBackwardEmitter.InputGradientPlan(adjoint, isa) with { Kernel = "forward" },
            ConvolutionBackwardEmitter.KernelGradientPlan(adjoint, sums, emission.Input, isa),
            ConvolutionForwardEmitter.Plan(adjoint, isa, scratch: false) with { Kernel = "input gradient" },
        };
        if (layer.UseBias)
        {
            plans.Add(ConvolutionBackwardEmitter.BiasGradientPlan(layer.Output.Channels, isa));
        }

        return plans;
    }

    private static TensorLayout PreActivation(LayerEmission emission) => emission.PreActivation!;

    public override void EmitForward(LayerEmission emission)
    {
        if (emission.Layer.FusesInInference)
        {
            EmitFoldedActivate(emission);
            return;
        }

        var layer = emission.Layer;
        var writer = emission.Writer;
        var sums = PreActivation(emission);
        var adjoint = Adjoint(layer);
        var describe = LayerDescriber.Describe(layer, emission.Format);
        writer.Comment(layer.Name + ": the pre-activation, framed by the crop pads, starts as the bias" + (layer.UseBias ? string.Empty : " (none: zero)") + ".");
        using (writer.Open("private static void " + layer.AccessorName + "StartSums(ref float b, ref float z, int batch)"))
        {
            if (layer.UseBias)
            {
                var positions = sums.StoredHeight * sums.StoredWidth;
                var filters = layer.Output.Channels;
                writer.Line("global::System.ReadOnlySpan<float> bias = global::System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref b, " + filters + ");");
                using (writer.Open("for (nint p = 0; p < " + CompactLoops.Times("(nint)batch", positions) + "; p++)"))
                {
                    writer.Line("bias.CopyTo(global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref " + FrameworkNames.Unsafe + ".Add(ref z, " +
                        CompactLoops.Times("p", filters) + "), " + filters + "));");
                }
            }
            else
            {
                writer.Line("global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref z, " + CompactLoops.Times("batch", sums.StoredSize) + ").Clear();");
            }
        }

        writer.Line();
        writer.Comment(describe + "\nForward is the input gradient of its adjoint convolution (below): each input position's channels times the kernel, added at position * stride + tap.");
        ConvolutionBackwardEmitter.EmitInputGradientMethods(writer, adjoint, sums, emission.Input, LayerDescriber.Describe(adjoint, emission.Format));
        ActivationPass.EmitForward(emission);
    }

    public override void EmitForwardCall(LayerEmission emission)
    {
        // An inference variant runs the layer's own sums (from the folded bias) and its own pass.
        var layer = emission.Network.Layers[emission.Index];
        var writer = emission.Writer;
        var adjoint = Adjoint(layer);
        writer.Line(adjoint.AccessorName + "TransposeKernel(" + emission.Weights() + ", ref scratch);");
        writer.Line(layer.AccessorName + "StartSums(" + emission.Bias() + ", ref " + emission.PreActivationTensor + ", batch);");
        var kernels = ConvolutionBackwardEmitter.InputGradientTakesKernel(adjoint) ? emission.Weights() + ", ref scratch" : "ref scratch";
        writer.Line(adjoint.AccessorName + "InputGradient(ref " + emission.InputTensor + ", " + kernels + ", ref " + emission.PreActivationTensor + ", batch);");
        if (emission.Layer.FusesInInference)
        {
            writer.Line(emission.Layer.AccessorName + "Activate(ref " + emission.PreActivationTensor + (emission.Layer.FoldsNormalization ? ", " + emission.Bias() : string.Empty) +
                ", ref " + emission.OutputTensor + ", batch);");
            return;
        }

        ActivationPass.EmitForwardCall(emission);
    }

    /// <summary>
    /// The inference variant's pass from the sums to the fold's output: the folded scales and
    /// shifts (which follow the bias at <c>b</c>), then the activation in place; or the
    /// activation alone.
    /// </summary>
    private static void EmitFoldedActivate(LayerEmission emission)
    {
        var layer = emission.Layer;
        var writer = emission.Writer;
        var sums = PreActivation(emission);
        var output = emission.Output;
        var activation = LayerVocabulary.SnakeName(layer.Activation);
        writer.Comment(layer.Name + " in inference: " + (layer.FoldsNormalization ? "the folded batch normalisation's scales and shifts, then " : string.Empty) +
            activation + ", from the sums to the output.");
        var parameters = layer.FoldsNormalization ? "ref float z, ref float b, ref float y, int batch" : "ref float z, ref float y, int batch";
        using (writer.Open("private static void " + layer.AccessorName + "Activate(" + parameters + ")"))
        {
            if (!layer.FoldsNormalization)
            {
                ElementwiseEmitter.EmitActivation(writer, layer.Activation, sums, output, "z", "y");
                return;
            }

            writer.Line(FrameworkNames.Kernels + "NormalizationKernels.ScaleShift(ref z, " + RuntimeKernelArguments.Rows(sums) + ", ref y, " +
                RuntimeKernelArguments.Rows(output) + ", ref " + FrameworkNames.Unsafe + ".Add(ref b, " + layer.Output.Channels + "), batch, " +
                NetworkEmitter.Numbers(layer.Output.Width, layer.Output.Channels) + ");");
            if (layer.Activation != ActivationKind.Linear)
            {
                ElementwiseEmitter.EmitActivation(writer, layer.Activation, output, output, "y", "y");
            }
        }

        writer.Line();
    }

    public override void EmitBackward(LayerEmission emission)
    {
        var layer = emission.Layer;
        var sums = PreActivation(emission);
        var adjoint = Adjoint(layer);
        var describe = LayerDescriber.Describe(adjoint, emission.Format);
        ActivationPass.EmitBackward(emission);
        if (layer.UseBias)
        {
            ConvolutionBackwardEmitter.EmitBiasGradientMethod(emission.Writer, layer, emission.Input, emission.Output, LayerDescriber.Describe(layer, emission.Format));
        }

        ConvolutionBackwardEmitter.EmitKernelGradientMethod(emission.Writer, adjoint, sums, emission.Input, describe);
        ConvolutionForwardEmitter.Emit(emission.Writer, adjoint, sums, emission.Input, emission.Format, scratch: false);
    }

    public override void EmitBackwardCall(LayerEmission emission)
    {
        var layer = emission.Layer;
        var writer = emission.Writer;
        var adjoint = Adjoint(layer);
        var sums = PreActivation(emission);
        var z = emission.PreActivationTensor;
        ActivationPass.EmitBackwardCall(emission);
        if (layer.UseBias)
        {
            writer.Line(layer.AccessorName + "BiasGradient(ref " + emission.OutputGradient + ", " + emission.Bias("pg") + ", batch);");
        }

        writer.Comment("dz into the pre-activation's interior, its frame zeroed: the input of the adjoint convolution's kernel gradient and forward pass.");
        TensorPasses.EmitInterior(writer, emission.Output, sums, emission.OutputGradient, z, accumulate: false);
        if (sums.HasFrame)
        {
            TensorPasses.EmitFrameFill(writer, sums, z);
        }

        writer.Line(adjoint.AccessorName + "KernelGradient(ref " + z + ", ref " + emission.InputTensor + ", " + emission.Weights("pg") +
            (PositionVectorizedKernelGradient.AppliesAtAnyWidth(adjoint) ? ", ref scratch" : string.Empty) + ", batch);");
        emission.InputGradientWork(() =>
            writer.Line(adjoint.AccessorName + "Forward(" + emission.Weights() + ", " + emission.Weights() + ", ref " + z + ", ref " + emission.InputGradient + ", batch);"));
    }
}
