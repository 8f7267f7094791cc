using StbImageSharp;

namespace KernelGallery;

/// <summary>
/// A photograph as the network sees it: grey levels in [0, 1], Height x Width, row-major.
/// The generated code is specialised for one input size, so every photograph is scaled to
/// cover 480x320 and cropped to it around the centre.
/// </summary>
public static class Photo
{
    public const int Height = 320;
    public const int Width = 480;

    /// <summary>Decodes a JPEG (or PNG, BMP...) as grey levels and fits it to Height x Width.</summary>
    public static float[] Load(string path)
    {
        ImageResult image;
        using (var stream = File.OpenRead(path))
        {
            image = ImageResult.FromStream(stream, ColorComponents.Grey);
        }

        var grey = new float[image.Width * image.Height];
        for (var i = 0; i < grey.Length; i++)
        {
            grey[i] = image.Data[i] / 255f;
        }

        // The largest centred region with the network's aspect ratio, then averaged down (or up) to size.
        double cropWidth = image.Width, cropHeight = image.Height;
        if (cropWidth * Height > cropHeight * Width)
        {
            cropWidth = cropHeight * Width / Height;
        }
        else
        {
            cropHeight = cropWidth * Height / Width;
        }

        var rows = ResampleRows(grey, image.Width, image.Height, (image.Width - cropWidth) / 2, cropWidth / Width, Width);
        return ResampleColumns(rows, Width, image.Height, (image.Height - cropHeight) / 2, cropHeight / Height, Height);
    }

    /// <summary>Each output pixel is the mean of the source pixels it covers (fractionally at its ends).</summary>
    private static float[] ResampleRows(float[] source, int width, int height, double origin, double step, int outputWidth)
    {
        var output = new float[outputWidth * height];
        for (var x = 0; x < outputWidth; x++)
        {
            var (first, weights) = Coverage(origin + x * step, step, width);
            for (var y = 0; y < height; y++)
            {
                var sum = 0.0;
                for (var k = 0; k < weights.Length; k++)
                {
                    sum += weights[k] * source[y * width + first + k];
                }

                output[y * outputWidth + x] = (float)sum;
            }
        }

        return output;
    }

    private static float[] ResampleColumns(float[] source, int width, int height, double origin, double step, int outputHeight)
    {
        var output = new float[width * outputHeight];
        for (var y = 0; y < outputHeight; y++)
        {
            var (first, weights) = Coverage(origin + y * step, step, height);
            for (var x = 0; x < width; x++)
            {
                var sum = 0.0;
                for (var k = 0; k < weights.Length; k++)
                {
                    sum += weights[k] * source[(first + k) * width + x];
                }

                output[y * width + x] = (float)sum;
            }
        }

        return output;
    }

    /// <summary>The source pixels under [start, start + length) and how much of each is covered, normalised to sum 1.</summary>
    private static (int First, double[] Weights) Coverage(double start, double length, int size)
    {
        var end = Math.Min(start + length, size);
        var first = Math.Clamp((int)Math.Floor(start), 0, size - 1);
        var last = Math.Clamp((int)Math.Ceiling(end) - 1, first, size - 1);
        var weights = new double[last - first + 1];
        var total = 0.0;
        for (var i = first; i <= last; i++)
        {
            var covered = Math.Min(end, i + 1) - Math.Max(start, i);
            weights[i - first] = Math.Max(covered, 0);
            total += weights[i - first];
        }

        for (var k = 0; k < weights.Length; k++)
        {
            weights[k] = total > 0 ? weights[k] / total : 1.0 / weights.Length;
        }

        return (first, weights);
    }
}
