using System.Buffers.Binary;

namespace CnnGen.Examples.Tests.Infrastructure;

/// <summary>Writes a grey picture as a 24-bit BMP: test input that needs no image library to make.</summary>
public static class Bmp
{
    public static void WriteGrey(string path, int width, int height, Func<int, int, byte> level)
    {
        var stride = (width * 3 + 3) / 4 * 4;
        var bytes = new byte[54 + stride * height];
        "BM"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(28), 24);
        for (var y = 0; y < height; y++)
        {
            // Rows are stored bottom-up.
            var row = 54 + (height - 1 - y) * stride;
            for (var x = 0; x < width; x++)
            {
                var value = level(x, y);
                bytes[row + 3 * x] = bytes[row + 3 * x + 1] = bytes[row + 3 * x + 2] = value;
            }
        }

        File.WriteAllBytes(path, bytes);
    }
}
