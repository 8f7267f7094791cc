using System.Collections.Generic;

namespace CnnGen.Generators.Emit;

/// <summary>One multiply-add source: an input offset and a weight offset, constants relative to the loop refs.</summary>
internal readonly record struct Tap(int X, int W);

/// <summary>A dimension of the reduction (kernel row, kernel column, input channel, input unit).</summary>
internal sealed record TapDimension(string Name, int Count, int XStep, int WStep);

/// <summary>
/// How the reduction of a micro-kernel is laid out: which dimensions stay loops (with
/// constant bounds) and which are unrolled into straight-line code with constant offsets.
/// Inner dimensions unroll first; the first that does not fit the budget is split into a
/// loop over blocks and a tail.
/// </summary>
internal sealed class TapPlan
{
    private TapPlan(IReadOnlyList<TapDimension> loops, TapDimension? splitLoop, IReadOnlyList<Tap> body, IReadOnlyList<Tap> tail)
    {
        Loops = loops;
        SplitLoop = splitLoop;
        Body = body;
        Tail = tail;
    }

    /// <summary>Full loops, outermost first.</summary>
    public IReadOnlyList<TapDimension> Loops { get; }

    /// <summary>A loop over blocks of the split dimension (its steps cover a whole block), or null.</summary>
    public TapDimension? SplitLoop { get; }

    /// <summary>The unrolled taps of one innermost iteration.</summary>
    public IReadOnlyList<Tap> Body { get; }

    /// <summary>Taps after the split loop (the part of the split dimension that fills no whole block).</summary>
    public IReadOnlyList<Tap> Tail { get; }

    /// <summary>True when the whole reduction is straight-line code.</summary>
    public bool IsFullyUnrolled => Loops.Count == 0 && SplitLoop is null;

    public static TapPlan Create(IReadOnlyList<TapDimension> dimensions, int maxUnrolledTaps)
    {
        var unrolled = new List<Tap> { new(0, 0) };
        for (var d = dimensions.Count - 1; d >= 0; d--)
        {
            var dimension = dimensions[d];
            if (unrolled.Count * (long)dimension.Count <= maxUnrolledTaps)
            {
                unrolled = Expand(unrolled, dimension, 0, dimension.Count);
                continue;
            }

            var block = BlockSize(dimension.Count, System.Math.Max(1, maxUnrolledTaps / unrolled.Count));
            var blocks = dimension.Count / block;
            var loops = new List<TapDimension>();
            for (var outer = 0; outer < d; outer++)
            {
                loops.Add(dimensions[outer]);
            }

            var body = Expand(unrolled, dimension, 0, block);
            var tail = Expand(unrolled, dimension, blocks * block, dimension.Count);
            if (blocks == 1)
            {
                body.AddRange(tail);
                return new TapPlan(loops, null, body, new List<Tap>());
            }

            var split = new TapDimension(dimension.Name, blocks, dimension.XStep * block, dimension.WStep * block);
            return new TapPlan(loops, split, body, tail);
        }

        return new TapPlan(new List<TapDimension>(), null, unrolled, new List<Tap>());
    }

    /// <summary>The largest divisor of <paramref name="count"/> that fits, so no tail is needed; the maximum with a tail when divisors are small.</summary>
    private static int BlockSize(int count, int max)
    {
        for (var candidate = max; candidate >= 1; candidate--)
        {
            if (count % candidate == 0)
            {
                return candidate * 2 > max || candidate == count ? candidate : max;
            }
        }

        return max;
    }

    private static List<Tap> Expand(List<Tap> inner, TapDimension dimension, int from, int to)
    {
        var result = new List<Tap>();
        for (var j = from; j < to; j++)
        {
            foreach (var tap in inner)
            {
                result.Add(new Tap(j * dimension.XStep + tap.X, j * dimension.WStep + tap.W));
            }
        }

        return result;
    }
}
