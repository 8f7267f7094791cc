using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using CnnGen.Generators.Dsl;
using CnnGen.Generators.Model;
using CnnGen.Generators.Parsing;
using CnnGen.Generators.Shapes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace CnnGen.Generators.Analysis;

/// <summary>
/// The networks of a compilation: the catalog the generator builds (every [Network]
/// declaration, then every .cnn file, in the generator's order), where each came from, and each
/// network's analysis, made on first request. It holds no symbol, so it is shared by every
/// analysis request of the same compilation: the analyzer driver runs compilation-start actions
/// once per request (in an IDE, once per document or file it analyses), and each request sees
/// a copy of the compilation with the same syntax trees. <see cref="SnapshotKey"/> tells them apart.
/// </summary>
internal sealed class NetworkSnapshot
{
    /// <summary>The last snapshot per project, keyed by the compilation's first syntax tree (see <see cref="Get"/>).</summary>
    private static readonly ConditionalWeakTable<SyntaxTree, Slot> Slots = new();

    /// <summary>Parsed .cnn files by text: an IDE hands unchanged files to each new compilation with the same text.</summary>
    private static readonly ConditionalWeakTable<SourceText, ParsedFile> ParsedFiles = new();

    private readonly NetworkAnalysis?[] _analyses;

    private NetworkSnapshot(NetworkCatalog catalog, Dictionary<(SyntaxTree, TextSpan), int> byDeclaration,
        Dictionary<AdditionalText, (DslFile, int)> files)
    {
        Catalog = catalog;
        ByDeclaration = byDeclaration;
        Files = files;
        _analyses = new NetworkAnalysis?[catalog.Networks.Count];
    }

    public NetworkCatalog Catalog { get; }

    /// <summary>The catalog index of each declaration carrying [Network], by its syntax tree and span.</summary>
    public Dictionary<(SyntaxTree Tree, TextSpan Span), int> ByDeclaration { get; }

    /// <summary>Each .cnn file, parsed, and the catalog index of its first network.</summary>
    public Dictionary<AdditionalText, (DslFile Parsed, int FirstIndex)> Files { get; }

    /// <summary>A network's analysis, made on first request: a document's analysis checks only its own networks (and their inputs).</summary>
    public NetworkAnalysis Analysis(int index)
    {
        if (Volatile.Read(ref _analyses[index]) is { } done)
        {
            return done;
        }

        // Pure and deterministic: when two threads race on one network, the first result is kept.
        var analysis = NetworkCompiler.Analyze(Catalog, index);
        return Interlocked.CompareExchange(ref _analyses[index], analysis, null) ?? analysis;
    }

    /// <summary>
    /// The snapshot of a compilation: the last one built for its project when nothing it is made
    /// of has changed since (same syntax trees, references, options and additional files), else
    /// a new one. One slot per project (keyed by its first syntax tree, which lives as long as the
    /// project does and is shared by its copies), so the slot holds only what the project holds.
    /// </summary>
    public static NetworkSnapshot Get(Compilation compilation, ImmutableArray<AdditionalText> additionalFiles, System.Action onBuild,
        CancellationToken cancellationToken)
    {
        var key = SnapshotKey.Of(compilation, additionalFiles);
        var slot = key.FirstTree is { } first ? Slots.GetValue(first, static _ => new Slot()) : new Slot();
        lock (slot)
        {
            // A request cancelled while building leaves the slot as it was, for the next one to build.
            if (slot.Key is not { } last || !last.SameAs(key) || slot.Snapshot is null)
            {
                onBuild();
                slot.Snapshot = Build(compilation, additionalFiles, cancellationToken);
                slot.Key = key;
            }

            return slot.Snapshot;
        }
    }

    private static NetworkSnapshot Build(Compilation compilation, ImmutableArray<AdditionalText> additionalFiles, CancellationToken cancellationToken)
    {
        var specs = ImmutableArray.CreateBuilder<NetworkSpec>();
        var byDeclaration = new Dictionary<(SyntaxTree, TextSpan), int>();
        foreach (var declaration in NetworkDeclarations.Find(compilation, cancellationToken))
        {
            byDeclaration[(declaration.Syntax.SyntaxTree, declaration.Syntax.Span)] = specs.Count;
            specs.Add(AttributeParser.Parse(declaration.Symbol, declaration.Syntax, declaration.NetworkAttributes, cancellationToken));
        }

        var files = new Dictionary<AdditionalText, (DslFile, int)>();
        var dslNetworks = ImmutableArray.CreateBuilder<EquatableArray<NetworkSpec>>();
        var next = specs.Count;
        foreach (var file in additionalFiles)
        {
            if (DslFile.IsDslPath(file.Path))
            {
                var parsed = Parse(file, cancellationToken);
                files[file] = (parsed, next);
                dslNetworks.Add(parsed.Networks);
                next += parsed.Networks.Count;
            }
        }

        return new NetworkSnapshot(NetworkCatalog.Create(specs.ToImmutable(), dslNetworks.ToImmutable()), byDeclaration, files);
    }

    private static DslFile Parse(AdditionalText file, CancellationToken cancellationToken)
    {
        var text = file.GetText(cancellationToken);
        if (text is null)
        {
            return DslFile.Parse(file.Path, string.Empty);
        }

        var parsed = ParsedFiles.GetValue(text, text => new ParsedFile(file.Path, DslFile.Parse(file.Path, text.ToString())));
        return parsed.Path == file.Path ? parsed.File : DslFile.Parse(file.Path, text.ToString());
    }

    private sealed record ParsedFile(string Path, DslFile File);

    private sealed class Slot
    {
        public SnapshotKey? Key { get; set; }

        public NetworkSnapshot? Snapshot { get; set; }
    }
}
