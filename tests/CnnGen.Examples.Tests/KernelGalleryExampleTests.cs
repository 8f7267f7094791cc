using CnnGen.Examples.Tests.Infrastructure;
using KernelGallery;

namespace CnnGen.Examples.Tests;

[Collection(ExampleCollection.Name)]
public class KernelGalleryExampleTests
{
    [Fact]
    public void QuickModeWritesOneGridForTheFirstBundledPhotograph()
    {
        using var folder = new TemporaryFolder();
        Example.Run("KernelGallery", "--quick", "--output", folder.Path);

        var (width, height) = Png.AssertValid(folder.File("china-kernels.png"), Photo.Width * 4, Photo.Height * 3);
        Assert.Equal(["china-kernels.png"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
        Assert.True(width < 2 * Photo.Width * 4 && height < 2 * Photo.Height * 3, $"{width}x{height} is larger than a 4x3 grid needs.");
    }

    [Fact]
    public void TakesAnyPictureAndFitsItToTheNetworkInput()
    {
        using var folder = new TemporaryFolder();
        var picture = folder.File("square.bmp");
        Bmp.WriteGrey(picture, 200, 300, (x, y) => x is > 50 and < 150 && y is > 100 and < 200 ? (byte)230 : (byte)20);
        Example.Run("KernelGallery", picture, "--output", folder.File("out"));

        Png.AssertValid(Path.Combine(folder.File("out"), "square-kernels.png"));
    }

    [Fact]
    public void IdentityKernelReproducesThePhotograph()
    {
        var photo = RandomPhoto(seed: 1);
        var maps = Run(photo);

        var identity = Array.FindIndex(HandMadeKernels.All, kernel => kernel.Name == "identity");
        for (var p = 0; p < photo.Length; p++)
        {
            Assert.Equal(photo[p], maps[p * HandMadeKernels.All.Length + identity]);
        }
    }

    [Fact]
    public void SobelXRespondsToAVerticalEdgeAndSobelYDoesNot()
    {
        // Dark left half, bright right half: one vertical edge between columns 239 and 240.
        var photo = new float[Photo.Height * Photo.Width];
        for (var p = 0; p < photo.Length; p++)
        {
            photo[p] = p % Photo.Width < Photo.Width / 2 ? 0.1f : 0.9f;
        }

        var maps = Run(photo);
        var sobelX = Array.FindIndex(HandMadeKernels.All, kernel => kernel.Name.StartsWith("Sobel x"));
        var sobelY = Array.FindIndex(HandMadeKernels.All, kernel => kernel.Name.StartsWith("Sobel y"));
        float At(int map, int y, int x) => maps[(y * Photo.Width + x) * HandMadeKernels.All.Length + map];

        var middle = Photo.Height / 2;
        // (-1 0 1; -2 0 2; -1 0 1) over a step of 0.8: 4 x 0.8 on both columns that touch the edge.
        Assert.Equal(3.2f, At(sobelX, middle, Photo.Width / 2 - 1), 4);
        Assert.Equal(3.2f, At(sobelX, middle, Photo.Width / 2), 4);
        Assert.Equal(0f, At(sobelX, middle, Photo.Width / 4), 4);
        Assert.Equal(0f, At(sobelY, middle, Photo.Width / 2), 4);
    }

    [Fact]
    public void BlursKeepTheMeanBrightness()
    {
        var photo = RandomPhoto(seed: 2);
        var maps = Run(photo);

        foreach (var name in new[] { "box blur 3x3", "Gaussian blur 3x3", "Gaussian blur 5x5" })
        {
            var map = Array.FindIndex(HandMadeKernels.All, kernel => kernel.Name == name);
            var y = Photo.Height / 2;
            double input = 0, blurred = 0;
            for (var x = 10; x < Photo.Width - 10; x++)
            {
                input += photo[y * Photo.Width + x];
                blurred += maps[(y * Photo.Width + x) * HandMadeKernels.All.Length + map];
            }

            Assert.True(Math.Abs(input - blurred) / input < 0.05, $"{name}: row mean {input} before, {blurred} after.");
        }
    }

    private static float[] Run(float[] photo)
    {
        var network = new GalleryNet();
        HandMadeKernels.WriteInto(network.Conv2d1);
        var maps = new float[GalleryNet.OutputSize];
        network.Forward(photo, maps);
        return maps;
    }

    private static float[] RandomPhoto(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Photo.Height * Photo.Width).Select(_ => (float)random.NextDouble()).ToArray();
    }
}
