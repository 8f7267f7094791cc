using CnnGen.Generators.Tests.Infrastructure;

namespace CnnGen.Generators.Tests.Emit;

/// <summary>
/// Golden files of the generated source (Emit/Snapshots/*.verified.cs): first the set of
/// generated file names, then each file. Run with UPDATE_SNAPSHOTS=1 to accept a deliberate
/// change of the emitter, after reading the diff.
/// </summary>
public class GeneratedSourceSnapshotTests
{
    [Fact]
    public void LeNet5In2DChannelsLast() => Verify(nameof(SampleNetworks.LeNet5), SampleNetworks.LeNet5, "Zoo.LeNet5.g.cs");

    [Fact]
    public void Signal1DChannelsLastInTheGlobalNamespace() => Verify(nameof(SampleNetworks.Signal1D), SampleNetworks.Signal1D, "SignalNet.g.cs");

    [Fact]
    public void ChannelsFirst2DWithRectangularKernelsStridesAndDilations() =>
        Verify(nameof(SampleNetworks.ChannelsFirst), SampleNetworks.ChannelsFirst, "Vision.Models.PlanarNet.g.cs");

    [Fact]
    public void ChannelsFirst1D() => Verify(nameof(SampleNetworks.ChannelsFirst1D), SampleNetworks.ChannelsFirst1D, "Audio.Wave.g.cs");

    [Fact]
    public void NetworkWithInputFromAnotherNetwork() =>
        Verify(nameof(SampleNetworks.Chained), SampleNetworks.Chained, "Chain.Encoder.g.cs", "Chain.Head.g.cs");

    [Fact]
    public void NestedClassInANamespace() =>
        Verify(nameof(SampleNetworks.Nested), SampleNetworks.Nested, "Company.Product.Outer.Models.Regressor.g.cs");

    [Fact]
    public void CustomLayerNames() => Verify(nameof(SampleNetworks.CustomNames), SampleNetworks.CustomNames, "Zoo.Named.g.cs");

    [Fact]
    public void GraphWithASkipConnectionAGateAndAConcatenation() => Verify(nameof(SampleNetworks.Graph), SampleNetworks.Graph, "Zoo.Residual.g.cs");

    [Fact]
    public void DeclarationWithErrorsGetsNoFile() => Verify(nameof(SampleNetworks.Invalid), SampleNetworks.Invalid);

    private static void Verify(string name, string source, params string[] expectedFiles)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Equal(expectedFiles.OrderBy(f => f, StringComparer.Ordinal), run.Sources.Keys.OrderBy(f => f, StringComparer.Ordinal));
        foreach (var file in expectedFiles)
        {
            Snapshot.Verify(name + "." + file[..^".g.cs".Length], run.Sources[file]);
        }
    }
}
