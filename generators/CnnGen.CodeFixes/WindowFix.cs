using System.Linq;
using System.Text;
using System.Threading.Tasks;
using CnnGen.Generators.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes;

/// <summary>CNN0103: a window larger than its input; write the largest size that fits (the analyzer computed it).</summary>
internal static class WindowFix
{
    public const string Key = "CnnGen.LargestWindow";

    public static async Task RegisterAsync(FixContext fix)
    {
        if (fix.IntProperty(FixProperties.LargestWindow) is not { } size
            || fix.Node.FirstAncestorOrSelf<AttributeArgumentSyntax>() is not { } argument)
        {
            return;
        }

        var name = await ParameterNameAsync(fix, argument).ConfigureAwait(false);
        var title = "Use " + (name is null ? "size" : Words(name)) + " " + size + ", the largest that fits";
        fix.Offer(title, Key, argument.Expression, FixContext.Literal(size).WithTriviaFrom(argument.Expression));
    }

    /// <summary>The constructor parameter the argument sets (kernelSize, poolHeight, ...), for the title.</summary>
    private static async Task<string?> ParameterNameAsync(FixContext fix, AttributeArgumentSyntax argument)
    {
        if (argument.NameColon is { } nameColon)
        {
            return nameColon.Name.Identifier.ValueText;
        }

        if (argument.Parent is not AttributeArgumentListSyntax { Parent: AttributeSyntax attribute } list
            || await fix.Document.GetSemanticModelAsync(fix.CancellationToken).ConfigureAwait(false) is not { } model
            || model.GetSymbolInfo(attribute, fix.CancellationToken).Symbol is not IMethodSymbol constructor)
        {
            return null;
        }

        var position = list.Arguments.TakeWhile(a => a != argument).Count(a => a.NameEquals is null);
        return position < constructor.Parameters.Length ? constructor.Parameters[position].Name : null;
    }

    /// <summary>"kernelHeight" -> "kernel height".</summary>
    private static string Words(string name)
    {
        var words = new StringBuilder();
        foreach (var c in name)
        {
            words.Append(char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString());
        }

        return words.ToString();
    }
}
