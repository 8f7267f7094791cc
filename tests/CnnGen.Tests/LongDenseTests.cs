using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;
using CnnGen.Tests.Reference;
using Xunit.Abstractions;

namespace CnnGen.Tests;

/// <summary>
/// Dense layers with thousands of inputs against the float64 reference, at every width
/// (Category=Numerics): summed in slices, the 3,528-input layer is within 1e-6 of it (4.8e-7
/// at batch 1 and 512 bits; summed whole, as before slicing, 1.75e-6), and the prime one, with
/// its shorter last slice, meets the first accuracy rule of docs/testing.md (summed whole it did
/// not). Batches of 1 and 5 run the single-sample and block kernels.
/// </summary>
[Trait("Category", "Numerics")]
public class LongDenseTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData(nameof(LongDenseNet), 1e-6)]
    [InlineData(nameof(PrimeDenseNet), double.PositiveInfinity)]
    public void LongSumsStayCloseToTheFloat64Reference(string name, double bound)
    {
        INetwork network = name == nameof(LongDenseNet) ? new LongDenseNet(11) : new PrimeDenseNet(11);
        foreach (var batch in new[] { 1, 5 })
        {
            var input = Numerics.Random(batch * network.InputSize, seed: 23);
            var output = new float[batch * network.OutputSize];
            network.Forward(input, output, batch);
            var worst = 0.0;
            for (var n = 0; n < batch; n++)
            {
                var expected = ReferenceNetwork.Forward(network.Architecture, network.Parameters, input.AsSpan(n * network.InputSize, network.InputSize));
                var actual = output.AsSpan(n * network.OutputSize, network.OutputSize);
                Numerics.AssertClose(expected, actual, $"{name}, batch {batch}, sample {n}");
                for (var i = 0; i < expected.Length; i++)
                {
                    worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
                }
            }

            log.WriteLine($"{name}, batch {batch}: largest error {worst:E2} ({SimdPathTests.ActivePath})");
            Assert.True(worst <= bound, $"{name}, batch {batch}: {worst:E2} from the float64 reference, more than {bound:E1}.");
        }
    }

    /// <summary>
    /// Kernels over 1 MB: a single sample reads them row by row into sums on the stack, blocks of
    /// samples through the register-blocked kernel. Both against the reference, and bit for bit
    /// equal: the same sample gives the same output alone and in every place of a batch of 7
    /// (blocks of 3 or 4, then single samples).
    /// </summary>
    [Theory]
    [InlineData(nameof(StreamedDenseNet))]
    [InlineData(nameof(StreamedFoldedDenseNet))]
    public void StreamedRowsGiveTheBlockedKernelsSums(string name)
    {
        INetwork network = name == nameof(StreamedDenseNet) ? new StreamedDenseNet(5) : new StreamedFoldedDenseNet(5);
        ForwardTests.RandomizeBiases(network, seed: 6);
        FoldedNormalizationTests.RandomizeNormalizations(network, seed: 7);
        var sample = Numerics.Random(network.InputSize, seed: 29);
        var alone = new float[network.OutputSize];
        network.Forward(sample, alone, 1);
        var expected = ReferenceNetwork.Forward(network.Architecture, network.Parameters, sample, network.State);
        // The third accuracy rule, the one for deep networks: outputs near zero of a 900-input sum are some 1e-6 of its
        // terms' scale off float64 at every width (the scalar path's too), and the batch norm scales that by up to 3.
        Numerics.AssertWithinModelTolerance(expected, alone, name + ", one sample");

        const int batch = 7;
        var input = new float[batch * network.InputSize];
        for (var n = 0; n < batch; n++)
        {
            sample.CopyTo(input, n * network.InputSize);
        }

        var output = new float[batch * network.OutputSize];
        network.Forward(input, output, batch);
        for (var n = 0; n < batch; n++)
        {
            var actual = output.AsSpan(n * network.OutputSize, network.OutputSize).ToArray();
            Assert.True(actual.SequenceEqual(alone), $"{name}: sample {n} of a batch of {batch} differs from the same sample alone");
        }
    }
}
