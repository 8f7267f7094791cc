using System.Diagnostics;
using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Reference;

namespace CnnGen.Arm64Check;

/// <summary>
/// One network compared with the tests' reference: Forward at batch 1 and 3 against the
/// naive double implementation (within 1e-5 relative, 1e-6 absolute: Numerics.AssertClose), and
/// Backward at batch 1 and 3 (input gradient and parameter gradients) against central
/// differences on it (GradientCheck: every value when a layer has at most
/// <paramref name="Sampled"/> of them, else that many at random).
/// </summary>
/// <param name="Name">The network's class name.</param>
/// <param name="DeclaredIn">Where it is declared: attributes or the .cnn file.</param>
/// <param name="Create">The network from a seed.</param>
/// <param name="Sampled">Parameters per layer and inputs checked by central differences.</param>
internal sealed record NetworkCheck(string Name, string DeclaredIn, Func<int, INetwork> Create, int Sampled = 64)
{
    private static readonly int[] Batches = { 1, 3 };

    /// <summary>Runs the checks; throws <see cref="CheckFailedException"/> at the first value out of tolerance.</summary>
    public string Run()
    {
        var watch = Stopwatch.StartNew();
        var largestForwardError = 0.0;
        var forwardValues = 0;
        foreach (var batch in Batches)
        {
            var network = Create(7);
            RandomizeBiases(network, seed: 3);
            RandomizeState(network, seed: 5);
            var input = Numerics.Random(batch * network.InputSize, seed: 11 + batch);
            var output = new float[batch * network.OutputSize];
            network.Forward(input, output, batch);
            for (var n = 0; n < batch; n++)
            {
                var expected = ReferenceNetwork.Forward(network.Architecture, network.Parameters, input.AsSpan(n * network.InputSize, network.InputSize), network.State);
                var actual = output.AsSpan(n * network.OutputSize, network.OutputSize);
                Numerics.AssertClose(expected, actual, $"{Name} Forward batch {batch} sample {n}");
                for (var i = 0; i < expected.Length; i++)
                {
                    largestForwardError = Math.Max(largestForwardError, Math.Abs(actual[i] - expected[i]));
                }

                forwardValues += expected.Length;
            }
        }

        var gradientValues = 0;
        foreach (var batch in Batches)
        {
            var network = Create(21);
            RandomizeBiases(network, seed: 4);
            RandomizeState(network, seed: 6);
            GradientCheck.Run(network, batch, seed: 100 + batch, what: $"{Name} Backward batch {batch}", parametersPerLayer: Sampled, inputsChecked: Sampled);
            gradientValues += network.Architecture.Layers.Sum(l => Math.Min(l.ParameterCount, Sampled)) + Math.Min(batch * network.InputSize, Sampled);
        }

        return $"{forwardValues} outputs (largest error {largestForwardError:E1}), {gradientValues} gradients by central differences, {watch.Elapsed.TotalSeconds:F1} s";
    }

    /// <summary>
    /// Moving means in [-0.5, 0.5) and variances in [0.25, 2.25) (they start at 0 and 1), so a
    /// batch normalisation folded into the layer before it scales and shifts each channel differently.
    /// </summary>
    private static void RandomizeState(INetwork network, int seed)
    {
        foreach (var layer in network.Architecture.Layers)
        {
            var channels = layer.StateLength / 2;
            var state = network.State.Slice(layer.StateOffset, layer.StateLength);
            var means = Numerics.Random(channels, seed + layer.StateOffset, scale: 0.5f);
            var spreads = Numerics.Random(channels, seed + layer.StateOffset + 1);
            for (var c = 0; c < channels; c++)
            {
                state[c] = means[c];
                state[channels + c] = 1.25f + spreads[c];
            }
        }
    }

    /// <summary>Biases start at zero; random ones let a wrong bias offset show.</summary>
    private static void RandomizeBiases(INetwork network, int seed)
    {
        foreach (var layer in network.Architecture.Layers)
        {
            Numerics.Random(layer.BiasLength, seed + layer.ParameterOffset, scale: 0.5f)
                .CopyTo(network.Parameters.Slice(layer.ParameterOffset + layer.KernelLength, layer.BiasLength));
        }
    }
}
