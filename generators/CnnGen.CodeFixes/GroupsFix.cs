using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using CnnGen.Generators.Analysis;

namespace CnnGen.CodeFixes;

/// <summary>CNN0111: groups that do not divide the channels; write the most that do (the analyzer computed it).</summary>
internal static class GroupsFix
{
    public const string Key = "CnnGen.FittingGroups";

    public static void Register(FixContext fix)
    {
        if (fix.IntProperty(FixProperties.FittingGroups) is not { } groups
            || fix.Node.FirstAncestorOrSelf<AttributeArgumentSyntax>() is not { NameEquals: not null } argument)
        {
            return;
        }

        var title = groups == 1 ? "Use Groups = 1, no groups" : "Use Groups = " + groups + ", the most that divide the channels and the filters";
        fix.Offer(title, Key, argument.Expression, FixContext.Literal(groups).WithTriviaFrom(argument.Expression));
    }
}
