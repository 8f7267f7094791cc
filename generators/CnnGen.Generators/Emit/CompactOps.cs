namespace CnnGen.Generators.Emit;

/// <summary>
/// The text of operations for the compact kernels: plain loops whose channel step is a
/// vector of <see cref="System.Numerics.Vector{T}"/> (256 bits with AVX2, 128 with SSE or
/// Arm64 AdvSimd; the JIT knows the width) or a single float. The fallback paths of
/// machines without AVX-512, and of machines without SIMD, are written once with them.
/// </summary>
internal sealed class CompactOps
{
    public static readonly CompactOps Vector = new(isVector: true);
    public static readonly CompactOps Scalar = new(isVector: false);

    private CompactOps(bool isVector) => IsVector = isVector;

    public bool IsVector { get; }

    public string Type => IsVector ? "Vector<float>" : "float";

    /// <summary>Floats per step: a JIT-time constant for vectors.</summary>
    public string Width => IsVector ? "Vector<float>.Count" : "1";

    public string Load(string r, string offset) =>
        IsVector ? "Vector.LoadUnsafe(ref " + r + ", (nuint)(" + offset + "))" : "Unsafe.Add(ref " + r + ", " + offset + ")";

    public string Broadcast(string r, string offset) =>
        IsVector ? "new Vector<float>(Unsafe.Add(ref " + r + ", " + offset + "))" : "Unsafe.Add(ref " + r + ", " + offset + ")";

    public string MultiplyAdd(string a, string b, string c) => IsVector ? "Vector.FusedMultiplyAdd(" + a + ", " + b + ", " + c + ")" : a + " * " + b + " + " + c;

    public string Store(string value, string r, string offset) =>
        IsVector ? "(" + value + ").StoreUnsafe(ref " + r + ", (nuint)(" + offset + "));" : "Unsafe.Add(ref " + r + ", " + offset + ") = " + value + ";";

    public string Zero => IsVector ? "Vector<float>.Zero" : "0f";

    /// <summary>Rows (output positions or samples) a compact kernel keeps in registers.</summary>
    public int Rows => IsVector ? 4 : 1;

    public string Activate(Model.ActivationKind activation, string value) => activation switch
    {
        Model.ActivationKind.Relu => IsVector ? "Vector.Max(" + value + ", Vector<float>.Zero)" : "global::System.MathF.Max(" + value + ", 0f)",
        Model.ActivationKind.LeakyRelu => IsVector
            ? "Vector.Max(" + value + ", " + value + " * " + VectorOps.Float(Plans.ActivationPlan.LeakyReluSlope) + ")"
            : "(" + value + " > 0f ? " + value + " : " + value + " * " + VectorOps.Float(Plans.ActivationPlan.LeakyReluSlope) + ")",
        _ => value,
    };

    /// <summary>
    /// Opens the loop over channel steps of <paramref name="count"/> channels; the variable
    /// <paramref name="name"/> is the first channel of the step. Vector steps that do not fit
    /// at the end shift back to end at the last channel (they overlap the step before), so
    /// callers whose results are stored, not added, need no tail; vectors need count >= width.
    /// </summary>
    public SourceWriter.Block OpenChannelLoop(SourceWriter writer, string name, int count)
    {
        var block = writer.Open("for (int " + name + "0 = 0; " + name + "0 < " + count + "; " + name + "0 += " + Width + ")");
        writer.Line(IsVector
            ? "int " + name + " = global::System.Math.Min(" + name + "0, " + count + " - Vector<float>.Count);"
            : "int " + name + " = " + name + "0;");
        return block;
    }
}
