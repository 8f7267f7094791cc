using System.Linq;
using System.Threading.Tasks;
using CnnGen.Generators.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes;

/// <summary>
/// CNN0101: a layer on the wrong rank. A Dense layer on a sequence or an image gets a Flatten
/// (or a global average pooling) before it; a 2-D convolution, pooling, zero padding or
/// up-sampling on a sequence becomes its 1-D twin, and a 1-D one on an image its 2-D twin,
/// where the arguments carry over. A
/// window layer after flatten, dense or global pooling has no mechanical fix.
/// </summary>
internal static class RankFixes
{
    public const string FlattenKey = "CnnGen.InsertFlatten";
    public const string GlobalAvgPoolKey = "CnnGen.InsertGlobalAvgPool";
    public const string OtherRankKey = "CnnGen.OtherRankLayer";

    public static async Task RegisterAsync(FixContext fix)
    {
        if (fix.IntProperty(FixProperties.InputRank) is not { } inputRank
            || inputRank < 1
            || fix.Node.FirstAncestorOrSelf<AttributeSyntax>() is not { Parent: AttributeListSyntax } attribute
            || await fix.Document.GetSemanticModelAsync(fix.CancellationToken).ConfigureAwait(false) is not { } model
            || model.GetSymbolInfo(attribute, fix.CancellationToken).Symbol is not IMethodSymbol { ContainingType: { } type }
            || type.ContainingNamespace?.ToDisplayString() != "CnnGen")
        {
            return;
        }

        var layer = type.Name.EndsWith("Attribute", System.StringComparison.Ordinal) ? type.Name.Substring(0, type.Name.Length - "Attribute".Length) : type.Name;
        if (layer == "Dense")
        {
            fix.OfferRoot("Insert [Flatten] before it", FlattenKey, InsertBefore(fix.Root, attribute, "Flatten"));
            fix.OfferRoot("Insert [GlobalAvgPool] before it", GlobalAvgPoolKey, InsertBefore(fix.Root, attribute, "GlobalAvgPool"));
            return;
        }

        if (Twin(layer, inputRank) is { } twin && CarriesOver(attribute, layer, model))
        {
            fix.Offer("Use [" + twin + "]", OtherRankKey, attribute.Name, FixContext.CnnGenName(twin).WithTriviaFrom(attribute.Name));
        }
    }

    /// <summary>The layer of the same kind for an input of <paramref name="inputRank"/> spatial dimensions.</summary>
    private static string? Twin(string layer, int inputRank) => (layer, inputRank) switch
    {
        ("Conv2D", 1) => "Conv1D",
        ("MaxPool2D", 1) => "MaxPool1D",
        ("AvgPool2D", 1) => "AvgPool1D",
        ("Conv1D", 2) => "Conv2D",
        ("MaxPool1D", 2) => "MaxPool2D",
        ("AvgPool1D", 2) => "AvgPool2D",
        ("ZeroPadding2D", 1) => "ZeroPadding1D",
        ("UpSampling2D", 1) => "UpSampling1D",
        ("ZeroPadding1D", 2) => "ZeroPadding2D",
        ("UpSampling1D", 2) => "UpSampling2D",
        _ => null,
    };

    /// <summary>
    /// Whether the twin takes the same arguments: a 1-D layer has one window size and no
    /// per-dimension Strides or Dilations; a 2-D one has no causal padding.
    /// </summary>
    private static bool CarriesOver(AttributeSyntax attribute, string layer, SemanticModel model)
    {
        var arguments = attribute.ArgumentList?.Arguments ?? default;
        if (layer.EndsWith("2D", System.StringComparison.Ordinal))
        {
            var positional = arguments.Count(a => a.NameEquals is null);
            var maxPositional = layer == "Conv2D" ? 2 : 1;
            return positional <= maxPositional
                && !arguments.Any(a => a.NameEquals?.Name.Identifier.ValueText is "Strides" or "Dilations");
        }

        // ZeroPadding1D(before, after) has no 2-D form of two counts.
        return !(layer == "ZeroPadding1D" && arguments.Count(a => a.NameEquals is null) > 1)
            && !arguments.Any(a => a.NameEquals?.Name.Identifier.ValueText == "Padding"
                && model.GetConstantValue(a.Expression) is { HasValue: true, Value: 2 });
    }

    /// <summary>
    /// The root with a layer attribute written just before <paramref name="attribute"/>: in the
    /// same list when it shares one, else in a list of its own on the line above.
    /// </summary>
    private static SyntaxNode InsertBefore(SyntaxNode root, AttributeSyntax attribute, string layer)
    {
        var list = (AttributeListSyntax)attribute.Parent!;
        var inserted = SyntaxFactory.Attribute(FixContext.CnnGenName(layer));
        if (list.Attributes.Count > 1)
        {
            var attributes = list.Attributes.Insert(list.Attributes.IndexOf(attribute), inserted);
            var separators = Enumerable.Repeat(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space), attributes.Count - 1);
            return root.ReplaceNode(list, list.WithAttributes(SyntaxFactory.SeparatedList(attributes, separators)));
        }

        if (list.Parent is not MemberDeclarationSyntax owner)
        {
            return root;
        }

        var lists = owner.AttributeLists;
        var index = lists.IndexOf(list);
        var leading = list.GetLeadingTrivia();
        var indentation = SyntaxFactory.TriviaList(leading.Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse());
        var lineEnd = list.GetTrailingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia))
            ? list.GetTrailingTrivia()
            : SyntaxFactory.TriviaList(SyntaxFactory.Space);
        var newList = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(inserted)).WithTrailingTrivia(lineEnd);
        // The first list carries the declaration's leading trivia (comments, blank lines), which stays first.
        lists = index == 0
            ? lists.Replace(list, list.WithLeadingTrivia(indentation)).Insert(0, newList.WithLeadingTrivia(leading))
            : lists.Insert(index, newList.WithLeadingTrivia(indentation));
        return root.ReplaceNode(owner, owner.WithAttributeLists(lists));
    }
}
