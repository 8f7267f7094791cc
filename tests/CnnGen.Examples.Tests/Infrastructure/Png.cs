using System.Buffers.Binary;
using StbImageSharp;

namespace CnnGen.Examples.Tests.Infrastructure;

/// <summary>Checks that a file is a PNG a viewer can show, and that it shows something.</summary>
public static class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Signature, IHDR header, a full decode that agrees with the header, and more than one colour.</summary>
    public static (int Width, int Height) AssertValid(string path, int minimumWidth = 100, int minimumHeight = 100)
    {
        Assert.True(File.Exists(path), $"{path} was not written.");
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 33 && bytes.AsSpan(0, 8).SequenceEqual(Signature), $"{path} does not start with the PNG signature.");

        // The first chunk must be IHDR, 13 bytes: width, height, bit depth, colour type, compression, filter, interlace.
        Assert.Equal(13u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8)));
        Assert.Equal("IHDR"u8.ToArray(), bytes.AsSpan(12, 4).ToArray());
        var width = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(16));
        var height = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(20));
        Assert.Contains(bytes[24], new byte[] { 1, 2, 4, 8, 16 });
        Assert.Contains(bytes[25], new byte[] { 0, 2, 3, 4, 6 });
        Assert.True(width >= minimumWidth && height >= minimumHeight, $"{path} is only {width}x{height}.");

        var image = ImageResult.FromMemory(bytes, ColorComponents.RedGreenBlue);
        Assert.Equal((width, height), (image.Width, image.Height));
        Assert.True(image.Data.Distinct().Count() > 2, $"{path} is a blank picture.");
        return (width, height);
    }
}
