namespace CnnGen.Generators.Tests.Model;

/// <summary>
/// The generator cannot reference the runtime, so it mirrors the runtime enums; attribute
/// arguments arrive as raw numbers, so names and values must match exactly.
/// </summary>
public class MirrorEnumTests
{
    [Fact]
    public void PaddingModeMirrorsPadding() => AssertMirror<CnnGen.Padding, Generators.Model.PaddingMode>();

    [Fact]
    public void ActivationKindMirrorsActivation() => AssertMirror<CnnGen.Activation, Generators.Model.ActivationKind>();

    [Fact]
    public void DataFormatMirrorsDataFormat() => AssertMirror<CnnGen.DataFormat, Generators.Model.DataFormat>();

    [Fact]
    public void InterpolationModeMirrorsInterpolation() => AssertMirror<CnnGen.Interpolation, Generators.Model.InterpolationMode>();

    [Fact]
    public void LayerKindMirrorsLayerKind() => AssertMirror<CnnGen.LayerKind, Generators.Model.LayerKind>();

    [Fact]
    public void TheVocabularyListsEveryKindPaddingAndActivation()
    {
        Assert.Equal(Enum.GetValues<Generators.Model.LayerKind>(), Generators.Model.LayerVocabulary.AllKinds);
        Assert.Equal(Enum.GetValues<Generators.Model.PaddingMode>(), Generators.Model.LayerVocabulary.AllPaddings);
        Assert.Equal(Enum.GetValues<Generators.Model.ActivationKind>(), Generators.Model.LayerVocabulary.AllActivations);
        Assert.Equal(Enum.GetValues<Generators.Model.InterpolationMode>(), Generators.Model.LayerVocabulary.AllInterpolations);
    }

    [Fact]
    public void EveryLayerKindHasAnAttribute()
    {
        foreach (var kind in Enum.GetValues<Generators.Model.LayerKind>())
        {
            var name = Generators.Model.LayerVocabulary.AttributeMetadataName(kind);
            var attribute = typeof(NetworkAttribute).Assembly.GetType(name);
            Assert.True(attribute is not null && typeof(Attribute).IsAssignableFrom(attribute), $"no attribute {name}");
        }
    }

    private static void AssertMirror<TRuntime, TMirror>()
        where TRuntime : struct, Enum
        where TMirror : struct, Enum
    {
        var runtime = Enum.GetValues<TRuntime>().Select(v => (Enum.GetName(v), Convert.ToInt32(v))).ToList();
        var mirror = Enum.GetValues<TMirror>().Select(v => (Enum.GetName(v), Convert.ToInt32(v))).ToList();
        Assert.Equal(runtime, mirror);
    }
}
