using System;
using System.Collections.Generic;
using System.Linq;
using Onnx;

namespace CnnGen.Onnx;

/// <summary>Maps one node: reads its inputs from the context, defines its outputs, adds or extends layers.</summary>
internal delegate void OperatorMapping(MappingContext context, NodeProto node);

/// <summary>
/// The operator tables of the importer: what maps today, and what CnnGen will express with the
/// layers that come next. Enabling an operator is one entry in
/// <see cref="Mappings"/> (and removing it from <see cref="Planned"/>).
/// </summary>
internal static class OnnxOperators
{
    /// <summary>Operators on feature maps (docs/import.md has the table).</summary>
    public static readonly IReadOnlyDictionary<string, OperatorMapping> Mappings = new Dictionary<string, OperatorMapping>(StringComparer.Ordinal)
    {
        ["Conv"] = ConvolutionMapping.Conv,
        ["ConvTranspose"] = TransposedConvolutionMapping.ConvTranspose,
        ["MaxPool"] = PoolingMapping.MaxPool,
        ["AveragePool"] = PoolingMapping.AveragePool,
        ["GlobalAveragePool"] = PoolingMapping.GlobalAveragePool,
        ["GlobalMaxPool"] = PoolingMapping.GlobalMaxPool,
        ["ReduceMean"] = PoolingMapping.ReduceMean,
        ["ReduceMax"] = PoolingMapping.ReduceMax,
        ["Gemm"] = DenseMapping.Gemm,
        ["MatMul"] = DenseMapping.MatMul,
        ["Add"] = PiecewiseActivationMapping.Add,
        ["Relu"] = (context, node) => ActivationMapping.Simple(context, node, Activation.Relu),
        ["LeakyRelu"] = ActivationMapping.LeakyRelu,
        ["Sigmoid"] = ActivationMapping.Sigmoid,
        ["Mul"] = PiecewiseActivationMapping.Mul,
        ["Tanh"] = (context, node) => ActivationMapping.Simple(context, node, Activation.Tanh),
        ["Elu"] = ActivationMapping.Elu,
        ["Softplus"] = (context, node) => ActivationMapping.Simple(context, node, Activation.Softplus),
        ["Softmax"] = ActivationMapping.Softmax,
        ["Flatten"] = ReshapeMapping.Flatten,
        ["Reshape"] = ReshapeMapping.Reshape,
        ["Pad"] = ReshapeMapping.Pad,
        ["Identity"] = ReshapeMapping.Identity,
        ["Dropout"] = ReshapeMapping.Dropout,
        ["Clip"] = PiecewiseActivationMapping.Clip,
        ["HardSigmoid"] = PiecewiseActivationMapping.HardSigmoid,
        ["HardSwish"] = PiecewiseActivationMapping.HardSwish,
        ["Gelu"] = PiecewiseActivationMapping.Gelu,
        ["Div"] = PiecewiseActivationMapping.Div,
        ["Erf"] = PiecewiseActivationMapping.Erf,
        ["Concat"] = MergeMapping.Concat,
        ["BatchNormalization"] = NormalizationMapping.BatchNormalization,
        ["Resize"] = ResizeMapping.Resize,
        ["Upsample"] = ResizeMapping.Upsample,
    };

    /// <summary>
    /// What is missing for operators (and uses of supported operators) CnnGen cannot express
    /// yet, worded to follow "that needs": the new layers bring them.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Planned = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Uses of supported operators that wait for new layers or options.
        ["Pad"] = "zeros on the spatial axes, which CnnGen's zero_padding1d and zero_padding2d and the pads of its convolutions and poolings add (other values, modes and axes are not supported)",
        ["Dropout"] = NewLayer("dropout in training mode"),
    };

    /// <summary>Operators the mappings and the constant folding accept, for the message about an unknown operator.</summary>
    public static string SupportedList =>
        string.Join(", ", Mappings.Keys.Order(StringComparer.Ordinal)) +
        "; and, on constants and shapes, " + string.Join(", ", ConstantFolding.Operators.Order(StringComparer.Ordinal));

    private static string NewLayer(string what) => what + " (coming with CnnGen's new layers; not supported yet)";
}
