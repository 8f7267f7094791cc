using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;
using Xunit.Abstractions;

namespace CnnGen.Tests;

/// <summary>
/// Whole networks against PyTorch (the accuracy rules of docs/testing.md): the values in Data/torch were computed
/// once by Data/torch/make_reference.py in float64 from float32 weights and inputs, so they are
/// exact and the 1e-5 relative tolerance measures only the generated float32 code. No Python
/// is needed to run these tests.
/// </summary>
[Trait("Category", "Numerics")]
public class TorchReferenceTests(ITestOutputHelper log)
{
    public static TheoryData<string> Networks => new()
    {
        nameof(DigitNet), nameof(LeNet5), nameof(DigitNetChannelsFirst), nameof(SignalNet),
        nameof(StridedNetChannelsFirst), nameof(PoolingNet), nameof(SignalNetChannelsFirst),
        nameof(ResNetBlockNet), nameof(SqueezeExciteNet), nameof(FireModuleNet), nameof(ThreeInputAddNet), nameof(GatedSignalNetChannelsFirst),
        nameof(DepthwiseTorchNet), nameof(DepthwiseTorchNetChannelsFirst),
        nameof(PaddedNet), nameof(PaddedSignalNetChannelsFirst),
        nameof(HardActivationNet), nameof(HardActivationSignalNetChannelsFirst),
        nameof(ZeroPaddingNet), nameof(ZeroPaddingSignalNetChannelsFirst), nameof(UpSamplingNetChannelsFirst), nameof(UpSamplingSignalNet),
        nameof(GroupedTorchNet), nameof(GroupedTorchSignalNetChannelsFirst),
        nameof(TransposedTorchNet), nameof(TransposedTorchSignalNetChannelsFirst),
    };

    private static INetwork Create(string name) => name switch
    {
        nameof(DigitNet) => new DigitNet(seed: 1),
        nameof(LeNet5) => new LeNet5(seed: 1),
        nameof(DigitNetChannelsFirst) => new DigitNetChannelsFirst(seed: 1),
        nameof(SignalNet) => new SignalNet(seed: 1),
        nameof(StridedNetChannelsFirst) => new StridedNetChannelsFirst(seed: 1),
        nameof(PoolingNet) => new PoolingNet(seed: 1),
        nameof(SignalNetChannelsFirst) => new SignalNetChannelsFirst(seed: 1),
        nameof(ResNetBlockNet) => new ResNetBlockNet(seed: 1),
        nameof(SqueezeExciteNet) => new SqueezeExciteNet(seed: 1),
        nameof(FireModuleNet) => new FireModuleNet(seed: 1),
        nameof(ThreeInputAddNet) => new ThreeInputAddNet(seed: 1),
        nameof(GatedSignalNetChannelsFirst) => new GatedSignalNetChannelsFirst(seed: 1),
        nameof(DepthwiseTorchNet) => new DepthwiseTorchNet(seed: 1),
        nameof(DepthwiseTorchNetChannelsFirst) => new DepthwiseTorchNetChannelsFirst(seed: 1),
        nameof(PaddedNet) => new PaddedNet(seed: 1),
        nameof(PaddedSignalNetChannelsFirst) => new PaddedSignalNetChannelsFirst(seed: 1),
        nameof(HardActivationNet) => new HardActivationNet(seed: 1),
        nameof(HardActivationSignalNetChannelsFirst) => new HardActivationSignalNetChannelsFirst(seed: 1),
        nameof(ZeroPaddingNet) => new ZeroPaddingNet(seed: 1),
        nameof(ZeroPaddingSignalNetChannelsFirst) => new ZeroPaddingSignalNetChannelsFirst(seed: 1),
        nameof(UpSamplingNetChannelsFirst) => new UpSamplingNetChannelsFirst(seed: 1),
        nameof(UpSamplingSignalNet) => new UpSamplingSignalNet(seed: 1),
        nameof(GroupedTorchNet) => new GroupedTorchNet(seed: 1),
        nameof(GroupedTorchSignalNetChannelsFirst) => new GroupedTorchSignalNetChannelsFirst(seed: 1),
        nameof(TransposedTorchNet) => new TransposedTorchNet(seed: 1),
        nameof(TransposedTorchSignalNetChannelsFirst) => new TransposedTorchSignalNetChannelsFirst(seed: 1),
        _ => throw new ArgumentException($"No network {name}.", nameof(name)),
    };

    /// <summary>A generated network with the script's parameters.</summary>
    private static (INetwork Network, TorchReference Reference) Load(string name)
    {
        var reference = TorchReference.Load(name);
        Assert.Equal(name, reference.Network);
        var network = Create(name);
        Assert.Equal(reference.ParameterCount, network.ParameterCount);
        reference.Parameters().CopyTo(network.Parameters);
        return (network, reference);
    }

    /// <summary>
    /// The script infers shapes and 'same' pads itself; the generator must have resolved the
    /// same network, or the values below would compare different things.
    /// </summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void ArchitectureAgreesWithTheScript(string name)
    {
        var reference = TorchReference.Load(name);
        var architecture = Create(name).Architecture;
        Assert.Equal(reference.DataFormat, architecture.DataFormat);
        Assert.Equal(reference.InputShape, architecture.InputShape);
        Assert.Equal(reference.OutputShape, architecture.OutputShape);
        Assert.Equal(reference.ParameterCount, architecture.ParameterCount);
        Assert.Equal(reference.Layers.Count, architecture.Layers.Count);
        for (var i = 0; i < reference.Layers.Count; i++)
        {
            var (expected, actual) = (reference.Layers[i], architecture.Layers[i]);
            var what = $"{name} layer {i} ({expected.Name})";
            Assert.True(expected.Kind == actual.Kind, $"{what}: kind {actual.Kind}, the script has {expected.Kind}");
            Assert.Equal(expected.Name, actual.Name);
            Assert.Equal(expected.InputShape, actual.InputShape);
            Assert.Equal(expected.OutputShape, actual.OutputShape);

            // What the layer reads: the script names it for a merge or a From, and means the previous layer otherwise.
            var reads = expected.Inputs ?? [i == 0 ? NetworkArchitecture.InputName : reference.Layers[i - 1].Name];
            Assert.Equal(reads, architecture.LayerInputs(i).Select(k => k < 0 ? NetworkArchitecture.InputName : architecture.Layers[k].Name));
            if (expected.Activation is { } activation)
            {
                Assert.True(activation == actual.Activation, $"{what}: activation {actual.Activation}, the script has {activation}");
            }

            if (expected.Window is { } window)
            {
                Assert.Equal(window, new[] { actual.KernelHeight, actual.KernelWidth });
                Assert.Equal(expected.Stride, new[] { actual.StrideHeight, actual.StrideWidth });
                Assert.Equal(expected.Dilation, new[] { actual.DilationHeight, actual.DilationWidth });
                Assert.Equal(expected.Padding, actual.Padding);
                Assert.True(
                    expected.Pads!.SequenceEqual(new[] { actual.PadTop, actual.PadBottom, actual.PadLeft, actual.PadRight }),
                    $"{what}: pads (top, bottom, left, right) {actual.PadTop}, {actual.PadBottom}, {actual.PadLeft}, {actual.PadRight}; the script has {string.Join(", ", expected.Pads!)}");
                Assert.Equal(expected.OutputPadding ?? [0, 0], new[] { actual.OutputPaddingHeight, actual.OutputPaddingWidth });
                Assert.True(expected.CeilMode == actual.CeilMode, $"{what}: ceil mode {actual.CeilMode}, the script has {expected.CeilMode}");
                Assert.True(expected.CountPadding == actual.CountPadding, $"{what}: count padding {actual.CountPadding}, the script has {expected.CountPadding}");
            }

            else if (expected.Pads is { } pads)
            {
                // Zero padding: the pads alone.
                Assert.Equal(pads, new[] { actual.PadTop, actual.PadBottom, actual.PadLeft, actual.PadRight });
            }

            if (expected.Size is { } size)
            {
                Assert.Equal(size, new[] { actual.UpSamplingHeight, actual.UpSamplingWidth });
                Assert.True(expected.Interpolation == actual.Interpolation, $"{what}: interpolation {actual.Interpolation}, the script has {expected.Interpolation}");
            }
            else
            {
                Assert.Equal([1, 1], new[] { actual.UpSamplingHeight, actual.UpSamplingWidth });
            }

            Assert.True(expected.KeepDims == actual.KeepDims, $"{what}: keep dims {actual.KeepDims}, the script has {expected.KeepDims}");

            if (expected.KernelLength + expected.BiasLength > 0)
            {
                // Layers without parameters report offset 0; the script counts on.
                Assert.Equal(expected.ParameterOffset, actual.ParameterOffset);
            }

            Assert.Equal(expected.KernelShape, actual.KernelShape);
            Assert.Equal(expected.KernelLength, actual.KernelLength);
            Assert.Equal(expected.BiasLength, actual.BiasLength);
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void ForwardMatchesPyTorch(string name)
    {
        var (network, reference) = Load(name);
        var output = new float[reference.Batch * network.OutputSize];
        network.Forward(reference.Input, output, reference.Batch);
        Compare(reference.Output, output, $"{name}: output, batch {reference.Batch}");

        // One sample at a time, through the single-sample overload.
        for (var n = 0; n < reference.Batch; n++)
        {
            var one = new float[network.OutputSize];
            network.Forward(reference.Input.AsSpan(n * network.InputSize, network.InputSize), one);
            Compare(reference.Output.AsSpan(n * network.OutputSize, network.OutputSize), one, $"{name}: output of sample {n} alone", report: false);
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void BackwardMatchesPyTorch(string name)
    {
        var (network, reference) = Load(name);
        var output = new float[reference.Batch * network.OutputSize];
        var inputGradient = new float[reference.Input.Length];
        network.Forward(reference.Input, output, reference.Batch);
        network.Backward(reference.OutputGradient, inputGradient);
        Compare(reference.InputGradient, inputGradient, $"{name}: dL/d(input), batch {reference.Batch}");
        CompareParameterGradients(reference, network.Gradients, name, report: true);

        // Again without the input gradient: Gradients is overwritten, not accumulated, and skipping dL/d(input) changes nothing.
        network.Backward(reference.OutputGradient, Span<float>.Empty);
        CompareParameterGradients(reference, network.Gradients, name + " (second Backward, no input gradient)", report: false);

        // The explicit-workspace overloads (concurrent use) compute the same.
        var workspace = network.CreateWorkspace();
        var parameterGradients = new float[network.ParameterCount];
        Array.Clear(inputGradient);
        network.Forward(reference.Input, output, reference.Batch, workspace);
        network.Backward(reference.OutputGradient, inputGradient, workspace, parameterGradients);
        Compare(reference.Output, output, $"{name}: output through a workspace", report: false);
        Compare(reference.InputGradient, inputGradient, $"{name}: dL/d(input) through a workspace", report: false);
        CompareParameterGradients(reference, parameterGradients, name + " (through a workspace)", report: false);
    }

    private void CompareParameterGradients(TorchReference reference, ReadOnlySpan<float> gradients, string what, bool report)
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

    /// <summary>
    /// Asserts the first accuracy rule of docs/testing.md element by element (1e-5 relative, 1e-6 absolute), and also
    /// that no element is off by more than 1e-5 of the largest value of its tensor: input
    /// gradients are of order 1e-3, where the 1e-6 absolute floor alone would let a 1% error
    /// pass. Logs the largest relative error among values of magnitude 1e-3 or more, the
    /// largest share of the element-wise tolerance used and the largest error relative to the
    /// tensor's largest value.
    /// </summary>
    private void Compare(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, string what, bool report = true)
    {
        Assert.Equal(expected.Length, actual.Length);
        double relative = 0, used = 0, largest = 0, worst = 0;
        var worstIndex = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs(actual[i] - expected[i]);
            used = Math.Max(used, error / Math.Max(Numerics.Relative * Math.Abs(expected[i]), Numerics.Absolute));
            largest = Math.Max(largest, Math.Abs(expected[i]));
            if (error > worst || double.IsNaN(error))
            {
                (worst, worstIndex) = (double.IsNaN(error) ? double.PositiveInfinity : error, i);
            }

            if (Math.Abs(expected[i]) >= 1e-3)
            {
                relative = Math.Max(relative, error / Math.Abs(expected[i]));
            }
        }

        var normwise = largest > 0 ? worst / largest : worst;
        if (report)
        {
            log.WriteLine($"{what}: {expected.Length} values up to {largest:E1}; max relative error {relative:E2} (|value| >= 1e-3), " +
                $"{used:P1} of the tolerance used, largest error {normwise:E2} of the largest value");
        }

        Numerics.AssertClose(expected, actual, what);
        Numerics.AssertWithinWaveTwoTolerance(expected, actual, what);
        if (!(worst <= Numerics.Relative * largest))
        {
            Assert.Fail($"{what}: element {worstIndex} of {expected.Length} is {actual[worstIndex]:R}, expected {expected[worstIndex]:R}: " +
                $"an error of {worst:E2}, more than 1e-5 of the tensor's largest value {largest:E2}.");
        }
    }

    private void Compare(double[]? expected, ReadOnlySpan<float> actual, string what, bool report)
    {
        Assert.True(expected is not null, $"{what}: the reference file has no values");
        Compare(expected.AsSpan(), actual, what, report);
    }
}
