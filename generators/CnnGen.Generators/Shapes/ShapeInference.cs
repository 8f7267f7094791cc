using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using CnnGen.Generators.Diagnostics;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Shapes;

/// <summary>
/// Checks a network and computes every shape: the one module that applies the formulas of
/// DESIGN.md section 3 to whole networks. Used by the generator, the CLI and the tests.
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

            if (input is null || names.Count == 0 && spec.Layers.Count > 0 || !optionsValid)
            {
                return null;
            }

            var layers = new List<LayerModel>();
            var shape = input.Value;
            var offset = 0L;
            var hasPoolingBefore = false;
            for (var i = 0; i < spec.Layers.Count; i++)
            {
                var layer = InferLayer(spec, spec.Layers[i], names[i], shape, (int)offset, hasPoolingBefore, report);
                if (layer is null)
                {
                    return null;
                }

                offset += layer.ParameterCount;
                if (offset > MaxParameters)
                {
                    report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SizeLimitExceeded, spec.Layers[i].Locate(LayerVocabulary.LayerKey),
                        LayerTitle(spec, layer.Kind, layer.Name), Number(offset), "parameters in the network up to it", Number(MaxParameters),
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

    private static NetworkModel Invalid(NetworkSpec spec) => new(spec.Namespace, spec.ClassName, spec.ContainingTypes, spec.Format,
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
        "Predict", "Save", "Load", "GetType", "ToString", "Equals", "GetHashCode", "MemberwiseClone", "Finalize",
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

    private static bool ValidateOptions(NetworkSpec spec, LayerSpec layer, string name, List<DiagnosticInfo> report)
    {
        if (layer.IsIncomplete)
        {
            return false;
        }

        var kind = KindName(spec, layer.Kind);
        var rank = LayerVocabulary.SpatialRank(layer.Kind);
        var ok = true;
        if (LayerVocabulary.IsConvolution(layer.Kind))
        {
            ok &= AtLeastOne(layer.Filters, "filters", layer.Locate(LayerVocabulary.Filters));
        }

        if (layer.Kind == LayerKind.Dense)
        {
            ok &= AtLeastOne(layer.Units, "units", layer.Locate(LayerVocabulary.Units));
        }

        foreach (var (single, perDimension) in new[] { (LayerVocabulary.Stride, LayerVocabulary.Strides), (LayerVocabulary.Dilation, LayerVocabulary.Dilations) })
        {
            if (layer.Has(single) && layer.Has(perDimension))
            {
                report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConflictingOptions, layer.Locate(perDimension), kind, name, single, perDimension));
                ok = false;
            }
        }

        if (rank > 0)
        {
            var windowKey = LayerVocabulary.WindowKey(layer.Kind);
            var windowWord = LayerVocabulary.IsConvolution(layer.Kind) ? "kernel" : "pool";
            ok &= Sizes(layer.Window, windowKey, windowWord, allowEmpty: false);
            // Empty means the default, unless a per-dimension array was written empty.
            ok &= Sizes(layer.Stride, layer.Has(LayerVocabulary.Strides) ? LayerVocabulary.Strides : LayerVocabulary.Stride, "stride",
                allowEmpty: !layer.Has(LayerVocabulary.Strides));
            ok &= Sizes(layer.Dilation, layer.Has(LayerVocabulary.Dilations) ? LayerVocabulary.Dilations : LayerVocabulary.Dilation, "dilation",
                allowEmpty: !layer.Has(LayerVocabulary.Dilations));
            if (!LayerVocabulary.IsDefined(layer.Padding))
            {
                report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidEnumValue, layer.Locate(LayerVocabulary.Padding), kind, name,
                    "padding", (int)layer.Padding, "valid, same" + (layer.Kind == LayerKind.Conv1D ? ", causal" : string.Empty)));
                ok = false;
            }
            else if (layer.Padding == PaddingMode.Causal && layer.Kind != LayerKind.Conv1D)
            {
                report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CausalNotAllowed, layer.Locate(LayerVocabulary.Padding), kind, name));
                ok = false;
            }
        }

        if ((LayerVocabulary.IsConvolution(layer.Kind) || layer.Kind is LayerKind.Dense or LayerKind.Activation)
            && !LayerVocabulary.IsDefined(layer.Activation))
        {
            var all = new List<string>();
            foreach (var activation in LayerVocabulary.AllActivations)
            {
                all.Add(spec.Origin.IsDsl ? LayerVocabulary.SnakeName(activation) : activation.ToString());
            }

            report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidEnumValue, layer.Locate(LayerVocabulary.Activation), kind, name,
                "activation", (int)layer.Activation, string.Join(", ", all)));
            ok = false;
        }

        return ok;

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
                var what = values.Count == 1 ? word : word + " " + DimensionName(rank, i);
                valid &= AtLeastOne(values[i], what, layer.Locate(key, values.Count == 1 ? -1 : i));
            }

            return valid;
        }
    }

    // ---- Shapes --------------------------------------------------------------------------

    private static LayerModel? InferLayer(NetworkSpec spec, LayerSpec layer, string name, TensorShape input, int offset,
        bool hasPoolingBefore, List<DiagnosticInfo> report)
    {
        var kind = KindName(spec, layer.Kind);
        var rank = LayerVocabulary.SpatialRank(layer.Kind);
        var accessor = NetworkNames.AccessorName(name);
        switch (layer.Kind)
        {
            case LayerKind.Dense:
            {
                if (input.SpatialRank != 0)
                {
                    ReportRank(spec, layer, name, "a vector", input,
                        "Add " + Suggest(spec, LayerKind.Flatten) + " (or global pooling) before it.", report);
                    return null;
                }

                var bias = layer.UseBias ? layer.Units : 0;
                if (!WithinLimits(spec, layer, name, (BigInteger)input.Size * layer.Units, bias, report))
                {
                    return null;
                }

                var kernel = (long)input.Size * layer.Units;
                return new LayerModel(layer.Kind, name, accessor, input, TensorShape.Vector(layer.Units), 1, 1, 1, 1, 1, 1,
                    PaddingMode.Valid, 0, 0, 0, 0, layer.Activation, layer.UseBias, offset, (int)kernel, bias, kernel);
            }

            case LayerKind.Flatten:
                return Plain(TensorShape.Vector(input.Size), ActivationKind.Linear);

            case LayerKind.Activation:
                return Plain(input, layer.Activation);

            case LayerKind.GlobalMaxPool:
            case LayerKind.GlobalAvgPool:
                if (input.SpatialRank == 0)
                {
                    ReportRank(spec, layer, name, "a sequence or an image", input,
                        "Global pooling reduces spatial dimensions; put it before " + Suggest(spec, LayerKind.Flatten) + " and dense layers.", report);
                    return null;
                }

                return Plain(TensorShape.Vector(input.Channels), ActivationKind.Linear);
        }

        // Convolutions and pooling: windows over 1 or 2 spatial dimensions.
        if (input.SpatialRank != rank)
        {
            var needs = TensorShape.RankDescription(rank, spec.Format);
            var fix = input.SpatialRank == 0
                ? "A " + kind + " cannot follow flatten, dense or global pooling layers; move it before them."
                : rank == 2
                    ? "Use the 1-D layer (" + Suggest(spec, LayerVocabulary.IsConvolution(layer.Kind) ? LayerKind.Conv1D : PoolingOfRank(layer.Kind, 1)) + ") for sequences."
                    : "Use the 2-D layer (" + Suggest(spec, LayerVocabulary.IsConvolution(layer.Kind) ? LayerKind.Conv2D : PoolingOfRank(layer.Kind, 2)) + ") for images.";
            ReportRank(spec, layer, name, needs, input, fix, report);
            return null;
        }

        var isConvolution = LayerVocabulary.IsConvolution(layer.Kind);
        var window = Expand(layer.Window, 1);
        var stride = layer.Stride.Count == 0 ? (isConvolution ? new[] { 1, 1 } : window) : Expand(layer.Stride, 1);
        var dilation = isConvolution ? Expand(layer.Dilation, 1) : new[] { 1, 1 };
        var inputSizes = new[] { input.Height, input.Width };
        var results = new SpatialResult[2];
        for (var dim = 2 - rank; dim < 2; dim++)
        {
            results[dim] = SpatialMath.Apply(inputSizes[dim], window[dim], stride[dim], dilation[dim], layer.Padding);
            if (results[dim].Output < 1)
            {
                var windowKey = LayerVocabulary.WindowKey(layer.Kind);
                var word = isConvolution ? "kernel" : "pool window";
                var windowText = WindowText(window, dilation, rank);
                var fix = hasPoolingBefore
                    ? "Use padding 'same', a smaller " + word + ", or remove a pooling layer before it."
                    : "Use padding 'same' or a smaller " + word + ".";
                var dimIndex = rank == 1 ? 0 : dim;
                report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WindowTooLarge,
                    layer.Locate(windowKey, layer.Window.Count == 1 ? -1 : dimIndex), kind, name, windowText, word,
                    input.Display(spec.Format), LayerVocabulary.SnakeName(layer.Padding), DimensionName(rank, dimIndex),
                    results[dim].Output, fix));
                return null;
            }
        }

        if (rank == 1)
        {
            results[0] = new SpatialResult(1, 0, 0);
            window[0] = stride[0] = dilation[0] = 1;
        }

        var channels = isConvolution ? layer.Filters : input.Channels;
        var elements = results[0].Output * results[1].Output * channels;
        if (elements > MaxTensorElements)
        {
            report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SizeLimitExceeded, layer.Locate(LayerVocabulary.LayerKey), LayerTitle(spec, layer.Kind, name),
                Number(elements), "output values per sample", Number(MaxTensorElements), "make the layer smaller"));
            return null;
        }

        var output = new TensorShape(rank, (int)results[0].Output, (int)results[1].Output, channels);
        long kernelLength = 0;
        var biasLength = 0;
        long multiplyAdds = 0;
        if (isConvolution)
        {
            // Exact: with 'same' or causal padding the kernel is not bounded by the input, and
            // kh * kw * channels * filters can overflow a long and wrap below the limit.
            biasLength = layer.UseBias ? layer.Filters : 0;
            if (!WithinLimits(spec, layer, name, (BigInteger)window[0] * window[1] * input.Channels * layer.Filters, biasLength, report))
            {
                return null;
            }

            kernelLength = (long)window[0] * window[1] * input.Channels * layer.Filters;
            multiplyAdds = (long)output.Positions * layer.Filters * window[0] * window[1] * input.Channels;
        }

        return new LayerModel(layer.Kind, name, accessor, input, output, window[0], window[1], stride[0], stride[1],
            dilation[0], dilation[1], layer.Padding, results[0].PadBefore, results[0].PadAfter, results[1].PadBefore,
            results[1].PadAfter, isConvolution ? layer.Activation : ActivationKind.Linear, isConvolution && layer.UseBias, offset,
            (int)kernelLength, biasLength, multiplyAdds);

        LayerModel Plain(TensorShape output, ActivationKind activation) => new(layer.Kind, name, accessor, input, output,
            1, 1, 1, 1, 1, 1, PaddingMode.Valid, 0, 0, 0, 0, activation, false, offset, 0, 0, 0);
    }

    private static bool WithinLimits(NetworkSpec spec, LayerSpec layer, string name, BigInteger kernel, int biases, List<DiagnosticInfo> report)
    {
        if (kernel + biases <= MaxParameters)
        {
            return true;
        }

        report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SizeLimitExceeded, layer.Locate(LayerVocabulary.LayerKey),
            LayerTitle(spec, layer.Kind, name), Number(kernel + biases), "parameters", Number(MaxParameters), "make the layer smaller"));
        return false;
    }

    /// <summary>"Conv2D 'conv2d_1'": how messages name a layer.</summary>
    private static string LayerTitle(NetworkSpec spec, LayerKind kind, string name) => KindName(spec, kind) + " '" + name + "'";

    private static void ReportRank(NetworkSpec spec, LayerSpec layer, string name, string needs, TensorShape input, string fix,
        List<DiagnosticInfo> report) =>
        report.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongInputRank, layer.Locate(LayerVocabulary.LayerKey),
            KindName(spec, layer.Kind), name, needs, input.Display(spec.Format), input.RankDescription(spec.Format), fix));

    /// <summary>[h, w] from one value or one per dimension; 1-D layers fill the height with 1.</summary>
    private static int[] Expand(EquatableArray<int> values, int defaultValue) => values.Count switch
    {
        0 => new[] { defaultValue, defaultValue },
        1 => new[] { values[0], values[0] },
        _ => new[] { values[0], values[1] },
    };

    private static string WindowText(int[] window, int[] dilation, int rank)
    {
        // "a length-20 kernel" in 1-D reads as "a 5x5 kernel" does in 2-D.
        var size = rank == 1 ? "length-" + window[1].ToString(CultureInfo.InvariantCulture) : window[0] + "x" + window[1];
        if (dilation[0] == 1 && dilation[1] == 1)
        {
            return size;
        }

        var extent = rank == 1
            ? SpatialMath.EffectiveKernel(window[1], dilation[1]).ToString(CultureInfo.InvariantCulture)
            : SpatialMath.EffectiveKernel(window[0], dilation[0]) + "x" + SpatialMath.EffectiveKernel(window[1], dilation[1]);
        return size + " (dilated to " + extent + ")";
    }

    private static string DimensionName(int rank, int index) => rank == 1 ? "length" : index == 0 ? "height" : "width";

    private static LayerKind PoolingOfRank(LayerKind kind, int rank) => LayerVocabulary.IsMaxPooling(kind)
        ? rank == 1 ? LayerKind.MaxPool1D : LayerKind.MaxPool2D
        : rank == 1 ? LayerKind.AvgPool1D : LayerKind.AvgPool2D;

    /// <summary>The layer kind as the user wrote it: Conv2D for attributes, conv2d in .cnn files.</summary>
    public static string KindName(NetworkSpec spec, LayerKind kind) =>
        spec.Origin.IsDsl ? LayerVocabulary.SnakeName(kind) : LayerVocabulary.DisplayName(kind);

    /// <summary>How to write a layer in the user's language: [Flatten] or flatten().</summary>
    private static string Suggest(NetworkSpec spec, LayerKind kind) =>
        spec.Origin.IsDsl
            ? LayerVocabulary.SnakeName(kind) + (kind == LayerKind.Flatten ? "()" : "(...)")
            : "[" + LayerVocabulary.DisplayName(kind) + "]";

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
