using System;

namespace CnnGen.Onnx;

/// <summary>
/// The model cannot be imported: it is not a readable ONNX model, or it uses an operator, an
/// attribute value or a shape that CnnGen cannot express. The message names the node, the
/// operator and what is supported. Nothing has been written when it is thrown.
/// </summary>
public sealed class OnnxImportException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OnnxImportException(string message, string? nodeName = null, string? operatorType = null, Exception? innerException = null)
        : base(message, innerException)
    {
        NodeName = nodeName;
        OperatorType = operatorType;
    }

    /// <summary>The name of the node at fault (empty when the node has no name), or null when the problem is not one node's.</summary>
    public string? NodeName { get; }

    /// <summary>The ONNX operator of the node at fault (Conv, LeakyRelu, ...), or null.</summary>
    public string? OperatorType { get; }
}
