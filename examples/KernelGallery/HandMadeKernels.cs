using CnnGen;

namespace KernelGallery;

/// <summary>A hand-made kernel: a name for the picture and its weights, row by row.</summary>
public sealed record Kernel(string Name, float[,] Weights);

/// <summary>
/// The classic image-processing kernels. A convolution computes, at every pixel, the dot
/// product of the kernel with the window around it: the result is high where the window
/// looks like the kernel.
/// </summary>
public static class HandMadeKernels
{
    public static readonly Kernel[] All =
    [
        new("identity", new float[,] { { 0, 0, 0 }, { 0, 1, 0 }, { 0, 0, 0 } }),
        new("edges: diagonal", new float[,] { { 1, 0, -1 }, { 0, 0, 0 }, { -1, 0, 1 } }),
        new("edges: 4-neighbour", new float[,] { { 0, -1, 0 }, { -1, 4, -1 }, { 0, -1, 0 } }),
        new("edges: 8-neighbour", new float[,] { { -1, -1, -1 }, { -1, 8, -1 }, { -1, -1, -1 } }),
        new("Sobel x (vertical edges)", new float[,] { { -1, 0, 1 }, { -2, 0, 2 }, { -1, 0, 1 } }),
        new("Sobel y (horizontal edges)", new float[,] { { -1, -2, -1 }, { 0, 0, 0 }, { 1, 2, 1 } }),
        new("sharpen", new float[,] { { 0, -1, 0 }, { -1, 5, -1 }, { 0, -1, 0 } }),
        new("box blur 3x3", Scale(1f / 9, new float[,] { { 1, 1, 1 }, { 1, 1, 1 }, { 1, 1, 1 } })),
        new("Gaussian blur 3x3", Scale(1f / 16, new float[,] { { 1, 2, 1 }, { 2, 4, 2 }, { 1, 2, 1 } })),
        new("Gaussian blur 5x5", Scale(1f / 256, new float[,]
        {
            { 1, 4, 6, 4, 1 },
            { 4, 16, 24, 16, 4 },
            { 6, 24, 36, 24, 6 },
            { 4, 16, 24, 16, 4 },
            { 1, 4, 6, 4, 1 },
        })),
        new("emboss", new float[,] { { -2, -1, 0 }, { -1, 1, 1 }, { 0, 1, 2 } }),
    ];

    /// <summary>
    /// Writes the kernels into the layer as its filters. The kernel is stored in Keras layout
    /// (kernel height, kernel width, input channels, filters): filter f's weight at row i,
    /// column j is at ((i * kw + j) * channels + c) * filters + f. A 3x3 kernel goes in the
    /// centre of the 5x5 window, the rest stays zero.
    /// </summary>
    public static void WriteInto(LayerParameters layer)
    {
        var shape = layer.KernelShape;
        int kh = shape[0], kw = shape[1], channels = shape[2], filters = shape[3];
        if (filters != All.Length)
        {
            throw new InvalidOperationException($"The layer has {filters} filters but there are {All.Length} kernels.");
        }

        var weights = layer.Kernel;
        weights.Clear();
        for (var f = 0; f < filters; f++)
        {
            var kernel = All[f].Weights;
            int rows = kernel.GetLength(0), columns = kernel.GetLength(1);
            int top = (kh - rows) / 2, left = (kw - columns) / 2;
            for (var i = 0; i < rows; i++)
            {
                for (var j = 0; j < columns; j++)
                {
                    for (var c = 0; c < channels; c++)
                    {
                        weights[(((top + i) * kw + left + j) * channels + c) * filters + f] = kernel[i, j];
                    }
                }
            }
        }
    }

    private static float[,] Scale(float factor, float[,] weights)
    {
        foreach (var (i, j) in Indices(weights))
        {
            weights[i, j] *= factor;
        }

        return weights;
    }

    private static IEnumerable<(int Row, int Column)> Indices(float[,] weights)
    {
        for (var i = 0; i < weights.GetLength(0); i++)
        {
            for (var j = 0; j < weights.GetLength(1); j++)
            {
                yield return (i, j);
            }
        }
    }
}
