using CnnGen.Tests.Reference;

namespace CnnGen.Tests.Infrastructure;

/// <summary>
/// The two checks most layer test classes run on each of their networks: the generated forward
/// against the naive reference network, sample by sample, and every gradient against central
/// differences (GradientCheck), each over a few batch sizes, with random biases.
/// </summary>
internal static class ReferenceChecks
{
    /// <summary>
    /// Forward at batches 1 and 4, or <paramref name="batches"/> (weights seeded 7, biases 3, inputs 11 + batch) against <see cref="ReferenceNetwork"/>.
    /// <paramref name="inputScale"/> shrinks the inputs of networks with reductions of thousands of terms, where
    /// float32's own rounding of a plain sequential sum of inputs in [-1, 1) reaches the rule's 1e-6 absolute floor.
    /// </summary>
    public static void ForwardMatchesTheReference(Func<int, INetwork> create, string name, float inputScale = 1, int[]? batches = null)
    {
        foreach (var batch in batches ?? new[] { 1, 4 })
        {
            var network = create(7);
            ForwardTests.RandomizeBiases(network, seed: 3);
            var input = Numerics.Random(batch * network.InputSize, seed: 11 + batch, inputScale);

            var output = new float[batch * network.OutputSize];
            network.Forward(input, output, batch);
            for (var n = 0; n < batch; n++)
            {
                var expected = ReferenceNetwork.Forward(network.Architecture, network.Parameters, input.AsSpan(n * network.InputSize, network.InputSize), network.State);
                Numerics.AssertClose(expected, output.AsSpan(n * network.OutputSize, network.OutputSize), $"{name} batch {batch} sample {n}");
            }
        }
    }

    /// <summary>dL/d(input) and dL/d(parameters) at batches 1 and 3, or <paramref name="batches"/> (weights seeded 21, biases 4), against central differences.</summary>
    public static void GradientsMatchCentralDifferences(Func<int, INetwork> create, string name, int inputsChecked = 64, int[]? batches = null)
    {
        foreach (var batch in batches ?? new[] { 1, 3 })
        {
            var network = create(21);
            ForwardTests.RandomizeBiases(network, seed: 4);
            GradientCheck.Run(network, batch, seed: 100 + batch, what: $"{name} batch {batch}", inputsChecked: inputsChecked);
        }
    }
}
