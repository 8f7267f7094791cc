using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CnnGen.Generators.Analysis;

/// <summary>
/// What a compilation's networks are made of, compared by identity: its syntax trees (an
/// edit makes a new tree; unchanged ones are shared), its references and options, and its
/// additional files. Equal keys give equal catalogs; anything else rebuilds.
/// </summary>
internal sealed class SnapshotKey
{
    private readonly SyntaxTree[] _trees;
    private readonly MetadataReference[] _references;
    private readonly CompilationOptions _options;
    private readonly AdditionalText[] _additionalFiles;

    private SnapshotKey(SyntaxTree[] trees, MetadataReference[] references, CompilationOptions options, AdditionalText[] additionalFiles)
    {
        _trees = trees;
        _references = references;
        _options = options;
        _additionalFiles = additionalFiles;
    }

    public SyntaxTree? FirstTree => _trees.Length > 0 ? _trees[0] : null;

    public static SnapshotKey Of(Compilation compilation, ImmutableArray<AdditionalText> additionalFiles) =>
        new(compilation.SyntaxTrees.ToArray(), compilation.References.ToArray(), compilation.Options,
            additionalFiles.IsDefault ? new AdditionalText[0] : additionalFiles.ToArray());

    public bool SameAs(SnapshotKey other) =>
        ReferenceEquals(_options, other._options) && Same(_trees, other._trees) && Same(_references, other._references)
        && Same(_additionalFiles, other._additionalFiles);

    private static bool Same<T>(T[] left, T[] right)
        where T : class
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        for (var i = 0; i < left.Length; i++)
        {
            if (!ReferenceEquals(left[i], right[i]))
            {
                return false;
            }
        }

        return true;
    }
}
