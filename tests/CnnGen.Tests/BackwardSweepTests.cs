using CnnGen.Tests.Infrastructure;

namespace CnnGen.Tests;

/// <summary>Gradients of many random layer configurations against central differences on the double reference.</summary>
public class BackwardSweepTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomConfigurationsHaveExactGradients(int sweep) => Sweep(sweep);

    /// <summary>The first sweep, run again on every SIMD path by <see cref="SimdPathTests"/>.</summary>
    [Fact]
    [Trait("Category", "Numerics")]
    public void RandomConfigurationsHaveExactGradientsOnThisPath() => Sweep(1);

    private static void Sweep(int sweep)
    {
        var declarations = RandomNetworks.Create(40, seed: 2000 + sweep, prefix: "Grad" + sweep + "Net");
        var compiled = CompiledNetworks.Compile(declarations.Select(d => d.Source).ToArray());
        foreach (var declaration in declarations)
        {
            var network = compiled.Create(declaration.ClassName, seed: 6);
            ForwardTests.RandomizeBiases(network, seed: 8);
            GradientCheck.Run(network, batch: 2, seed: sweep, what: declaration.ClassName + "\n" + declaration.Source, parametersPerLayer: 24, inputsChecked: 24);
        }
    }
}
