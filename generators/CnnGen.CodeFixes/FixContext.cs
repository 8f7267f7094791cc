using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace CnnGen.CodeFixes;

/// <summary>One diagnostic to fix: where it sits, and how to offer an edit of its document.</summary>
internal sealed class FixContext
{
    public FixContext(CodeFixContext context, Diagnostic diagnostic, SyntaxNode root, SyntaxNode node)
    {
        Context = context;
        Diagnostic = diagnostic;
        Root = root;
        Node = node;
    }

    public CodeFixContext Context { get; }

    public Diagnostic Diagnostic { get; }

    public SyntaxNode Root { get; }

    /// <summary>The innermost node at the diagnostic's span.</summary>
    public SyntaxNode Node { get; }

    public Document Document => Context.Document;

    public CancellationToken CancellationToken => Context.CancellationToken;

    /// <summary>A property the analyzer set for the fix, or null.</summary>
    public string? Property(string key) => Diagnostic.Properties.TryGetValue(key, out var value) ? value : null;

    public int? IntProperty(string key) =>
        int.TryParse(Property(key), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Offers replacing <paramref name="oldNode"/> with <paramref name="newNode"/>.</summary>
    public void Offer(string title, string equivalenceKey, SyntaxNode oldNode, SyntaxNode newNode) =>
        Context.RegisterCodeFix(
            CodeAction.Create(title, _ => Task.FromResult(Document.WithSyntaxRoot(Root.ReplaceNode(oldNode, newNode))), equivalenceKey),
            Diagnostic);

    /// <summary>Offers the document with a new root.</summary>
    public void OfferRoot(string title, string equivalenceKey, SyntaxNode newRoot) =>
        Context.RegisterCodeFix(CodeAction.Create(title, _ => Task.FromResult(Document.WithSyntaxRoot(newRoot)), equivalenceKey), Diagnostic);

    /// <summary>
    /// A name in the CnnGen namespace (a layer attribute or an enum), fully qualified and marked
    /// for the simplifier, which shortens it to what the file's usings allow (Flatten, or CnnGen.Flatten).
    /// </summary>
    public static NameSyntax CnnGenName(string name) =>
        SyntaxFactory.ParseName("global::CnnGen." + name).WithAdditionalAnnotations(Simplifier.Annotation);

    /// <summary><c>Padding.Same</c>, spelled as the file allows.</summary>
    public static ExpressionSyntax SamePadding() =>
        SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, CnnGenName("Padding"), SyntaxFactory.IdentifierName("Same"))
            .WithAdditionalAnnotations(Simplifier.Annotation);

    /// <summary><c>Name = value</c>, spaced as people write it.</summary>
    public static AttributeArgumentSyntax NamedArgument(string name, ExpressionSyntax value) =>
        SyntaxFactory.AttributeArgument(
            SyntaxFactory.NameEquals(SyntaxFactory.IdentifierName(name).WithTrailingTrivia(SyntaxFactory.Space),
                SyntaxFactory.Token(SyntaxKind.EqualsToken).WithTrailingTrivia(SyntaxFactory.Space)),
            null, value);

    /// <summary>The list with <paramref name="argument"/> appended after a ", ".</summary>
    public static AttributeArgumentListSyntax Append(AttributeArgumentListSyntax list, AttributeArgumentSyntax argument)
    {
        var separators = list.Arguments.GetSeparators().ToList();
        if (list.Arguments.Count > 0)
        {
            separators.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
        }

        return list.WithArguments(SyntaxFactory.SeparatedList(list.Arguments.Append(argument), separators));
    }

    public static LiteralExpressionSyntax Literal(int value) =>
        SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(value));
}
