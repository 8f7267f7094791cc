using CnnGen.Generators.Model;

namespace CnnGen.Generators.Dsl;

/// <summary>The networks and syntax errors of one .cnn file.</summary>
internal sealed record DslFile(EquatableArray<NetworkSpec> Networks, EquatableArray<DiagnosticInfo> Diagnostics)
{
    public static bool IsDslPath(string path) => path.EndsWith(".cnn", System.StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a .cnn file. (The language arrives with the DSL issue; until then a file declares nothing.)</summary>
    public static DslFile Parse(string path, string text) => new(EquatableArray<NetworkSpec>.Empty, EquatableArray<DiagnosticInfo>.Empty);
}
