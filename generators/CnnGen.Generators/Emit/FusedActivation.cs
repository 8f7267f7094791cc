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
        ActivationKind.Relu => ops.Max(value, ops.Zero),
        ActivationKind.LeakyRelu => ops.Max(value, value + " * " + VectorOps.Float(ActivationPlan.LeakyReluSlope)),
        ActivationKind.Relu6 => Relu6(value, ops),
        ActivationKind.HardSigmoid => "(" + Relu6(value + " + " + ops.Constant(3f), ops) + " / " + ops.Constant(6f) + ")",
        _ => value,
    };

    /// <summary>min(max(x, 0), 6).</summary>
    private static string Relu6(string value, VectorOps ops) => ops.Min(ops.Max(value, ops.Zero), ops.Constant(6f));
}
