namespace CnnGen.Generators.Model;

/// <summary>
/// A network as declared, by attributes on a partial class or in a .cnn file: the input of
/// shape inference. Immutable and structurally equatable, or incremental caching breaks.
/// </summary>
/// <param name="Namespace">The namespace, empty for the global namespace.</param>
/// <param name="ClassName">The class name.</param>
/// <param name="ContainingTypes">Declarations of enclosing types, outermost first ("partial class Outer").</param>
/// <param name="Format">The data format.</param>
/// <param name="Input">The declared input, or null if none was declared.</param>
/// <param name="Layers">The layers in order.</param>
/// <param name="DeclaredOutput">The declared output shape, if any.</param>
/// <param name="Origin">Where the network was declared, for the header of the generated file.</param>
/// <param name="Location">The class name or the network name token.</param>
/// <param name="ParseDiagnostics">Errors found while reading the declaration.</param>
internal sealed record NetworkSpec(
    string Namespace,
    string ClassName,
    EquatableArray<string> ContainingTypes,
    DataFormat Format,
    InputSpec? Input,
    EquatableArray<LayerSpec> Layers,
    ShapeSpec? DeclaredOutput,
    DeclarationOrigin Origin,
    LocationInfo? Location,
    EquatableArray<DiagnosticInfo> ParseDiagnostics)
{
    /// <summary>The name other networks use to refer to this one: namespace, enclosing types and class, dot-separated.</summary>
    public string FullName => NetworkNames.FullName(Namespace, ContainingTypeNames, ClassName);

    public EquatableArray<string> ContainingTypeNames => NetworkNames.TypeNames(ContainingTypes);
}

/// <summary>The declared input: a shape, or the name of another network.</summary>
/// <param name="Shape">The shape in the network's data format; empty when <paramref name="Network"/> is set.</param>
/// <param name="Network">The referenced network: a full name (attributes) or a name as written (.cnn).</param>
/// <param name="Location">The Input attribute, or the input value in the .cnn file.</param>
internal sealed record InputSpec(EquatableArray<int> Shape, string? Network, LocationInfo? Location, bool IsIncomplete = false);

/// <summary>A declared shape (the Output attribute) and where it was written.</summary>
internal sealed record ShapeSpec(EquatableArray<int> Shape, LocationInfo? Location);

/// <summary>Where a network was declared.</summary>
/// <param name="IsDsl">True for a .cnn file, false for attributes on a class.</param>
/// <param name="FileName">The file name (without directories), for the generated header.</param>
internal sealed record DeclarationOrigin(bool IsDsl, string FileName)
{
    public string Describe() => IsDsl ? "declared in " + FileName : "declared with attributes in " + FileName;
}
