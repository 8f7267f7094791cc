using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit;

/// <summary>
/// The text of an activation applied in registers just before a store (see
/// <see cref="ActivationPlan.IsFused"/>): the same operations, in the same order, as the
/// runtime's activation pass, so fused and separate paths give the same floats.
/// </summary>
internal static class FusedActivation
{
    /// <summary>activation(<paramref name="value"/>) at the width of <paramref name="ops"/> (scalar included).</summary>
    public static string Text(ActivationKind activation, string value, VectorOps ops) => activation switch
    {
        ActivationKind.Relu => ops.Relu(value),
        ActivationKind.LeakyRelu => ops.Max(value, value + " * " + VectorOps.Float(ActivationPlan.LeakyReluSlope)),
        ActivationKind.Relu6 => ops.Relu6(value),
        ActivationKind.HardSigmoid => "(" + ops.Relu6(value + " + " + ops.Constant(3f)) + " / " + ops.Constant(6f) + ")",
        // Inference variants only (ActivationPlan.IsFusedInInference): the runtime's functions, one overload per width.
        ActivationKind.HardSwish or ActivationKind.Gelu or ActivationKind.Silu => InferenceActivations + "." + activation + "(" + value + ")",
        _ => value,
    };

    /// <summary>
    /// <paramref name="value"/> * scale + shift for a layer that folds a batch normalisation
    /// (<see cref="LayerModel.FoldsNormalization"/>; <paramref name="channels"/> is its output
    /// channels, 0 when it folds none): the scales and shifts sit after the bias, at
    /// b + channels and b + 2 channels, at the value's channel offset (<paramref name="bias"/> names
    /// the ref to the bias of the value's first channel where a loop moves it).
    /// </summary>
    public static string Normalized(string value, VectorOps ops, int channels, int channelOffset, string bias = "b") => channels == 0
        ? value
        : ops.MultiplyAdd(value, ops.Load(bias, channels + channelOffset), ops.Load(bias, 2 * channels + channelOffset));

    /// <summary><see cref="Normalized(string, VectorOps, int, int)"/> with one scale and shift broadcast over the vector (a filter of position vectors).</summary>
    public static string NormalizedBroadcast(string value, VectorOps ops, int channels, int channel) => channels == 0
        ? value
        : ops.MultiplyAdd(value, ops.Broadcast("b", channels + channel), ops.Broadcast("b", 2 * channels + channel));

    /// <summary>The number of output channels whose scales and shifts a layer's stores apply: 0 unless it folds a batch normalisation.</summary>
    public static int FoldedChannels(LayerModel layer) => layer.FoldsNormalization ? layer.Output.Channels : 0;

    private const string InferenceActivations = FrameworkNames.Kernels + "InferenceActivations";
}
