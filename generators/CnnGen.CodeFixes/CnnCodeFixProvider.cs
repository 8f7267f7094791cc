using System.Collections.Immutable;
using System.Threading.Tasks;
using CnnGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace CnnGen.CodeFixes;

/// <summary>
/// One-click fixes for the CnnGen diagnostics whose fix is mechanical. Each fix only edits
/// syntax: the numbers it writes (the largest window that fits, the inferred output, the
/// input's rank) come from the analyzer, in the diagnostic's properties. Fix-all (document,
/// project, solution) merges the fixes of one kind by their equivalence key.
/// </summary>
// Not [Shared]: that would tie the assembly to one System.Composition version, and an instance per import costs nothing.
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CnnCodeFixProvider))]
public sealed class CnnCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ClassNotPartial.Id,
        DiagnosticDescriptors.WrongInputRank.Id,
        DiagnosticDescriptors.CausalNotAllowed.Id,
        DiagnosticDescriptors.WindowTooLarge.Id,
        DiagnosticDescriptors.OutputMismatch.Id,
        DiagnosticDescriptors.UnknownLayerReference.Id,
        DiagnosticDescriptors.GroupsDoNotDivide.Id,
        DiagnosticDescriptors.TransposedOutputDoesNotFit.Id);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Location.IsInSource)
            {
                continue; // in a .cnn file: no fixes there yet
            }

            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var fix = new FixContext(context, diagnostic, root, node);
            var id = diagnostic.Id;
            if (id == DiagnosticDescriptors.ClassNotPartial.Id)
            {
                PartialFix.Register(fix);
            }
            else if (id == DiagnosticDescriptors.WrongInputRank.Id)
            {
                await RankFixes.RegisterAsync(fix).ConfigureAwait(false);
            }
            else if (id == DiagnosticDescriptors.CausalNotAllowed.Id)
            {
                PaddingFixes.RegisterSameInsteadOfCausal(fix);
            }
            else if (id == DiagnosticDescriptors.WindowTooLarge.Id)
            {
                PaddingFixes.RegisterSamePadding(fix);
                await WindowFix.RegisterAsync(fix).ConfigureAwait(false);
            }
            else if (id == DiagnosticDescriptors.OutputMismatch.Id)
            {
                OutputFix.Register(fix);
            }
            else if (id == DiagnosticDescriptors.UnknownLayerReference.Id)
            {
                LayerNameFix.Register(fix);
            }
            else if (id == DiagnosticDescriptors.GroupsDoNotDivide.Id)
            {
                GroupsFix.Register(fix);
            }
            else if (id == DiagnosticDescriptors.TransposedOutputDoesNotFit.Id)
            {
                OutputPaddingFix.Register(fix);
            }
        }
    }
}
