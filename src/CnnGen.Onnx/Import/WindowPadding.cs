using System;
using System.Linq;

namespace CnnGen.Onnx;

/// <summary>
/// Which CnnGen padding mode ONNX's explicit pads of a convolution or pooling are, if any.
/// CnnGen pads the Keras way: 'valid' none; 'same' a total of max((ceil(n/s) - 1) * s + k' - n, 0)
/// with the odd cell after; 'causal' (k' - 1) before. PyTorch's symmetric padding is one of
/// these only for some sizes: padding=1 with a 3x3 kernel and stride 2 is 'same' on an odd
/// size and not on an even one (Keras pads 0 before and 1 after there).
/// </summary>
internal static class WindowPadding
{
    /// <summary>The window of one node, per spatial dimension, with the pads ONNX applies.</summary>
    public sealed record Window(int[] Input, int[] Kernel, int[] Strides, int[] Dilations, int[] Before, int[] After)
    {
        public int Rank => Input.Length;

        public int Effective(int dim) => (Kernel[dim] - 1) * Dilations[dim] + 1;

        /// <summary>
        /// ONNX's output size: floor((n + pads - k') / s) + 1, or with ceil in ceil_mode, where (as
        /// in ONNX Runtime and PyTorch) the last window must start inside the input or the pads before it.
        /// </summary>
        public int Output(int dim, bool ceil = false)
        {
            var span = Input[dim] + Before[dim] + After[dim] - Effective(dim);
            if (span < 0)
            {
                return 0;
            }

            var output = (ceil ? (span + Strides[dim] - 1) / Strides[dim] : span / Strides[dim]) + 1;
            return ceil && (output - 1) * Strides[dim] >= Input[dim] + Before[dim] ? output - 1 : output;
        }

        public int[] Outputs(bool ceil = false) => Enumerable.Range(0, Rank).Select(d => Output(d, ceil)).ToArray();

        /// <summary>Keras 'same' pads of one dimension.</summary>
        public (int Before, int After) SamePads(int dim)
        {
            var output = (Input[dim] + Strides[dim] - 1) / Strides[dim];
            var total = Math.Max((output - 1) * Strides[dim] + Effective(dim) - Input[dim], 0);
            return (total / 2, total - total / 2);
        }

        /// <summary>
        /// The same window without the padding after the input that no window reaches (opset 9
        /// exports ceil_mode as such pads): it changes nothing, so it must not decide the mode.
        /// </summary>
        public Window WithoutUnreachedPads() => this with
        {
            After = Enumerable.Range(0, Rank)
                .Select(d => Math.Min(After[d], Math.Max(0, (Output(d) - 1) * Strides[d] + Effective(d) - Input[d] - Before[d])))
                .ToArray(),
        };

        /// <summary>The pads (before, after) of each dimension that <paramref name="padding"/> applies.</summary>
        public (int[] Before, int[] After) PadsFor(Padding padding)
        {
            var pads = Enumerable.Range(0, Rank).Select(d => padding switch
            {
                Padding.Same => SamePads(d),
                Padding.Causal => (Effective(d) - 1, 0),
                _ => (0, 0),
            }).ToArray();
            return (pads.Select(p => p.Item1).ToArray(), pads.Select(p => p.Item2).ToArray());
        }

        public bool IsValid => Before.All(p => p == 0) && After.All(p => p == 0);

        public bool IsSame => Enumerable.Range(0, Rank).All(d => SamePads(d) == (Before[d], After[d]));

        public bool IsCausal => Rank == 1 && Before[0] == Effective(0) - 1 && After[0] == 0;

        /// <summary>The pads as "top 1, bottom 1, left 1, right 1" or "1 before, 2 after".</summary>
        public string DescribePads(Func<int, (int Before, int After)> pads)
        {
            if (Rank == 1)
            {
                var (before, after) = pads(0);
                return $"{before} before and {after} after";
            }

            var (top, bottom) = pads(0);
            var (left, right) = pads(1);
            return $"top {top}, bottom {bottom}, left {left}, right {right}";
        }

        public string DescribeInput => string.Join("x", Input);
    }

    /// <summary>
    /// Translates auto_pad (SAME_UPPER is Keras 'same'; SAME_LOWER puts the odd cell before) and
    /// the pads attribute ([x1_begin, x2_begin, ..., x1_end, x2_end]) into pads per dimension.
    /// </summary>
    public static (int[] Before, int[] After) FromAttributes(MappingContext context, global::Onnx.NodeProto node, int[] input, int[] kernel, int[] strides,
        int[] dilations, bool ceilMode = false)
    {
        var rank = input.Length;
        var autoPad = context.String(node, "auto_pad") ?? "NOTSET";
        var pads = context.Ints(node, "pads");
        if (autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            var before = new int[rank];
            var after = new int[rank];
            for (var d = 0; d < rank; d++)
            {
                var output = (input[d] + strides[d] - 1) / strides[d];
                var total = Math.Max((output - 1) * strides[d] + (kernel[d] - 1) * dilations[d] + 1 - input[d], 0);
                var small = total / 2;
                (before[d], after[d]) = autoPad == "SAME_UPPER" ? (small, total - small) : (total - small, small);
            }

            return (before, after);
        }

        if (autoPad is not ("NOTSET" or "VALID"))
        {
            throw context.Error(node, $"has auto_pad '{autoPad}'; ONNX defines NOTSET, VALID, SAME_UPPER and SAME_LOWER");
        }

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

    /// <summary>
    /// The CnnGen padding that computes what ONNX computes with these pads, or an error saying
    /// why none does. <paramref name="what"/> names the window in the message ("kernel", "pool").
    /// </summary>
    public static Padding Resolve(MappingContext context, global::Onnx.NodeProto node, Window window, string what, bool allowCausal)
    {
        for (var d = 0; d < window.Rank; d++)
        {
            if (window.Output(d) < 1)
            {
                throw context.Error(node, $"has a {string.Join("x", window.Kernel)} {what} (dilated: {string.Join("x", Enumerable.Range(0, window.Rank).Select(window.Effective))}) " +
                    $"larger than its {window.DescribeInput} input with its pads");
            }
        }

        var given = window;
        window = window.WithoutUnreachedPads();
        if (window.IsValid)
        {
            return Padding.Valid;
        }

        if (window.IsSame)
        {
            return Padding.Same;
        }

        if (allowCausal && window.IsCausal)
        {
            return Padding.Causal;
        }

        var explanation = $"pads its {given.DescribeInput} input with {given.DescribePads(d => (given.Before[d], given.After[d]))} " +
            $"(kernel {string.Join("x", given.Kernel)}, stride {string.Join("x", given.Strides)}), which is neither 'valid' nor Keras 'same' " +
            $"({given.DescribePads(given.SamePads)} here)" + (allowCausal ? " nor 'causal'" : string.Empty);
        var symmetric = given.Before.SequenceEqual(given.After);
        var hint = (symmetric && given.Strides.Any(s => s > 1) && given.Input.Any(n => n % 2 == 0)
                ? "PyTorch's symmetric padding with stride 2 is Keras 'same' on odd sizes only. "
                : string.Empty) +
            (Enumerable.Range(0, given.Rank).All(d => given.SamePads(d) == (0, 0))
                ? "Without these pads the layer imports today"
                : $"A model padded the Keras way (F.pad(x, {FPad(given)}) before the layer, padding=0 in it) imports today");
        throw context.Planned(node, "Pad", explanation, hint.Length > 0 ? hint.TrimEnd() : null);
    }

    /// <summary>
    /// The padding of a convolution or pooling: a mode when the pads are one ('valid', Keras 'same',
    /// 'causal'), so that the usual models read as they always did; otherwise the pads themselves,
    /// declared (pad, pads) as PyTorch's padding. In ceil mode the pads are kept as given, since the
    /// output depends on them; <paramref name="ceil"/> is true only when ceil mode changes the output.
    /// </summary>
    public static (Padding Padding, int[] Before, int[] After, bool Explicit) Choose(MappingContext context, global::Onnx.NodeProto node, Window window,
        string what, bool allowCausal, bool isConvolution, bool ceil)
    {
        if (!ceil)
        {
            var trimmed = window.WithoutUnreachedPads();
            if (trimmed.IsValid || trimmed.IsSame || (allowCausal && trimmed.IsCausal))
            {
                var padding = Resolve(context, node, window, what, allowCausal);
                return (padding, window.PadsFor(padding).Before, window.PadsFor(padding).After, false);
            }

            // The pads as written (PyTorch's padding=1 reads as pad: 1), unless a pad no window
            // reaches is over CnnGen's limit: then without it, which computes the same.
            if (!Fits(window, isConvolution))
            {
                window = trimmed;
            }
        }

        for (var d = 0; d < window.Rank; d++)
        {
            if (window.Output(d, ceil) < 1)
            {
                throw context.Error(node, $"has a {string.Join("x", window.Kernel)} {what} (dilated: {string.Join("x", Enumerable.Range(0, window.Rank).Select(window.Effective))}) " +
                    $"larger than its {window.DescribeInput} input with its pads");
            }

            // CnnGen's limits (CNN0110): no window may lie wholly in the padding.
            var limit = isConvolution ? window.Effective(d) - 1 : window.Kernel[d] / 2;
            if (Math.Max(window.Before[d], window.After[d]) > limit)
            {
                throw context.Error(node, $"pads its {window.DescribeInput} input with {window.DescribePads(k => (window.Before[k], window.After[k]))}; " +
                    (isConvolution
                        ? $"CnnGen pads a convolution at most its kernel's extent less one ({limit}) on each side"
                        : $"CnnGen pads a pooling at most half its window ({limit}) on each side, as PyTorch does"));
            }
        }

        return (Padding.Valid, window.Before, window.After, true);
    }

    private static bool Fits(Window window, bool isConvolution) => Enumerable.Range(0, window.Rank).All(d =>
        Math.Max(window.Before[d], window.After[d]) <= (isConvolution ? window.Effective(d) - 1 : window.Kernel[d] / 2));

    /// <summary>Keras's 'same' pads in F.pad's order: (left, right) for 1-D, (left, right, top, bottom) for 2-D.</summary>
    private static string FPad(Window window)
    {
        var pads = Enumerable.Range(0, window.Rank).Reverse().SelectMany(d => new[] { window.SamePads(d).Before, window.SamePads(d).After });
        return "(" + string.Join(", ", pads) + ")";
    }
}
