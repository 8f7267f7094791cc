using CnnGen.Kernels;

namespace CnnGen.Tests;

/// <summary>
/// The channels-first to channels-last copy of a three-channel row (an RGB input), vectorised by
/// permutes and blends, and the copy of a channels-last window into planes (blocks of 8x8 on x86
/// with AVX): every count, so every tail after the vectors, at every vector width
/// (Category=Numerics), against the definition; nothing written past the target.
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

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(24)]
    public void ToPlanesPutsEachChannelInItsOwnPlane(int channels)
    {
        const int rows = 3;
        const int rowStride = 2 + 21 * 24;
        var random = new Random(channels);
        var source = new float[rows * rowStride];
        for (var i = 0; i < source.Length; i++)
        {
            source[i] = random.NextSingle() - 0.5f;
        }

        for (var columns = 0; columns <= 21; columns++)
        {
            // Planes one row longer than the rows copied, as a last band of fewer rows leaves them.
            var planeStride = (rows + 1) * columns;
            var planes = new float[channels * planeStride + 8];
            Array.Fill(planes, float.NaN);
            LayoutKernels.ToPlanes(ref source[1], ref planes[0], rows, columns, channels, rowStride, planeStride);

            var expected = new float[planes.Length];
            Array.Fill(expected, float.NaN);
            for (var c = 0; c < channels; c++)
            {
                for (var r = 0; r < rows; r++)
                {
                    for (var p = 0; p < columns; p++)
                    {
                        expected[c * planeStride + r * columns + p] = source[1 + r * rowStride + p * channels + c];
                    }
                }
            }

            Assert.Equal(expected, planes);
        }
    }
}
