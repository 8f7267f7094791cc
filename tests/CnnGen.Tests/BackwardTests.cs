using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;

namespace CnnGen.Tests;

[Trait("Category", "Numerics")]
public class BackwardTests
{
    [Theory]
    [MemberData(nameof(ForwardTests.Networks), MemberType = typeof(ForwardTests))]
    public void GradientsMatchCentralDifferences(string name)
    {
        foreach (var batch in new[] { 1, 3 })
        {
            var network = ForwardTests.Create(name, seed: 21);
            ForwardTests.RandomizeBiases(network, seed: 4);
            GradientCheck.Run(network, batch, seed: 100 + batch, what: $"{name} batch {batch}");
        }
    }
}
