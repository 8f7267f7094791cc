using System;
using System.Collections.Generic;
using System.Linq;

namespace CnnGen.Generators.Emit;

/// <summary>
/// Output channels split into groups of vectors that fit the accumulator registers with the
/// block's rows. Every group has the same vectors at the same relative offsets, so one
/// kernel serves them all: groups run in a loop, and when the channels do not fill the last
/// group it is shifted back to end at the last channel (overlapping the one before; it
/// computes a few channels twice and stores equal values).
/// </summary>
internal sealed class ChunkGroups
{
    private ChunkGroups(IReadOnlyList<Chunk> group, int stride, int count, int lastOffset, IReadOnlyList<Chunk>? lastGroup = null)
    {
        Group = group;
        Stride = stride;
        Count = count;
        LastOffset = lastOffset;
        LastGroup = lastGroup ?? group;
    }

    /// <summary>The vectors of the group at <see cref="LastOffset"/>: the same as the others, or the exact rest.</summary>
    public IReadOnlyList<Chunk> LastGroup { get; }

    /// <summary>The vectors of every group, relative to the group's first channel.</summary>
    public IReadOnlyList<Chunk> Group { get; }

    /// <summary>Channels from one group to the next.</summary>
    public int Stride { get; }

    /// <summary>Groups at offsets 0, Stride, 2 Stride...</summary>
    public int Count { get; }

    /// <summary>The offset of one more, shifted group; -1 when none is needed.</summary>
    public int LastOffset { get; }

    /// <param name="channels">The number of output channels.</param>
    /// <param name="maxWidth">The widest vector available.</param>
    /// <param name="maxVectors">The most vectors a group may hold.</param>
    public static ChunkGroups Create(int channels, int maxWidth, int maxVectors)
    {
        var chunks = Chunks.Split(channels, maxWidth);
        maxVectors = Math.Max(1, maxVectors);
        if (chunks.Count <= maxVectors)
        {
            return new ChunkGroups(chunks, 0, 1, -1);
        }

        // Balance the groups: as many as needed, each as small as possible.
        var groupCount = (chunks.Count + maxVectors - 1) / maxVectors;
        var vectors = (chunks.Count + groupCount - 1) / groupCount;
        var width = chunks[0].Width;
        var group = new List<Chunk>();
        for (var i = 0; i < vectors; i++)
        {
            group.Add(new Chunk(i * width, width));
        }

        var stride = vectors * width;
        var full = channels / stride;
        var lastOffset = full * stride == channels ? -1 : channels - stride;
        return new ChunkGroups(group, stride, full, lastOffset);
    }

    /// <summary>
    /// Groups without overlap, for kernels that add into their output: full groups of full
    /// vectors in a loop, then the exact rest (narrower vectors and single floats).
    /// </summary>
    public static ChunkGroups CreateExact(int channels, int maxWidth, int maxVectors)
    {
        var chunks = Chunks.SplitExact(channels, maxWidth);
        maxVectors = Math.Max(1, maxVectors);
        if (chunks.Count <= maxVectors)
        {
            return new ChunkGroups(chunks, 0, 1, -1);
        }

        var width = chunks[0].Width;
        var group = new List<Chunk>();
        for (var i = 0; i < maxVectors; i++)
        {
            group.Add(new Chunk(i * width, width));
        }

        var stride = maxVectors * width;
        var full = channels / stride;
        if (full * stride == channels)
        {
            return new ChunkGroups(group, stride, full, -1);
        }

        var rest = Chunks.SplitExact(channels - full * stride, maxWidth);
        return new ChunkGroups(group, stride, full, full * stride, rest);
    }

    /// <summary>One group of vectors at channel 0: for callers that run the groups' loop themselves.</summary>
    public static ChunkGroups Single(IReadOnlyList<Chunk> group) => new(group, 0, 1, -1);

    /// <summary>The width of the vectors.</summary>
    public int Width => Group[0].Width;

    /// <summary>The channels one group's vectors cover.</summary>
    public int Channels => Group.Sum(chunk => chunk.Width);

    /// <summary>
    /// Writes the calls for one block: the kernel of <paramref name="kernel"/> for each group.
    /// <paramref name="x"/>, <paramref name="w"/>, <paramref name="b"/> and <paramref name="y"/>
    /// are refs to the block's input and to channel 0 of the weights, bias and output. With
    /// <paramref name="sliced"/>, each group's call runs once per slice of the reduction (a dense
    /// layer's inputs; its kernel takes first and last), the shorter last slice with the kernel
    /// of its length: all of a group's slices before the next group, because the last group may
    /// overlap the one before it, and a slice adds into its output.
    /// </summary>
    /// <param name="within">
    /// When set, wraps each call in code of the caller's (a loop over blocks of samples that
    /// declares <paramref name="x"/> and <paramref name="y"/>), so that the loop runs inside the
    /// groups and slices: a group's weights then serve every block before the next group's.
    /// </param>
    public void EmitCalls(SourceWriter writer, Func<IReadOnlyList<Chunk>, string> kernel, string x, string w, string b, string y,
        (ReductionSlices Slices, Func<IReadOnlyList<Chunk>, string> LastSliceKernel)? sliced = null, Action<Action>? within = null)
    {
        void Line(string text)
        {
            if (within is null)
            {
                writer.Line(text);
            }
            else
            {
                within(() => writer.Line(text));
            }
        }

        void Call(IReadOnlyList<Chunk> group, string offset)
        {
            var name = kernel(group);
            if (sliced is not { } calls)
            {
                Line(name + "(ref " + x + ", " + Moved(w, offset) + ", " + Moved(b, offset) + ", " + Moved(y, offset) + ");");
                return;
            }

            var (s, lastSliceKernel) = calls;
            var full = s.Length * s.Count;
            using (writer.Open("for (int s = 0; s < " + full + "; s += " + s.Length + ")"))
            {
                Line(name + "(" + VectorOps.Ref(x, "s") + ", " + Moved(w, "(nint)s * " + s.Stride, offset) + ", " + Moved(b, offset) + ", " + Moved(y, offset) +
                    ", s == 0, " + (s.Remainder > 0 ? "false" : "s == " + (full - s.Length)) + ");");
            }

            if (s.Remainder > 0)
            {
                Line(lastSliceKernel(group) + "(" + VectorOps.Ref(x, VectorOps.Number(full)) + ", " + Moved(w, VectorOps.Number(full * s.Stride), offset) + ", " +
                    Moved(b, offset) + ", " + Moved(y, offset) + ", false, true);");
            }
        }

        if (Count == 1)
        {
            Call(Group, "0");
        }
        else if (Count > 1)
        {
            using (writer.Open("for (int g = 0; g < " + Count * Stride + "; g += " + Stride + ")"))
            {
                Call(Group, "g");
            }
        }

        if (LastOffset >= 0)
        {
            Call(LastGroup, VectorOps.Number(LastOffset));
        }
    }

    /// <summary>A ref to <paramref name="r"/> moved by the sum of <paramref name="offsets"/>, leaving out the ones that are "0".</summary>
    private static string Moved(string r, params string[] offsets)
    {
        var terms = offsets.Where(o => o != "0").ToList();
        return terms.Count == 0 ? "ref " + r : VectorOps.Ref(r, string.Join(" + ", terms));
    }

    /// <summary>
    /// Writes the calls of an outer-product kernel (x, d, dw, <paramref name="tail"/>: batch, and
    /// the add flag of a kernel that takes one) for each group: the group offset moves d and dw,
    /// which are indexed by output channel, not x.
    /// </summary>
    public void EmitSumCalls(SourceWriter writer, Func<IReadOnlyList<Chunk>, string> kernel, string x, string d, string dw, string tail = "batch")
    {
        var name = kernel(Group);
        if (Count == 1)
        {
            writer.Line(name + "(ref " + x + ", ref " + d + ", ref " + dw + ", " + tail + ");");
        }
        else if (Count > 1)
        {
            using (writer.Open("for (int g = 0; g < " + Count * Stride + "; g += " + Stride + ")"))
            {
                writer.Line(name + "(ref " + x + ", " + VectorOps.Ref(d, "g") + ", " + VectorOps.Ref(dw, "g") + ", " + tail + ");");
            }
        }

        if (LastOffset >= 0)
        {
            writer.Line(kernel(LastGroup) + "(ref " + x + ", " + VectorOps.Ref(d, LastOffset) + ", " + VectorOps.Ref(dw, LastOffset) + ", " + tail + ");");
        }
    }

    /// <summary>
    /// For groups of one vector: a loop over the channel vectors that writes
    /// <paramref name="body"/> once, with refs to the vector's input and output, plus the
    /// shifted last vector. <paramref name="x"/> and <paramref name="y"/> point at channel 0.
    /// </summary>
    public void EmitChannelLoop(SourceWriter writer, string x, string y, Action<string, string> body)
    {
        if (Count == 1 && LastOffset < 0)
        {
            body(x, y);
            return;
        }

        using (writer.Open("for (int c = 0; c < " + Count * Stride + "; c += " + Stride + ")"))
        {
            writer.Line("ref float xc = ref " + FrameworkNames.Unsafe + ".Add(ref " + x + ", c);");
            writer.Line("ref float yc = ref " + FrameworkNames.Unsafe + ".Add(ref " + y + ", c);");
            body("xc", "yc");
        }

        if (LastOffset >= 0)
        {
            using (writer.Scope())
            {
                writer.Line("ref float xc = ref " + FrameworkNames.Unsafe + ".Add(ref " + x + ", " + LastOffset + ");");
                writer.Line("ref float yc = ref " + FrameworkNames.Unsafe + ".Add(ref " + y + ", " + LastOffset + ");");
                body("xc", "yc");
            }
        }
    }
}

/// <summary>
/// A reduction run in <paramref name="Count"/> slices of <paramref name="Length"/> and, when
/// <paramref name="Remainder"/> is not 0, a last shorter slice; the weights are
/// <paramref name="Stride"/> floats apart per step.
/// </summary>
internal readonly record struct ReductionSlices(int Count, int Length, int Stride, int Remainder);
