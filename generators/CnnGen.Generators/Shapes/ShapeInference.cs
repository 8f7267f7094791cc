using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Layers;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Shapes;

/// <summary>
/// Checks a network and computes every shape: the one module that applies the formulas of
/// docs/shapes.md to whole networks. Used by the generator, the CLI and the tests.
/// It reports problems as diagnostics and never throws.
/// </summary>
internal static class ShapeInference
{
    /// <summary>The most floats one sample of one tensor may hold (512 MB).</summary>
    public const long MaxTensorElements = 1L << 27;

    /// <summary>The most parameters a network may hold (512 MB).</summary>
    public const long MaxParameters = 1L << 27;

    /// <summary>The most networks a network's input may pass through (inference recurses once per link).</summary>
    public const int MaxChainLength = 64;

    /// <summary>
    /// The most layers a network may have: the generated code grows with them (a conv layer is
    /// tens of KB of source at three vector widths). Longer networks can be chained.
    /// </summary>
    public const int MaxLayers = 2048;

    /// <summary>
    /// The most workspace floats one sample may need (activations with their frames, their
    /// gradients and backward scratch: 1 GB): every offset the kernels compute then fits an int.
    /// </summary>
    public const long MaxWorkspaceFloats = 1L << 28;

    /// <summary>Analyzes the network at <paramref name="index"/> of the catalog.</summary>
    public static NetworkAnalysis Analyze(NetworkCatalog catalog, int index)
    {
        var spec = catalog.Networks[index];
        var diagnostics = new List<DiagnosticInfo>(spec.ParseDiagnostics);
        var hintIndex = catalog.CountEarlierIgnoringCase(index);
        var first = catalog.FirstIndexOf(spec.FullName);
        if (first != index)
        {
            var other = catalog.Networks[first].Origin;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateNetwork, spec.Location, spec.FullName,
                "also " + other.Describe()));
            return new NetworkAnalysis(Invalid(spec) with { HintIndex = hintIndex }, diagnostics.ToEquatableArray());
        }

        var model = Infer(spec, catalog, diagnostics, new List<string>());
        return new NetworkAnalysis((model ?? Invalid(spec)) with { HintIndex = hintIndex }, diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// Infers a network. <paramref name="diagnostics"/> is null when inferring a network
    /// only to learn its output shape (its own errors are reported where it is declared).
    /// </summary>
    private static NetworkModel? Infer(NetworkSpec spec, NetworkCatalog catalog, List<DiagnosticInfo>? diagnostics, List<string> chain)
    {
        var report = diagnostics ?? new List<DiagnosticInfo>();
        var hasErrors = HasErrors(spec.ParseDiagnostics);
        chain.Add(spec.FullName);
        try
        {
            if (spec.Layers.Count > MaxLayers)
            {
                // Before anything walks the layers: a file may declare hundreds of thousands.
                report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SizeLimitExceeded, spec.Location, "The network '" + spec.ClassName + "'",
                    Number(spec.Layers.Count), "layers", Number(MaxLayers), "split it into networks that take their input from one another"));
                return null;
            }

            var input = InferInput(spec, catalog, report, diagnostics is null, chain, out var inputNetwork);
            var names = NameLayers(spec, report);
            var optionsValid = true;
            for (var i = 0; i < spec.Layers.Count; i++)
            {
                optionsValid &= ValidateOptions(spec, spec.Layers[i], names[i], report);
            }

            if (spec.Layers.Count == 0 && input is not null && diagnostics is not null && !hasErrors)
            {
                report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, spec.Location, spec.ClassName,
                    spec.Origin.IsDsl ? "conv2d(8, 3) or dense(10)" : "[Conv2D(8, 3)] or [Dense(10)]"));
            }

            var connections = LayerConnections.Resolve(spec, names, report);
            if (input is null || names.Count == 0 && spec.Layers.Count > 0 || !optionsValid || connections is null)
            {
                return null;
            }

            var layers = new List<LayerModel>();
            var shape = input.Value;
            var offset = 0L;
            var stateOffset = 0;
            var hasPoolingBefore = false;
            for (var i = 0; i < spec.Layers.Count; i++)
            {
                var references = connections[i];
                var inputs = new LayerInput[references?.Length ?? 1];
                for (var k = 0; k < inputs.Length; k++)
                {
                    var (index, location) = references is null ? (i - 1, null) : (references[k].Index, references[k].Location);
                    inputs[k] = index < 0
                        ? new LayerInput(-1, LayerVocabulary.NetworkInput, input.Value, location)
                        : new LayerInput(index, names[index], layers[index].Output, location);
                }

                var layer = InferLayer(spec, spec.Layers[i], names[i], inputs, (int)offset, hasPoolingBefore, report);
                if (layer is null)
                {
                    return null;
                }

                if (layer.StateLength > 0)
                {
                    // State (moving statistics) is laid out layer by layer like the parameters.
                    layer = layer with { StateOffset = stateOffset };
                    stateOffset += layer.StateLength;
                }

                offset += layer.ParameterCount;
                if (offset > MaxParameters)
                {
                    report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SizeLimitExceeded, spec.Layers[i].Locate(LayerVocabulary.LayerKey),
                        KindName(spec, layer.Kind) + " '" + layer.Name + "'", Number(offset), "parameters in the network up to it", Number(MaxParameters),
                        "make the layers smaller"));
                    return null;
                }

                hasPoolingBefore |= layer.IsPooling;
                layers.Add(layer);
                shape = layer.Output;
            }

            if (spec.DeclaredOutput is { } declared && !CheckDeclaredOutput(spec, declared, shape, report))
            {
                return null;
            }

            if (diagnostics is not null)
            {
                LayerConnections.ReportUnused(spec, layers, report);
            }

            if (WorkspaceBound(layers, shape) is var workspace && workspace > MaxWorkspaceFloats)
            {
                report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SizeLimitExceeded, spec.Location, "The network '" + spec.ClassName + "'",
                    Number(workspace), "workspace floats per sample (activations with their padding, gradients and scratch)",
                    Number(MaxWorkspaceFloats), "make the layers smaller or split the network"));
                return null;
            }

            if (hasErrors || HasErrors(report))
            {
                return null;
            }

            return new NetworkModel(spec.Namespace, spec.ClassName, spec.ContainingTypes, spec.Format, spec.Origin.Describe(),
                inputNetwork, input.Value, shape, layers.ToEquatableArray(), (int)offset, IsValid: true, FromDsl: spec.Origin.IsDsl);
        }
        finally
        {
            chain.RemoveAt(chain.Count - 1);
        }
    }

    /// <summary>
    /// An upper bound of the workspace floats per sample: every tensor stored with its frame,
    /// four times over (activations, gradients, a pre-activation, scratch).
    /// </summary>
    private static BigInteger WorkspaceBound(List<LayerModel> layers, TensorShape output)
    {
        var total = (BigInteger)output.Size;
        foreach (var layer in layers)
        {
            var input = layer.Input;
            total += (BigInteger)(input.Height + layer.PadTop + layer.PadBottom) * (input.Width + layer.PadLeft + layer.PadRight) * input.Channels;
        }

        return total * 4;
    }

    /// <summary>The identity of a network that is not generated: its empty partial class is.</summary>
    public static NetworkModel Invalid(NetworkSpec spec) => new(spec.Namespace, spec.ClassName, spec.ContainingTypes, spec.Format,
        spec.Origin.Describe(), null, default, default, EquatableArray<LayerModel>.Empty, 0, IsValid: false, FromDsl: spec.Origin.IsDsl);

    // ---- Input ---------------------------------------------------------------------------

    private static TensorShape? InferInput(NetworkSpec spec, NetworkCatalog catalog, List<DiagnosticInfo> report, bool quiet,
        List<string> chain, out string? inputNetwork)
    {
        inputNetwork = null;
        if (spec.Input is not { } input)
        {
            if (!HasErrors(spec.ParseDiagnostics))
            {
                report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingInput, spec.Location, spec.ClassName, spec.Origin.IsDsl
                    ? "add an input option, e.g. network " + spec.ClassName + "(input: 28x28x1) for height x width x channels, (input: 100x3) for length x channels, or (input: OtherNetwork)"
                    : "add [Input(height, width, channels)], [Input(length, channels)] or [Input(typeof(OtherNetwork))]"));
            }

            return null;
        }

        if (input.IsIncomplete)
        {
            return null;
        }

        if (input.Network is { } reference)
        {
            var source = catalog.Resolve(reference, spec);
            if (source is null)
            {
                report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownInputNetwork, input.Location, spec.ClassName, reference));
                return null;
            }

            // A network on a cycle reports the cycle itself (not "its input network has errors"), and a
            // chain too long is refused here, so that inferring it never recurses deeper than the limit.
            // Checked once, for the network being analyzed: the networks up its chain are covered by it.
            if (!quiet)
            {
                var length = FollowInputs(spec, catalog, out var cycle);
                if (cycle is not null)
                {
                    report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InputCycle, input.Location, spec.ClassName, string.Join(" -> ", cycle)));
                    return null;
                }

                if (length > MaxChainLength)
                {
                    report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ChainTooLong, input.Location, spec.ClassName, MaxChainLength));
                    return null;
                }
            }

            if (chain.Contains(source.FullName))
            {
                // Unreachable when FindCycle is right; a guard against endless recursion all the same.
                return null;
            }

            var sourceModel = Infer(source, catalog, null, chain);
            if (sourceModel is null)
            {
                if (!quiet)
                {
                    report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InputNetworkHasErrors, input.Location, spec.ClassName, source.ClassName));
                }

                return null;
            }

            if (sourceModel.Format != spec.Format && sourceModel.Output.SpatialRank > 0)
            {
                report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FormatMismatch, input.Location, spec.ClassName,
                    LayerVocabulary.SnakeName(spec.Format), source.ClassName, LayerVocabulary.SnakeName(sourceModel.Format)));
                return null;
            }

            inputNetwork = source.FullName;
            return sourceModel.Output;
        }

        if (!IsValidShape(input.Shape))
        {
            report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInputShape, input.Location, "input", spec.ClassName,
                string.Join(", ", input.Shape)));
            return null;
        }

        // Exact: three sizes up to int.MaxValue overflow a long, and a wrapped product could pass the limit.
        var size = BigInteger.One;
        foreach (var dim in input.Shape)
        {
            size *= dim;
        }

        if (size > MaxTensorElements)
        {
            report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SizeLimitExceeded, input.Location, "The input of '" + spec.ClassName + "'",
                Number(size), "values per sample", Number(MaxTensorElements), "make the input smaller"));
            return null;
        }

        return TensorShape.FromDims(input.Shape, spec.Format);
    }

    /// <summary>
    /// Follows the chain of input networks from <paramref name="start"/>: returns how many
    /// networks it holds (at most one past the limit), and the names along it (start first and
    /// last) when it leads back to <paramref name="start"/>.
    /// </summary>
    private static int FollowInputs(NetworkSpec start, NetworkCatalog catalog, out List<string>? cycle)
    {
        // The catalog hands out the same instances, so identity is a cheap stand-in for the full name.
        var path = new List<NetworkSpec> { start };
        var seen = new HashSet<NetworkSpec>(ReferenceComparer.Instance) { start };
        cycle = null;
        for (var current = start;
             path.Count <= MaxChainLength && current.Input?.Network is { } reference && catalog.Resolve(reference, current) is { } next;
             current = next)
        {
            path.Add(next);
            if (ReferenceEquals(next, start))
            {
                cycle = path.ConvertAll(static network => network.FullName);
                break;
            }

            if (!seen.Add(next))
            {
                break; // a cycle further up the chain, which does not include start
            }
        }

        return path.Count;
    }

    private sealed class ReferenceComparer : IEqualityComparer<NetworkSpec>
    {
        public static readonly ReferenceComparer Instance = new();

        public bool Equals(NetworkSpec? x, NetworkSpec? y) => ReferenceEquals(x, y);

        public int GetHashCode(NetworkSpec obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }

    private static bool IsValidShape(EquatableArray<int> shape)
    {
        if (shape.Count is < 1 or > 3)
        {
            return false;
        }

        foreach (var dim in shape)
        {
            if (dim < 1)
            {
                return false;
            }
        }

        return true;
    }

    private static bool CheckDeclaredOutput(NetworkSpec spec, ShapeSpec declared, TensorShape actual, List<DiagnosticInfo> report)
    {
        if (!IsValidShape(declared.Shape))
        {
            report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInputShape, declared.Location, "output", spec.ClassName,
                string.Join(", ", declared.Shape)));
            return false;
        }

        var actualDims = actual.Dims(spec.Format);
        var same = actualDims.Length == declared.Shape.Count;
        for (var i = 0; same && i < actualDims.Length; i++)
        {
            same = actualDims[i] == declared.Shape[i];
        }

        if (!same)
        {
            report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OutputMismatch, declared.Location, spec.ClassName,
                TensorShape.Join(declared.Shape), actual.Display(spec.Format)));
        }

        return same;
    }

    // ---- Names ---------------------------------------------------------------------------

    /// <summary>Generated members a layer accessor must not hide.</summary>
    private static readonly HashSet<string> ReservedAccessors = new()
    {
        "InputSize", "OutputSize", "ParameterCount", "InputShape", "OutputShape", "Summary", "Parameters", "Gradients",
        "Forward", "Backward", "Architecture", "Layers", "CreateWorkspace", "Workspace", "TrainStep", "Fit", "Evaluate",
        "Predict", "Save", "Load", "State", "StateCount", "GetType", "ToString", "Equals", "GetHashCode", "MemberwiseClone", "Finalize",
        "PackWeights", "WeightsPacked", "CreateInferenceWorkspace", "Weights", "Origin", "Layer", "InitializeParameters",
    };

    private static List<string> NameLayers(NetworkSpec spec, List<DiagnosticInfo> report)
    {
        var names = new List<string>();
        var counts = new Dictionary<LayerKind, int>();
        var accessors = new Dictionary<string, string>();
        var used = new HashSet<string>();
        foreach (var layer in spec.Layers)
        {
            counts.TryGetValue(layer.Kind, out var count);
            counts[layer.Kind] = ++count;
            var name = layer.Name ?? LayerVocabulary.SnakeName(layer.Kind) + "_" + count.ToString(CultureInfo.InvariantCulture);
            names.Add(name);
            var location = layer.Locate(LayerVocabulary.Name);
            if (layer.Name is not null && !NetworkNames.IsValidLayerName(layer.Name))
            {
                report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerName, location, layer.Name,
                    "use a letter, then letters, digits or underscores (at most 128)"));
                continue;
            }

            if (layer.Name == LayerVocabulary.NetworkInput)
            {
                report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerName, location, layer.Name,
                    "'input' names the network's input wherever layers name what they read; choose another name"));
                continue;
            }

            if (!used.Add(name))
            {
                report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateLayerName, location, name, spec.ClassName, string.Empty));
                continue;
            }

            if (!LayerVocabulary.HasParameters(layer.Kind))
            {
                continue;
            }

            var accessor = NetworkNames.AccessorName(name);
            if (ReservedAccessors.Contains(accessor) || accessor == spec.ClassName)
            {
                report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerName, location, name,
                    "its accessor '" + accessor + "' would hide a generated member; choose another name"));
            }
            else if (accessors.TryGetValue(accessor, out var earlier))
            {
                report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateLayerName, location, name, spec.ClassName,
                    " (as the accessor '" + accessor + "', with '" + earlier + "')"));
            }
            else
            {
                accessors.Add(accessor, name);
            }
        }

        return names;
    }

    // ---- Options, independent of shapes ----------------------------------------------------

    /// <summary>
    /// Checks every option by its form (counts and sizes at least 1, one size or one per
    /// dimension, one spelling of stride or strides, choices defined), then the family's own rules.
    /// </summary>
    private static bool ValidateOptions(NetworkSpec spec, LayerSpec layer, string name, List<DiagnosticInfo> report)
    {
        if (layer.IsIncomplete)
        {
            return false;
        }

        var syntax = LayerFamilies.Syntax(layer.Kind);
        var context = new LayerContext(spec, layer, name, System.Array.Empty<LayerInput>(), 0, false, report);
        var kind = context.KindName;
        var rank = syntax.SpatialRank;
        var ok = true;
        foreach (var option in syntax.Options)
        {
            if (option.PerDimensionKey is { } perDimension && layer.Has(option.Key) && layer.Has(perDimension))
            {
                report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConflictingOptions, layer.Locate(perDimension), kind, name, option.Key, perDimension));
                ok = false;
            }
        }

        foreach (var option in syntax.Options)
        {
            switch (option.Form)
            {
                case OptionForm.Sizes or OptionForm.Pads when LayerFamilies.Of(layer.Kind).ChecksOwnSizes:
                    // The family reports values out of range itself (zero padding, up-sampling: CNN0030).
                    break;
                case OptionForm.Count when layer.Value(option.Key) is null && IndexOf(syntax.Options, option) >= syntax.PositionalCount:
                    // A named count not written keeps its default (depth_multiplier 1).
                    break;
                case OptionForm.Count:
                    ok &= AtLeastOne(layer.Number(option.Key, 0), option.Key, layer.Locate(option.Key));
                    break;
                case OptionForm.Sizes when option.PerDimensionKey is { } perDimension:
                    // Empty means the default, unless a per-dimension array was written empty.
                    var written = layer.Has(perDimension) ? perDimension : option.Key;
                    ok &= Sizes(layer.Numbers(option.Key), written, option.Key, allowEmpty: !layer.Has(perDimension));
                    break;
                case OptionForm.Sizes:
                    ok &= Sizes(layer.Numbers(option.Key), option.Key, option.Key, allowEmpty: false);
                    break;
                case OptionForm.Pads:
                    ok &= ExplicitPadding.Validate(context, option);
                    break;
                case OptionForm.Offsets:
                    // Zero is allowed and the bound is the stride's: the family checks them (transposed convolutions: CNN0112).
                    break;
            }
        }

        foreach (var option in syntax.Options)
        {
            if (option.Form == OptionForm.Choice)
            {
                ok &= ChoiceDefined(option);
            }
        }

        ok &= LayerConnections.CheckFromOnMerge(spec, layer, name, report);
        return ok && LayerFamilies.Of(layer.Kind).Validate(context);

        bool ChoiceDefined(LayerOption option)
        {
            var value = layer.Number(option.Key, 0);
            if (value >= 0 && value < option.Choices!.Count)
            {
                if (option == LayerOptions.Padding && value == (int)PaddingMode.Causal && !syntax.AllowsCausal)
                {
                    report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CausalNotAllowed, layer.Locate(option.Key), kind, name));
                    return false;
                }

                return true;
            }

            var choices = option == LayerOptions.Padding
                ? "valid, same" + (syntax.AllowsCausal ? ", causal" : string.Empty)
                : string.Join(", ", UserSpellings(option));
            report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidEnumValue, layer.Locate(option.Key), kind, name, option.Key, value, choices));
            return false;
        }

        IEnumerable<string> UserSpellings(LayerOption option)
        {
            foreach (var word in option.Choices!)
            {
                yield return spec.Origin.IsDsl ? word : PascalCase(word);
            }
        }

        static int IndexOf(IReadOnlyList<LayerOption> options, LayerOption option)
        {
            for (var i = 0; i < options.Count; i++)
            {
                if (options[i] == option)
                {
                    return i;
                }
            }

            return -1;
        }

        bool AtLeastOne(int value, string what, LocationInfo? location)
        {
            if (value >= 1)
            {
                return true;
            }

            report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SizeTooSmall, location, kind, name, what, value));
            return false;
        }

        bool Sizes(EquatableArray<int> values, string key, string word, bool allowEmpty)
        {
            if (values.Count == 0 && allowEmpty)
            {
                return true;
            }

            if (values.Count != 1 && values.Count != rank)
            {
                report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongDimensionCount, layer.Locate(key), kind, name, key,
                    values.Count, rank));
                return false;
            }

            var valid = true;
            for (var i = 0; i < values.Count; i++)
            {
                var what = values.Count == 1 ? word : word + " " + LayerContext.DimensionName(rank, i);
                valid &= AtLeastOne(values[i], what, layer.Locate(key, values.Count == 1 ? -1 : i));
            }

            return valid;
        }
    }

    /// <summary>"leaky_relu" -> "LeakyRelu": the enum member a C# user writes.</summary>
    private static string PascalCase(string snake)
    {
        var builder = new System.Text.StringBuilder();
        var upper = true;
        foreach (var c in snake)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return builder.ToString();
    }

    // ---- Shapes --------------------------------------------------------------------------

    private static LayerModel? InferLayer(NetworkSpec spec, LayerSpec layer, string name, IReadOnlyList<LayerInput> inputs, int offset,
        bool hasPoolingBefore, List<DiagnosticInfo> report) =>
        LayerFamilies.Of(layer.Kind).Infer(new LayerContext(spec, layer, name, inputs, offset, hasPoolingBefore, report));

    /// <summary>The layer kind as the user wrote it: Conv2D for attributes, conv2d in .cnn files.</summary>
    public static string KindName(NetworkSpec spec, LayerKind kind) =>
        spec.Origin.IsDsl ? LayerVocabulary.SnakeName(kind) : LayerVocabulary.DisplayName(kind);

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Number(BigInteger value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static bool HasErrors(IEnumerable<DiagnosticInfo> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            if (diagnostic.Descriptor.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
            {
                return true;
            }
        }

        return false;
    }
}
