using System.Collections.Generic;
using System.Linq;

namespace CnnGen.Onnx;

/// <summary>
/// Turns the mapped layers into the network CnnGen will generate: names, the
/// <see cref="NetworkArchitecture"/> the generated class reports (its fingerprint goes into the
/// weight file, which LoadWeights checks), the parameters in the order of
/// <see cref="INetwork.Parameters"/> and the state in the order of <see cref="INetwork.State"/>.
/// </summary>
internal static class NetworkAssembler
{
    public static ImportedNetwork Assemble(IReadOnlyList<LayerDraft> drafts, string name, string? @namespace, int[] inputDims, string source, string provenance)
    {
        // Feature maps keep ONNX's channels-first layout; a vector needs no format (the default, channels_last).
        var format = inputDims.Length > 1 ? DataFormat.ChannelsFirst : DataFormat.ChannelsLast;
        var names = LayerNames.Assign(drafts, name);
        var nameOf = drafts.Select((draft, i) => (draft, names[i].Name)).ToDictionary(pair => pair.draft, pair => pair.Name);
        string NameOf(LayerDraft? draft) => draft is null ? NetworkArchitecture.InputName : nameOf[draft];
        var layers = new List<ImportedLayer>();
        var declarations = new List<IReadOnlyList<LayerOption>>();
        var parameters = new List<float>();
        var state = new List<float>();
        for (var i = 0; i < drafts.Count; i++)
        {
            var draft = drafts[i];
            // A layer that reads one output other than the previous layer's says so (from:); merges name all theirs.
            var readsPrevious = draft.Inputs.Count == 1 && draft.Inputs[0] == (i == 0 ? null : drafts[i - 1]);
            var inputs = draft.Inputs.Select(NameOf).ToList();
            var info = Info(draft, names[i].Name, parameters.Count, state.Count, readsPrevious ? [] : inputs);
            var kernel = draft.Kernel ?? [];
            var bias = draft.Kernel is null ? [] : draft.Bias ?? [];
            parameters.AddRange(kernel);
            parameters.AddRange(bias);
            state.AddRange(draft.State ?? []);
            layers.Add(new ImportedLayer(info, inputs, draft.Nodes.Select(n => n.Name).ToList(), kernel, bias, draft.State ?? []));
            var options = LayerSyntax.Options(draft, NameOf).ToList();
            if (!readsPrevious && !LayerSyntax.IsMerge(draft.Kind))
            {
                options.Add(new LayerOption("from", new LayerName(inputs[0])));
            }

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
            StateCount = state.Count,
        };
        return new ImportedNetwork(architecture, @namespace, layers, declarations, parameters.ToArray(), state.ToArray(), source, provenance);
    }

    /// <summary>The <see cref="LayerInfo"/> the generator emits for the layer (1-D layers: height 1, no vertical padding).</summary>
    private static LayerInfo Info(LayerDraft draft, string name, int offset, int stateOffset, IReadOnlyList<string> inputs)
    {
        var rank = draft.SpatialRank;
        int At(int[] values, int dim, int fallback) => rank == 2 ? values[dim] : rank == 1 && dim == 1 ? values[0] : fallback;
        var kernelLength = draft.Kernel?.Length ?? 0;
        var biasLength = draft.Kernel is null ? 0 : draft.Bias?.Length ?? 0;
        var isConvolution = draft.Kind is LayerKind.Conv1D or LayerKind.Conv2D or LayerKind.DepthwiseConv1D or LayerKind.DepthwiseConv2D;
        var isTransposed = draft.Kind is LayerKind.Conv1DTranspose or LayerKind.Conv2DTranspose;
        var positions = draft.OutputShape.Skip(1).Aggregate(1L, (a, b) => a * b);
        // A transposed convolution multiplies the whole kernel once per input position.
        var inputPositions = draft.InputShape.Skip(1).Aggregate(1L, (a, b) => a * b);
        var stateLength = draft.State?.Length ?? 0;
        var multiplyAdds = draft.Kind switch
        {
            LayerKind.Dense => kernelLength,
            // Batch normalisation: a multiply and an add per value, as the generator counts it.
            LayerKind.BatchNormalization => 2L * draft.InputShape.Aggregate(1L, (a, b) => a * b),
            _ => isConvolution ? positions * kernelLength : isTransposed ? inputPositions * kernelLength : 0,
        };
        return new LayerInfo
        {
            Kind = draft.Kind,
            Name = name,
            Inputs = inputs,
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
            KeepDims = draft.KeepDims,
            Groups = draft.Groups,
            OutputPaddingHeight = draft.OutputPadding.Length == 2 ? draft.OutputPadding[0] : 0,
            OutputPaddingWidth = draft.OutputPadding.Length > 0 ? draft.OutputPadding[^1] : 0,
            UpSamplingHeight = draft.UpSampling.Length == 2 ? draft.UpSampling[0] : 1,
            UpSamplingWidth = draft.UpSampling.Length > 0 ? draft.UpSampling[^1] : 1,
            Interpolation = draft.Interpolation,
            Activation = draft.Activation,
            UseBias = biasLength > 0,
            ParameterOffset = offset,
            KernelLength = kernelLength,
            BiasLength = biasLength,
            KernelShape = draft.KernelShape,
            MultiplyAdds = multiplyAdds,
            StateOffset = stateLength > 0 ? stateOffset : 0,
            StateLength = stateLength,
            Momentum = stateLength > 0 ? draft.Momentum : 0,
            Epsilon = stateLength > 0 ? draft.Epsilon : 0,
            Scale = stateLength > 0,
        };
    }
}
