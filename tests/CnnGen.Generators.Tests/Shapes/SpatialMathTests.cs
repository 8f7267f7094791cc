using CnnGen.Generators.Model;
using CnnGen.Generators.Shapes;

namespace CnnGen.Generators.Tests.Shapes;

/// <summary>
/// The formulas of docs/shapes.md for one spatial dimension: a dozen cases worked out by
/// hand, then many random cases against a brute force that counts window positions.
/// </summary>
public class SpatialMathTests
{
    // ---- Worked by hand from docs/shapes.md -----------------------------------------------
    // Each row: n, k, s, d, padding -> out, pad before, pad after.

    [Theory]
    // valid: out = floor((n - k') / s) + 1
    [InlineData(28, 5, 1, 1, 28 - 5 + 1)]          // 24: LeNet's first conv without padding
    [InlineData(7, 3, 2, 1, 3)]                    // floor(4 / 2) + 1
    [InlineData(8, 3, 2, 1, 3)]                    // floor(5 / 2) + 1: the last row is dropped
    [InlineData(5, 5, 1, 1, 1)]                    // kernel exactly the input
    public void ValidPaddingDropsPartialWindows(int n, int k, int s, int d, int expected)
    {
        Assert.Equal(new SpatialResult(expected, 0, 0), SpatialMath.Apply(n, k, s, d, PaddingMode.Valid));
    }

    [Fact]
    public void SamePaddingWithStride1KeepsTheSizeAndPadsSymmetricallyForOddKernels()
    {
        // out = ceil(28 / 1) = 28; p = 27 * 1 + 5 - 28 = 4 -> 2 before, 2 after.
        Assert.Equal(new SpatialResult(28, 2, 2), SpatialMath.Apply(28, 5, 1, 1, PaddingMode.Same));
    }

    [Fact]
    public void SamePaddingWithAnEvenKernelPutsTheExtraCellAfter()
    {
        // out = 6; p = 5 + 2 - 6 = 1 -> 0 before, 1 after.
        Assert.Equal(new SpatialResult(6, 0, 1), SpatialMath.Apply(6, 2, 1, 1, PaddingMode.Same));
    }

    [Fact]
    public void SamePaddingWithStride2OnEvenInputPadsAfter()
    {
        // out = ceil(8 / 2) = 4; p = 3 * 2 + 3 - 8 = 1 -> 0 before, 1 after (TensorFlow, not PyTorch).
        Assert.Equal(new SpatialResult(4, 0, 1), SpatialMath.Apply(8, 3, 2, 1, PaddingMode.Same));
    }

    [Fact]
    public void SamePaddingWithStride2OnOddInputPadsBothSides()
    {
        // out = ceil(7 / 2) = 4; p = 3 * 2 + 3 - 7 = 2 -> 1 before, 1 after.
        Assert.Equal(new SpatialResult(4, 1, 1), SpatialMath.Apply(7, 3, 2, 1, PaddingMode.Same));
    }

    [Fact]
    public void SamePaddingNeverPadsNegatively()
    {
        // out = ceil(5 / 2) = 3; (3 - 1) * 2 + 1 - 5 = 0 -> no padding; with k = 1, s = 3: 1 * 3 + 1 - 5 < 0 -> 0.
        Assert.Equal(new SpatialResult(3, 0, 0), SpatialMath.Apply(5, 1, 2, 1, PaddingMode.Same));
        Assert.Equal(new SpatialResult(2, 0, 0), SpatialMath.Apply(5, 1, 3, 1, PaddingMode.Same));
    }

    [Fact]
    public void DilationWithValidPaddingUsesTheDilatedExtent()
    {
        // k' = (3 - 1) * 2 + 1 = 5; out = 10 - 5 + 1 = 6.
        Assert.Equal(new SpatialResult(6, 0, 0), SpatialMath.Apply(10, 3, 1, 2, PaddingMode.Valid));
        Assert.Equal(5, SpatialMath.EffectiveKernel(3, 2));
    }

    [Fact]
    public void DilationWithSamePaddingPadsTheDilatedExtent()
    {
        // k' = 5; out = 10; p = 9 + 5 - 10 = 4 -> 2, 2.
        Assert.Equal(new SpatialResult(10, 2, 2), SpatialMath.Apply(10, 3, 1, 2, PaddingMode.Same));
        // k' = (3 - 1) * 3 + 1 = 7; s = 2, n = 9: out = 5; p = 4 * 2 + 7 - 9 = 6 -> 3, 3.
        Assert.Equal(new SpatialResult(5, 3, 3), SpatialMath.Apply(9, 3, 2, 3, PaddingMode.Same));
    }

    [Fact]
    public void CausalPaddingPadsOnlyBeforeAndKeepsTheLength()
    {
        // pad (3 - 1) * 1 = 2 before, none after; out = (10 + 2 - 3) / 1 + 1 = 10.
        Assert.Equal(new SpatialResult(10, 2, 0), SpatialMath.Apply(10, 3, 1, 1, PaddingMode.Causal));
    }

    [Fact]
    public void CausalPaddingWithDilationAndStride()
    {
        // k' = 5, pad 4 before; out = floor((10 + 4 - 5) / 2) + 1 = 5.
        Assert.Equal(new SpatialResult(5, 4, 0), SpatialMath.Apply(10, 3, 2, 2, PaddingMode.Causal));
    }

    [Fact]
    public void PoolingWithStrideSmallerThanThePoolOverlapsWindows()
    {
        // pool 3, stride 2, valid, n = 7: floor(4 / 2) + 1 = 3.  pool 2, stride 1, n = 6: 5.
        Assert.Equal(new SpatialResult(3, 0, 0), SpatialMath.Apply(7, 3, 2, 1, PaddingMode.Valid));
        Assert.Equal(new SpatialResult(5, 0, 0), SpatialMath.Apply(6, 2, 1, 1, PaddingMode.Valid));
    }

    [Fact]
    public void PoolingWithStrideLargerThanThePoolSkipsCells()
    {
        // pool 2, stride 3, valid, n = 8: floor(6 / 3) + 1 = 3 (windows at 0, 3, 6).
        Assert.Equal(new SpatialResult(3, 0, 0), SpatialMath.Apply(8, 2, 3, 1, PaddingMode.Valid));
    }

    [Fact]
    public void SamePoolingOnOddInputPadsAfter()
    {
        // pool 2, stride 2, n = 5: out = 3; p = 2 * 2 + 2 - 5 = 1 -> 0, 1.
        Assert.Equal(new SpatialResult(3, 0, 1), SpatialMath.Apply(5, 2, 2, 1, PaddingMode.Same));
        // pool 3, stride 2, n = 8: out = 4; p = 3 * 2 + 3 - 8 = 1 -> 0, 1.
        Assert.Equal(new SpatialResult(4, 0, 1), SpatialMath.Apply(8, 3, 2, 1, PaddingMode.Same));
    }

    [Theory]
    [InlineData(3, 5, 1, 1, -1)]   // the README's example: 5x5 kernel on 3x3, "the output height would be -1"
    [InlineData(4, 7, 2, 1, -1)]   // floor(-3 / 2) + 1 = -2 + 1: floor, not truncation
    [InlineData(4, 3, 1, 2, 0)]    // k' = 5 > 4
    public void ValidWindowLargerThanTheInputGivesAnOutputBelowOne(int n, int k, int s, int d, int expected)
    {
        Assert.Equal(expected, SpatialMath.Apply(n, k, s, d, PaddingMode.Valid).Output);
    }

    [Fact]
    public void ExtremeValuesNeverOverflow()
    {
        const int max = int.MaxValue;
        // valid: k' = (max - 1) * max + 1, so out = 1 - k' + 1: far below 1, but exact.
        Assert.Equal(1 - (long)(max - 1) * max, SpatialMath.Apply(1, max, 1, max, PaddingMode.Valid).Output);
        Assert.Equal(1, SpatialMath.Apply(max, 1, max, 1, PaddingMode.Same).Output);
        Assert.Equal(max, SpatialMath.Apply(max, 1, 1, 1, PaddingMode.Same).Output);
        Assert.Equal(max, SpatialMath.Apply(max, max, 1, max, PaddingMode.Causal).Output);
        // k' = (max - 1) * max + 1; total padding (2 - 1) * 1 + k' - 2 = k' - 1, split with the odd cell after:
        // exact in long, never clamped or wrapped (shape inference refuses it by the padded size).
        var same = SpatialMath.Apply(2, max, 1, max, PaddingMode.Same);
        var total = (long)(max - 1) * max;
        Assert.Equal(2, same.Output);
        Assert.Equal(total / 2, same.PadBefore);
        Assert.Equal(total - total / 2, same.PadAfter);
        Assert.Equal(2 + total, same.Padded(2));
    }

    // ---- Cross-check against brute force ------------------------------------------------

    [Fact]
    public void ValidMatchesACountOfWindowPositions()
    {
        foreach (var (n, k, s, d) in RandomCases(seed: 1, count: 3000))
        {
            var expected = CountWindows(n, 0, 0, k, s, d);
            var actual = SpatialMath.Apply(n, k, s, d, PaddingMode.Valid);
            if (expected == 0)
            {
                Assert.True(actual.Output < 1, $"valid n={n} k={k} s={s} d={d}: no window fits but the output is {actual.Output}");
            }
            else
            {
                Assert.True(new SpatialResult(expected, 0, 0) == actual, $"valid n={n} k={k} s={s} d={d}: expected {expected}, got {actual}");
            }
        }
    }

    [Fact]
    public void SameMatchesTheSmallestPaddingThatGivesOneWindowPerStride()
    {
        foreach (var (n, k, s, d) in RandomCases(seed: 2, count: 3000))
        {
            // One output per input cell that a stride lands on: cells 0, s, 2s, ... below n.
            var outputs = 0;
            for (var i = 0; i < n; i += s)
            {
                outputs++;
            }

            // The least total padding whose padded input holds that many windows.
            var total = 0;
            while (CountWindows(n, 0, total, k, s, d) < outputs)
            {
                total++;
            }

            var expected = new SpatialResult(outputs, total / 2, total - total / 2);
            var actual = SpatialMath.Apply(n, k, s, d, PaddingMode.Same);
            Assert.True(expected == actual, $"same n={n} k={k} s={s} d={d}: expected {expected}, got {actual}");
        }
    }

    [Fact]
    public void CausalMatchesWindowsThatEndAtOrBeforeEachPosition()
    {
        foreach (var (n, k, s, d) in RandomCases(seed: 3, count: 3000))
        {
            var before = (k - 1) * d;
            var expected = CountWindows(n, before, 0, k, s, d);
            var actual = SpatialMath.Apply(n, k, s, d, PaddingMode.Causal);
            Assert.True(new SpatialResult(expected, before, 0) == actual, $"causal n={n} k={k} s={s} d={d}: expected {expected}, got {actual}");

            // Causality: output t sees input t * s as its last tap, never a later one.
            for (var t = 0; t < expected; t++)
            {
                var lastTap = t * s + (k - 1) * d - before;
                Assert.Equal(t * s, lastTap);
                Assert.True(lastTap < n);
            }
        }
    }

    [Fact]
    public void ExplicitPadsMatchACountOfWindowPositionsAndCeilModeAddsTheWindowsThatStartInside()
    {
        var random = new Random(4);
        foreach (var (n, k, s, d) in RandomCases(seed: 4, count: 3000))
        {
            var (before, after) = (random.Next(0, k), random.Next(0, k));
            var floor = SpatialMath.Explicit(n, k, s, d, before, after, ceil: false);
            var expected = CountWindows(n, before, after, k, s, d);
            if (expected == 0)
            {
                Assert.True(floor.Output < 1, $"n={n} k={k} s={s} d={d} pads {before}/{after}: no window fits but the output is {floor.Output}");
                continue;
            }

            Assert.True(new SpatialResult(expected, before, after) == floor, $"n={n} k={k} s={s} d={d} pads {before}/{after}: expected {expected}, got {floor}");

            // Ceil mode (PyTorch): every window that starts inside the input or the padding before
            // it, once a first whole window fits; the cells the last one reaches past the padding are added after.
            var ceil = SpatialMath.Explicit(n, k, s, d, before, after, ceil: true);
            var starts = 0;
            for (var start = 0; start < before + n && start + (k - 1) * d + 1 < before + n + after + s; start += s)
            {
                starts++;
            }

            var extent = (k - 1) * d + 1;
            var reach = (starts - 1) * s + extent;
            var extra = Math.Max(reach - (before + n + after), 0);
            Assert.True(new SpatialResult(starts, before, after + extra) { CeilExtra = extra } == ceil,
                $"ceil n={n} k={k} s={s} d={d} pads {before}/{after}: expected {starts} (+{extra}), got {ceil}");
            Assert.InRange(ceil.Output - floor.Output, 0, 1);
        }
    }

    [Theory]
    // n, k, s, pad, ceil -> out, extra after: PyTorch's MaxPool2d(k, s, padding=pad, ceil_mode) on n cells.
    [InlineData(4, 3, 2, 1, true, 3, 1)]   // windows at -1, 1, 3: the last reaches 5, one past the padding
    [InlineData(5, 3, 2, 1, true, 3, 0)]   // ceil((5 + 2 - 3) / 2) + 1 = 3, exact
    [InlineData(3, 2, 2, 1, true, 2, 0)]   // 3 would start at 4, in the padding after: dropped
    [InlineData(6, 2, 2, 0, true, 3, 0)]   // even: ceil changes nothing
    [InlineData(7, 2, 2, 0, true, 4, 1)]   // odd: one more window, half in the extra cell
    [InlineData(7, 2, 2, 0, false, 3, 0)]
    public void CeilModeAgreesWithPyTorchOnWorkedCases(int n, int k, int s, int pad, bool ceil, int output, int extra)
    {
        var result = SpatialMath.Explicit(n, k, s, 1, pad, pad, ceil);
        Assert.Equal(output, result.Output);
        Assert.Equal(extra, result.CeilExtra);
        Assert.Equal(pad + extra, result.PadAfter);
    }

    /// <summary>
    /// Enumerates window starts over an input of <paramref name="n"/> real cells with padding
    /// around it, and counts the windows whose every tap lies inside the padded input.
    /// </summary>
    private static int CountWindows(int n, int padBefore, int padAfter, int k, int s, int d)
    {
        var padded = padBefore + n + padAfter;
        var count = 0;
        for (var start = 0; start < padded; start += s)
        {
            var inside = true;
            for (var tap = 0; tap < k; tap++)
            {
                if (start + tap * d >= padded)
                {
                    inside = false;
                }
            }

            if (inside)
            {
                count++;
            }
        }

        return count;
    }

    private static IEnumerable<(int N, int K, int S, int D)> RandomCases(int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            yield return (random.Next(1, 65), random.Next(1, 10), random.Next(1, 6), random.Next(1, 5));
        }
    }
}
