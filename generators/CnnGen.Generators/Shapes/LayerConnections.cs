using System.Collections.Generic;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Dsl;
using CnnGen.Generators.Layers;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Shapes;

/// <summary>
/// Which outputs each layer reads: the previous layer's by default, the one From names, or a
/// merge's inputs. Names resolve to earlier layers or "input" (index -1); a name that is
/// unknown, later or the layer itself is reported on the argument that wrote it. Layers are
/// declared in order, so the graph has no cycle by construction.
/// </summary>
internal static class LayerConnections
{
    /// <summary>One resolved reference: the layer read (-1: the network input) and where its name was written.</summary>
    public readonly record struct Reference(int Index, LocationInfo? Location);

    /// <summary>
    /// The inputs of every layer, or null after reporting a name that does not resolve. A layer
    /// that reads the previous one (as every layer of a chain does) has a null entry. Layers with
    /// errors of their own (<see cref="LayerSpec.IsIncomplete"/>) read the previous layer, so
    /// that their neighbours are still checked.
    /// </summary>
    public static List<Reference[]?>? Resolve(NetworkSpec spec, IReadOnlyList<string> names, List<DiagnosticInfo> report)
    {
        var all = new List<Reference[]?>(spec.Layers.Count);
        if (IsChain(spec))
        {
            // Nothing to look up: no name table for the (possibly 100,000) layers of a chain.
            for (var i = 0; i < spec.Layers.Count; i++)
            {
                all.Add(null);
            }

            return all;
        }

        var indexByName = new Dictionary<string, int>(System.StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (!indexByName.ContainsKey(names[i]))
            {
                indexByName.Add(names[i], i);
            }
        }

        var ok = true;
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            var written = Written(layer, out var key);
            if (written is null)
            {
                all.Add(null);
                continue;
            }

            var references = new Reference[written.Count];
            for (var j = 0; j < written.Count; j++)
            {
                var location = key == LayerVocabulary.From ? layer.Locate(key) : layer.Locate(key, j);
                var index = Find(spec, names, indexByName, i, written[j], location, report);
                ok &= index is not null;
                references[j] = new Reference(index ?? -1, location);
            }

            all.Add(references);
        }

        return ok ? all : null;
    }

    /// <summary>True when no layer names what it reads.</summary>
    private static bool IsChain(NetworkSpec spec)
    {
        foreach (var layer in spec.Layers)
        {
            if (Written(layer, out _) is not null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The names a layer was given to read (From's, or a merge's inputs), or null for the default; <paramref name="key"/> is the option that holds them.</summary>
    private static IReadOnlyList<string>? Written(LayerSpec layer, out string key)
    {
        key = LayerVocabulary.From;
        if (layer.IsIncomplete)
        {
            return null;
        }

        if (LayerFamilies.Syntax(layer.Kind).InputsOption is { } inputs)
        {
            key = inputs.Key;
            return layer.Value(key)?.Words ?? EquatableArray<string>.Empty;
        }

        return layer.Value(key) is { Words.Count: 1 } from ? from.Words : null;
    }

    private static int? Find(NetworkSpec spec, IReadOnlyList<string> names, Dictionary<string, int> indexByName, int layer, string name,
        LocationInfo? location, List<DiagnosticInfo> report)
    {
        if (name == LayerVocabulary.NetworkInput)
        {
            return -1;
        }

        var kind = ShapeInference.KindName(spec, spec.Layers[layer].Kind);
        if (indexByName.TryGetValue(name, out var index) && index < layer)
        {
            return index;
        }

        if (index == layer && indexByName.ContainsKey(name))
        {
            report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerReferenceNotBefore, location, kind, names[layer], name,
                "its own output", "Read an earlier layer, or 'input'."));
            return null;
        }

        if (indexByName.ContainsKey(name))
        {
            report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerReferenceNotBefore, location, kind, names[layer], name,
                "which is written after it", "Write '" + name + "' before '" + names[layer] + "', or read an earlier layer."));
            return null;
        }

        var candidates = new List<string> { LayerVocabulary.NetworkInput };
        for (var i = 0; i < layer; i++)
        {
            candidates.Add(names[i]);
        }

        report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownLayerReference, location, kind, names[layer], name, spec.ClassName,
            DidYouMean.Sentence(name, candidates)));
        return null;
    }

    /// <summary>A layer that takes From and also lists its inputs (a merge): reported on From.</summary>
    public static bool CheckFromOnMerge(NetworkSpec spec, LayerSpec layer, string name, List<DiagnosticInfo> report)
    {
        if (LayerFamilies.Syntax(layer.Kind).InputsOption is null || layer.Value(LayerVocabulary.From) is not { } from)
        {
            return true;
        }

        report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FromOnMerge, layer.Locate(LayerVocabulary.From), ShapeInference.KindName(spec, layer.Kind),
            name, spec.Origin.IsDsl ? LayerVocabulary.From : "From", from.Words.Count > 0 ? from.Words[0] : string.Empty));
        return false;
    }

    /// <summary>Warns about every layer but the last whose output no later layer reads.</summary>
    public static void ReportUnused(NetworkSpec spec, IReadOnlyList<LayerModel> layers, List<DiagnosticInfo> report)
    {
        var used = new bool[layers.Count];
        for (var i = 0; i < layers.Count; i++)
        {
            var inputs = layers[i].Inputs;
            for (var k = 0; k < inputs.Count; k++)
            {
                if (inputs[k] >= 0)
                {
                    used[inputs[k]] = true;
                }
            }
        }

        for (var i = 0; i < layers.Count - 1; i++)
        {
            if (!used[i])
            {
                var name = layers[i].Name;
                report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnusedLayerOutput, spec.Layers[i].Locate(LayerVocabulary.LayerKey),
                    ShapeInference.KindName(spec, layers[i].Kind), name, spec.Origin.IsDsl ? "from: " + name : "From = \"" + name + "\""));
            }
        }
    }
}
