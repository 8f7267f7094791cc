using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Reference;

namespace CnnGen.Tests;

/// <summary>Many random layer configurations, generated and compiled at test time, against the naive reference.</summary>
public class ForwardSweepTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomConfigurationsMatchTheReference(int sweep) => Sweep(sweep);

    /// <summary>The first sweep, run again on every SIMD path by <see cref="SimdPathTests"/>.</summary>
    [Fact]
    [Trait("Category", "Numerics")]
    public void RandomConfigurationsMatchTheReferenceOnThisPath() => Sweep(1);

    private static void Sweep(int sweep)
    {
        var declarations = RandomNetworks.Create(60, seed: 1000 + sweep, prefix: "Sweep" + sweep + "Net");
        var compiled = CompiledNetworks.Compile(declarations.Select(d => d.Source).ToArray());
        foreach (var declaration in declarations)
        {
            var network = compiled.Create(declaration.ClassName, seed: 5);
            ForwardTests.RandomizeBiases(network, seed: 9);
            foreach (var batch in new[] { 1, 3 })
            {
                var input = Numerics.Random(batch * network.InputSize, seed: batch);
                var output = new float[batch * network.OutputSize];
                network.Forward(input, output, batch);
                for (var n = 0; n < batch; n++)
                {
                    var expected = ReferenceNetwork.Forward(network.Architecture, network.Parameters, input.AsSpan(n * network.InputSize, network.InputSize));
                    Numerics.AssertClose(expected, output.AsSpan(n * network.OutputSize, network.OutputSize),
                        $"{declaration.ClassName} (batch {batch}, sample {n})\n{declaration.Source}");
                }
            }
        }
    }
}
