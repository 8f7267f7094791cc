using CnnGen.Generators.Model;

namespace CnnGen.Generators.Dsl;

/// <summary>
/// The networks and the errors of one .cnn file. Errors inside a network belong to that
/// network's <see cref="NetworkSpec.ParseDiagnostics"/> (so it is not generated, while the
/// others are); the rest are the file's. Immutable and structurally equatable, or
/// incremental caching breaks.
/// </summary>
internal sealed record DslFile(EquatableArray<NetworkSpec> Networks, EquatableArray<DiagnosticInfo> Diagnostics)
{
    public static bool IsDslPath(string path) => path.EndsWith(".cnn", System.StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a .cnn file. Never throws: whatever the text, the result is networks and diagnostics.</summary>
    public static DslFile Parse(string path, string text)
    {
        try
        {
            return DslParser.Parse(path, text);
        }
        catch (System.Exception exception) when (exception is not System.OperationCanceledException)
        {
            var start = new LocationInfo(path, default, default);
            return new DslFile(EquatableArray<NetworkSpec>.Empty, EquatableArray.Create(DiagnosticInfo.Create(
                CnnGen.Generators.Diagnostics.DiagnosticDescriptors.InternalError, start, System.IO.Path.GetFileName(path), exception.GetType().Name + ": " + exception.Message)));
        }
    }
}
