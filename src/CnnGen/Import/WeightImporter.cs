using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CnnGen;

/// <summary>
/// Loads weights trained in PyTorch or Keras into a generated network: matches tensors to the
/// layers with weights (by name or by position), checks every shape, converts PyTorch layouts
/// to CnnGen's Keras layout (Conv2d OIHW -> (kh, kw, in, out), Conv1d OIW -> (k, in, out),
/// ConvTranspose2d (in, out, kh, kw) -> (kh, kw, out, in), ConvTranspose1d (in, out, k) -> (k, out, in),
/// Linear (out, in) -> (in, out)) and permutes the rows of the first Dense kernel after a Flatten when
/// the source flattened in another order than the network (an NCHW PyTorch model imported into
/// a channels-last network). Everything is checked before anything is written: on any problem
/// a <see cref="WeightImportException"/> lists them all and the network is unchanged.
/// docs/weights.md has the mapping table.
/// </summary>
public static class WeightImporter
{
    /// <summary>
    /// Imports a PyTorch state_dict saved as safetensors (<c>.safetensors</c>) or with NumPy
    /// (<c>.npz</c> of <c>{key: tensor.numpy()}</c>), matched by position or, given
    /// <paramref name="layerNames"/> (PyTorch module name -> CnnGen layer name), by name.
    /// </summary>
    /// <exception cref="WeightImportException">The file is malformed, or tensors are missing, extra or of the wrong shape.</exception>
    public static void ImportPyTorch(INetwork network, string path, IReadOnlyDictionary<string, string>? layerNames = null) =>
        Import(network, ReadTensors(path), new WeightImportOptions { Convention = WeightConvention.PyTorch, LayerNames = layerNames });

    /// <summary>
    /// Imports Keras weights: the arrays of <c>model.get_weights()</c> saved with
    /// <c>np.savez(path, *weights)</c> (matched by position), or saved by name
    /// (<c>layer/kernel</c>, <c>layer/bias</c>) and matched through <paramref name="layerNames"/>
    /// (Keras layer name -> CnnGen layer name).
    /// </summary>
    /// <exception cref="WeightImportException">The file is malformed, or arrays are missing, extra or of the wrong shape.</exception>
    public static void ImportKeras(INetwork network, string path, IReadOnlyDictionary<string, string>? layerNames = null) =>
        Import(network, ReadTensors(path), new WeightImportOptions { Convention = WeightConvention.Keras, LayerNames = layerNames });

    /// <summary>
    /// Reads the tensors of a <c>.safetensors</c>, <c>.npz</c> or <c>.npy</c> file, in file order,
    /// checked as <paramref name="options"/> says (default: <see cref="WeightReadOptions.Default"/>).
    /// </summary>
    /// <exception cref="WeightImportException">The extension is none of these, or the file is malformed.</exception>
    /// <exception cref="IOException">The file cannot be opened (it does not exist or is a directory).</exception>
    public static IReadOnlyList<WeightTensor> ReadTensors(string path, WeightReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".safetensors" => SafeTensorsFile.Read(path, options),
            ".npz" => NumpyFile.ReadNpz(path, options),
            ".npy" => [NumpyFile.ReadNpy(path, options)],
            var extension => throw new WeightImportException(
                $"'{Path.GetFileName(path)}' has extension '{extension}'; weights are read from .safetensors, .npz or .npy files " +
                "(save a PyTorch state_dict with safetensors.torch.save_file or numpy.savez)."),
        };
    }

    /// <summary>
    /// Matches <paramref name="tensors"/> to the network's layers with weights, checks every
    /// shape, converts the layouts and writes all the weights, or none.
    /// </summary>
    /// <exception cref="WeightImportException">Tensors are missing, extra or of the wrong shape; every problem is listed and the network is unchanged.</exception>
    public static void Import(INetwork network, IReadOnlyList<WeightTensor> tensors, WeightImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        var duplicates = tensors.GroupBy(t => t.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        foreach (var name in duplicates)
        {
            problems.Add($"tensor name '{name}' appears more than once");
        }

        var layers = network.Architecture.Layers.Where(HasTensors).ToList();
        var matching = new TensorMatching(options.Convention, problems);
        var assignments = options.LayerNames is { } map
            ? matching.ByName(network.Architecture, layers, tensors, map)
            : options.Convention == WeightConvention.PyTorch
                ? matching.ByModulePosition(layers, tensors)
                : matching.BySequence(layers, tensors);

        foreach (var assignment in assignments)
        {
            CheckShapes(assignment, options.Convention, problems);
        }

        if (problems.Count > 0)
        {
            var how = options.LayerNames is null ? "by position" : "by name";
            throw new WeightImportException(
                $"Cannot import {tensors.Count} {options.Convention} tensors into '{network.Architecture.Name}' ({layers.Count} layers with weights, matched {how}); nothing was changed:",
                problems);
        }

        // Everything fits: convert into copies, then write them in one go.
        var parameters = network.Parameters.ToArray();
        var state = network.State.ToArray();
        foreach (var assignment in assignments)
        {
            WriteLayer(network.Architecture, assignment, options, parameters, state);
        }

        parameters.CopyTo(network.Parameters);
        state.CopyTo(network.State);
    }

    private static string KernelWord(LayerInfo layer) => layer.Kind == LayerKind.BatchNormalization ? "gamma" : "kernel";

    private static string BiasWord(LayerInfo layer) => layer.Kind == LayerKind.BatchNormalization ? "beta" : "bias";

    /// <summary>Layers that take tensors: a kernel, a bias (batch normalisation's gamma and beta) or state (its moving statistics).</summary>
    private static bool HasTensors(LayerInfo layer) => layer.KernelLength > 0 || layer.BiasLength > 0 || layer.StateLength > 0;

    /// <summary>The shape a layer's kernel has in <paramref name="convention"/>'s layout.</summary>
    public static IReadOnlyList<int> SourceKernelShape(LayerInfo layer, WeightConvention convention)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (convention == WeightConvention.Keras || layer.Kind == LayerKind.BatchNormalization)
        {
            return layer.KernelShape;
        }

        var (inputs, outputs) = TorchChannels(layer);
        return layer.Kind switch
        {
            // A transposed convolution's Keras kernel is (k..., filters, in) and its PyTorch weight
            // (in, filters, k...): the same reversal, with "inputs" the filters and "outputs" the input channels.
            LayerKind.Conv2D or LayerKind.DepthwiseConv2D or LayerKind.Conv2DTranspose => [outputs, inputs, layer.KernelHeight, layer.KernelWidth],
            LayerKind.Conv1D or LayerKind.DepthwiseConv1D or LayerKind.Conv1DTranspose => [outputs, inputs, layer.KernelWidth],
            _ => [outputs, inputs],
        };
    }

    /// <summary>
    /// The in and out channels of a layer's PyTorch weight. A depthwise convolution is PyTorch's
    /// Conv with groups = in_channels: weight (channels x multiplier, 1, k...), whose out channel
    /// c * multiplier + j is Keras's (c, j), so the Keras kernel (k..., c, m) reads as (k..., 1, c * m).
    /// For a transposed convolution the pair is (filters, in_channels): its Keras kernel is
    /// (k..., filters, in) and its PyTorch weight (in, filters, k...), reversed as a Conv's.
    /// </summary>
    private static (int Inputs, int Outputs) TorchChannels(LayerInfo layer) =>
        layer.Kind is LayerKind.DepthwiseConv1D or LayerKind.DepthwiseConv2D
            ? (1, layer.KernelShape[^2] * layer.KernelShape[^1])
            : (layer.KernelShape[^2], layer.KernelShape[^1]);

    private static string Describe(LayerInfo layer, WeightConvention convention) => layer.Groups > 1
        ? DescribeUngrouped(layer, convention).Replace("in_channels", "in_channels / groups (" + layer.Groups + ")")
        : DescribeUngrouped(layer, convention);

    private static string DescribeUngrouped(LayerInfo layer, WeightConvention convention) => (convention, layer.Kind) switch
    {
        (WeightConvention.PyTorch, LayerKind.BatchNormalization) => "PyTorch BatchNorm weight: num_features",
        (_, LayerKind.BatchNormalization) => "Keras BatchNormalization gamma: channels",
        (WeightConvention.PyTorch, LayerKind.Conv2D) => "PyTorch Conv2d weight: out_channels, in_channels, kernel_height, kernel_width",
        (WeightConvention.PyTorch, LayerKind.Conv1D) => "PyTorch Conv1d weight: out_channels, in_channels, kernel_size",
        (WeightConvention.PyTorch, LayerKind.DepthwiseConv2D) => "PyTorch Conv2d weight with groups = in_channels: in_channels x depth multiplier, 1, kernel_height, kernel_width",
        (WeightConvention.PyTorch, LayerKind.DepthwiseConv1D) => "PyTorch Conv1d weight with groups = in_channels: in_channels x depth multiplier, 1, kernel_size",
        (WeightConvention.PyTorch, LayerKind.Conv2DTranspose) => "PyTorch ConvTranspose2d weight: in_channels, out_channels, kernel_height, kernel_width",
        (WeightConvention.PyTorch, LayerKind.Conv1DTranspose) => "PyTorch ConvTranspose1d weight: in_channels, out_channels, kernel_size",
        (WeightConvention.PyTorch, _) => "PyTorch Linear weight: out_features, in_features",
        (_, LayerKind.DepthwiseConv2D) => "Keras DepthwiseConv2D depthwise_kernel: kernel_height, kernel_width, in_channels, depth_multiplier",
        (_, LayerKind.DepthwiseConv1D) => "Keras DepthwiseConv1D depthwise_kernel: kernel_size, in_channels, depth_multiplier",
        (_, LayerKind.Conv2D) => "Keras Conv2D kernel: kernel_height, kernel_width, in_channels, filters",
        (_, LayerKind.Conv1D) => "Keras Conv1D kernel: kernel_size, in_channels, filters",
        (_, LayerKind.Conv2DTranspose) => "Keras Conv2DTranspose kernel: kernel_height, kernel_width, filters, in_channels",
        (_, LayerKind.Conv1DTranspose) => "Keras Conv1DTranspose kernel: kernel_size, filters, in_channels",
        _ => "Keras Dense kernel: in_features, units",
    };

    private static void CheckShapes(Assignment assignment, WeightConvention convention, List<string> problems)
    {
        var layer = assignment.Layer;
        if (assignment.Kernel is { } kernel)
        {
            var expected = SourceKernelShape(layer, convention);
            if (!kernel.Shape.SequenceEqual(expected))
            {
                problems.Add($"tensor '{kernel.Name}' for the {KernelWord(layer)} of {layer.Kind} '{layer.Name}' has shape {WeightTensor.FormatShape(kernel.Shape)}, " +
                    $"expected {WeightTensor.FormatShape(expected)} ({Describe(layer, convention)})");
            }
        }

        if (assignment.Bias is { } bias && !(bias.Shape.Count == 1 && bias.Shape[0] == layer.BiasLength))
        {
            problems.Add($"tensor '{bias.Name}' for the {BiasWord(layer)} of {layer.Kind} '{layer.Name}' has shape {WeightTensor.FormatShape(bias.Shape)}, expected ({layer.BiasLength},)");
        }

        var channels = layer.StateLength / 2;
        foreach (var (tensor, what) in new[] { (assignment.Mean, "moving mean"), (assignment.Variance, "moving variance") })
        {
            if (tensor is not null && !(tensor.Shape.Count == 1 && tensor.Shape[0] == channels))
            {
                problems.Add($"tensor '{tensor.Name}' for the {what} of {layer.Kind} '{layer.Name}' has shape {WeightTensor.FormatShape(tensor.Shape)}, expected ({channels},)");
            }
        }

        if (assignment.Variance is { } variance && variance.Shape.Count == 1 && variance.Shape[0] == channels)
        {
            var values = variance.Values.Span;
            for (var c = 0; c < values.Length; c++)
            {
                if (!(values[c] >= 0f) || float.IsInfinity(values[c]))
                {
                    problems.Add($"tensor '{variance.Name}' for the moving variance of {layer.Kind} '{layer.Name}' has {values[c]} at channel {c}; a variance is finite and not negative");
                    break;
                }
            }
        }
    }

    private static void WriteLayer(NetworkArchitecture network, Assignment assignment, WeightImportOptions options, float[] parameters, float[] state)
    {
        var layer = assignment.Layer;
        if (assignment.Bias is { } bias)
        {
            bias.Values.Span.CopyTo(parameters.AsSpan(layer.ParameterOffset + layer.KernelLength, layer.BiasLength));
        }

        // Batch normalisation: moving mean then moving variance, one float per channel in both frameworks.
        assignment.Mean?.Values.Span.CopyTo(state.AsSpan(layer.StateOffset, layer.StateLength / 2));
        assignment.Variance?.Values.Span.CopyTo(state.AsSpan(layer.StateOffset + layer.StateLength / 2, layer.StateLength / 2));
        if (layer.KernelLength == 0)
        {
            return;
        }

        var kernel = parameters.AsSpan(layer.ParameterOffset, layer.KernelLength);
        var source = assignment.Kernel!.Values.Span;
        if (layer.KernelShape.Count < 2)
        {
            // Batch normalisation's gamma: one float per channel in both frameworks.
            source.CopyTo(kernel);
            return;
        }

        var (inputs, outputs) = (layer.KernelShape[^2], layer.KernelShape[^1]);
        if (layer.Kind == LayerKind.Dense)
        {
            var rows = FlattenPermutation(network, layer, options.EffectiveSourceFlattenFormat);
            for (var row = 0; row < inputs; row++)
            {
                var sourceRow = rows?[row] ?? row;
                for (var unit = 0; unit < outputs; unit++)
                {
                    kernel[row * outputs + unit] = options.Convention == WeightConvention.PyTorch
                        ? source[unit * inputs + sourceRow]
                        : source[sourceRow * outputs + unit];
                }
            }
        }
        else if (options.Convention == WeightConvention.PyTorch)
        {
            // (out, in, kh, kw) -> (kh, kw, in, out); a Conv1d weight is the same with kh = 1, a depthwise one with in = 1,
            // a ConvTranspose one (in, filters, kh, kw) -> (kh, kw, filters, in) with the roles of the pair swapped.
            (inputs, outputs) = TorchChannels(layer);
            var (kh, kw) = (layer.KernelHeight, layer.KernelWidth);
            for (var o = 0; o < outputs; o++)
            for (var i = 0; i < inputs; i++)
            for (var y = 0; y < kh; y++)
            for (var x = 0; x < kw; x++)
            {
                kernel[((y * kw + x) * inputs + i) * outputs + o] = source[((o * inputs + i) * kh + y) * kw + x];
            }
        }
        else
        {
            source.CopyTo(kernel);
        }
    }

    /// <summary>
    /// For a Dense layer fed by a Flatten of a feature map (possibly through Activation layers),
    /// when the source flattened in the other order: for each row of the CnnGen kernel, the row
    /// of the source kernel. Channels-last row (s, c) = s * C + c is channels-first row c * S + s,
    /// where s runs over the spatial positions (S of them) and c over the C channels. Null when
    /// no permutation applies.
    /// </summary>
    internal static int[]? FlattenPermutation(NetworkArchitecture network, LayerInfo dense, DataFormat sourceFormat)
    {
        if (sourceFormat == network.DataFormat)
        {
            return null;
        }

        var index = -1;
        for (var i = 0; i < network.Layers.Count; i++)
        {
            if (ReferenceEquals(network.Layers[i], dense))
            {
                index = i;
            }
        }

        // The layer the dense reads, through any Activation layers (in a graph, not always the one before it).
        var previous = network.LayerInputs(index)[0];
        while (previous >= 0 && network.Layers[previous].Kind == LayerKind.Activation)
        {
            previous = network.LayerInputs(previous)[0];
        }

        if (previous < 0 || network.Layers[previous].Kind != LayerKind.Flatten || network.Layers[previous].InputShape.Count < 2)
        {
            return null;
        }

        var shape = network.Layers[previous].InputShape;
        var channelsLast = network.DataFormat == DataFormat.ChannelsLast;
        var channels = channelsLast ? shape[^1] : shape[0];
        var spatial = 1;
        for (var d = channelsLast ? 0 : 1; d < (channelsLast ? shape.Count - 1 : shape.Count); d++)
        {
            spatial *= shape[d];
        }

        var rows = new int[spatial * channels];
        for (var s = 0; s < spatial; s++)
        for (var c = 0; c < channels; c++)
        {
            if (channelsLast)
            {
                rows[s * channels + c] = c * spatial + s;
            }
            else
            {
                rows[c * spatial + s] = s * channels + c;
            }
        }

        return rows;
    }

    private sealed record Assignment(LayerInfo Layer, WeightTensor? Kernel, WeightTensor? Bias, WeightTensor? Mean = null, WeightTensor? Variance = null);

    /// <summary>The three ways of pairing tensors with layers; each adds a sentence per problem.</summary>
    private sealed class TensorMatching(WeightConvention convention, List<string> problems)
    {
        private string Separator => convention == WeightConvention.PyTorch ? "." : "/";

        /// <summary>
        /// The tensor names a layer takes, in the source's order: kernel and bias, or batch
        /// normalisation's gamma, beta, moving mean and moving variance (empty where the layer has none).
        /// </summary>
        private Roles RolesOf(LayerInfo layer)
        {
            var normalization = layer.Kind == LayerKind.BatchNormalization;
            return (convention, normalization) switch
            {
                (WeightConvention.PyTorch, true) => new Roles("weight", "bias", "running_mean", "running_var"),
                (_, true) => new Roles("gamma", "beta", "moving_mean", "moving_variance"),
                (WeightConvention.PyTorch, false) => new Roles("weight", "bias", string.Empty, string.Empty),
                _ => new Roles("kernel", "bias", string.Empty, string.Empty),
            };
        }

        /// <summary>PyTorch's BatchNorm counts its training steps in a tensor CnnGen does not need.</summary>
        private bool IsIgnored(LayerInfo layer, string role) =>
            convention == WeightConvention.PyTorch && layer.Kind == LayerKind.BatchNormalization && role == "num_batches_tracked";

        /// <summary>"conv1.weight" -> ("conv1", "weight"); "conv2d/kernel:0" -> ("conv2d", "kernel").</summary>
        private static (string Module, string Role) Split(string name)
        {
            if (name.EndsWith(":0", StringComparison.Ordinal))
            {
                name = name[..^2];
            }

            var cut = name.LastIndexOfAny(['.', '/']);
            return cut < 0 ? (string.Empty, name) : (name[..cut], name[(cut + 1)..]);
        }

        public List<Assignment> ByName(NetworkArchitecture network, List<LayerInfo> layers, IReadOnlyList<WeightTensor> tensors, IReadOnlyDictionary<string, string> map)
        {
            var byKey = new Dictionary<(string, string), WeightTensor>();
            foreach (var tensor in tensors)
            {
                byKey.TryAdd(Split(tensor.Name), tensor);
            }

            var used = new HashSet<WeightTensor>();
            var assigned = new Dictionary<string, string>();
            var result = new List<Assignment>();
            foreach (var (module, layerName) in map)
            {
                var layer = network.FindLayer(layerName);
                if (layer is null || !HasTensors(layer))
                {
                    problems.Add(layer is null
                        ? $"the layer map sends '{module}' to layer '{layerName}', but '{network.Name}' has no such layer (layers with weights: {string.Join(", ", layers.Select(l => l.Name))})"
                        : $"the layer map sends '{module}' to layer '{layerName}', a {layer.Kind} layer without weights");
                    continue;
                }

                if (!assigned.TryAdd(layerName, module))
                {
                    problems.Add($"the layer map sends both '{assigned[layerName]}' and '{module}' to layer '{layerName}'");
                    continue;
                }

                if (byKey.TryGetValue((module, "num_batches_tracked"), out var counter) && IsIgnored(layer, "num_batches_tracked"))
                {
                    used.Add(counter);
                }

                result.Add(Pair(layer, role => byKey.GetValueOrDefault((module, role)), role => module + Separator + role, used));
            }

            foreach (var layer in layers.Where(l => !assigned.ContainsKey(l.Name)))
            {
                problems.Add($"{layer.Kind} '{layer.Name}' gets no weights: no entry of the layer map names it");
            }

            ReportUnused(tensors, used, "no entry of the layer map takes it");
            return result;
        }

        /// <summary>PyTorch by position: tensors grouped by module in file order, the i-th module to the i-th layer with weights.</summary>
        public List<Assignment> ByModulePosition(List<LayerInfo> layers, IReadOnlyList<WeightTensor> tensors)
        {
            var modules = new List<(string Module, List<WeightTensor> Tensors)>();
            foreach (var tensor in tensors)
            {
                var module = Split(tensor.Name).Module;
                var group = modules.FindIndex(m => m.Module == module);
                if (group < 0)
                {
                    modules.Add((module, [tensor]));
                }
                else
                {
                    modules[group].Tensors.Add(tensor);
                }
            }

            var used = new HashSet<WeightTensor>();
            var result = new List<Assignment>();
            for (var i = 0; i < layers.Count; i++)
            {
                if (i >= modules.Count)
                {
                    problems.Add($"{layers[i].Kind} '{layers[i].Name}' (layer with weights number {i + 1}) gets no weights: the file has {modules.Count} modules with tensors");
                    continue;
                }

                var (module, group) = modules[i];
                var layer = layers[i];
                result.Add(Pair(layer, role => group.FirstOrDefault(t => Split(t.Name).Role == role), role => module + Separator + role, used));
                foreach (var tensor in group.Where(t => !used.Contains(t)))
                {
                    used.Add(tensor);
                    if (!IsIgnored(layer, Split(tensor.Name).Role))
                    {
                        problems.Add($"extra tensor '{tensor.Name}' {WeightTensor.FormatShape(tensor.Shape)}: module '{module}' matches {layer.Kind} '{layer.Name}' by position, which takes only {Expected(layer)}");
                    }
                }
            }

            ReportUnused(tensors, used, $"the network has {layers.Count} layers with weights but the file has {modules.Count} modules");
            return result;
        }

        /// <summary>Keras by position: kernel, then bias if the layer has one, layer after layer (batch normalisation: gamma, beta, moving mean, moving variance, each if the layer has it).</summary>
        public List<Assignment> BySequence(List<LayerInfo> layers, IReadOnlyList<WeightTensor> tensors)
        {
            var used = new HashSet<WeightTensor>();
            var result = new List<Assignment>();
            var next = 0;
            foreach (var layer in layers)
            {
                var roles = RolesOf(layer);
                var taken = new Dictionary<string, (WeightTensor? Tensor, int Index)>();
                foreach (var role in Taken(layer, roles))
                {
                    taken[role] = (next < tensors.Count ? tensors[next] : null, next);
                    next++;
                }

                result.Add(Pair(layer, role => taken.GetValueOrDefault(role).Tensor, role => $"get_weights()[{(taken.TryGetValue(role, out var t) ? t.Index : next)}]", used));
            }

            ReportUnused(tensors, used, $"the network's {layers.Count} layers with weights take {layers.Sum(l => Taken(l, RolesOf(l)).Count())} arrays (kernel, then bias if any)");
            return result;
        }

        /// <summary>The roles a layer takes, in order.</summary>
        private static IEnumerable<string> Taken(LayerInfo layer, Roles roles)
        {
            if (layer.KernelLength > 0)
            {
                yield return roles.Kernel;
            }

            if (layer.UseBias)
            {
                yield return roles.Bias;
            }

            if (layer.StateLength > 0)
            {
                yield return roles.Mean;
                yield return roles.Variance;
            }
        }

        private string Expected(LayerInfo layer) => string.Join(", ", Taken(layer, RolesOf(layer)).Select(r => $"'{r}'")) is { Length: > 0 } list ? list : "nothing";

        private Assignment Pair(LayerInfo layer, Func<string, WeightTensor?> find, Func<string, string> nameOf, HashSet<WeightTensor> used)
        {
            var roles = RolesOf(layer);
            var kernel = find(roles.Kernel);
            var bias = find(roles.Bias);
            if (layer.KernelLength > 0 && kernel is null)
            {
                problems.Add($"missing tensor '{nameOf(roles.Kernel)}' for the {KernelWord(layer)} of {layer.Kind} '{layer.Name}', expected shape {WeightTensor.FormatShape(SourceKernelShape(layer, convention))}");
            }
            else if (layer.KernelLength == 0 && kernel is not null)
            {
                // Only batch normalisation has a layer with tensors but no kernel: Scale = false.
                used.Add(kernel);
                problems.Add($"extra tensor '{kernel.Name}' {WeightTensor.FormatShape(kernel.Shape)}: {layer.Kind} '{layer.Name}' has no gamma (Scale = false)");
                kernel = null;
            }
            else if (kernel is not null)
            {
                used.Add(kernel);
            }

            if (bias is not null)
            {
                used.Add(bias);
            }

            if (layer.UseBias && bias is null)
            {
                problems.Add($"missing tensor '{nameOf(roles.Bias)}' for the {BiasWord(layer)} of {layer.Kind} '{layer.Name}', expected shape ({layer.BiasLength},)");
            }
            else if (!layer.UseBias && bias is not null)
            {
                var why = layer.Kind == LayerKind.BatchNormalization ? "no beta (Center = false)" : "no bias (UseBias = false)";
                problems.Add($"extra tensor '{bias.Name}' {WeightTensor.FormatShape(bias.Shape)}: {layer.Kind} '{layer.Name}' has {why}");
                bias = null;
            }

            WeightTensor? mean = null, variance = null;
            if (layer.StateLength > 0)
            {
                mean = find(roles.Mean);
                variance = find(roles.Variance);
                foreach (var (tensor, role, what) in new[] { (mean, roles.Mean, "moving mean"), (variance, roles.Variance, "moving variance") })
                {
                    if (tensor is null)
                    {
                        problems.Add($"missing tensor '{nameOf(role)}' for the {what} of {layer.Kind} '{layer.Name}', expected shape ({layer.StateLength / 2},)");
                    }
                    else
                    {
                        used.Add(tensor);
                    }
                }
            }

            return new Assignment(layer, kernel, bias, mean, variance);
        }

        private void ReportUnused(IReadOnlyList<WeightTensor> tensors, HashSet<WeightTensor> used, string why)
        {
            foreach (var tensor in tensors.Where(t => !used.Contains(t)))
            {
                problems.Add($"extra tensor '{tensor.Name}' {WeightTensor.FormatShape(tensor.Shape)}: {why}");
            }
        }

        /// <summary>A layer's tensor names in its source framework.</summary>
        private sealed record Roles(string Kernel, string Bias, string Mean, string Variance);
    }
}
