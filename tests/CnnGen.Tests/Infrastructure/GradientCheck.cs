using CnnGen.Tests.Reference;

namespace CnnGen.Tests.Infrastructure;

/// <summary>
/// Runs Forward and Backward on a network and compares every input gradient and a sample of
/// parameter gradients (all of them for small layers) with central differences on the
/// double reference.
/// </summary>
internal static class GradientCheck
{
    public static void Run(INetwork network, int batch, int seed, string what, int parametersPerLayer = 64, int inputsChecked = 64)
    {
        var input = Numerics.Random(batch * network.InputSize, seed);
        var output = new float[batch * network.OutputSize];
        var outputGradient = Numerics.Random(batch * network.OutputSize, seed + 1);
        var inputGradient = new float[input.Length];
        network.Forward(input, output, batch);
        network.Backward(outputGradient, inputGradient);

        var architecture = network.Architecture;
        var parameters = network.Parameters.ToArray().Select(v => (double)v).ToArray();
        var inputs = input.Select(v => (double)v).ToArray();
        // The moving statistics of batch normalisations (inference mode) as the network holds them.
        var state = network.State.IsEmpty ? null : network.State.ToArray().Select(v => (double)v).ToArray();
        double Loss() => FiniteDifferences.Loss(architecture, parameters, inputs, batch, outputGradient, state);

        var random = new SeededRandom(seed + 2);
        foreach (var layer in architecture.Layers.Where(l => l.ParameterCount > 0))
        {
            var indices = Enumerable.Range(layer.ParameterOffset, layer.ParameterCount).ToArray();
            random.Shuffle(indices.AsSpan());
            foreach (var index in indices.Take(parametersPerLayer))
            {
                var expected = FiniteDifferences.Derivative(Loss, parameters, index);
                AssertClose(expected, network.Gradients[index], $"{what}: dL/d(parameter {index}) in {layer.Name}");
            }
        }

        var inputIndices = Enumerable.Range(0, inputs.Length).ToArray();
        random.Shuffle(inputIndices.AsSpan());
        foreach (var index in inputIndices.Take(inputsChecked))
        {
            var expected = FiniteDifferences.Derivative(Loss, inputs, index);
            AssertClose(expected, inputGradient[index], $"{what}: dL/d(input {index})");
        }
    }

    /// <summary>
    /// Float gradients against double central differences: 1e-4 relative, 1e-5 absolute. The
    /// float kernels round each product (about 6e-8 relative) and sum hundreds of terms; the
    /// PyTorch comparison holds the tighter 1e-5.
    /// </summary>
    private static void AssertClose(double expected, float actual, string what)
    {
        var error = Math.Abs(actual - expected);
        if (!(error <= Math.Max(1e-4 * Math.Abs(expected), 1e-5)))
        {
            Assert.Fail($"{what} is {actual:R}, central differences give {expected:R} (error {error:E2}).");
        }
    }
}
