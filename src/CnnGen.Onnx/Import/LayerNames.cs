using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Onnx;

namespace CnnGen.Onnx;

/// <summary>
/// Layer names from ONNX node names, made valid: PyTorch's "/features/features.0/Conv" names
/// the layer features_0, "/fc1/Gemm" fc1; a node named only by its operator ("/Relu_1",
/// "Conv_0", or no name) gets CnnGen's default name (conv2d_1), which the declaration leaves
/// out. Names are unique, and so are the accessors the generator derives from them.
/// </summary>
internal static class LayerNames
{
    /// <summary>
    /// Accessors the generated class already has, which a layer's accessor must not hide (the
    /// generator's rule for layers with parameters; a test checks that the lists agree).
    /// </summary>
    internal static readonly IReadOnlyCollection<string> ReservedAccessors = new HashSet<string>(StringComparer.Ordinal)
    {
        "InputSize", "OutputSize", "ParameterCount", "InputShape", "OutputShape", "Summary", "Parameters", "Gradients",
        "Forward", "Backward", "Architecture", "Layers", "CreateWorkspace", "Workspace", "TrainStep", "Fit", "Evaluate",
        "Predict", "Save", "Load", "State", "StateCount", "GetType", "ToString", "Equals", "GetHashCode", "MemberwiseClone", "Finalize",
        "PackWeights", "WeightsPacked", "CreateInferenceWorkspace", "Weights", "Origin", "Layer", "InitializeParameters",
    };

    private const int MaxLength = 128;

    /// <summary>The final name of every layer, and whether the declaration must write it (it differs from the default).</summary>
    public static IReadOnlyList<(string Name, bool Explicit)> Assign(IReadOnlyList<LayerDraft> layers, string className)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { "input" };
        var accessors = new HashSet<string>(StringComparer.Ordinal) { className };
        var counts = new Dictionary<LayerKind, int>();
        var result = new List<(string, bool)>();
        foreach (var layer in layers)
        {
            counts[layer.Kind] = counts.GetValueOrDefault(layer.Kind) + 1;
            var fallback = LayerSyntax.DslName(layer.Kind) + "_" + counts[layer.Kind].ToString(CultureInfo.InvariantCulture);
            var (candidate, qualified) = Candidates(layer.NamingNode);
            var hasParameters = layer.Kernel is not null;
            var name = new[] { candidate ?? fallback, qualified }
                .Where(n => n is not null)
                .FirstOrDefault(n => IsFree(n!, hasParameters, names, accessors))
                ?? Numbered(candidate ?? fallback, hasParameters, names, accessors);
            names.Add(name);
            if (hasParameters)
            {
                accessors.Add(AccessorName(name));
            }

            result.Add((name, name != fallback));
        }

        return result;
    }

    /// <summary>"conv2d_1" -> "Conv2d1": the generated per-layer accessor (the generator's rule).</summary>
    internal static string AccessorName(string layerName)
    {
        var builder = new StringBuilder();
        var upper = true;
        foreach (var c in layerName)
        {
            if (c is '_' or '-' or ' ' or '.')
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return builder.ToString();
    }

    /// <summary>The module's own name (features_0) and the whole scope (blocks_1_block_0 for "/blocks/blocks.1/block/block.0/Conv"), or nulls for an unnamed node.</summary>
    private static (string? Short, string? Qualified) Candidates(NodeProto node)
    {
        var segments = node.Name.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (segments.Count > 0 && IsOperatorName(segments[^1], node.OpType))
        {
            segments.RemoveAt(segments.Count - 1);
        }

        // PyTorch repeats each scope's name in its children's ("/blocks/blocks.1/block/block.0/Conv"):
        // a segment that the next one extends adds nothing to the qualified name (blocks_1_block_0).
        var qualified = segments.Where((segment, i) => i + 1 == segments.Count || !segments[i + 1].StartsWith(segment + ".", StringComparison.Ordinal));
        return segments.Count == 0 ? (null, null) : (Sanitize(segments[^1]), Sanitize(string.Join("_", qualified)));
    }

    /// <summary>"Conv", "Conv_3": the exporter's name for an operator, not a module's.</summary>
    private static bool IsOperatorName(string segment, string opType) =>
        segment == opType || segment.StartsWith(opType + "_", StringComparison.Ordinal) && segment[(opType.Length + 1)..].All(char.IsAsciiDigit);

    /// <summary>A letter, then letters, digits and single underscores; at most 128 characters.</summary>
    private static string? Sanitize(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            var valid = char.IsAsciiLetterOrDigit(c);
            if (valid)
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '_')
            {
                builder.Append('_');
            }
        }

        var name = builder.ToString().TrimEnd('_');
        if (name.Length == 0)
        {
            return null;
        }

        if (!char.IsAsciiLetter(name[0]))
        {
            name = "layer_" + name;
        }

        return name.Length <= MaxLength ? name : name[..MaxLength].TrimEnd('_');
    }

    private static bool IsFree(string name, bool hasParameters, HashSet<string> names, HashSet<string> accessors)
    {
        if (names.Contains(name))
        {
            return false;
        }

        var accessor = AccessorName(name);
        return !hasParameters || !accessors.Contains(accessor) && !ReservedAccessors.Contains(accessor);
    }

    private static string Numbered(string stem, bool hasParameters, HashSet<string> names, HashSet<string> accessors)
    {
        stem = stem.Length > MaxLength - 8 ? stem[..(MaxLength - 8)] : stem;
        for (var i = 2; ; i++)
        {
            var name = stem + "_" + i.ToString(CultureInfo.InvariantCulture);
            if (IsFree(name, hasParameters, names, accessors))
            {
                return name;
            }
        }
    }
}
