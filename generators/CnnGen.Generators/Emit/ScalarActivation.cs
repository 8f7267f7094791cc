using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit;

/// <summary>Scalar text of the activations fused into stores.</summary>
internal static class ScalarActivation
{
    public static string Fused(ActivationKind activation, string value) => activation switch
    {
        ActivationKind.Relu => "global::System.MathF.Max(" + value + ", 0f)",
        ActivationKind.LeakyRelu => "(" + value + " > 0f ? " + value + " : " + value + " * " + VectorOps.Float(ActivationPlan.LeakyReluSlope) + ")",
        _ => value,
    };
}
