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

    [Theory]
    [MemberData(nameof(ForwardTests.Networks), MemberType = typeof(ForwardTests))]
    public void ASecondBackwardOverwritesTheGradientsInsteadOfAddingToThem(string name)
    {
        const int batch = 3;
        var network = ForwardTests.Create(name, seed: 5);
        var input = Numerics.Random(batch * network.InputSize, seed: 6);
        var outputGradient = Numerics.Random(batch * network.OutputSize, seed: 7);
        network.Forward(input, new float[batch * network.OutputSize], batch);
        network.Backward(outputGradient, Span<float>.Empty);
        var first = network.Gradients.ToArray();
        Assert.Contains(first, g => g != 0);

        network.Backward(outputGradient, Span<float>.Empty);
        Assert.Equal(first, network.Gradients.ToArray());
    }
}
