using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit.Plans;

/// <summary>Which activations are fused into a layer's store and which run as a separate pass.</summary>
internal static class ActivationPlan
{
    /// <summary>Linear, relu and leaky relu cost one vector operation, so they are applied in registers.</summary>
    public static bool IsFused(ActivationKind activation) =>
        activation is ActivationKind.Linear or ActivationKind.Relu or ActivationKind.LeakyRelu;

    public const float LeakyReluSlope = 0.3f;
}
