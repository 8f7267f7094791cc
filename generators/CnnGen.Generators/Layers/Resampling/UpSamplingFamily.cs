using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// UpSampling1D/2D: the spatial dimensions multiplied by whole factors. Nearest (the default)
/// repeats each cell over its block, as Keras and PyTorch's mode='nearest'; bilinear (linear in
/// 1-D) interpolates with half-pixel centres, as TF2 and PyTorch's align_corners=False. The
/// runtime's ResampleKernels do the work over whole rows of channels-last cells.
/// </summary>
internal sealed class UpSamplingFamily : LayerFamily
{
    private const string Kernels = FrameworkNames.Kernels + "ResampleKernels";

    private static readonly LayerOption[] Options = { LayerOptions.Size, LayerOptions.Interpolation, LayerOptions.Name };

    public override IReadOnlyList<LayerSyntax> Kinds { get; } = new[]
    {
        new LayerSyntax(LayerKind.UpSampling1D, "up_sampling1d", 1, Options, 1, "2"),
        new LayerSyntax(LayerKind.UpSampling2D, "up_sampling2d", 2, Options, 1, "2"),
    };

    public override bool ChecksOwnSizes => true;

    /// <summary>One factor, or one per dimension (CNN0011), each at least 1 (CNN0030).</summary>
    public override bool Validate(LayerContext context)
    {
        var spec = context.Spec;
        var rank = LayerFamilies.Syntax(spec.Kind).SpatialRank;
        var values = spec.Numbers(LayerVocabulary.Size);
        if (values.Count != 1 && values.Count != rank)
        {
            context.Report(DiagnosticDescriptors.WrongDimensionCount, spec.Locate(LayerVocabulary.Size), context.KindName, context.Name,
                LayerVocabulary.Size, values.Count, rank);
            return false;
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] >= 1)
            {
                continue;
            }

            var dimension = LayerContext.DimensionName(rank, i);
            var word = values.Count == 1 ? LayerVocabulary.Size : context.IsDsl ? LayerVocabulary.Size + " " + dimension : dimension;
            context.Report(DiagnosticDescriptors.OptionOutOfRange, spec.Locate(LayerVocabulary.Size, values.Count == 1 ? -1 : i), context.KindName,
                context.Name, word, values[i].ToString(CultureInfo.InvariantCulture), "at least 1 (the factor by which the " +
                (values.Count == 1 && rank == 2 ? "height and width grow" : (values.Count == 1 ? "length" : dimension) + " grows") + "), such as 2");
            return false;
        }

        return true;
    }

    public override LayerModel? Infer(LayerContext context)
    {
        if (!WindowInference.HasRank(context, LayerKind.UpSampling1D, LayerKind.UpSampling2D))
        {
            return null;
        }

        var input = context.Input;
        var values = context.Spec.Numbers(LayerVocabulary.Size);
        var sizeHeight = input.SpatialRank == 1 ? 1 : values[0];
        var sizeWidth = values[values.Count - 1];
        var height = (BigInteger)input.Height * sizeHeight;
        var width = (BigInteger)input.Width * sizeWidth;
        if (!context.WithinTensorLimit(height * width * input.Channels))
        {
            return null;
        }

        var output = new TensorShape(input.SpatialRank, (int)height, (int)width, input.Channels);
        return context.Plain(output) with
        {
            UpSamplingHeight = sizeHeight,
            UpSamplingWidth = sizeWidth,
            Interpolation = (InterpolationMode)context.Spec.Number(LayerVocabulary.Interpolation, (int)InterpolationMode.Nearest),
        };
    }

    public override void Describe(LayerModel layer, List<string> parts)
    {
        parts.Add("size " + (layer.Input.SpatialRank == 1
            ? layer.UpSamplingWidth.ToString(CultureInfo.InvariantCulture)
            : layer.UpSamplingHeight.ToString(CultureInfo.InvariantCulture) + "x" + layer.UpSamplingWidth.ToString(CultureInfo.InvariantCulture)));
        parts.Add(Word(layer));
    }

    /// <summary>"nearest", "bilinear", or "linear" for a 1-D layer.</summary>
    private static string Word(LayerModel layer) =>
        layer.Interpolation == InterpolationMode.Bilinear && layer.Input.SpatialRank == 1 ? "linear" : LayerVocabulary.SnakeName(layer.Interpolation);

    private static bool IsBilinear(LayerModel layer) => layer.Interpolation == InterpolationMode.Bilinear;

    public override void EmitForward(LayerEmission emission)
    {
        var layer = emission.Layer;
        var writer = emission.Writer;
        writer.Comment(emission.Description + (IsBilinear(layer)
            ? ": each output cell interpolated between its nearest input cells, half-pixel centres (align_corners=False)."
            : ": each input cell repeated over its block of output cells."));
        using (writer.Open("private static void " + layer.AccessorName + "Forward(ref float x, ref float y, int batch)"))
        {
            writer.Line(Kernels + (IsBilinear(layer) ? ".UpSampleBilinear" : ".UpSampleNearest") + "(ref x, " + RuntimeKernelArguments.Rows(emission.Input) +
                ", ref y, " + RuntimeKernelArguments.Rows(emission.Output) + ", batch, " + Sizes(layer) + ");");
        }

        writer.Line();
    }

    public override void EmitForwardCall(LayerEmission emission) => PoolingFamily.EmitCall(emission);

    public override void EmitBackward(LayerEmission emission)
    {
        var layer = emission.Layer;
        var writer = emission.Writer;
        writer.Comment(emission.Description + (IsBilinear(layer)
            ? ": each output cell's gradient shared among the input cells it was interpolated from, with the same weights."
            : ": dL/d(input cell) is the sum of dL/d(output) over its block."));
        using (writer.Open("private static void " + layer.AccessorName + "Backward(ref float dy, ref float dx, int batch)"))
        {
            writer.Line(Kernels + (IsBilinear(layer) ? ".UpSampleBilinearBackward" : ".UpSampleNearestBackward") + "(ref dy, " +
                RuntimeKernelArguments.Rows(emission.Output) + ", ref dx, " + RuntimeKernelArguments.Rows(emission.Input) + ", batch, " + Sizes(layer) + ");");
        }

        writer.Line();
    }

    public override void EmitBackwardCall(LayerEmission emission) => ZeroPaddingFamily.EmitGradientCall(emission);

    /// <summary>Input width, channels, height factor, width factor.</summary>
    private static string Sizes(LayerModel layer) =>
        NetworkEmitter.Numbers(layer.Input.Width, layer.Input.Channels, layer.UpSamplingHeight, layer.UpSamplingWidth);
}
