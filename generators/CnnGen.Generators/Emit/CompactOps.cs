namespace CnnGen.Generators.Emit;

/// <summary>
/// The text of operations for the compact kernels of machines without SIMD: plain loops over
/// single floats with constant bounds. Every vector width has a register-blocked variant of
/// its own; this is the path left when none is accelerated.
/// </summary>
internal sealed class CompactOps
{
    public static readonly CompactOps Scalar = new();

    private CompactOps()
    {
    }

    public string Type => "float";

    public string Load(string r, string offset) => FrameworkNames.Unsafe + ".Add(ref " + r + ", " + offset + ")";

    public string Broadcast(string r, string offset) => FrameworkNames.Unsafe + ".Add(ref " + r + ", " + offset + ")";

    public string MultiplyAdd(string a, string b, string c) => a + " * " + b + " + " + c;

    public string Store(string value, string r, string offset) => FrameworkNames.Unsafe + ".Add(ref " + r + ", " + offset + ") = " + value + ";";

    public string Zero => "0f";

    /// <summary>
    /// <paramref name="value"/> * scale + shift for a layer that folds a batch normalisation
    /// (<paramref name="channels"/> output channels, 0 for none): scale and shift of channel
    /// <paramref name="channel"/> after the bias <paramref name="bias"/> (see FusedActivation.Normalized).
    /// </summary>
    public string Normalized(string value, string bias, string channel, int channels) => channels == 0
        ? value
        : MultiplyAdd(value, Load(bias, CompactLoops.Plus(channel, channels)), Load(bias, CompactLoops.Plus(channel, 2 * channels)));

    /// <summary>Rows (output positions or samples) a compact kernel keeps in registers.</summary>
    public int Rows => 1;

    public string Activate(Model.ActivationKind activation, string value) => activation == Model.ActivationKind.LeakyRelu
        ? "(" + value + " > 0f ? " + value + " : " + value + " * " + VectorOps.Float(Plans.ActivationPlan.LeakyReluSlope) + ")"
        : FusedActivation.Text(activation, value, VectorOps.Scalar);

    /// <summary>Opens the loop over the channels; the variable <paramref name="name"/> is the channel.</summary>
    public SourceWriter.Block OpenChannelLoop(SourceWriter writer, string name, int count)
    {
        var block = writer.Open("for (int " + name + "0 = 0; " + name + "0 < " + count + "; " + name + "0 += 1)");
        writer.Line("int " + name + " = " + name + "0;");
        return block;
    }
}
