using CnnGen.Kernels;

namespace CnnGen.Tests;

/// <summary>
/// The channels-first to channels-last copy of a three-channel row (an RGB input), vectorised by
/// permutes and blends: every count, so every tail after the vectors of 8 or 4 positions, at every
/// vector width (Category=Numerics), against the definition; nothing written past the row.
/// </summary>
[Trait("Category", "Numerics")]
public class LayoutKernelsTests
{
    [Fact]
    public void InterleaveThreePlanesPutsEachPositionsChannelsTogether()
    {
        const int planeStride = 40;
        var random = new Random(3);
        var planes = new float[3 * planeStride];
        for (var i = 0; i < planes.Length; i++)
        {
            planes[i] = random.NextSingle() - 0.5f;
        }

        for (var count = 0; count <= planeStride; count++)
        {
            var positions = new float[3 * planeStride + 8];
            Array.Fill(positions, float.NaN);
            LayoutKernels.InterleaveThreePlanes(ref planes[0], planeStride, ref positions[0], count);

            var expected = new float[positions.Length];
            Array.Fill(expected, float.NaN);
            for (var p = 0; p < count; p++)
            {
                for (var c = 0; c < 3; c++)
                {
                    expected[3 * p + c] = planes[c * planeStride + p];
                }
            }

            Assert.Equal(expected, positions);
        }
    }
}
