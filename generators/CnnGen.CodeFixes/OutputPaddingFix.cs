using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using CnnGen.Generators.Analysis;

namespace CnnGen.CodeFixes;

/// <summary>CNN0112: an output padding not below the stride; write the largest the stride allows (the analyzer computed it).</summary>
internal static class OutputPaddingFix
{
    public const string Key = "CnnGen.LargestOutputPadding";

    public static void Register(FixContext fix)
    {
        if (fix.IntProperty(FixProperties.LargestOutputPadding) is not { } padding)
        {
            return;
        }

        // OutputPadding = 2 (the argument), or one element of OutputPaddings = new[] { 1, 2 }.
        ExpressionSyntax? value = fix.Node.FirstAncestorOrSelf<AttributeArgumentSyntax>() is { NameEquals: not null } argument && argument.Span == fix.Node.Span
            ? argument.Expression
            : fix.Node as ExpressionSyntax ?? fix.Node.FirstAncestorOrSelf<ExpressionSyntax>();
        if (value is null)
        {
            return;
        }

        var title = "Use output padding " + padding + ", the largest the stride allows";
        fix.Offer(title, Key, value, FixContext.Literal(padding).WithTriviaFrom(value));
    }
}
