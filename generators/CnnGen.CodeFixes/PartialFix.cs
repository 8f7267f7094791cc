using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes;

/// <summary>CNN0001: the network class, or a type around it, is not partial; add <c>partial</c> to each that lacks it.</summary>
internal static class PartialFix
{
    public const string Key = "CnnGen.MakePartial";

    public static void Register(FixContext fix)
    {
        if (fix.Node.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } network)
        {
            return;
        }

        // The class and its enclosing types, outermost last; one fix makes all of them partial,
        // so that each CNN0001 of the class (its own, its enclosing types') is fixed the same way.
        var types = network.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().Where(t => !t.Modifiers.Any(SyntaxKind.PartialKeyword)).ToList();
        if (types.Count == 0)
        {
            return;
        }

        var fixedRoot = fix.Root.ReplaceNodes(types, (_, rewritten) => WithPartial(rewritten));
        var title = "Make " + string.Join(" and ", types.Select(t => "'" + t.Identifier.ValueText + "'")) + " partial";
        fix.OfferRoot(title, Key, fixedRoot);
    }

    /// <summary>Adds <c>partial</c> as the last modifier (C# wants it right before the keyword), keeping the declaration's leading trivia in front.</summary>
    private static TypeDeclarationSyntax WithPartial(TypeDeclarationSyntax type)
    {
        if (type.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return type;
        }

        var partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (type.Modifiers.Count > 0)
        {
            return type.WithModifiers(type.Modifiers.Add(partial));
        }

        // No modifiers: the keyword carries the indentation (and any comment) before it; move it to 'partial'.
        var keyword = type.Keyword;
        return type.WithKeyword(keyword.WithLeadingTrivia())
            .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(keyword.LeadingTrivia)));
    }
}
