using CnnGen.Generators.Tests.Infrastructure;

namespace CnnGen.Generators.Tests.Emit;

/// <summary>
/// User types named like the framework types that generated code uses (Vector256, Unsafe,
/// MathF, Span, System...), declared in the network's namespace and nested in the network's
/// class, do not change what the generated names mean: the code still compiles. So do types
/// named like the generated file's namespace aliases (Simd, Cs, K) and like the runtime's
/// vector helpers (V256, Splat). The networks go through every layer family and every vector width.
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
        "Simd", "Cs", "K", "V128", "V256", "V512", "Splat", "AddTo",
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

    [Fact]
    public void TheAliasNamesAreAmongTheCollidingTypes()
    {
        // Guards the tests above: a type named like each alias of the generated file is declared.
        Assert.All(CnnGen.Generators.Emit.FrameworkNames.Aliases, a => Assert.Contains(a.Alias, FrameworkNames));
    }

    /// <summary>The user's global using aliases named like the generated file's, naming other namespaces.</summary>
    private static string GlobalAliases() =>
        string.Join("\n", CnnGen.Generators.Emit.FrameworkNames.Aliases.Select(a => "global using " + a.Alias + " = System.Text;"));

    private const string GlobalNamespaceNetwork = """
        using CnnGen;

        [Network]
        [Input(8, 8, 1)]
        [Conv2D(4, 3, Activation = Activation.Relu)]
        [Flatten]
        [Dense(3)]
        public partial class TopLevel
        {
        }
        """;

    [Fact]
    public void AUserGlobalUsingAliasOfTheSameNameIsHiddenInANamespacedNetwork()
    {
        // The generated aliases are declared inside the file's namespace, a scope nested in the
        // compilation unit's, so they hide the user's global ones instead of conflicting.
        var run = GeneratorHarness.Run(new[] { GlobalAliases(), AttributeNetworks });

        Assert.Empty(run.CnnDiagnostics);
        Assert.Equal(3, run.Sources.Count);
        Assert.True(run.BuildErrors.Count == 0, string.Join("\n", run.BuildErrors.Take(20)));
    }

    [Fact]
    public void AUserGlobalUsingAliasOfTheSameNameConflictsInAGlobalNamespaceNetwork()
    {
        // The documented limitation (docs/generated-code.md): a network in the global namespace has
        // its aliases in the compilation unit, beside the global ones, and the compiler rejects the
        // duplicate name. Without the user's global aliases the same network builds.
        Assert.Empty(GeneratorHarness.Run(GlobalNamespaceNetwork).BuildErrors);

        var run = GeneratorHarness.Run(new[] { GlobalAliases(), GlobalNamespaceNetwork });

        var errors = run.BuildErrors.Select(e => e.Id + " " + Path.GetFileName(e.Location.GetLineSpan().Path) + " " +
            e.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(
            CnnGen.Generators.Emit.FrameworkNames.Aliases.Select(a => "CS1537 TopLevel.g.cs The using alias '" + a.Alias + "' appeared previously in this namespace"),
            errors.Where(e => e.StartsWith("CS1537 ", StringComparison.Ordinal)));

        // The user's alias wins, so the names after Simd::, Cs:: and K:: are then looked up in System.Text;
        // a generic kernel's V, whose constraint K::IVectorOps<T> is then unknown, has no members either.
        Assert.All(errors.Where(e => !e.StartsWith("CS1537 ", StringComparison.Ordinal) &&
                !e.StartsWith("CS0704 TopLevel.g.cs Cannot do non-virtual member lookup in 'V' because it is a type parameter", StringComparison.Ordinal)),
            e => Assert.True(System.Text.RegularExpressions.Regex.IsMatch(e,
                @"^CS0234 TopLevel\.g\.cs The type or namespace name '[\w<>]+' does not exist in the namespace 'System\.Text' "), e));
    }
}
