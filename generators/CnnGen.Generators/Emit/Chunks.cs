using System.Collections.Generic;

namespace CnnGen.Generators.Emit;

/// <summary>A run of channels handled by one vector: its first channel and its width.</summary>
internal readonly record struct Chunk(int Offset, int Width);

/// <summary>
/// Splits a channel count into vectors. All vectors of a layer have one width, the widest
/// of 16, 8, 4 that fits; when the count is not a multiple, the last vector overlaps the one
/// before (it computes a few channels twice and stores the same values), so no masked or
/// scalar tail is needed and nothing is written past the last channel.
/// </summary>
internal static class Chunks
{
    public static IReadOnlyList<Chunk> Split(int count, int maxWidth)
    {
        var width = 1;
        foreach (var candidate in new[] { 16, 8, 4 })
        {
            if (candidate <= maxWidth && candidate <= count)
            {
                width = candidate;
                break;
            }
        }

        var chunks = new List<Chunk>();
        var offset = 0;
        for (; offset + width <= count; offset += width)
        {
            chunks.Add(new Chunk(offset, width));
        }

        if (offset < count)
        {
            chunks.Add(new Chunk(count - width, width));
        }

        return chunks;
    }
}
