using CnnGen.Generators.Layers;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit.Plans;

/// <summary>Which activations are fused into a layer's store and which run as a separate pass.</summary>
internal static class ActivationPlan
{
    /// <summary>
    /// Linear, relu, leaky relu, relu6 and hard sigmoid cost one to four vector operations and
    /// their derivatives can be read from the output, so they are applied in registers before
    /// the store. The others run as a separate pass from a pre-activation tensor: hard swish
    /// and gelu need the pre-activation for their derivatives; the exponentials of sigmoid,
    /// tanh, elu, softplus, silu and softmax would slow the micro-kernels' stores.
    /// </summary>
    public static bool IsFused(ActivationKind activation) =>
        activation is ActivationKind.Linear or ActivationKind.Relu or ActivationKind.LeakyRelu or ActivationKind.Relu6 or ActivationKind.HardSigmoid;

    /// <summary>
    /// The activations an inference-mode variant of <paramref name="producer"/> applies in its
    /// stores (see InferenceFold): the fused ones and hard swish, whose training pass keeps the
    /// pre-activation only for the derivative, and gelu and silu where the family says a pass
    /// costs more (<see cref="LayerFamily.AppliesCostlyActivationsInStores"/>).
    /// </summary>
    public static bool IsFusedInInference(LayerModel producer, ActivationKind activation) =>
        IsFused(activation) || activation == ActivationKind.HardSwish ||
        (activation is ActivationKind.Gelu or ActivationKind.Silu && LayerFamilies.Of(producer).AppliesCostlyActivationsInStores(producer));

    public const float LeakyReluSlope = 0.3f;
}
