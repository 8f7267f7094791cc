using System.Linq;
using CnnGen.Generators.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes;

/// <summary>CNN0019: a From or merge argument names no layer; write the closest existing name the analyzer suggested.</summary>
internal static class LayerNameFix
{
    public const string Key = "CnnGen.ClosestLayerName";

    public static void Register(FixContext fix)
    {
        // Only a string literal is rewritten: a name from a constant or nameof is the user's to change.
        if (fix.Property(FixProperties.ClosestName) is not { Length: > 0 } closest
            || NameLiteral(fix.Node) is not { } literal)
        {
            return;
        }

        var replacement = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(closest))
            .WithTriviaFrom(literal);
        fix.Offer("Read '" + closest + "'", Key, literal, replacement);
    }

    /// <summary>The string literal of the name: the node itself, inside it (a whole <c>From = "..."</c> argument), or around it.</summary>
    private static LiteralExpressionSyntax? NameLiteral(SyntaxNode node) =>
        node.DescendantNodesAndSelf().OfType<LiteralExpressionSyntax>().FirstOrDefault(IsString)
        ?? node.FirstAncestorOrSelf<LiteralExpressionSyntax>(IsString);

    private static bool IsString(LiteralExpressionSyntax literal) => literal.IsKind(SyntaxKind.StringLiteralExpression);
}
