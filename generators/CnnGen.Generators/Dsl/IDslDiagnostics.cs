using CnnGen.Generators.Model;

namespace CnnGen.Generators.Dsl;

/// <summary>Where the binders report errors: the parser, which files them under the network being read.</summary>
internal interface IDslDiagnostics
{
    /// <summary>True once the file has so many errors that more are not reported.</summary>
    bool IsFull { get; }

    void Report(DiagnosticInfo diagnostic);
}
