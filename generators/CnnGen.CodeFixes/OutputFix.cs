using System.Globalization;
using System.Linq;
using CnnGen.Generators.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes;

/// <summary>CNN0104: the declared output differs from what the layers produce; declare what they produce (the analyzer inferred it).</summary>
internal static class OutputFix
{
    public const string Key = "CnnGen.InferredOutput";

    public static void Register(FixContext fix)
    {
        if (fix.Property(FixProperties.InferredOutput) is not { Length: > 0 } inferred
            || fix.Node.FirstAncestorOrSelf<AttributeSyntax>() is not { } attribute)
        {
            return;
        }

        var dims = inferred.Split(',').Select(d => int.Parse(d, NumberStyles.Integer, CultureInfo.InvariantCulture)).ToList();
        var arguments = SyntaxFactory.SeparatedList(
            dims.Select(d => SyntaxFactory.AttributeArgument(FixContext.Literal(d))),
            Enumerable.Repeat(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space), dims.Count - 1));
        var list = (attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList()).WithArguments(arguments);
        fix.Offer("Declare the output the layers produce: " + string.Join("x", dims), Key, attribute, attribute.WithArgumentList(list));
    }
}
