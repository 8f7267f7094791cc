using CnnGen.Generators.Tests.Infrastructure;

namespace CnnGen.Generators.Tests.Emit;

/// <summary>
/// Relu6 and hard sigmoid are applied in registers before the store, like relu: no pre-activation
/// tensor and no Activate pass; hard swish still runs as a pass (its derivative needs z).
/// </summary>
public class FusedActivationEmitTests
{
    private const string Declaration = """
        using CnnGen;

        namespace Zoo;

        [Network]
        [Input(12, 12, 8)]
        [Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.Relu6)]
        [DepthwiseConv2D(3, Padding = Padding.Same, Activation = Activation.HardSigmoid)]
        [Conv2D(16, 1, Activation = Activation.HardSwish)]
        [Flatten]
        [Dense(10, Activation = Activation.Relu6)]
        public partial class Mobile;
        """;

    [Fact]
    public void Relu6AndHardSigmoidAreAppliedInRegisters()
    {
        var source = GeneratorHarness.Run(Declaration).Sources["Zoo.Mobile.g.cs"];

        // relu6 at every width and in the scalar path: min(max(a, 0), 6).
        Assert.Contains("K::V512.Relu6(a0_0)", source);
        Assert.Contains("K::V256.Relu6(a0_0)", source);
        Assert.Contains("K::V128.Relu6(a0_0)", source);
        Assert.Contains("global::System.MathF.Min(global::System.MathF.Max(", source);
        // hard sigmoid: relu6(a + 3) / 6, as the runtime's pass computes it.
        Assert.Contains("(K::V512.Relu6(a0_0 + K::V512.Splat(3f)) / K::V512.Splat(6f))", source);

        // Only the hard swish layer has an activation pass and a pre-activation tensor.
        Assert.Contains("Conv2d2Activate(ref", source);
        Assert.DoesNotContain("Conv2d1Activate(", source);
        Assert.DoesNotContain("DepthwiseConv2d1Activate(", source);
        Assert.DoesNotContain("Dense1Activate(", source);
    }
}
