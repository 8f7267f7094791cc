namespace CnnGen.Onnx;

/// <summary>How an imported network is declared.</summary>
public enum ImportFormat
{
    /// <summary>A .cnn file (docs/dsl.md).</summary>
    Cnn,

    /// <summary>A C# file with a [Network] partial class and its layer attributes.</summary>
    CSharp,
}
