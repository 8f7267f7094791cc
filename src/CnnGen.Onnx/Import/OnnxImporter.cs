using System;
using System.IO;
using System.Linq;
using System.Text;

namespace CnnGen.Onnx;

/// <summary>
/// Imports a trained ONNX model as a CnnGen network: a declaration (.cnn or C# attributes) and
/// the weights. An N x C x spatial model becomes a channels_first network, so it takes the
/// arrays ONNX Runtime takes. docs/import.md lists the operators and patterns it maps; anything
/// else is an <see cref="OnnxImportException"/> naming the node, the operator and what is
/// supported, raised before anything is written.
/// </summary>
public static class OnnxImporter
{
    /// <summary>Reads and maps the model at <paramref name="path"/>.</summary>
    /// <exception cref="OnnxImportException">The model cannot be read or mapped.</exception>
    /// <exception cref="ArgumentException">The name, namespace or input shape of <paramref name="options"/> is not valid.</exception>
    public static ImportedNetwork Import(string path, OnnxImportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new OnnxImportException($"File not found: '{path}'.", innerException: exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new OnnxImportException($"Cannot read '{path}': {exception.Message}", innerException: exception);
        }

        return Import(bytes, Path.GetFileName(path), options);
    }

    /// <summary>Maps the model in <paramref name="model"/>; <paramref name="fileName"/> names it in messages and gives the default class name.</summary>
    /// <exception cref="OnnxImportException">The model cannot be read or mapped.</exception>
    /// <exception cref="ArgumentException">The name, namespace or input shape of <paramref name="options"/> is not valid.</exception>
    public static ImportedNetwork Import(byte[] model, string fileName, OnnxImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        options ??= new OnnxImportOptions();
        var name = options.Name ?? DefaultName(fileName);
        CheckName(name, "network name");
        if (options.Namespace is { } ns)
        {
            foreach (var part in ns.Split('.'))
            {
                CheckName(part, "namespace");
            }
        }

        if (options.InputShape is { } shape && (shape.Count is < 1 or > 3 || shape.Any(d => d < 1)))
        {
            throw new ArgumentException($"The input shape {string.Join("x", shape)} is not 1 to 3 sizes of at least 1 (channels first, without the batch: 3x224x224).");
        }

        var graph = OnnxGraph.Read(model, fileName);
        var input = GraphMapper.InputShape(graph, options.InputShape);
        var layers = GraphMapper.Map(graph, input);
        return NetworkAssembler.Assemble(layers, name, options.Namespace, input, fileName, graph.Provenance());
    }

    /// <summary>"lenet_mnist.onnx" -> "LenetMnist"; a name that starts with a digit gets "Model" before it.</summary>
    public static string DefaultName(string fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var text = new StringBuilder();
        var startsWord = true;
        foreach (var c in stem)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                startsWord = true;
                continue;
            }

            text.Append(startsWord ? char.ToUpperInvariant(c) : c);
            startsWord = false;
        }

        var name = text.Length == 0 ? "ImportedModel" : text.ToString();
        return char.IsAsciiDigit(name[0]) ? "Model" + name : name;
    }

    /// <summary>A C# identifier of ASCII letters, digits and underscores that is not a keyword.</summary>
    private static void CheckName(string name, string what)
    {
        var valid = name.Length is > 0 and <= 512 && (char.IsAsciiLetter(name[0]) || name[0] == '_') &&
            name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !CSharpKeywords.Contains(name);
        if (!valid)
        {
            throw new ArgumentException($"'{name}' cannot be a {what}: use a C# name (a letter or underscore, then letters, digits or underscores; not a keyword).");
        }
    }

    private static readonly System.Collections.Generic.HashSet<string> CSharpKeywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while",
    };
}
