using System;
using System.Collections.Generic;
using System.IO;

namespace CnnGen.Onnx;

/// <summary>
/// A network imported from ONNX: its declaration (.cnn or C# attributes) and its weights, ready
/// to write. Compiled in a project, the declared class with <c>LoadWeights(WeightsFileName)</c>
/// computes what the ONNX model computes.
/// </summary>
public sealed class ImportedNetwork
{
    private readonly float[] _parameters;
    private readonly float[] _state;

    internal ImportedNetwork(NetworkArchitecture architecture, string? @namespace, IReadOnlyList<ImportedLayer> layers,
        IReadOnlyList<IReadOnlyList<LayerOption>> declarations, float[] parameters, float[] state, string sourceFile, string provenance)
    {
        _state = state;
        Architecture = architecture;
        Namespace = @namespace;
        Layers = layers;
        Declarations = declarations;
        _parameters = parameters;
        SourceFile = sourceFile;
        Provenance = provenance;
    }

    /// <summary>The class name.</summary>
    public string Name => Architecture.Name;

    /// <summary>The namespace, or null for the global namespace.</summary>
    public string? Namespace { get; }

    /// <summary>Channels first for feature-map models (ONNX's layout); a vector model keeps the default.</summary>
    public DataFormat DataFormat => Architecture.DataFormat;

    /// <summary>One input sample's shape in <see cref="DataFormat"/> (the batch dimension left out).</summary>
    public IReadOnlyList<int> InputShape => Architecture.InputShape;

    /// <summary>One output sample's shape.</summary>
    public IReadOnlyList<int> OutputShape => Architecture.OutputShape;

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<ImportedLayer> Layers { get; }

    /// <summary>
    /// The architecture the generated class will report as <c>Architecture</c>; its fingerprint
    /// is written into the weight file, so that <c>LoadWeights</c> accepts the file.
    /// </summary>
    public NetworkArchitecture Architecture { get; }

    /// <summary>All weights in the order of the generated class's <c>Parameters</c> (layer by layer, kernel then bias, Keras layout).</summary>
    public ReadOnlySpan<float> Parameters => _parameters;

    /// <summary>The state in the order of the generated class's <c>State</c>: the moving statistics of its batch_norm layers (empty without one).</summary>
    public ReadOnlySpan<float> State => _state;

    /// <summary>The name of the ONNX file it came from.</summary>
    public string SourceFile { get; }

    /// <summary>The ONNX file's producer and operator set ("pytorch 1.13.0, opset 13").</summary>
    public string Provenance { get; }

    /// <summary>NAME.cnnw.</summary>
    public string WeightsFileName => Name + WeightFile.Extension;

    /// <summary>NAME.cnn or NAME.cs.</summary>
    public string DeclarationFileName(ImportFormat format) => Name + (format == ImportFormat.Cnn ? ".cnn" : ".cs");

    internal IReadOnlyList<IReadOnlyList<LayerOption>> Declarations { get; }

    /// <summary>The network as a .cnn file.</summary>
    public string ToCnn() => DeclarationWriter.Cnn(this);

    /// <summary>The network as a C# [Network] partial class with layer attributes.</summary>
    public string ToCSharp() => DeclarationWriter.CSharp(this);

    /// <summary>The declaration in <paramref name="format"/>.</summary>
    public string Declaration(ImportFormat format) => format == ImportFormat.Cnn ? ToCnn() : ToCSharp();

    /// <summary>Writes the weight file (atomically: a temporary file renamed over <paramref name="path"/>).</summary>
    public void SaveWeights(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Replace(path, WriteWeights);
    }

    /// <summary>Writes the weight record to <paramref name="stream"/> (not closed).</summary>
    public void WriteWeights(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        WeightFile.Save(Architecture, _parameters, _state, stream);
    }

    /// <summary>
    /// Writes <see cref="DeclarationFileName"/> and <see cref="WeightsFileName"/> into
    /// <paramref name="directory"/> (created if missing): both are written to temporary files
    /// first and renamed into place only when both are complete, so a failure leaves neither
    /// half-written. Returns the two paths.
    /// </summary>
    public IReadOnlyList<string> WriteFiles(string directory, ImportFormat format)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var declaration = Path.Combine(directory, DeclarationFileName(format));
        var weights = Path.Combine(directory, WeightsFileName);
        var text = System.Text.Encoding.UTF8.GetBytes(Declaration(format));
        AtomicFile.ReplaceAll(
        [
            (declaration, stream => stream.Write(text)),
            (weights, WriteWeights),
        ]);
        return [declaration, weights];
    }
}
