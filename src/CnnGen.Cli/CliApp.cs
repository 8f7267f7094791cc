using System.CommandLine;
using System.Globalization;
using System.CommandLine.Invocation;
using CnnGen.Generators;
using CnnGen.Generators.Emit;

namespace CnnGen.Cli;

/// <summary>
/// The commands of cnngen: check, summary, compile and import. Exit codes: 0 success (warnings
/// allowed), 1 the files have errors, 2 the command line is wrong, a file cannot be read or is
/// too large, or cnngen itself failed (one line on standard error, never a stack trace).
/// </summary>
internal static class CliApp
{
    public const int Success = 0;
    public const int HasErrors = 1;
    public const int UsageError = 2;

    /// <summary>The largest .cnn file read: 16 MiB, far beyond any network (a LeNet is a few hundred bytes).</summary>
    public const int MaxFileBytes = 16 << 20;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            return RunCommand(args, output, error);
        }
        catch (Exception exception)
        {
            // Whatever went wrong (out of memory included), one line and exit code 2: a stack trace helps no user.
            try
            {
                error.WriteLine("cnngen: internal error: " + OneLine(exception));
            }
            catch (Exception)
            {
                // Standard error itself is broken: the exit code is all that is left.
            }

            return UsageError;
        }
    }

    private static string OneLine(Exception exception)
    {
        var text = exception is OutOfMemoryException ? "out of memory" : exception.GetType().Name + ": " + exception.Message;
        return string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static int RunCommand(string[] args, TextWriter output, TextWriter error)
    {
        // A named root rather than RootCommand, whose name is the host process's (testhost when run in-process).
        var root = new Command("cnngen", "Checks, summarises and compiles .cnn network declarations (see docs/dsl.md), and imports ONNX models (docs/import.md).")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
        };
        root.Subcommands.Add(CheckCommand(output, error));
        root.Subcommands.Add(SummaryCommand(output, error));
        root.Subcommands.Add(CompileCommand(output, error));
        root.Subcommands.Add(ImportCommand.Create(output, error));

        var parsed = root.Parse(args);
        var showsHelp = parsed.Action is CommandLineAction { ClearsParseErrors: true };
        if (parsed.Errors.Count > 0 && !showsHelp)
        {
            foreach (var parseError in parsed.Errors)
            {
                error.WriteLine("cnngen: " + parseError.Message);
            }

            error.WriteLine("Run 'cnngen --help' or 'cnngen COMMAND --help' for usage.");
            return UsageError;
        }

        // No default handler: it prints stack traces; Run turns any exception into one line.
        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }

    private static Argument<string[]> Files(string description) => new("files")
    {
        Description = description,
        Arity = ArgumentArity.OneOrMore,
    };

    private static Command CheckCommand(TextWriter output, TextWriter error)
    {
        var files = Files(".cnn files to check; together they form one set of networks, so one may take its input from another.");
        var command = new Command("check", "Reports every error and warning in the files, as the compiler would: file(line,col): error CNN0103: message. Exit code 1 on any error.")
        {
            files,
        };
        command.SetAction(parsed => Load(parsed.GetValue(files)!, error) is not { } compilation
            ? UsageError
            : Check(compilation, output));
        return command;
    }

    private static int Check(CnnCompilation compilation, TextWriter output)
    {
        var (errors, warnings) = compilation.WriteDiagnostics(output);
        var networks = compilation.Analyses.Length;
        output.WriteLine($"Checked {Plural(networks, "network")} in {Plural(compilation.Paths.Count, "file")}: {Plural(errors, "error")}, {Plural(warnings, "warning")}.");
        return errors > 0 ? HasErrors : Success;
    }

    private static Command SummaryCommand(TextWriter output, TextWriter error)
    {
        var files = Files(".cnn files whose networks to summarise (a network's input network may be declared in another file).");
        var command = new Command("summary", "Prints the Keras-style table of each network: layers, output shapes, parameters and multiply-adds.")
        {
            files,
        };
        command.SetAction(parsed =>
        {
            if (Load(parsed.GetValue(files)!, error) is not { } compilation)
            {
                return UsageError;
            }

            var (errors, _) = compilation.WriteDiagnostics(error);
            var first = true;
            foreach (var analysis in compilation.Analyses)
            {
                if (analysis.Model.IsValid)
                {
                    if (!first)
                    {
                        output.WriteLine();
                    }

                    output.WriteLine(LayerDescriber.SummaryTable(analysis.Model));
                    first = false;
                }
            }

            return errors > 0 ? HasErrors : Success;
        });
        return command;
    }

    private static Command CompileCommand(TextWriter output, TextWriter error)
    {
        var files = Files(".cnn files to compile; each network becomes NAMESPACE.NAME.g.cs, the same C# the CnnGen generator emits.");
        var directory = new Option<string>("--output", "-o")
        {
            Description = "The directory to write the .g.cs files to (created if missing).",
            DefaultValueFactory = _ => ".",
        };
        var command = new Command("compile", "Writes the generated C# of each network. Nothing is written when a file has errors.")
        {
            files,
            directory,
        };
        command.SetAction(parsed =>
        {
            if (Load(parsed.GetValue(files)!, error) is not { } compilation)
            {
                return UsageError;
            }

            var (errors, _) = compilation.WriteDiagnostics(error);
            if (errors > 0)
            {
                error.WriteLine($"cnngen: {Plural(errors, "error")}; no file written.");
                return HasErrors;
            }

            return Compile(compilation, parsed.GetValue(directory) ?? ".", output, error);
        });
        return command;
    }

    private static int Compile(CnnCompilation compilation, string directory, TextWriter output, TextWriter error)
    {
        // Every network is generated before anything is written: one that cannot be (CNN0300,
        // CNN0301) fails the command and leaves no files.
        var emitted = compilation.Analyses.Select(analysis => (analysis.Model, Emitted: NetworkCompiler.Emit(analysis.Model))).ToList();
        var failures = emitted.Where(item => item.Emitted.Failure is not null).ToList();
        if (failures.Count > 0)
        {
            foreach (var (_, result) in failures)
            {
                error.WriteLine(CnnCompilation.Format(result.Failure!));
            }

            error.WriteLine($"cnngen: {Plural(failures.Count, "error")}; no file written.");
            return HasErrors;
        }

        try
        {
            Directory.CreateDirectory(directory);
            foreach (var (model, result) in emitted)
            {
                var path = Path.Combine(directory, model.HintName);
                File.WriteAllText(path, result.Source);
                output.WriteLine("wrote " + path);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error.WriteLine($"cnngen: error: cannot write to '{directory}': {exception.Message}");
            return UsageError;
        }

        return Success;
    }

    /// <summary>Reads and checks the files; null (after saying why) when one cannot be read.</summary>
    private static CnnCompilation? Load(string[] paths, TextWriter error)
    {
        var texts = new List<(string Path, string Text)>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                error.WriteLine($"cnngen: error: '{path}' is a directory; give .cnn files");
                return null;
            }

            try
            {
                if (ReadBounded(path) is not { } text)
                {
                    error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"cnngen: error: '{path}' is larger than {MaxFileBytes >> 20} MiB ({MaxFileBytes:N0} bytes), the most a .cnn file may be"));
                    return null;
                }

                texts.Add((path, text));
            }
            catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
            {
                error.WriteLine($"cnngen: error: file not found: '{path}'");
                return null;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                error.WriteLine($"cnngen: error: cannot read '{path}': {exception.Message}");
                return null;
            }
        }

        return CnnCompilation.Create(texts);
    }

    /// <summary>
    /// The text of the file, or null when it holds more than <see cref="MaxFileBytes"/>. Read in
    /// full up to the limit whatever the file system says its length is (a device or a pipe says 0).
    /// </summary>
    private static string? ReadBounded(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        if (stream.CanSeek && stream.Length > MaxFileBytes)
        {
            return null;
        }

        var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > MaxFileBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        using var reader = new StreamReader(buffer, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static string Plural(int count, string noun) => count + " " + noun + (count == 1 ? string.Empty : "s");
}
