using CnnGen.Generators.Tests.Infrastructure;

namespace CnnGen.Generators.Tests.Emit;

/// <summary>
/// User types named like the framework types that generated code uses (Vector256, Unsafe,
/// MathF, Span, System...), declared in the network's namespace and nested in the network's
/// class, do not change what the generated names mean: the code still compiles. The networks
/// go through every layer family and every vector width.
/// </summary>
public class NameCollisionTests
{
    /// <summary>The names the generated code uses (and a few it might), each as an empty class.</summary>
    private static readonly string[] FrameworkNames =
    {
        "Vector", "Vector64", "Vector128", "Vector256", "Vector512", "Unsafe", "MemoryMarshal", "Math", "MathF", "Span", "ReadOnlySpan",
        "Avx", "Avx2", "Avx512F", "Fma", "Sse", "Sse41", "AdvSimd", "X86", "Arm", "Intrinsics", "Runtime", "CompilerServices",
        "InteropServices", "Numerics", "System", "Debug", "Parallel", "ArgumentException", "ArgumentOutOfRangeException",
        "InvalidOperationException", "Random", "MethodImpl", "MethodImplAttribute", "MethodImplOptions", "GeneratedCode",
        "GeneratedCodeAttribute", "CodeDom", "Compiler", "BitConverter", "Buffer", "Array", "Int32", "Single", "Object", "String",
        "IntPtr", "Exception", "CnnGen", "INetwork", "Workspace", "Kernels", "Guard", "LayerParameters", "NetworkArchitecture",
    };

    private static string Declarations(string indent) =>
        string.Join("\n", FrameworkNames.Select(name => indent + "public class " + name + " { }"));

    internal static readonly string AttributeNetworks = $$"""
        using CnnGen;

        namespace Collide
        {
        {{Declarations("    ")}}

            // Position-vectorised first layer (one input channel, few filters), blocked convolutions,
            // depthwise, pooling with padding, merges, global pooling, flatten, dense and softmax.
            [Network]
            [Input(20, 20, 1)]
            [Conv2D(6, 3, Padding = Padding.Same, Activation = Activation.Relu, Name = "stem")]
            [Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.Relu)]
            [DepthwiseConv2D(3, DepthMultiplier = 2, Padding = Padding.Same, Activation = Activation.Relu)]
            [Conv2D(6, 1, From = "stem", Name = "shortcut")]
            [Conv2D(6, 1, From = "depthwise_conv2d_1", Name = "squeeze")]
            [Add("squeeze", "shortcut", Activation = Activation.Relu)]
            [Concatenate("add_1", "stem")]
            [MaxPool2D(2, Pads = new[] { 0, 1, 0, 1 }, CeilMode = true)]
            [AvgPool2D(2, Padding = Padding.Same)]
            [Conv2D(24, 2, Activation = Activation.Tanh)]
            [GlobalAvgPool(Name = "pooled")]
            [Dense(24, Activation = Activation.Sigmoid)]
            [Multiply("pooled", "dense_1")]
            [Dense(10, Activation = Activation.Softmax)]
            public partial class Net
            {
        {{Declarations("        ")}}
            }

            [Network(DataFormat = DataFormat.ChannelsFirst)]
            [Input(3, 40)]
            [Conv1D(8, 5, Padding = Padding.Causal, Dilation = 2, Activation = Activation.Elu)]
            [DepthwiseConv1D(3, DepthMultiplier = 3, Stride = 2, Activation = Activation.Silu)]
            [MaxPool1D(2)]
            [AvgPool1D(3, Stride = 2, Padding = Padding.Same)]
            [Conv1D(5, 3, Padding = Padding.Same, Activation = Activation.LeakyRelu)]
            [GlobalMaxPool]
            [Dense(3)]
            public partial class Signal
            {
        {{Declarations("        ")}}
            }

            [Network]
            [Input(6, 6, 3)]
            [Conv2D(5, 3, Activation = Activation.Relu)]
            [Flatten]
            [Dense(2)]
            public partial class Flat
            {
        {{Declarations("        ")}}
            }
        }
        """;

    internal const string CnnFile = """
        namespace Collide.Dsl;

        network Digits(input: 12x12x1) {
            conv2d(4, kernel: 3, padding: same, activation: relu)
            max_pool2d(2)
            conv2d(8, kernel: 3, activation: relu)
            flatten()
            dense(10, activation: softmax)
        }
        """;

    internal static readonly string CnnCompanion = $$"""
        namespace Collide.Dsl
        {
        {{Declarations("    ")}}

            public partial class Digits
            {
        {{Declarations("        ")}}
            }
        }
        """;

    [Fact]
    public void FrameworkNamesInTheNamespaceAndNestedInTheClassDoNotBreakAttributeNetworks()
    {
        var run = GeneratorHarness.Run(AttributeNetworks);

        Assert.Empty(run.CnnDiagnostics);
        Assert.Equal(new[] { "Collide.Flat.g.cs", "Collide.Net.g.cs", "Collide.Signal.g.cs" }, run.Sources.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.True(run.BuildErrors.Count == 0, string.Join("\n", run.BuildErrors.Take(20)));
    }

    [Fact]
    public void FrameworkNamesInTheNamespaceAndNestedInTheClassDoNotBreakACnnFileNetwork()
    {
        var run = GeneratorHarness.Run(CnnCompanion, ("nets/digits.cnn", CnnFile));

        Assert.Empty(run.CnnDiagnostics);
        Assert.Equal(new[] { "Collide.Dsl.Digits.g.cs" }, run.Sources.Keys);
        Assert.True(run.BuildErrors.Count == 0, string.Join("\n", run.BuildErrors.Take(20)));
    }

    [Fact]
    public void TheCollisionNetworksUseEveryWidthAndEveryLayerFamily()
    {
        // Guards the test above: the networks must reach the code paths they are meant to cover.
        var sources = GeneratorHarness.Run(AttributeNetworks).Sources.Values.ToList();
        var text = string.Join("\n", sources);
        foreach (var word in new[] { "Vector512", "Vector256", "Vector128", "Scalar(", "_Positions", "_Interleave", "Depthwise", "MaxPool", "AvgPool",
            "Add1", "Concatenate1", "Multiply1", "GlobalAvgPool", "GlobalMaxPool", "Flatten", "Dense1", "Softmax" })
        {
            Assert.Contains(word, text, StringComparison.Ordinal);
        }
    }
}
