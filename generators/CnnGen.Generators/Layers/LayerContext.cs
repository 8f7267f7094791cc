using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Model;
using CnnGen.Generators.Shapes;
using Microsoft.CodeAnalysis;

namespace CnnGen.Generators.Layers;

/// <summary>
/// One layer during shape inference: its declaration, the shape it receives and the means to
/// report problems in the user's words (attribute or .cnn spelling). Families check and infer
/// through it; it never throws.
/// </summary>
internal sealed class LayerContext
{
    private readonly List<DiagnosticInfo> _report;

    public LayerContext(NetworkSpec network, LayerSpec spec, string name, IReadOnlyList<LayerInput> inputs, int parameterOffset, bool hasPoolingBefore,
        List<DiagnosticInfo> report)
    {
        Network = network;
        Spec = spec;
        Name = name;
        Inputs = inputs;
        ParameterOffset = parameterOffset;
        HasPoolingBefore = hasPoolingBefore;
        _report = report;
    }

    public NetworkSpec Network { get; }

    public LayerSpec Spec { get; }

    /// <summary>The layer's name (declared or default).</summary>
    public string Name { get; }

    /// <summary>The shape the layer receives: its first input's (meaningless during <see cref="LayerFamily.Validate"/>).</summary>
    public TensorShape Input => Inputs.Count > 0 ? Inputs[0].Shape : default;

    /// <summary>The outputs the layer reads, resolved, in order (empty during <see cref="LayerFamily.Validate"/>).</summary>
    public IReadOnlyList<LayerInput> Inputs { get; }

    public int ParameterOffset { get; }

    /// <summary>Whether a pooling layer comes before this one (a fix can then be to remove it).</summary>
    public bool HasPoolingBefore { get; }

    public DataFormat Format => Network.Format;

    public bool IsDsl => Network.Origin.IsDsl;

    /// <summary>The kind as the user wrote it: Conv2D for attributes, conv2d in .cnn files.</summary>
    public string KindName => KindNameOf(Spec.Kind);

    /// <summary>"Conv2D 'conv2d_1'": how messages name the layer.</summary>
    public string Title => KindName + " '" + Name + "'";

    public string KindNameOf(LayerKind kind) => IsDsl ? LayerVocabulary.SnakeName(kind) : LayerVocabulary.DisplayName(kind);

    /// <summary>How to write a layer in the user's language: [Flatten] or flatten().</summary>
    public string Suggest(LayerKind kind) =>
        IsDsl ? LayerVocabulary.SnakeName(kind) + (kind == LayerKind.Flatten ? "()" : "(...)") : "[" + LayerVocabulary.DisplayName(kind) + "]";

    public void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] args) =>
        _report.Add(DiagnosticInfo.Create(descriptor, location, args));

    /// <summary>Where the layer itself was written.</summary>
    public LocationInfo? LayerLocation => Spec.Locate(LayerVocabulary.LayerKey);

    /// <summary>Reports a layer applied to a tensor of the wrong rank; returns null for the caller to return.</summary>
    public LayerModel? WrongRank(string needs, string fix)
    {
        Report(DiagnosticDescriptors.WrongInputRank, LayerLocation, KindName, Name, needs, Input.Display(Format), Input.RankDescription(Format), fix);
        return null;
    }

    /// <summary>Checks a layer's parameter count (exactly: kernels can overflow a long) against the limit.</summary>
    public bool WithinParameterLimit(BigInteger kernel, int biases)
    {
        if (kernel + biases <= ShapeInference.MaxParameters)
        {
            return true;
        }

        Report(DiagnosticDescriptors.SizeLimitExceeded, LayerLocation, Title, Number(kernel + biases), "parameters",
            Number(ShapeInference.MaxParameters), "make the layer smaller");
        return false;
    }

    /// <summary>Checks one sample's output size against the limit.</summary>
    public bool WithinTensorLimit(BigInteger elements)
    {
        if (elements <= ShapeInference.MaxTensorElements)
        {
            return true;
        }

        Report(DiagnosticDescriptors.SizeLimitExceeded, LayerLocation, Title, Number(elements), "output values per sample",
            Number(ShapeInference.MaxTensorElements), "make the layer smaller");
        return false;
    }

    /// <summary>A layer without parameters or a window.</summary>
    public LayerModel Plain(TensorShape output, ActivationKind activation = ActivationKind.Linear) =>
        Model(output, null, activation, useBias: false, kernelLength: 0, biasLength: 0, multiplyAdds: 0);

    public LayerModel Model(TensorShape output, Window? window, ActivationKind activation, bool useBias, int kernelLength, int biasLength,
        long multiplyAdds) =>
        new(Spec.Kind, Name, NetworkNames.AccessorName(Name), Input, output, window, activation, useBias, ParameterOffset, kernelLength,
            biasLength, multiplyAdds)
        {
            Inputs = InputIndices(),
        };

    private EquatableArray<int> InputIndices()
    {
        if (Inputs.Count == 1)
        {
            return new EquatableArray<int>(System.Collections.Immutable.ImmutableArray.Create(Inputs[0].Index));
        }

        var indices = System.Collections.Immutable.ImmutableArray.CreateBuilder<int>(Inputs.Count);
        foreach (var input in Inputs)
        {
            indices.Add(input.Index);
        }

        return new EquatableArray<int>(indices.MoveToImmutable());
    }

    /// <summary>How to write a merge in the user's language: [Add("a", "b")] or add(a, b).</summary>
    public string SuggestMerge(LayerKind kind, string first, string second) => IsDsl
        ? LayerVocabulary.SnakeName(kind) + "(" + first + ", " + second + ")"
        : "[" + LayerVocabulary.DisplayName(kind) + "(\"" + first + "\", \"" + second + "\")]";

    /// <summary>"length", "height" or "width": the name of a spatial dimension of a layer of the given rank.</summary>
    public static string DimensionName(int rank, int index) => rank == 1 ? "length" : index == 0 ? "height" : "width";

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Number(BigInteger value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>One output a layer reads: the layer's (or the network input's, index -1) name, shape, and where the reference was written.</summary>
internal readonly record struct LayerInput(int Index, string Name, TensorShape Shape, LocationInfo? Location);
