using System.CommandLine;
using System.Globalization;
using CnnGen.Generators.Emit;
using CnnGen.Onnx;

namespace CnnGen.Cli;

/// <summary>
/// cnngen import: an ONNX model to a .cnn (or C#) declaration and a weight file, through
/// <see cref="OnnxImporter"/>. The declaration is checked by the generator's compiler core
/// before anything is written, and its summary is printed.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Argument<string>("model") { Description = "The ONNX model (.onnx) to import." };
        var name = new Option<string?>("--name") { Description = "The network's class name (default: the model's file name in PascalCase)." };
        var ns = new Option<string?>("--namespace") { Description = "The network's namespace (default: none)." };
        var directory = new Option<string>("--output", "-o")
        {
            Description = "The directory to write NAME.cnn (or NAME.cs) and NAME.cnnw to (created if missing).",
            DefaultValueFactory = _ => ".",
        };
        var format = new Option<string>("--format")
        {
            Description = "cnn: a .cnn file; cs: a C# class with layer attributes. Both declare the same network.",
            DefaultValueFactory = _ => "cnn",
        };
        format.AcceptOnlyFromAmong("cnn", "cs");
        var inputShape = new Option<string?>("--input-shape")
        {
            Description = "One input sample's shape, channels first without the batch (3x224x224), for models whose sizes are symbolic.",
        };
        var command = new Command("import", "Imports an ONNX model (from torch.onnx.export): writes the network's declaration and its weights, and prints its summary. Nothing is written when the model cannot be imported.")
        {
            model, name, ns, directory, format, inputShape,
        };
        command.SetAction(parsed => Run(
            parsed.GetValue(model)!, parsed.GetValue(name), parsed.GetValue(ns), parsed.GetValue(directory) ?? ".",
            parsed.GetValue(format) == "cs" ? ImportFormat.CSharp : ImportFormat.Cnn, parsed.GetValue(inputShape), output, error));
        return command;
    }

    private static int Run(string path, string? name, string? ns, string directory, ImportFormat format, string? inputShape, TextWriter output, TextWriter error)
    {
        if (Directory.Exists(path))
        {
            error.WriteLine($"cnngen: error: '{path}' is a directory; give an .onnx file");
            return CliApp.UsageError;
        }

        if (!File.Exists(path))
        {
            error.WriteLine($"cnngen: error: file not found: '{path}'");
            return CliApp.UsageError;
        }

        int[]? shape = null;
        if (inputShape is not null && (shape = ParseShape(inputShape)) is null)
        {
            error.WriteLine($"cnngen: error: --input-shape '{inputShape}' is not a shape such as 3x224x224 (channels first, without the batch)");
            return CliApp.UsageError;
        }

        ImportedNetwork network;
        try
        {
            network = OnnxImporter.Import(path, new OnnxImportOptions { Name = name, Namespace = ns, InputShape = shape });
        }
        catch (ArgumentException exception)
        {
            error.WriteLine("cnngen: error: " + exception.Message);
            return CliApp.UsageError;
        }
        catch (OnnxImportException exception)
        {
            error.WriteLine("cnngen: error: " + exception.Message);
            error.WriteLine("cnngen: nothing written.");
            return CliApp.HasErrors;
        }

        // The generator checks the declaration as a build would; the .cnn and C# forms declare the same network.
        var cnnFile = network.DeclarationFileName(ImportFormat.Cnn);
        var compilation = CnnCompilation.Create([(cnnFile, network.ToCnn())]);
        var analysis = compilation.Analyses.Single();
        if (compilation.Diagnostics.Count > 0 || !analysis.Model.IsValid || analysis.Model.ParameterCount != network.Architecture.ParameterCount)
        {
            compilation.WriteDiagnostics(error);
            error.WriteLine($"cnngen: error: the declaration imported from '{path}' does not compile as expected ({analysis.Model.ParameterCount} parameters, " +
                $"{network.Architecture.ParameterCount} imported); this is a bug of the importer. Nothing written.");
            return CliApp.HasErrors;
        }

        IReadOnlyList<string> written;
        try
        {
            written = network.WriteFiles(directory, format);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            error.WriteLine($"cnngen: error: cannot write to '{directory}': {exception.Message}");
            return CliApp.UsageError;
        }

        output.WriteLine(LayerDescriber.SummaryTable(analysis.Model));
        foreach (var file in written)
        {
            output.WriteLine("wrote " + file);
        }

        return CliApp.Success;
    }

    /// <summary>"3x224x224" -> [3, 224, 224]; null when it is not 1 to 3 positive sizes.</summary>
    private static int[]? ParseShape(string text)
    {
        var parts = text.Split('x', 'X');
        var sizes = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
            {
                return null;
            }
        }

        return sizes.Length is >= 1 and <= 3 ? sizes : null;
    }
}
