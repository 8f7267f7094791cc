using CnnGen.Tests.Networks;

namespace CnnGen.Tests;

/// <summary>Initialisers over whole networks, including layers without parameters.</summary>
public class InitializerTests
{
    [Fact]
    public void GlorotUniformOverANetworkRespectsEachLayersLimitAndZeroesBiases()
    {
        var network = new LeNet5(seed: 1);
        network.Parameters.Fill(5f);
        Initializers.GlorotUniform(network, new SeededRandom(3));
        foreach (var layer in LeNet5.Architecture.Layers.Where(l => l.ParameterCount > 0))
        {
            var limit = Math.Sqrt(6.0 / (layer.FanIn + layer.FanOut));
            var kernel = network.Parameters.Slice(layer.ParameterOffset, layer.KernelLength).ToArray();
            Assert.All(kernel, w => Assert.InRange(Math.Abs(w), 0, limit));
            Assert.True(kernel.Max() > limit * 0.9, $"{layer.Name}: the weights do not spread over the range.");
            Assert.All(network.Parameters.Slice(layer.ParameterOffset + layer.KernelLength, layer.BiasLength).ToArray(), b => Assert.Equal(0f, b));
        }
    }

    [Fact]
    public void HeNormalOverANetworkHasTheKerasSpread()
    {
        var network = new WideDenseNet(seed: 1);
        Initializers.HeNormal(network, new SeededRandom(4));
        var layer = WideDenseNet.Architecture.Layers[0];
        var kernel = network.Parameters.Slice(layer.ParameterOffset, layer.KernelLength).ToArray();
        var deviation = Math.Sqrt(kernel.Select(w => (double)w * w).Average());
        // Truncated at 2 sigma and rescaled: the standard deviation is sqrt(2 / fanIn).
        Assert.Equal(Math.Sqrt(2.0 / layer.FanIn), deviation, 3);
        Assert.All(kernel, w => Assert.InRange(Math.Abs(w), 0, 2 * Math.Sqrt(2.0 / layer.FanIn) / 0.8796256610342398 + 1e-6));
    }
}
