using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes;

/// <summary>Fixes that set a layer's padding to 'same'.</summary>
internal static class PaddingFixes
{
    public const string SameInsteadOfCausalKey = "CnnGen.SameInsteadOfCausal";
    public const string SamePaddingKey = "CnnGen.SamePadding";

    /// <summary>CNN0102: causal padding on a layer other than Conv1D; the squiggle is on the Padding argument.</summary>
    public static void RegisterSameInsteadOfCausal(FixContext fix)
    {
        if (fix.Node.FirstAncestorOrSelf<AttributeArgumentSyntax>() is { NameEquals: not null } argument)
        {
            fix.Offer("Use padding 'same'", SameInsteadOfCausalKey, argument, argument.WithExpression(FixContext.SamePadding()));
        }
    }

    /// <summary>CNN0103: a window larger than its input with 'valid' padding; 'same' gives an output of at least 1 whatever the window.</summary>
    public static void RegisterSamePadding(FixContext fix)
    {
        if (fix.Node.FirstAncestorOrSelf<AttributeSyntax>() is not { } attribute)
        {
            return;
        }

        var list = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
        var padding = list.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Padding");
        var fixedList = padding is not null
            ? list.ReplaceNode(padding, padding.WithExpression(FixContext.SamePadding()))
            : FixContext.Append(list, FixContext.NamedArgument("Padding", FixContext.SamePadding()));
        fix.Offer("Use padding 'same'", SamePaddingKey, attribute, attribute.WithArgumentList(fixedList));
    }
}
