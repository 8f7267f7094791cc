using System.Collections.Immutable;
using CnnGen.CodeFixes;
using CnnGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace CnnGen.Generators.Tests.CodeFixes;

/// <summary>
/// Runs the code fixes as an IDE does: the sources in a project of an AdhocWorkspace, the
/// analyzer's diagnostics (with their properties) from CompilationWithAnalyzers, the fix
/// provider's actions, their edits applied to the solution.
/// </summary>
internal static class CodeFixHarness
{
    public static Project Project(params string[] sources)
    {
        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Create(), "UserProject", "UserProject",
            LanguageNames.CSharp, compilationOptions: GeneratorHarness.CompilationOptions, parseOptions: GeneratorHarness.ParseOptions,
            metadataReferences: GeneratorHarness.MetadataReferences));
        for (var i = 0; i < sources.Length; i++)
        {
            project = project.AddDocument($"Source{i}.cs", sources[i]).Project;
        }

        return project;
    }

    /// <summary>The analyzer's CNN diagnostics over the project.</summary>
    public static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Project project)
    {
        var compilation = await project.GetCompilationAsync() ?? throw new InvalidOperationException("no compilation");
        return GeneratorHarness.Analyze(compilation).Where(d => d.Id.StartsWith("CNN", StringComparison.Ordinal) && !d.IsSuppressed).ToImmutableArray();
    }

    /// <summary>
    /// The fixes offered for a diagnostic <paramref name="id"/> of <paramref name="source"/>: the
    /// only one, or the <paramref name="index"/>-th in source order when there are several.
    /// </summary>
    public static async Task<(Document Document, List<CodeAction> Actions)> ActionsAsync(string source, string id, int? index = null)
    {
        var project = Project(source);
        var diagnostics = (await DiagnosticsAsync(project)).Where(d => d.Id == id).ToList();
        var diagnostic = index is { } i ? diagnostics[i] : Assert.Single(diagnostics);
        var document = project.GetDocument(diagnostic.Location.SourceTree) ?? throw new InvalidOperationException("no document");
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await new CnnCodeFixProvider().RegisterCodeFixesAsync(context);
        return (document, actions);
    }

    /// <summary>Applies the fix with <paramref name="key"/> to the one diagnostic <paramref name="id"/> of <paramref name="source"/>; returns the new text.</summary>
    public static async Task<string> ApplyAsync(string source, string id, string key, int? index = null)
    {
        var (document, actions) = await ActionsAsync(source, id, index);
        var action = Assert.Single(actions, a => a.EquivalenceKey == key);
        var solution = await ChangedSolutionAsync(action);
        return await TextAsync(solution, document.Id);
    }

    /// <summary>Fix-all of the fixes with <paramref name="key"/>, over a document or the whole project.</summary>
    public static async Task<Solution> FixAllAsync(Project project, FixAllScope scope, string key, DocumentId? document = null)
    {
        var provider = new CnnCodeFixProvider();
        var diagnostics = new ProjectDiagnostics(await DiagnosticsAsync(project));
        var context = scope == FixAllScope.Document
            ? new FixAllContext(project.GetDocument(document!)!, provider, scope, key, provider.FixableDiagnosticIds, diagnostics, CancellationToken.None)
            : new FixAllContext(project, provider, scope, key, provider.FixableDiagnosticIds, diagnostics, CancellationToken.None);
        var action = await provider.GetFixAllProvider()!.GetFixAsync(context) ?? throw new InvalidOperationException("no fix-all action");
        return await ChangedSolutionAsync(action);
    }

    public static async Task<string> TextAsync(Solution solution, DocumentId document) =>
        (await solution.GetDocument(document)!.GetTextAsync()).ToString();

    private static async Task<Solution> ChangedSolutionAsync(CodeAction action)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        return Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
    }

    /// <summary>The analyzer's diagnostics, handed to fix-all per document or for the project.</summary>
    private sealed class ProjectDiagnostics(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken);
            return diagnostics.Where(d => d.Location.SourceTree == tree);
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(diagnostics.Where(d => !d.Location.IsInSource));

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);
    }
}
