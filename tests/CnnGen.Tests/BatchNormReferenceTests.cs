using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;
using Xunit.Abstractions;

namespace CnnGen.Tests;

/// <summary>
/// Batch normalisation against PyTorch float64 (Data/torch/make_reference.py, one file per mode):
/// the output, dL/d(input), dL/d(every parameter) and the state after the pass, in inference mode
/// (moving statistics) and in training mode (batch statistics, moving statistics updated with
/// the unbiased variance), within the accuracy rule of docs/testing.md, |a - e| &lt;= 1e-4 (|e| + 1e-3).
/// </summary>
[Trait("Category", "Numerics")]
public class BatchNormReferenceTests(ITestOutputHelper log)
{
    public static TheoryData<string, string> Cases => new()
    {
        { nameof(BatchNormNet), "inference" },
        { nameof(BatchNormNet), "training" },
        { nameof(BatchNormSignalNetChannelsFirst), "inference" },
        { nameof(BatchNormSignalNetChannelsFirst), "training" },
    };

    private static INetwork Create(string name) => name switch
    {
        nameof(BatchNormNet) => new BatchNormNet(seed: 1),
        nameof(BatchNormSignalNetChannelsFirst) => new BatchNormSignalNetChannelsFirst(seed: 1),
        _ => throw new ArgumentException($"No network {name}.", nameof(name)),
    };

    private static (INetwork Network, TorchReference Reference) Load(string name, string mode)
    {
        var reference = TorchReference.Load(name, mode);
        Assert.Equal(name, reference.Network);
        Assert.Equal(mode, reference.Mode);
        var network = Create(name);
        Assert.Equal(reference.ParameterCount, network.ParameterCount);
        reference.Parameters().CopyTo(network.Parameters);
        Assert.Equal(reference.State!.Length, network.StateCount);
        reference.State.CopyTo(network.State);
        return (network, reference);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ArchitectureAgreesWithTheScript(string name, string mode)
    {
        var reference = TorchReference.Load(name, mode);
        var architecture = Create(name).Architecture;
        Assert.Equal(reference.OutputShape, architecture.OutputShape);
        Assert.Equal(reference.State!.Length, architecture.StateCount);
        Assert.Equal(reference.Layers.Count, architecture.Layers.Count);
        for (var i = 0; i < reference.Layers.Count; i++)
        {
            var (expected, actual) = (reference.Layers[i], architecture.Layers[i]);
            Assert.Equal(expected.Kind, actual.Kind);
            Assert.Equal(expected.Name, actual.Name);
            Assert.Equal(expected.OutputShape, actual.OutputShape);
            Assert.Equal(expected.KernelShape, actual.KernelShape);
            Assert.Equal(expected.KernelLength, actual.KernelLength);
            Assert.Equal(expected.BiasLength, actual.BiasLength);
            if (expected.KernelLength + expected.BiasLength > 0)
            {
                Assert.Equal(expected.ParameterOffset, actual.ParameterOffset);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardBackwardAndStateMatchPyTorch(string name, string mode)
    {
        var (network, reference) = Load(name, mode);
        var training = mode == "training";
        var output = new float[reference.Batch * network.OutputSize];
        var inputGradient = new float[reference.Input.Length];
        network.Forward(reference.Input, output, reference.Batch, training);
        Compare(reference.Output, output, $"{name} {mode}: output");
        Compare(reference.StateAfter!, network.State, $"{name} {mode}: state after the pass");
        network.Backward(reference.OutputGradient, inputGradient);
        Compare(reference.InputGradient, inputGradient, $"{name} {mode}: dL/d(input)");
        CompareParameterGradients(reference, network.Gradients, $"{name} {mode}");

        // Through an explicit workspace, from the original state: the same numbers.
        reference.State!.CopyTo(network.State);
        var workspace = network.CreateWorkspace();
        var parameterGradients = new float[network.ParameterCount];
        Array.Clear(inputGradient);
        network.Forward(reference.Input, output, reference.Batch, workspace, training);
        Assert.Equal(training, workspace.Training);
        network.Backward(reference.OutputGradient, inputGradient, workspace, parameterGradients);
        Compare(reference.Output, output, $"{name} {mode}: output through a workspace", report: false);
        Compare(reference.InputGradient, inputGradient, $"{name} {mode}: dL/d(input) through a workspace", report: false);
        CompareParameterGradients(reference, parameterGradients, $"{name} {mode} through a workspace", report: false);
        Compare(reference.StateAfter!, network.State, $"{name} {mode}: state through a workspace", report: false);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void InferenceOverloadsDoNotTouchTheState(string name, string mode)
    {
        var (network, reference) = Load(name, mode);
        var output = new float[reference.Batch * network.OutputSize];
        var before = network.State.ToArray();
        network.Forward(reference.Input, output, reference.Batch);
        Assert.Equal(before, network.State.ToArray());
        if (mode == "inference")
        {
            Compare(reference.Output, output, $"{name}: output of the inference overload", report: false);
            for (var n = 0; n < reference.Batch; n++)
            {
                var one = new float[network.OutputSize];
                network.Forward(reference.Input.AsSpan(n * network.InputSize, network.InputSize), one);
                Compare(reference.Output.AsSpan(n * network.OutputSize, network.OutputSize), one, $"{name}: sample {n} alone", report: false);
            }
        }
    }

    [Fact]
    public void NewNetworksStartWithUnitGammaZeroBetaAndUnitVariance()
    {
        var network = new BatchNormNet(seed: 3);
        var layer = BatchNormNet.Architecture.Layers[1];
        Assert.Equal(LayerKind.BatchNormalization, layer.Kind);
        Assert.All(network.Parameters.Slice(layer.ParameterOffset, 5).ToArray(), v => Assert.Equal(1f, v));
        Assert.All(network.Parameters.Slice(layer.ParameterOffset + 5, 5).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(network.State.Slice(layer.StateOffset, 5).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(network.State.Slice(layer.StateOffset + 5, 5).ToArray(), v => Assert.Equal(1f, v));
        Assert.Equal(0.99f, layer.Momentum);
        Assert.Equal(0.001f, layer.Epsilon);
        Assert.Equal(24, BatchNormNet.StateCount);
        Assert.Equal(135 + 10 + 180 + 4 + 252 + 7 + 14 + 24, BatchNormNet.ParameterCount);
    }

    private void CompareParameterGradients(TorchReference reference, ReadOnlySpan<float> gradients, string what, bool report = true)
    {
        foreach (var layer in reference.Layers)
        {
            if (layer.KernelLength > 0)
            {
                Compare(layer.KernelGradient, gradients.Slice(layer.ParameterOffset, layer.KernelLength), $"{what}: dL/d({layer.Name} kernel)", report);
            }

            if (layer.BiasLength > 0)
            {
                Compare(layer.BiasGradient, gradients.Slice(layer.ParameterOffset + layer.KernelLength, layer.BiasLength), $"{what}: dL/d({layer.Name} bias)", report);
            }
        }
    }

    /// <summary>Section 12's tolerance element by element; logs the largest share of it used.</summary>
    private void Compare(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, string what, bool report = true)
    {
        Assert.Equal(expected.Length, actual.Length);
        double used = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            used = Math.Max(used, Math.Abs(actual[i] - expected[i]) / (1e-4 * (Math.Abs(expected[i]) + 1e-3)));
        }

        if (report)
        {
            log.WriteLine($"{what}: {expected.Length} values, {used:P1} of the tolerance used");
        }

        Numerics.AssertWithinWaveTwoTolerance(expected, actual, what);
    }
}
