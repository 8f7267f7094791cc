using System.Collections.Generic;
using System.Linq;

namespace CnnGen.Onnx;

/// <summary>
/// Turns the mapped layers into the network CnnGen will generate: names, the
/// <see cref="NetworkArchitecture"/> the generated class reports (its fingerprint goes into the
/// weight file, which LoadWeights checks), and the parameters in the order of
/// <see cref="INetwork.Parameters"/>.
/// </summary>
internal static class NetworkAssembler
{
    public static ImportedNetwork Assemble(IReadOnlyList<LayerDraft> drafts, string name, string? @namespace, int[] inputDims, string source, string provenance)
    {
        // Feature maps keep ONNX's channels-first layout; a vector needs no format (the default, channels_last).
        var format = inputDims.Length > 1 ? DataFormat.ChannelsFirst : DataFormat.ChannelsLast;
        var names = LayerNames.Assign(drafts, name);
        var nameOf = drafts.Select((draft, i) => (draft, names[i].Name)).ToDictionary(pair => pair.draft, pair => pair.Name);
        var layers = new List<ImportedLayer>();
        var declarations = new List<IReadOnlyList<LayerOption>>();
        var parameters = new List<float>();
        for (var i = 0; i < drafts.Count; i++)
        {
            var draft = drafts[i];
            if (draft.State is not null)
            {
                // Weight files (format version 1) and NetworkArchitecture hold parameters only; a layer with state needs both to carry it first.
                throw new System.NotSupportedException($"Layer {names[i].Name} has state, which this version's weight files cannot hold.");
            }

            var info = Info(draft, names[i].Name, parameters.Count);
            var kernel = draft.Kernel ?? [];
            var bias = draft.Kernel is null ? [] : draft.Bias ?? [];
            parameters.AddRange(kernel);
            parameters.AddRange(bias);
            var inputs = draft.Inputs.Select(input => input is null ? "input" : nameOf[input]).ToList();
            layers.Add(new ImportedLayer(info, inputs, draft.Nodes.Select(n => n.Name).ToList(), kernel, bias));
            var options = LayerSyntax.Options(draft).ToList();
            if (names[i].Explicit)
            {
                options.Add(new LayerOption("name", new LayerName(names[i].Name)));
            }

            declarations.Add(options);
        }

        var architecture = new NetworkArchitecture
        {
            Name = name,
            DataFormat = format,
            InputShape = inputDims,
            OutputShape = drafts[^1].OutputShape,
            Layers = layers.Select(layer => layer.Info).ToList(),
            ParameterCount = parameters.Count,
        };
        return new ImportedNetwork(architecture, @namespace, layers, declarations, parameters.ToArray(), source, provenance);
    }

    /// <summary>The <see cref="LayerInfo"/> the generator emits for the layer (1-D layers: height 1, no vertical padding).</summary>
    private static LayerInfo Info(LayerDraft draft, string name, int offset)
    {
        var rank = draft.SpatialRank;
        int At(int[] values, int dim, int fallback) => rank == 2 ? values[dim] : rank == 1 && dim == 1 ? values[0] : fallback;
        var kernelLength = draft.Kernel?.Length ?? 0;
        var biasLength = draft.Kernel is null ? 0 : draft.Bias?.Length ?? 0;
        var isConvolution = draft.Kind is LayerKind.Conv1D or LayerKind.Conv2D or LayerKind.DepthwiseConv1D or LayerKind.DepthwiseConv2D;
        var positions = draft.OutputShape.Skip(1).Aggregate(1L, (a, b) => a * b);
        return new LayerInfo
        {
            Kind = draft.Kind,
            Name = name,
            InputShape = draft.InputShape,
            OutputShape = draft.OutputShape,
            KernelHeight = At(draft.Window, 0, 1),
            KernelWidth = At(draft.Window, 1, 1),
            StrideHeight = At(draft.Strides, 0, 1),
            StrideWidth = At(draft.Strides, 1, 1),
            DilationHeight = At(draft.Dilations, 0, 1),
            DilationWidth = At(draft.Dilations, 1, 1),
            Padding = draft.Padding,
            PadTop = At(draft.PadBefore, 0, 0),
            PadBottom = At(draft.PadAfter, 0, 0),
            PadLeft = At(draft.PadBefore, 1, 0),
            PadRight = At(draft.PadAfter, 1, 0),
            CeilMode = draft.CeilMode,
            CountPadding = draft.CountPadding,
            Activation = draft.Activation,
            UseBias = biasLength > 0,
            ParameterOffset = offset,
            KernelLength = kernelLength,
            BiasLength = biasLength,
            KernelShape = draft.KernelShape,
            MultiplyAdds = draft.Kind == LayerKind.Dense ? kernelLength : isConvolution ? positions * kernelLength : 0,
        };
    }
}
