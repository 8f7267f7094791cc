using SkiaSharp;

namespace KernelGallery;

/// <summary>Draws the photograph and its feature maps side by side, each titled, as one PNG.</summary>
public static class GalleryPicture
{
    private const int Columns = 4;
    private const int Gap = 12;
    private const int TitleHeight = 30;
    private const int HeaderHeight = 44;

    /// <summary>
    /// Saves the grid. <paramref name="maps"/> is the network output: Height x Width x maps,
    /// channels last, so map f of pixel p is maps[p * count + f].
    /// </summary>
    public static void Save(string path, string heading, float[] photo, float[] maps, IReadOnlyList<string> names)
    {
        var tiles = new List<(string Title, byte[] Pixels)> { ("input (grey levels)", ToGrey(photo, 1, 0, 0, 1)) };
        for (var f = 0; f < names.Count; f++)
        {
            var (low, high) = Range(maps, names.Count, f);
            tiles.Add((names[f], ToGrey(maps, names.Count, f, low, high)));
        }

        var rows = (tiles.Count + Columns - 1) / Columns;
        var width = Gap + Columns * (Photo.Width + Gap);
        var height = HeaderHeight + rows * (TitleHeight + Photo.Height + Gap) + Gap;
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var headingFont = new SKFont(SKTypeface.Default, 22);
        using var titleFont = new SKFont(SKTypeface.Default, 18);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawText(heading, Gap, 30, SKTextAlign.Left, headingFont, ink);

        var greyInfo = new SKImageInfo(Photo.Width, Photo.Height, SKColorType.Gray8, SKAlphaType.Opaque);
        for (var t = 0; t < tiles.Count; t++)
        {
            var x = Gap + t % Columns * (Photo.Width + Gap);
            var y = HeaderHeight + t / Columns * (TitleHeight + Photo.Height + Gap);
            canvas.DrawText(tiles[t].Title, x, y + TitleHeight - 8, SKTextAlign.Left, titleFont, ink);
            using var tile = SKImage.FromPixelCopy(greyInfo, tiles[t].Pixels);
            canvas.DrawImage(tile, x, y + TitleHeight);
        }

        using var png = surface.Snapshot().Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
    }

    /// <summary>
    /// Bright means a high dot product: the map's values are spread from black (its lowest) to
    /// white (its highest). The extreme 0.5% at each end are clipped, so that a few very strong
    /// responses do not leave the rest of the map a flat grey.
    /// </summary>
    private static (float Low, float High) Range(float[] maps, int count, int map)
    {
        var values = new float[maps.Length / count];
        for (var p = 0; p < values.Length; p++)
        {
            values[p] = maps[p * count + map];
        }

        Array.Sort(values);
        var low = values[(int)(0.005 * (values.Length - 1))];
        var high = values[(int)(0.995 * (values.Length - 1))];
        return high > low ? (low, high) : (low - 0.5f, low + 0.5f);
    }

    private static byte[] ToGrey(float[] values, int count, int map, float low, float high)
    {
        var pixels = new byte[values.Length / count];
        for (var p = 0; p < pixels.Length; p++)
        {
            var level = (values[p * count + map] - low) / (high - low);
            pixels[p] = (byte)Math.Round(255 * Math.Clamp(level, 0f, 1f));
        }

        return pixels;
    }
}
