using System.Reflection;
using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;

namespace CnnGen.Tests;

/// <summary>
/// docs/generated-code.md ("The unrolling budget"): no generated method may pass half of any RyuJIT MinOpts limit
/// (60,000 IL bytes, 20,000 IL instructions, 2,000 basic blocks, 2,000 locals, 8,000
/// local/argument references), or it is compiled without optimisation.
/// </summary>
public class GeneratedCodeLimitsTests
{
    public static TheoryData<Type> NetworkTypes => new()
    {
        typeof(DigitNet), typeof(LeNet5), typeof(DigitNetChannelsFirst), typeof(SignalNet), typeof(LargeConvLayer), typeof(Conv1DNet), typeof(WideDenseNet),
    };

    [Theory]
    [MemberData(nameof(NetworkTypes))]
    public void EveryGeneratedMethodStaysUnderHalfOfEveryJitLimit(Type network) => AssertWithinLimits(network);

    [Fact]
    public void RandomNetworksStayUnderHalfOfEveryJitLimit()
    {
        var declarations = RandomNetworks.Create(40, seed: 77, prefix: "IlNet");
        var compiled = CompiledNetworks.Compile(declarations.Select(d => d.Source).ToArray());
        foreach (var declaration in declarations)
        {
            AssertWithinLimits(compiled.Create(declaration.ClassName).GetType());
        }
    }

    internal static void AssertWithinLimits(Type network)
    {
        var methods = network.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .Where(m => m.GetMethodBody() is not null)
            .ToList();
        Assert.NotEmpty(methods);
        foreach (var counts in methods.Select(IlInspector.Inspect))
        {
            Assert.True(counts.IlBytes <= 30_000, $"{counts.Method}: {counts.IlBytes} IL bytes (limit 60,000).");
            Assert.True(counts.Instructions <= 10_000, $"{counts.Method}: {counts.Instructions} IL instructions (limit 20,000).");
            Assert.True(counts.BasicBlocks <= 1_000, $"{counts.Method}: {counts.BasicBlocks} basic blocks (limit 2,000).");
            Assert.True(counts.Locals <= 1_000, $"{counts.Method}: {counts.Locals} locals (limit 2,000).");
            Assert.True(counts.LocalReferences <= 4_000, $"{counts.Method}: {counts.LocalReferences} local/argument references (limit 8,000).");
        }
    }
}
