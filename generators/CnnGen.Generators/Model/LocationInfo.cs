using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace CnnGen.Generators.Model;

/// <summary>
/// Where something was written: a file path, a text span and a line span. Unlike
/// <see cref="Location"/> it holds no syntax tree, so models that carry it stay cacheable.
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan TextSpan, LinePositionSpan LineSpan)
{
    /// <summary>A location by path only (an external-file location): right for .cnn files, which have no syntax tree.</summary>
    public Location ToLocation() => Location.Create(FilePath, TextSpan, LineSpan);

    /// <summary>
    /// The location in the compilation's syntax tree of the same path, when there is one. Only
    /// such a source location lets #pragma warning and per-file .editorconfig severities apply
    /// (Roslyn ignores both for external-file locations; dotnet/roslyn#68291).
    /// </summary>
    public Location ToLocation(Compilation? compilation)
    {
        if (compilation is not null && FilePath.Length > 0)
        {
            foreach (var tree in compilation.SyntaxTrees)
            {
                if (tree.FilePath == FilePath && TextSpan.End <= tree.Length)
                {
                    return Location.Create(tree, TextSpan);
                }
            }
        }

        return ToLocation();
    }

    public static LocationInfo? From(SyntaxNode? node) => node is null ? null : From(node.GetLocation());

    public static LocationInfo? From(Location? location)
    {
        if (location is null || location.SourceTree is null && !location.IsInSource && location.Kind != LocationKind.ExternalFile)
        {
            return null;
        }

        var lineSpan = location.GetLineSpan();
        return new LocationInfo(lineSpan.Path ?? string.Empty, location.SourceSpan, lineSpan.Span);
    }
}
