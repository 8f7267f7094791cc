using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Model;
using CnnGen.Generators.Shapes;

namespace CnnGen.Generators.Analysis;

/// <summary>
/// The numbers a code fix needs, put on the diagnostic by the analyzer (so the fixer, which
/// only edits syntax, never infers a shape). They come from the same shape inference: the
/// shape a layer receives is the output of the network cut just before it.
/// </summary>
internal static class FixProperties
{
    /// <summary>CNN0103: the largest size the kernel or pool argument at fault can take and fit its input.</summary>
    public const string LargestWindow = nameof(LargestWindow);

    /// <summary>CNN0101: the spatial rank of the layer's input (0 vector, 1 sequence, 2 image).</summary>
    public const string InputRank = nameof(InputRank);

    /// <summary>CNN0104: the output the layers produce, comma-separated in the network's data format ("4,4,16").</summary>
    public const string InferredOutput = nameof(InferredOutput);

    /// <summary>CNN0019: the existing layer name closest to the one written (the message's suggestion).</summary>
    public const string ClosestName = nameof(ClosestName);

    /// <summary>CNN0111: the most groups, at most those written, that divide both the input channels and the filters.</summary>
    public const string FittingGroups = nameof(FittingGroups);

    /// <summary>CNN0112: the largest output padding the stride allows (with what 'same' adds), for the value the diagnostic sits on.</summary>
    public const string LargestOutputPadding = nameof(LargestOutputPadding);

    /// <summary>The properties of one diagnostic of the network at <paramref name="index"/>, or null when no fix needs any.</summary>
    public static ImmutableDictionary<string, string?>? For(DiagnosticInfo diagnostic, NetworkCatalog catalog, int index)
    {
        var descriptor = diagnostic.Descriptor;
        if (ReferenceEquals(descriptor, DiagnosticDescriptors.WindowTooLarge))
        {
            return Property(LargestWindow, FittingWindow(diagnostic, catalog, index));
        }

        if (ReferenceEquals(descriptor, DiagnosticDescriptors.WrongInputRank))
        {
            var layer = LayerAt(catalog.Networks[index], diagnostic.Location);
            return Property(InputRank, layer < 0 ? null : InputOf(catalog, index, layer)?.SpatialRank);
        }

        if (ReferenceEquals(descriptor, DiagnosticDescriptors.OutputMismatch))
        {
            var spec = catalog.Networks[index];
            var output = InputOf(catalog, index, spec.Layers.Count);
            return output is { } shape
                ? ImmutableDictionary<string, string?>.Empty.Add(InferredOutput, string.Join(",", shape.Dims(spec.Format).Select(d => d.ToString(CultureInfo.InvariantCulture))))
                : null;
        }

        if (ReferenceEquals(descriptor, DiagnosticDescriptors.GroupsDoNotDivide))
        {
            return Property(FittingGroups, Groups(diagnostic, catalog, index));
        }

        if (ReferenceEquals(descriptor, DiagnosticDescriptors.TransposedOutputDoesNotFit))
        {
            return Property(LargestOutputPadding, OutputPadding(diagnostic, catalog.Networks[index]));
        }

        if (ReferenceEquals(descriptor, DiagnosticDescriptors.UnknownLayerReference)
            && diagnostic.MessageArgs.Count == 5 && Dsl.DidYouMean.Suggested(diagnostic.MessageArgs[4]) is { } closest)
        {
            return ImmutableDictionary<string, string?>.Empty.Add(ClosestName, closest);
        }

        return null;
    }

    private static int? Groups(DiagnosticInfo diagnostic, NetworkCatalog catalog, int index)
    {
        var spec = catalog.Networks[index];
        var layerIndex = LayerAt(spec, diagnostic.Location);
        if (layerIndex < 0 || InputOf(catalog, index, layerIndex) is not { } input)
        {
            return null;
        }

        var layer = spec.Layers[layerIndex];
        var (channels, filters) = (input.Channels, layer.Filters);
        for (var groups = System.Math.Min(layer.Number(LayerVocabulary.Groups, 1), System.Math.Min(channels, filters)); groups > 1; groups--)
        {
            if (channels % groups == 0 && filters % groups == 0)
            {
                return groups;
            }
        }

        return 1;
    }

    private static ImmutableDictionary<string, string?>? Property(string key, int? value) =>
        value is { } number ? ImmutableDictionary<string, string?>.Empty.Add(key, number.ToString(CultureInfo.InvariantCulture)) : null;

    /// <summary>
    /// The largest window that fits: per dimension for a size written per dimension (the
    /// diagnostic sits on that argument), else the smallest over the dimensions, since one
    /// size applies to all of them.
    /// </summary>
    private static int? FittingWindow(DiagnosticInfo diagnostic, NetworkCatalog catalog, int index)
    {
        var spec = catalog.Networks[index];
        var layerIndex = LayerAt(spec, diagnostic.Location);
        if (layerIndex < 0 || InputOf(catalog, index, layerIndex) is not { } input)
        {
            return null;
        }

        var layer = spec.Layers[layerIndex];
        var rank = LayerVocabulary.SpatialRank(layer.Kind);
        // With explicit pads a smaller window can break the pads' own limit (CNN0110): no mechanical fix.
        if (rank is < 1 or > 2 || input.SpatialRank != rank || layer.Window.Count is < 1 or > 2 || Layers.ExplicitPadding.IsDeclared(layer))
        {
            return null;
        }

        var sizes = rank == 1 ? new[] { input.Width } : new[] { input.Height, input.Width };
        var dilations = LayerVocabulary.IsConvolution(layer.Kind) ? layer.Dilation : EquatableArray<int>.Empty;
        var dims = Enumerable.Range(0, rank).ToList();
        if (layer.Window.Count == rank && rank == 2)
        {
            var key = LayerVocabulary.WindowKey(layer.Kind);
            dims = dims.Where(dim => Equals(layer.Find(key + "[" + dim + "]"), diagnostic.Location)).ToList();
        }

        int? largest = null;
        foreach (var dim in dims)
        {
            var window = layer.Window[layer.Window.Count == 1 ? 0 : dim];
            var dilation = dilations.Count switch { 0 => 1, 1 => dilations[0], _ => dilations[dim] };
            var fits = Largest(sizes[dim], window, dilation, layer.Padding);
            largest = largest is { } other ? System.Math.Min(other, fits) : fits;
        }

        return largest;
    }

    /// <summary>The largest window of at most <paramref name="window"/> whose output is at least 1, by the one formula (<see cref="SpatialMath.Apply"/>).</summary>
    private static int Largest(int input, int window, int dilation, PaddingMode padding)
    {
        // Binary search: the output shrinks as the window grows, and a window of 1 always fits.
        int low = 1, high = System.Math.Max(window, 1);
        while (low < high)
        {
            var middle = low + (high - low + 1) / 2;
            if (SpatialMath.Apply(input, middle, 1, dilation, padding).Output >= 1)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }

    /// <summary>
    /// The largest output padding allowed where the diagnostic sits: below the stride less what
    /// 'same' adds (a kernel smaller than the stride), and at least 0; for one value written for
    /// every dimension, the smallest over them. Null when the diagnostic is not about the output
    /// padding (pads that crop every cell).
    /// </summary>
    private static int? OutputPadding(DiagnosticInfo diagnostic, NetworkSpec spec)
    {
        var layerIndex = LayerAt(spec, diagnostic.Location);
        if (layerIndex < 0)
        {
            return null;
        }

        var layer = spec.Layers[layerIndex];
        var values = layer.Numbers(LayerVocabulary.OutputPadding);
        var rank = LayerVocabulary.SpatialRank(layer.Kind);
        if (values.Count == 0 || rank is < 1 or > 2)
        {
            return null;
        }

        var window = Layers.WindowInference.Expand(layer.Window, 1);
        var stride = Layers.WindowInference.Expand(layer.Stride, 1);
        var dilation = Layers.WindowInference.Expand(layer.Dilation, 1);
        var dims = Enumerable.Range(2 - rank, rank).ToList();
        if (values.Count == rank && rank == 2)
        {
            dims = dims.Where(dim => Equals(layer.Find(LayerVocabulary.OutputPaddings + "[" + dim + "]") ?? layer.Find(LayerVocabulary.OutputPadding + "[" + dim + "]"),
                diagnostic.Location)).ToList();
        }

        int? largest = null;
        var outOfRange = false;
        foreach (var dim in dims)
        {
            var value = values[values.Count == 1 ? 0 : rank == 1 ? 0 : dim];
            var added = layer.Padding == PaddingMode.Same ? (int)System.Math.Max(stride[dim] - SpatialMath.EffectiveKernel(window[dim], dilation[dim]), 0) : 0;
            var allowed = System.Math.Max(stride[dim] - 1 - added, 0);
            outOfRange |= value < 0 || value > allowed;
            largest = largest is { } other ? System.Math.Min(other, allowed) : allowed;
        }

        return outOfRange ? largest : null;
    }

    /// <summary>The index of the layer one of whose arguments sits at <paramref name="location"/>, or -1.</summary>
    private static int LayerAt(NetworkSpec spec, LocationInfo? location)
    {
        for (var i = 0; location is not null && i < spec.Layers.Count; i++)
        {
            foreach (var named in spec.Layers[i].Locations)
            {
                if (named.Location.Equals(location))
                {
                    return i;
                }
            }
        }

        return -1;
    }

    /// <summary>
    /// The shape layer <paramref name="layer"/> receives: the output of the same network cut
    /// before it, with no declared output and none of its parse errors (only shapes are asked).
    /// Null when the layers before it do not infer.
    /// </summary>
    private static TensorShape? InputOf(NetworkCatalog catalog, int index, int layer)
    {
        var spec = catalog.Networks[index];
        var cut = spec with
        {
            Layers = spec.Layers.Take(layer).ToEquatableArray(),
            DeclaredOutput = null,
            ParseDiagnostics = EquatableArray<DiagnosticInfo>.Empty,
        };
        var networks = new List<NetworkSpec>(catalog.Networks) { [index] = cut };
        var analysis = NetworkCompiler.Analyze(new NetworkCatalog(networks.ToEquatableArray()), index);
        return analysis.Model.IsValid ? analysis.Model.Output : null;
    }
}
