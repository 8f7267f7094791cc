using System;
using System.Linq;
using Onnx;

namespace CnnGen.Onnx;

/// <summary>
/// Resize and Upsample by whole factors of the spatial axes as up_sampling1d/2d: nearest as
/// PyTorch exports nn.Upsample (asymmetric coordinates, floor), linear with half-pixel centres
/// (nn.Upsample(mode='bilinear' or 'linear'), align_corners=False) as bilinear.
/// </summary>
internal static class ResizeMapping
{
    /// <summary>Resize (opset 10 on): X, roi, scales, sizes (opset 10: X, scales).</summary>
    public static void Resize(MappingContext context, NodeProto node)
    {
        var input = context.Feature(node, 0);
        var mode = context.String(node, "mode") ?? "nearest";
        var transform = context.Opset < 11 ? "asymmetric" : context.String(node, "coordinate_transformation_mode") ?? "half_pixel";
        var nearest = context.String(node, "nearest_mode") ?? "round_prefer_floor";
        var scalesIndex = context.Opset < 11 ? 1 : 2;
        var factors = MappingContext.Has(node, scalesIndex) && context.Constant(node, scalesIndex, "the scales") is { Count: > 0 } scales
            ? Factors(context, node, input, scales.Floats ?? throw context.Error(node, "has scales that are not floats"))
            : MappingContext.Has(node, scalesIndex + 1)
                ? FactorsOfSizes(context, node, input, context.KnownInts(node, context.Constant(node, scalesIndex + 1, "the sizes"), "the sizes"))
                : throw context.Error(node, "has neither scales nor sizes");

        var interpolation = (mode, transform) switch
        {
            // Whole factors: asymmetric with floor repeats every cell, and so does half_pixel with
            // round_prefer_floor (a source coordinate never falls on .5).
            ("nearest", "asymmetric") when nearest == "floor" => Interpolation.Nearest,
            ("nearest", "half_pixel" or "pytorch_half_pixel") when nearest == "round_prefer_floor" => Interpolation.Nearest,
            ("linear", "half_pixel" or "pytorch_half_pixel") => Interpolation.Bilinear,
            _ => throw context.Error(node, $"resizes in mode '{mode}' with coordinate_transformation_mode '{transform}'" +
                (mode == "nearest" ? $" and nearest_mode '{nearest}'" : string.Empty) +
                "; CnnGen's up-sampling is nearest (asymmetric and floor, as nn.Upsample exports it) or linear with half-pixel centres (align_corners=False)"),
        };

        Add(context, node, input, factors, interpolation);
    }

    /// <summary>Upsample (opsets 7 to 9): nearest only, since its linear mode uses asymmetric coordinates, which CnnGen's bilinear does not.</summary>
    public static void Upsample(MappingContext context, NodeProto node)
    {
        var input = context.Feature(node, 0);
        var mode = context.String(node, "mode") ?? "nearest";
        if (mode != "nearest")
        {
            throw context.Error(node, $"upsamples in mode '{mode}' (asymmetric coordinates); CnnGen's bilinear has half-pixel centres: export with opset 11 or later, where PyTorch writes Resize");
        }

        var scales = MappingContext.Attribute(node, "scales") is { } attribute
            ? attribute.Floats.ToArray()
            : context.Constant(node, 1, "the scales").Floats ?? throw context.Error(node, "has scales that are not floats");
        Add(context, node, input, Factors(context, node, input, scales), Interpolation.Nearest);
    }

    private static void Add(MappingContext context, NodeProto node, FeatureValue input, int[] factors, Interpolation interpolation)
    {
        var rank = input.SpatialRank;
        if (factors.All(f => f == 1))
        {
            context.Alias(node, input);
            return;
        }

        int[] dims = [input.Dims[0], .. input.Dims.Skip(1).Select((size, d) => size * factors[d])];
        var draft = new LayerDraft(rank == 1 ? LayerKind.UpSampling1D : LayerKind.UpSampling2D, input.NetworkDims, dims)
        {
            UpSampling = factors,
            Interpolation = interpolation,
        };
        context.AddLayer(node, draft, input, dims, nonNegative: input.NonNegative);
    }

    /// <summary>Scales (1, 1, whole factors of the spatial axes).</summary>
    private static int[] Factors(MappingContext context, NodeProto node, FeatureValue input, float[] scales)
    {
        var rank = input.SpatialRank;
        if (rank is not (1 or 2) || scales.Length != rank + 2 || scales[0] != 1 || scales[1] != 1 ||
            scales.Skip(2).Any(s => s < 1 || s != MathF.Floor(s) || s > 1 << 16))
        {
            throw context.Error(node, $"scales its N x {MappingContext.Shape(input.Dims)} input by [{string.Join(", ", scales.Select(s => MappingContext.Number(s)))}]; " +
                "CnnGen's up-sampling enlarges the spatial axes of a C x L or C x H x W map by whole factors");
        }

        return scales.Skip(2).Select(s => (int)s).ToArray();
    }

    /// <summary>Sizes (N, C, whole multiples of the spatial sizes).</summary>
    private static int[] FactorsOfSizes(MappingContext context, NodeProto node, FeatureValue input, long[] sizes)
    {
        var rank = input.SpatialRank;
        if (sizes.Length != rank + 2 || sizes[1] != input.Dims[0] ||
            input.Dims.Skip(1).Select((size, d) => sizes[d + 2] % size != 0 || sizes[d + 2] < size).Any(bad => bad))
        {
            throw context.Error(node, $"resizes its N x {MappingContext.Shape(input.Dims)} input to ({string.Join(", ", sizes)}); " +
                "CnnGen's up-sampling enlarges the spatial axes by whole factors");
        }

        float[] scales = [1f, 1f, .. input.Dims.Skip(1).Select((size, d) => (float)(sizes[d + 2] / size))];
        return Factors(context, node, input, scales);
    }
}
