using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using CnnGen.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CnnGen.Generators.Analysis;

/// <summary>One class declaration carrying [Network], as the generator's syntax provider hands it to the attribute parser.</summary>
internal sealed record NetworkDeclaration(INamedTypeSymbol Symbol, TypeDeclarationSyntax Syntax, ImmutableArray<AttributeData> NetworkAttributes);

/// <summary>
/// Finds every declaration of a compilation that carries [Network], in the order the
/// generator's ForAttributeWithMetadataName yields them (syntax trees in compilation order,
/// declarations in source order), so that the analyzer's catalog is the generator's.
/// A syntactic pass keeps the class, record and struct declarations with an attribute whose
/// name can bind to CnnGen.NetworkAttribute (directly or through a using alias); their symbols'
/// attributes then decide. The syntactic pass is remembered per syntax tree: in an IDE, an
/// edit makes a new compilation that shares every unchanged tree, so only the edited file is
/// read again.
/// </summary>
internal static class NetworkDeclarations
{
    private const string NetworkAttributeMetadataName = "NetworkAttribute";

    private static readonly ConditionalWeakTable<SyntaxTree, TreeSummary> Summaries = new();

    /// <summary>CnnGen.NetworkAttribute (<see cref="AttributeParser.NetworkAttributeName"/>), matched by name as the generator matches it.</summary>
    public static bool IsNetworkAttribute(INamedTypeSymbol? attributeClass) =>
        attributeClass is { MetadataName: NetworkAttributeMetadataName, ContainingType: null, ContainingNamespace: { Name: "CnnGen" } ns }
        && ns.ContainingNamespace is { IsGlobalNamespace: true };

    public static bool HasNetworkAttribute(INamedTypeSymbol symbol)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (IsNetworkAttribute(attribute.AttributeClass))
            {
                return true;
            }
        }

        return false;
    }

    public static List<NetworkDeclaration> Find(Compilation compilation, CancellationToken cancellationToken)
    {
        var trees = new List<(SyntaxTree Tree, TreeSummary Summary)>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            trees.Add((tree, Summaries.GetValue(tree, static tree => TreeSummary.Read(tree))));
        }

        var names = AttributeNames(trees);
        var candidates = new Dictionary<(SyntaxTree Tree, TextSpan Span), int>();
        var identifiers = new HashSet<string>(System.StringComparer.Ordinal);
        for (var i = 0; i < trees.Count; i++)
        {
            foreach (var declaration in trees[i].Summary.Declarations)
            {
                if (MayBeNetwork(declaration, names))
                {
                    candidates[(trees[i].Tree, declaration.Span)] = i;
                    identifiers.Add(declaration.Identifier);
                }
            }
        }

        var found = new List<(int Tree, int Start, NetworkDeclaration Declaration)>();
        foreach (var identifier in identifiers)
        {
            foreach (var symbol in compilation.GetSymbolsWithName(identifier, SymbolFilter.Type, cancellationToken))
            {
                if (symbol is not INamedTypeSymbol type)
                {
                    continue;
                }

                foreach (var reference in type.DeclaringSyntaxReferences)
                {
                    if (candidates.TryGetValue((reference.SyntaxTree, reference.Span), out var treeIndex)
                        && reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax syntax
                        && AttributeParser.IsCandidate(syntax)
                        && NetworkAttributesOn(type, syntax, cancellationToken) is { IsEmpty: false } attributes)
                    {
                        found.Add((treeIndex, reference.Span.Start, new NetworkDeclaration(type, syntax, attributes)));
                    }
                }
            }
        }

        found.Sort(static (a, b) => a.Tree != b.Tree ? a.Tree.CompareTo(b.Tree) : a.Start.CompareTo(b.Start));
        return found.ConvertAll(static entry => entry.Declaration);
    }

    /// <summary>
    /// The [Network] attributes in this declaration's file, as ForAttributeWithMetadataName gives
    /// them (it matches by syntax tree, not by node: two declarations of one class in a file share them).
    /// </summary>
    private static ImmutableArray<AttributeData> NetworkAttributesOn(INamedTypeSymbol symbol, TypeDeclarationSyntax syntax, CancellationToken cancellationToken)
    {
        var builder = ImmutableArray.CreateBuilder<AttributeData>();
        foreach (var attribute in symbol.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsNetworkAttribute(attribute.AttributeClass)
                && attribute.ApplicationSyntaxReference is { } application
                && application.SyntaxTree == syntax.SyntaxTree)
            {
                builder.Add(attribute);
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>The names an attribute can be written with and mean [Network]: Network, NetworkAttribute and their aliases.</summary>
    private static HashSet<string> AttributeNames(List<(SyntaxTree Tree, TreeSummary Summary)> trees)
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal) { "Network", NetworkAttributeMetadataName };
        // Aliases may name aliases (global ones in another file): repeat until nothing is added.
        for (var added = true; added;)
        {
            added = false;
            foreach (var (_, summary) in trees)
            {
                foreach (var (alias, target) in summary.Aliases)
                {
                    if (names.Contains(target) && names.Add(alias))
                    {
                        added = true;
                    }
                }
            }
        }

        return names;
    }

    private static bool MayBeNetwork(DeclarationSummary declaration, HashSet<string> names)
    {
        foreach (var name in declaration.AttributeNames)
        {
            // [X] binds to X or XAttribute.
            if (names.Contains(name) || names.Contains(name + "Attribute"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What one syntax tree declares, as far as finding networks goes; no node, so it holds no tree alive.</summary>
    private sealed class TreeSummary
    {
        private TreeSummary(List<DeclarationSummary> declarations, List<(string Alias, string Target)> aliases)
        {
            Declarations = declarations;
            Aliases = aliases;
        }

        public List<DeclarationSummary> Declarations { get; }

        /// <summary>Using aliases: the alias and the rightmost name of what it stands for.</summary>
        public List<(string Alias, string Target)> Aliases { get; }

        public static TreeSummary Read(SyntaxTree tree)
        {
            var declarations = new List<DeclarationSummary>();
            var aliases = new List<(string, string)>();
            // Only namespaces and types can hold type declarations and usings: member bodies are never walked.
            foreach (var node in tree.GetRoot().DescendantNodes(static node => node is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax))
            {
                if (node is UsingDirectiveSyntax { Alias: { } alias, NamespaceOrType: NameSyntax target })
                {
                    aliases.Add((alias.Name.Identifier.ValueText, RightmostName(target)));
                }
                else if (node is TypeDeclarationSyntax { AttributeLists.Count: > 0 } type && AttributeParser.IsCandidate(type))
                {
                    var names = new List<string>();
                    foreach (var list in type.AttributeLists)
                    {
                        foreach (var attribute in list.Attributes)
                        {
                            names.Add(RightmostName(attribute.Name));
                        }
                    }

                    declarations.Add(new DeclarationSummary(type.Span, type.Identifier.ValueText, names));
                }
            }

            return new TreeSummary(declarations, aliases);
        }

        private static string RightmostName(NameSyntax name) => name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => string.Empty,
        };
    }

    private sealed record DeclarationSummary(TextSpan Span, string Identifier, List<string> AttributeNames);
}
