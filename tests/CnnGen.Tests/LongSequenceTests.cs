using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;

namespace CnnGen.Tests;

/// <summary>Long one-channel sequences: the looped position-vector kernels against the reference, at every width (Category=Numerics).</summary>
[Trait("Category", "Numerics")]
public class LongSequenceTests
{
    [Fact]
    public void ForwardMatchesTheReference() => ReferenceChecks.ForwardMatchesTheReference(seed => new LongSequenceNet(seed), nameof(LongSequenceNet));

    [Fact]
    public void GradientsMatchCentralDifferences() => ReferenceChecks.GradientsMatchCentralDifferences(seed => new LongSequenceNet(seed), nameof(LongSequenceNet));

    [Fact]
    public void TheGeneratedSourceDoesNotGrowWithTheLength()
    {
        // 1,203 positions against 300,000: the same kernels, a few more digits in the loop bounds.
        static string Source(int length) => Generators.NetworkCompiler.Emit(Generators.NetworkCompiler.AnalyzeAll(
            new Generators.Shapes.NetworkCatalog(Generators.Dsl.DslFile.Parse("n.cnn",
                "network N(input: " + length + "x1) { conv1d(4, 5, padding: same) conv1d(2, 2, padding: same) }").Networks))[0].Model).Source;
        var shortSource = Source(1203);
        var longSource = Source(300000);
        Assert.True(longSource.Length < shortSource.Length * 1.1, $"{shortSource.Length} characters for 1,203 positions, {longSource.Length} for 300,000");
    }
}
