using System.Collections.Generic;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>The one registry of layer families, looked up by kind.</summary>
internal static class LayerFamilies
{
    private static readonly LayerFamily[] All =
    {
        new ConvolutionFamily(),
        new PoolingFamily(),
        new GlobalPoolingFamily(),
        new FlattenFamily(),
        new DenseFamily(),
        new ActivationFamily(),
        new MergeFamily(),
        new ZeroPaddingFamily(),
        new UpSamplingFamily(),
        new DepthwiseConvolutionFamily(),
        new TransposedConvolutionFamily(),
        new BatchNormalizationFamily(),
        new DropoutFamily(),
    };

    private static readonly Dictionary<LayerKind, LayerFamily> ByKind = new();
    private static readonly Dictionary<LayerKind, LayerSyntax> SyntaxByKind = new();
    private static readonly List<LayerSyntax> AllSyntax = new();

    static LayerFamilies()
    {
        foreach (var family in All)
        {
            foreach (var syntax in family.Kinds)
            {
                ByKind.Add(syntax.Kind, family);
                SyntaxByKind.Add(syntax.Kind, syntax);
                AllSyntax.Add(syntax);
            }
        }
    }

    /// <summary>The family of a kind.</summary>
    public static LayerFamily Of(LayerKind kind) => ByKind[kind];

    /// <summary>The family of a layer.</summary>
    public static LayerFamily Of(LayerModel layer) => ByKind[layer.Kind];

    /// <summary>How a kind is written.</summary>
    public static LayerSyntax Syntax(LayerKind kind) => SyntaxByKind[kind];

    /// <summary>Every kind, in the order the families list them.</summary>
    public static IReadOnlyList<LayerSyntax> Kinds => AllSyntax;

    /// <summary>True for a value of <see cref="LayerKind"/> that a family owns.</summary>
    public static bool IsDefined(LayerKind kind) => ByKind.ContainsKey(kind);
}
