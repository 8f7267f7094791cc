using CnnGen.Onnx;
using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;
using CnnGen.Tests.OnnxExport;
using CnnGen.Tests.Reference;

namespace CnnGen.Tests;

/// <summary>
/// ZeroPadding1D/2D and UpSampling1D/2D: forward against the reference network, dL/d(input) and
/// dL/d(parameters) against central differences, and what the architecture says of them.
/// TorchReferenceTests compares the same networks with PyTorch.
/// </summary>
[Trait("Category", "Numerics")]
public class ResamplingTests
{
    public static TheoryData<string> Networks => new()
    {
        nameof(ZeroPaddingNet), nameof(ZeroPaddingSignalNetChannelsFirst), nameof(UpSamplingNetChannelsFirst), nameof(UpSamplingSignalNet),
        nameof(ResamplingGraphNet), nameof(OneChannelResamplingNet), nameof(LongRowBilinearNet),
    };

    internal static INetwork Create(string name, int seed) => name switch
    {
        nameof(ZeroPaddingNet) => new ZeroPaddingNet(seed),
        nameof(ZeroPaddingSignalNetChannelsFirst) => new ZeroPaddingSignalNetChannelsFirst(seed),
        nameof(UpSamplingNetChannelsFirst) => new UpSamplingNetChannelsFirst(seed),
        nameof(UpSamplingSignalNet) => new UpSamplingSignalNet(seed),
        nameof(ResamplingGraphNet) => new ResamplingGraphNet(seed),
        nameof(OneChannelResamplingNet) => new OneChannelResamplingNet(seed),
        nameof(LongRowBilinearNet) => new LongRowBilinearNet(seed),
        _ => throw new ArgumentException("No network " + name, nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void ForwardMatchesTheReference(string name) => ReferenceChecks.ForwardMatchesTheReference(seed => Create(name, seed), name);

    [Theory]
    [MemberData(nameof(Networks))]
    public void GradientsMatchCentralDifferences(string name) => ReferenceChecks.GradientsMatchCentralDifferences(seed => Create(name, seed), name, inputsChecked: 1000);

    /// <summary>Zero padding exports as Pad of zeros, up-sampling as Resize; ONNX Runtime computes what the generated code does.</summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void TheOnnxExportRunsTheSameInOnnxRuntime(string name)
    {
        var network = Create(name, seed: 3);
        ForwardTests.RandomizeBiases(network, seed: 4);
        OnnxExportTests.AssertSameInOnnxRuntime(network, name);
    }

    [Fact]
    public void TheOnnxNodesArePadAndResizeWithKerasSemantics()
    {
        var zero = OnnxExporter.CreateModel(new ZeroPaddingNet(seed: 1)).Graph;
        var pads = zero.Node.Where(n => n.OpType == "Pad").ToArray();
        Assert.Equal(2, pads.Length);
        Assert.Equal("constant", Assert.Single(pads[1].Attribute, a => a.Name == "mode").S.ToStringUtf8());
        var padValues = zero.Initializer.Single(t => t.Name == pads[1].Input[1]).Int64Data;
        Assert.Equal(new long[] { 0, 0, 2, 1, 0, 0, 0, 3 }, padValues);

        var up = OnnxExporter.CreateModel(new UpSamplingNetChannelsFirst(seed: 1)).Graph;
        var resizes = up.Node.Where(n => n.OpType == "Resize").ToArray();
        Assert.Equal(4, resizes.Length);
        string Attribute(global::Onnx.NodeProto node, string attribute) => node.Attribute.Single(a => a.Name == attribute).S.ToStringUtf8();
        Assert.Equal(("linear", "half_pixel"), (Attribute(resizes[0], "mode"), Attribute(resizes[0], "coordinate_transformation_mode")));
        Assert.Equal(("nearest", "asymmetric", "floor"),
            (Attribute(resizes[1], "mode"), Attribute(resizes[1], "coordinate_transformation_mode"), Attribute(resizes[1], "nearest_mode")));
    }

    /// <summary>The reference's zero padding (which the tests above trust) is the input framed with zeros.</summary>
    [Fact]
    public void ZeroPaddingOfTheInputIsTheInputFramedWithZeros()
    {
        // Layer 0 of ZeroPaddingNet: 7x6x3 -> 9x8x3, one cell of zeros on every side.
        INetwork network = new ZeroPaddingNet(seed: 1);
        var input = Numerics.Random(network.InputSize, seed: 5);
        var padded = ReferenceNetwork.ForwardAll(network.Architecture, network.Parameters, input)[1];
        Assert.Equal(9 * 8 * 3, padded.Length);
        for (var h = 0; h < 9; h++)
        for (var w = 0; w < 8; w++)
        for (var c = 0; c < 3; c++)
        {
            var inside = h is >= 1 and <= 7 && w is >= 1 and <= 6;
            Assert.Equal(inside ? input[((h - 1) * 6 + w - 1) * 3 + c] : 0.0, padded[(h * 8 + w) * 3 + c]);
        }
    }

    [Fact]
    public void TheArchitectureDescribesPadsSizesAndInterpolation()
    {
        var zero = ZeroPaddingNet.Architecture.Layers;
        Assert.Equal(LayerKind.ZeroPadding2D, zero[0].Kind);
        Assert.Equal((1, 1, 1, 1), (zero[0].PadTop, zero[0].PadBottom, zero[0].PadLeft, zero[0].PadRight));
        Assert.Equal((2, 0, 1, 3), (zero[2].PadTop, zero[2].PadBottom, zero[2].PadLeft, zero[2].PadRight));
        Assert.Equal(new[] { 9, 10, 4 }, zero[2].OutputShape);
        Assert.Equal(0, zero[2].ParameterCount);

        var signal = ZeroPaddingSignalNetChannelsFirst.Architecture.Layers;
        Assert.Equal(LayerKind.ZeroPadding1D, signal[1].Kind);
        Assert.Equal((0, 0, 2, 1), (signal[1].PadTop, signal[1].PadBottom, signal[1].PadLeft, signal[1].PadRight));
        Assert.Equal(new[] { 4, 12 }, signal[1].OutputShape);

        var up = UpSamplingNetChannelsFirst.Architecture.Layers;
        Assert.Equal(LayerKind.UpSampling2D, up[0].Kind);
        Assert.Equal((2, 2, Interpolation.Bilinear), (up[0].UpSamplingHeight, up[0].UpSamplingWidth, up[0].Interpolation));
        Assert.Equal((2, 3, Interpolation.Nearest), (up[2].UpSamplingHeight, up[2].UpSamplingWidth, up[2].Interpolation));
        Assert.Equal(new[] { 4, 16, 12 }, up[2].OutputShape);
        // Not a window: stride, kernel and pads keep their defaults.
        Assert.Equal((1, 1, 1, 1, 0), (up[2].StrideHeight, up[2].StrideWidth, up[2].KernelHeight, up[2].KernelWidth, up[2].PadTop));

        var line = UpSamplingSignalNet.Architecture.Layers;
        Assert.Equal((1, 3, Interpolation.Bilinear), (line[2].UpSamplingHeight, line[2].UpSamplingWidth, line[2].Interpolation));
    }

    [Fact]
    public void TheFingerprintTellsInterpolationsAndPadsApart()
    {
        var nearest = UpSamplingNetChannelsFirst.Architecture;
        var layers = nearest.Layers.ToArray();
        layers[0] = With(layers[0], interpolation: Interpolation.Nearest);
        var other = new NetworkArchitecture
        {
            Name = nearest.Name, DataFormat = nearest.DataFormat, InputShape = nearest.InputShape, OutputShape = nearest.OutputShape,
            ParameterCount = nearest.ParameterCount, Layers = layers,
        };
        Assert.NotEqual(nearest.Fingerprint, other.Fingerprint);
        Assert.Contains(";up=2x2;interp=Bilinear", nearest.CanonicalDescription());
        Assert.Contains(";p=2,0,1,3", ZeroPaddingNet.Architecture.CanonicalDescription());
    }

    private static LayerInfo With(LayerInfo layer, Interpolation interpolation) => new()
    {
        Kind = layer.Kind, Name = layer.Name, InputShape = layer.InputShape, OutputShape = layer.OutputShape,
        UpSamplingHeight = layer.UpSamplingHeight, UpSamplingWidth = layer.UpSamplingWidth, Interpolation = interpolation,
    };
}
