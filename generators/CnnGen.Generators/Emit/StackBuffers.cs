namespace CnnGen.Generators.Emit;

/// <summary>
/// Scratch on the stack that vector kernels read: allocated a cache line longer and read from its
/// first 64-byte boundary (the runtime's AlignedMemory), since the stack gives 16-byte alignment
/// and a vector load across two cache lines costs two. Measured on an Intel Xeon with AVX-512: a
/// 56x56x64 3x3 layer whose packed slice lay misaligned took 1.58 ms instead of 1.47, in three
/// processes of four, by where the stack began.
/// </summary>
internal static class StackBuffers
{
    /// <summary>
    /// Declares <paramref name="span"/>, a zeroed stack buffer of at least <paramref name="floats"/>
    /// floats, and <paramref name="reference"/>, its aligned start, from which <paramref name="floats"/> floats are its own.
    /// </summary>
    public static void Declare(SourceWriter writer, string span, string reference, string floats)
    {
        writer.Line("global::System.Span<float> " + span + " = stackalloc float[" + floats + " + " + FrameworkNames.Kernels + "AlignedMemory.SlackFloats];");
        writer.Line("ref float " + reference + " = ref " + FrameworkNames.Kernels + "AlignedMemory.Start(ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(" + span + "));");
    }

    /// <inheritdoc cref="Declare(SourceWriter, string, string, string)"/>
    public static void Declare(SourceWriter writer, string span, string reference, int floats) =>
        Declare(writer, span, reference, VectorOps.Number(floats));
}
