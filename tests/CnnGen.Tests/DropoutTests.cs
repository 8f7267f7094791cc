using CnnGen.Kernels;
using CnnGen.Onnx;
using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;
using CnnGen.Tests.OnnxExport;
using CnnGen.Tests.Reference;
using CnnGen.Training;

namespace CnnGen.Tests;

/// <summary>
/// Dropout: the identity in inference; in training, the generated code against the reference
/// network with the same masks (<see cref="DropoutKernels.Keeps"/>) for the output, and against
/// central differences of that masked reference for dL/d(input) and dL/d(parameters); the
/// masks' rate and independence; deterministic training on any number of threads; ONNX export.
/// </summary>
public class DropoutTests
{
    public static TheoryData<string> Networks => new() { nameof(DropoutNet), nameof(DropoutSignalNetChannelsFirst) };

    private static INetwork Create(string name, int seed) => name switch
    {
        nameof(DropoutNet) => new DropoutNet(seed),
        _ => new DropoutSignalNetChannelsFirst(seed),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void InferenceIsTheIdentity(string name)
    {
        var network = Create(name, seed: 1);
        const int batch = 3;
        var input = Numerics.Random(batch * network.InputSize, seed: 2);
        var output = new float[batch * network.OutputSize];
        network.Forward(input, output, batch);
        for (var n = 0; n < batch; n++)
        {
            var expected = ReferenceNetwork.Forward(network.Architecture, network.Parameters, input.AsSpan(n * network.InputSize, network.InputSize));
            Numerics.AssertClose(expected, output.AsSpan(n * network.OutputSize, network.OutputSize), $"{name} sample {n}");
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void TrainingMatchesTheReferenceWithTheSameMasksForwardAndBackward(string name)
    {
        var network = Create(name, seed: 3);
        ForwardTests.RandomizeBiases(network, seed: 4);
        const int batch = 2;
        var input = Numerics.Random(batch * network.InputSize, seed: 5);
        var workspace = network.CreateWorkspace();

        // A first pass, so that the one checked is not the first (pass 2 draws other masks than pass 1).
        var output = new float[batch * network.OutputSize];
        network.Forward(input, output, batch, workspace, training: true);
        var first = output.ToArray();
        network.Forward(input, output, batch, workspace, training: true);
        Assert.Equal(2, workspace.TrainingPasses);
        Assert.NotEqual(first, output);

        var parameters = network.Parameters.ToArray().Select(v => (double)v).ToArray();
        var direction = Numerics.Random(batch * network.OutputSize, seed: 6);
        var inputGradient = new float[input.Length];
        var parameterGradients = new float[network.ParameterCount];
        network.Backward(direction, inputGradient, workspace, parameterGradients, outputGradientIsPreActivation: false);

        var expectedInputGradient = new double[input.Length];
        var expectedParameterGradients = new double[network.ParameterCount];
        for (var n = 0; n < batch; n++)
        {
            var sample = input.AsSpan(n * network.InputSize, network.InputSize).ToArray().Select(v => (double)v).ToArray();
            var r = direction.AsSpan(n * network.OutputSize, network.OutputSize).ToArray();
            double Loss(double[] w, double[] x) => MaskedForward(network.Architecture, w, x, pass: 2, n).Select((y, i) => y * r[i]).Sum();

            Numerics.AssertClose(MaskedForward(network.Architecture, parameters, sample, pass: 2, n), output.AsSpan(n * network.OutputSize, network.OutputSize),
                $"{name} training output of sample {n}");
            for (var i = 0; i < sample.Length; i++)
            {
                expectedInputGradient[n * network.InputSize + i] = Central(v => { var x = sample.ToArray(); x[i] = v; return Loss(parameters, x); }, sample[i]);
            }

            for (var j = 0; j < parameters.Length; j++)
            {
                expectedParameterGradients[j] += Central(v => { var w = parameters.ToArray(); w[j] = v; return Loss(w, sample); }, parameters[j]);
            }
        }

        Numerics.AssertWithinWaveTwoTolerance(expectedInputGradient, inputGradient, $"{name} dL/d(input) in training mode");
        Numerics.AssertWithinWaveTwoTolerance(expectedParameterGradients, parameterGradients, $"{name} dL/d(parameters) in training mode");
    }

    [Fact]
    public void TheMaskDropsTheRateAndScalesTheRest()
    {
        var network = new WideDropoutNet(seed: 1);
        const int batch = 4;
        var input = Numerics.Random(batch * 4000, seed: 2).Select(v => v + 2f).ToArray(); // no zeros in the input
        var output = new float[input.Length];
        network.Forward(input, output, batch, training: true);
        var dropped = output.Count(v => v == 0f);

        // 16,000 draws at 0.3: the standard deviation of the count is sqrt(16000 * 0.3 * 0.7) = 58.
        Assert.InRange(dropped, 16000 * 0.3 - 5 * 58, 16000 * 0.3 + 5 * 58);
        for (var i = 0; i < output.Length; i++)
        {
            Assert.True(output[i] == 0f || output[i] == input[i] * (1f / 0.7f), $"value {i}: {output[i]} from {input[i]}");
        }

        // Samples draw different masks, and so does the next pass.
        Assert.False(output.AsSpan(0, 4000).ToArray().Select(v => v == 0f).SequenceEqual(output.AsSpan(4000, 4000).ToArray().Select(v => v == 0f)));
        var again = new float[output.Length];
        network.Forward(input, again, batch, training: true);
        Assert.NotEqual(output, again);

        // The same seed and calls give the same masks in another instance.
        var twin = new WideDropoutNet(seed: 9);
        var twinOutput = new float[output.Length];
        twin.Forward(input, twinOutput, batch, training: true);
        Assert.Equal(output, twinOutput);
    }

    [Fact]
    public void LayersWithTheSameSeedDrawDifferentMasks()
    {
        var first = Enumerable.Range(0, 512).Select(i => DropoutKernels.Keeps(0.5f, 0, layer: 1, pass: 1, sample: 0, i)).ToArray();
        var second = Enumerable.Range(0, 512).Select(i => DropoutKernels.Keeps(0.5f, 0, layer: 5, pass: 1, sample: 0, i)).ToArray();
        var agreements = first.Zip(second).Count(p => p.First == p.Second);
        Assert.InRange(agreements, 256 - 5 * 12, 256 + 5 * 12);
        Assert.All(Enumerable.Range(0, 100), i => Assert.True(DropoutKernels.Keeps(0f, 3, 1, 1, 0, i)));
    }

    [Fact]
    public void TrainingIsTheSameOnAnyNumberOfThreads()
    {
        const int batch = 6;
        byte[]? first = null;
        foreach (var threads in new[] { 1, 2, 3 })
        {
            var network = new DropoutNet(seed: 4);
            var trainer = new Trainer(network, new MeanSquaredError(), new Sgd(0.05f, momentum: 0.9f), threads, microBatchSize: 2);
            for (var step = 0; step < 4; step++)
            {
                trainer.TrainStep(Numerics.Random(batch * DropoutNet.InputSize, 10 + step), Numerics.Random(batch * DropoutNet.OutputSize, 20 + step), batch);
            }

            var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(network.Parameters).ToArray();
            first ??= bytes;
            Assert.Equal(first, bytes);
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void TheOnnxExportIsTheInferenceNetwork(string name)
    {
        var network = Create(name, seed: 3);
        ForwardTests.RandomizeBiases(network, seed: 4);
        OnnxExportTests.AssertSameInOnnxRuntime(network, name);
        Assert.DoesNotContain(OnnxExporter.CreateModel(network).Graph.Node, n => n.OpType == "Dropout");
    }

    /// <summary>The reference network of one sample in training mode: each dropout layer applies the mask of <paramref name="pass"/>.</summary>
    private static double[] MaskedForward(NetworkArchitecture network, double[] parameters, double[] input, long pass, int sample)
    {
        var x = new Tensor(input, network.InputShape, network.DataFormat);
        for (var i = 0; i < network.Layers.Count; i++)
        {
            var layer = network.Layers[i];
            if (layer.Kind != LayerKind.Dropout)
            {
                x = ReferenceNetwork.ForwardLayer(layer, x, parameters.AsSpan(layer.ParameterOffset, layer.ParameterCount).ToArray(), network.DataFormat);
                continue;
            }

            // Positions count in channels-last order, row after row, whatever the data format.
            var y = new Tensor(new double[x.Data.Length], layer.OutputShape, network.DataFormat);
            for (var h = 0; h < x.Height; h++)
            for (var w = 0; w < x.Width; w++)
            for (var c = 0; c < x.Channels; c++)
            {
                var position = (h * x.Width + w) * x.Channels + c;
                y[h, w, c] = DropoutKernels.Keeps(layer.Rate, layer.Seed, i, pass, sample, position) ? x[h, w, c] * (1f / (1f - layer.Rate)) : 0;
            }

            x = y;
        }

        return x.Data;
    }

    private static double Central(Func<double, double> f, double at)
    {
        const double h = 1e-5;
        return (f(at + h) - f(at - h)) / (2 * h);
    }
}
