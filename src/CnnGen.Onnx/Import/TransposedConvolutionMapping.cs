using System;
using System.Linq;
using Onnx;

namespace CnnGen.Onnx;

/// <summary>
/// ConvTranspose (group 1) as conv1d_transpose or conv2d_transpose: weights transposed from
/// ONNX's (in, filters, kh, kw) to Keras's (kh, kw, filters, in); the pads crop the full output
/// ((n - 1) * s + (k - 1) * d + 1 per dimension) and output_padding adds cells after it.
/// </summary>
internal static class TransposedConvolutionMapping
{
    public static void ConvTranspose(MappingContext context, NodeProto node)
    {
        // A Pad before a transposed convolution is not a crop of its output: it stays a zero_padding layer.
        var input = context.Feature(node, 0);
        var rank = input.SpatialRank;
        if (rank is not (1 or 2))
        {
            throw context.Error(node, rank == 0
                ? "convolves a vector; a transposed convolution needs a C x L or C x H x W input"
                : $"is a {rank}-D transposed convolution; CnnGen has 1-D and 2-D transposed convolutions");
        }

        var weights = context.Constant(node, 1, "the weights");
        var channels = input.Dims[0];
        if (weights.Rank != rank + 2 || !weights.IsFloat)
        {
            throw context.Error(node, $"has weights of shape ({string.Join(", ", weights.Dims)}); ({"in, out, " + (rank == 1 ? "k" : "kh, kw")}) floats were expected");
        }

        var group = context.Int(node, "group", 1);
        if (group != 1)
        {
            throw context.Error(node, $"has group {group}; CnnGen's conv{rank}d_transpose has one group (PyTorch's groups=1). " +
                $"Split it into {group} transposed convolutions joined by a concatenate, or export it with groups=1");
        }

        if (weights.Dims[0] != channels)
        {
            throw context.Error(node, $"has weights for {weights.Dims[0]} input channels (weights (in, out, k...) of shape ({string.Join(", ", weights.Dims)})) " +
                $"but its input N x {MappingContext.Shape(input.Dims)} has {channels}");
        }

        var filters = weights.Dims[1];
        var kernel = weights.Dims.Skip(2).ToArray();
        var declared = context.Ints(node, "kernel_shape");
        if (declared is not null && !declared.SequenceEqual(kernel.Select(k => (long)k)))
        {
            throw context.Error(node, $"has kernel_shape [{string.Join(", ", declared)}] but weights of shape ({string.Join(", ", weights.Dims)})");
        }

        var strides = ConvolutionMapping.Sizes(context, node, "strides", rank);
        var dilations = ConvolutionMapping.Sizes(context, node, "dilations", rank);
        var spatial = input.Dims.Skip(1).ToArray();
        var outputPadding = OutputPadding(context, node, rank);
        var (before, after) = Pads(context, node, spatial, kernel, strides, dilations, outputPadding);
        for (var d = 0; d < rank; d++)
        {
            if (outputPadding[d] >= strides[d])
            {
                throw context.Error(node, $"has output_padding [{string.Join(", ", outputPadding)}] with strides [{string.Join(", ", strides)}]; " +
                    "CnnGen's output padding is less than the stride in each dimension (as PyTorch's with dilation 1)");
            }
        }

        var outputs = new int[rank];
        for (var d = 0; d < rank; d++)
        {
            var full = (spatial[d] - 1) * strides[d] + (kernel[d] - 1) * dilations[d] + 1;
            outputs[d] = full - before[d] - after[d] + outputPadding[d];
            if (outputs[d] < 1 || before[d] >= full || after[d] >= full)
            {
                throw context.Error(node, $"crops its {spatial[d]}-cell input's full output of {full} cells (dimension {d + 1}) by {before[d]} before and {after[d]} after; " +
                    "nothing would be left");
            }
        }

        var bias = context.OptionalConstant(node, 2, "the bias");
        if (bias is not null && (bias.Count != filters || !bias.IsFloat))
        {
            throw context.Error(node, $"has a bias of shape ({string.Join(", ", bias.Dims)}); {filters} floats were expected");
        }

        var (padding, padBefore, padAfter, effectiveOutputPadding, explicitPads) = Choose(spatial, kernel, strides, dilations, before, after, outputPadding);
        var draft = new LayerDraft(rank == 1 ? LayerKind.Conv1DTranspose : LayerKind.Conv2DTranspose, input.Dims, [filters, .. outputs])
        {
            Window = kernel,
            Strides = strides,
            Dilations = dilations,
            Padding = padding,
            PadBefore = padBefore,
            PadAfter = padAfter,
            ExplicitPads = explicitPads,
            OutputPadding = effectiveOutputPadding,
            Kernel = ToKerasKernel(weights.Floats!, channels, filters, kernel),
            KernelShape = [.. kernel, filters, channels],
            Bias = bias?.Floats!.ToArray(),
        };
        context.AddLayer(node, draft, input, [filters, .. outputs]);
    }

    /// <summary>output_padding: one count per spatial dimension, at least 0 (default 0).</summary>
    private static int[] OutputPadding(MappingContext context, NodeProto node, int rank)
    {
        var values = context.Ints(node, "output_padding");
        if (values is null)
        {
            return new int[rank];
        }

        if (values.Length != rank || values.Any(v => v < 0 || v > 1 << 16))
        {
            throw context.Error(node, $"has output_padding [{string.Join(", ", values)}]; {rank} value{(rank == 1 ? string.Empty : "s")} of at least 0 were expected");
        }

        return values.Select(v => (int)v).ToArray();
    }

    /// <summary>
    /// The cells cropped before and after each dimension: the pads attribute ([x1_begin, ...,
    /// x1_end, ...]); none for auto_pad VALID; for auto_pad SAME_UPPER or SAME_LOWER and for an
    /// output_shape, the total the output size asks for, taken only when it splits evenly (the
    /// ONNX specification and ONNX Runtime put an odd cell on different sides) and is not negative.
    /// </summary>
    private static (int[] Before, int[] After) Pads(MappingContext context, NodeProto node, int[] input, int[] kernel, int[] strides, int[] dilations, int[] outputPadding)
    {
        var rank = input.Length;
        var autoPad = context.String(node, "auto_pad") ?? "NOTSET";
        if (autoPad is not ("NOTSET" or "VALID" or "SAME_UPPER" or "SAME_LOWER"))
        {
            throw context.Error(node, $"has auto_pad '{autoPad}'; ONNX defines NOTSET, VALID, SAME_UPPER and SAME_LOWER");
        }

        var outputShape = context.Ints(node, "output_shape");
        if (outputShape is not null)
        {
            // The spatial sizes; some exporters write the whole shape (N, C, spatial...).
            if (outputShape.Length == rank + 2)
            {
                outputShape = outputShape[2..];
            }

            if (outputShape.Length != rank || outputShape.Any(v => v < 1 || v > 1 << 24))
            {
                throw context.Error(node, $"has output_shape [{string.Join(", ", outputShape)}]; {rank} sizes of at least 1 were expected");
            }

            return FromTotal(context, node, input, kernel, strides, dilations, outputPadding, outputShape.Select(v => (int)v).ToArray(), "output_shape [" + string.Join(", ", outputShape) + "]");
        }

        if (autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            return FromTotal(context, node, input, kernel, strides, dilations, outputPadding, input.Select((n, d) => n * strides[d]).ToArray(), "auto_pad " + autoPad);
        }

        var pads = context.Ints(node, "pads");
        if (autoPad == "VALID" || pads is null)
        {
            return (new int[rank], new int[rank]);
        }

        if (pads.Length != 2 * rank || pads.Any(p => p < 0 || p > 1 << 16))
        {
            throw context.Error(node, $"has pads [{string.Join(", ", pads)}]; {2 * rank} pads of at least 0 were expected for {rank} spatial dimension{(rank == 1 ? string.Empty : "s")}");
        }

        return (pads.Take(rank).Select(p => (int)p).ToArray(), pads.Skip(rank).Select(p => (int)p).ToArray());
    }

    private static (int[] Before, int[] After) FromTotal(MappingContext context, NodeProto node, int[] input, int[] kernel, int[] strides, int[] dilations,
        int[] outputPadding, int[] target, string what)
    {
        var rank = input.Length;
        var before = new int[rank];
        var after = new int[rank];
        for (var d = 0; d < rank; d++)
        {
            var total = (input[d] - 1) * strides[d] + outputPadding[d] + (kernel[d] - 1) * dilations[d] + 1 - target[d];
            if (total < 0 || total % 2 != 0)
            {
                throw context.Error(node, $"has {what}, which asks for {target[d]} output cells in dimension {d + 1} from {input[d]} input cells " +
                    $"(kernel {string.Join("x", kernel)}, stride {string.Join("x", strides)}): a total crop of {total}, " +
                    (total < 0 ? "which is negative" : "which is odd, and the ONNX specification and ONNX Runtime put its odd cell on different sides") +
                    "; export the model with explicit pads and output_padding (PyTorch's padding and output_padding)");
            }

            before[d] = after[d] = total / 2;
        }

        return (before, after);
    }

    /// <summary>
    /// 'valid' when nothing is cropped or added; the generator's 'same' (output n * s: a crop of
    /// max(k' - s, 0), the odd cell after, and s - k' cells added when the kernel is smaller than
    /// the stride) when the pads are exactly those; else the pads as written, with output_padding.
    /// </summary>
    private static (Padding Padding, int[] Before, int[] After, int[] OutputPadding, bool Explicit) Choose(int[] input, int[] kernel, int[] strides, int[] dilations,
        int[] before, int[] after, int[] outputPadding)
    {
        if (before.All(p => p == 0) && after.All(p => p == 0) && outputPadding.All(p => p == 0))
        {
            return (Padding.Valid, before, after, outputPadding, false);
        }

        var same = Enumerable.Range(0, input.Length).All(d =>
        {
            var effective = (kernel[d] - 1) * dilations[d] + 1;
            var total = Math.Max(effective - strides[d], 0);
            return before[d] == total / 2 && after[d] == total - total / 2 && outputPadding[d] == Math.Max(strides[d] - effective, 0);
        });
        return (same ? Padding.Same : Padding.Valid, before, after, outputPadding, !same);
    }

    /// <summary>(in, out, kh, kw) or (in, out, k) -> (kh, kw, out, in) or (k, out, in).</summary>
    private static float[] ToKerasKernel(float[] weights, int channels, int filters, int[] kernel)
    {
        var taps = kernel.Aggregate(1, (a, b) => a * b);
        var keras = new float[weights.Length];
        for (var i = 0; i < channels; i++)
        {
            for (var o = 0; o < filters; o++)
            {
                for (var t = 0; t < taps; t++)
                {
                    keras[(t * filters + o) * channels + i] = weights[(i * filters + o) * taps + t];
                }
            }
        }

        return keras;
    }
}
