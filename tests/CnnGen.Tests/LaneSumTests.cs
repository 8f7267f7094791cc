using System.Runtime.Intrinsics;
using CnnGen.Kernels;

namespace CnnGen.Tests;

/// <summary>
/// The runtime's Sum4 at each width (horizontal adds on x86, pairwise adds on Arm64, lane sums
/// elsewhere: Category=Numerics runs it with each disabled): four vectors' lane sums in order.
/// </summary>
[Trait("Category", "Numerics")]
public class LaneSumTests
{
    private static float[] Values(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)Math.Round(random.NextDouble() * 8 - 4, 2)).ToArray();
    }

    private static float[] Expected(float[] values, int lanes) =>
        Enumerable.Range(0, 4).Select(v => values.Skip(v * lanes).Take(lanes).Sum()).ToArray();

    private static void AssertSums(float[] expected, Vector128<float> actual)
    {
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], actual[i], 4);
        }
    }

    [Fact]
    public void Sum4AddsTheLanesOfEachOfFourVectors()
    {
        var v4 = Values(16, 1);
        AssertSums(Expected(v4, 4), V128.Sum4(Vector128.Create(v4, 0), Vector128.Create(v4, 4), Vector128.Create(v4, 8), Vector128.Create(v4, 12)));
        var v8 = Values(32, 2);
        AssertSums(Expected(v8, 8), V256.Sum4(Vector256.Create(v8, 0), Vector256.Create(v8, 8), Vector256.Create(v8, 16), Vector256.Create(v8, 24)));
        var v16 = Values(64, 3);
        AssertSums(Expected(v16, 16), V512.Sum4(Vector512.Create(v16, 0), Vector512.Create(v16, 16), Vector512.Create(v16, 32), Vector512.Create(v16, 48)));
    }
}
