using CnnGen.Generators.Tests.Infrastructure;

namespace CnnGen.Generators.Tests.Emit;

/// <summary>
/// Which batch normalisations and activations fold into the layer before them in inference, and
/// the code the fold adds: a variant of the producer that scales, shifts and activates in its
/// stores and writes the group's last tensor, guarded by the fold flag; Backward recomputes unfolded.
/// </summary>
public class InferenceFoldEmitTests
{
    private const string Declaration = """
        using CnnGen;

        namespace Zoo;

        [Network]
        [Input(8, 8, 16)]
        [Conv2D(16, 3, Padding = Padding.Same, UseBias = false)]
        [BatchNormalization]
        [Activation(Activation.Relu)]
        [Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.Relu, Name = "activated")]
        [BatchNormalization(Name = "after_relu")]
        [Conv2D(16, 1, Name = "shared")]
        [BatchNormalization(Name = "reads_shared")]
        [Add("reads_shared", "shared")]
        [Flatten]
        [Dense(10)]
        public partial class Folding;
        """;

    [Fact]
    public void ConvBnReluFoldsAndTheOthersDoNot()
    {
        var source = GeneratorHarness.Run(Declaration).Sources["Zoo.Folding.g.cs"];

        // conv2d_1, batch_norm_1 and activation_1: one fold, written into activation_1's output.
        Assert.Contains("// Inference: batch_norm_1 and activation_1 folded into the stores of conv2d_1, which writes activation_1's output.", source);
        Assert.Contains("K::NormalizationKernels.Fold(", source);
        Assert.Contains("Conv2d1FoldedForward(ref Cs::Unsafe.Add(ref p, 0), ref scratch, ref t0, ref t3, batch);", source);
        Assert.Contains("private static void Conv2d1FoldedForwardV512", source);
        Assert.Contains("// conv2d_1: 8x8x16 -> 8x8x16, kernel 3x3, stride 1, same (pad top 1, bottom 1, left 1, right 1), no bias, batch norm folded in (sum * scale + shift per channel), relu", source);
        // The variant scales and shifts (after the bias, 16 channels) before its relu.
        Assert.Contains("K::V512.Fma(a0_0, K::V512.Load(ref b, 16), K::V512.Load(ref b, 32))", source);

        // A producer with its own activation, and one whose output another layer reads too, keep their normalisation.
        Assert.DoesNotContain("ActivatedFolded", source);
        Assert.DoesNotContain("SharedFolded", source);

        // Backward after a folded inference Forward runs the layers again, unfolded.
        Assert.Contains("if (workspace.Folded)", source);
        Assert.Contains("ForwardLayers(ref p, ref s, ref ws, workspace.BatchCapacity, batch, 0, false, false);", source);
    }

    private const string ActivationDeclaration = """
        using CnnGen;

        namespace Zoo;

        [Network]
        [Input(8, 8, 16)]
        [Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.HardSwish)]
        [DepthwiseConv2D(3, Padding = Padding.Same)]
        [Activation(Activation.Gelu)]
        [DepthwiseConv2D(3, Padding = Padding.Same, Activation = Activation.Silu)]
        [Conv2D(16, 1, Activation = Activation.Gelu, Name = "gelu_conv")]
        [Conv2D(16, 1, Activation = Activation.Tanh, Name = "tanh_conv")]
        [Conv2D(16, 1, Name = "before_sigmoid")]
        [Activation(Activation.Sigmoid)]
        [Flatten]
        [Dense(10, Activation = Activation.Silu)]
        public partial class Activations;
        """;

    [Fact]
    public void HardSwishGeluAndSiluApplyInTheStoresInInference()
    {
        var source = GeneratorHarness.Run(ActivationDeclaration).Sources["Zoo.Activations.g.cs"];

        // A layer's own hard swish: a variant that writes the output, no pre-activation; training keeps the pass.
        Assert.Contains("// Inference: its hard_swish applied in the stores of conv2d_1, with no pre-activation.", source);
        Assert.Contains("Conv2d1FusedForward(ref Cs::Unsafe.Add(ref p, 0), ref Cs::Unsafe.Add(ref p, 2304), ref t0, ref t1, batch);", source);
        Assert.Contains("// conv2d_1: 8x8x16 -> 8x8x16, kernel 3x3, stride 1, same (pad top 1, bottom 1, left 1, right 1), hard_swish in the stores (inference)", source);
        Assert.Contains("K::InferenceActivations.HardSwish(", source);
        Assert.Contains("Conv2d1Activate(ref z1, ref t1, batch);", source);

        // Depthwise convolutions (memory-bound) take gelu and silu too: an activation layer after a linear one, and one's own silu.
        Assert.Contains("// Inference: activation_1 folded into the stores of depthwise_conv2d_1, which writes activation_1's output.", source);
        Assert.Contains("K::InferenceActivations.Gelu(", source);
        Assert.Contains("// Inference: its silu applied in the stores of depthwise_conv2d_2, with no pre-activation.", source);
        Assert.Contains("K::InferenceActivations.Silu(", source);

        // Gelu and silu stay passes in register-blocked convolutions and dense layers, tanh and sigmoid everywhere.
        Assert.DoesNotContain("GeluConvFused", source);
        Assert.DoesNotContain("Dense1Fused", source);
        Assert.DoesNotContain("TanhConvFused", source);
        Assert.DoesNotContain("BeforeSigmoidFused", source);

        // No training mode: the fold flag is !training all the same, and Backward after an inference Forward recomputes.
        Assert.Contains("private static void ForwardLayers(ref float p, ref float ws, int capacity, int batch, int first, bool fold)", source);
        Assert.Contains("ForwardLayers(ref p, ref ws, workspace.BatchCapacity, global::System.Math.Min(block, batch - n0), n0, !training);", source);
        Assert.Contains("ForwardLayers(ref p, ref ws, workspace.BatchCapacity, batch, 0, false);", source);
    }

    [Fact]
    public void ATransposedConvolutionFoldsIntoItsPassAfterItsRepackedKernel()
    {
        var source = GeneratorHarness.Run("""
            using CnnGen;

            namespace Zoo;

            [Network]
            [Input(4, 4, 8)]
            [Conv2DTranspose(6, 3, Stride = 2, Padding = Padding.Same)]
            [BatchNormalization]
            [Activation(Activation.Relu)]
            [Conv2DTranspose(4, 2, Stride = 2, Activation = Activation.HardSwish, Name = "own")]
            [Flatten]
            [Dense(2)]
            public partial class Generator;
            """).Sources["Zoo.Generator.g.cs"];

        // The bias, scales and shifts go after the repacked 3x3x6x8 kernel (432 floats) in the scratch.
        Assert.Contains("// Inference: batch_norm_1 and activation_1 folded into the pass after the sums of conv2d_transpose_1, which writes activation_1's output.", source);
        Assert.Contains("Conv2dTranspose1StartSums(ref Cs::Unsafe.Add(ref scratch, 432), ref z1, batch);", source);
        Assert.Contains("Conv2dTranspose1FoldedActivate(ref z1, ref Cs::Unsafe.Add(ref scratch, 432), ref t3, batch);", source);
        Assert.Contains("K::NormalizationKernels.ScaleShift(ref z, ", source);
        Assert.Contains("ref Cs::Unsafe.Add(ref b, 6), batch, 8, 6);", source);

        // Its own hard swish is a pass from its sums in both modes: nothing to fold.
        Assert.DoesNotContain("OwnFused", source);
    }
}
