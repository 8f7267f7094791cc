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

    /// <summary>A name for a group of chunks, for kernel method names: "16x4", "4+1+1".</summary>
    public static string Signature(IReadOnlyList<Chunk> chunks)
    {
        var widths = new List<string>();
        var uniform = true;
        foreach (var chunk in chunks)
        {
            uniform &= chunk.Width == chunks[0].Width;
            widths.Add(chunk.Width.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return uniform ? chunks[0].Width + "x" + chunks.Count : string.Join("_", widths);
    }

    /// <summary>
    /// Splits without overlap, for kernels that add into their output: full vectors of the
    /// widest width, then narrower ones and single floats for the rest.
    /// </summary>
    public static IReadOnlyList<Chunk> SplitExact(int count, int maxWidth)
    {
        var chunks = new List<Chunk>();
        var offset = 0;
        foreach (var width in new[] { 16, 8, 4, 1 })
        {
            if (width > maxWidth)
            {
                continue;
            }

            for (; offset + width <= count; offset += width)
            {
                chunks.Add(new Chunk(offset, width));
            }
        }

        return chunks;
    }
}
