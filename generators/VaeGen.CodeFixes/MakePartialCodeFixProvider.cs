using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace VaeGen.CodeFixes;

/// <summary>VAE0001: adds <c>partial</c> to every declaration of the VAE class that lacks it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFixProvider)), Shared]
public sealed class MakePartialCodeFixProvider : CodeFixProvider
{
    /// <summary>Same for every occurrence, so Fix All applies it everywhere.</summary>
    public const string EquivalenceKey = "VaeGen.MakeVaeClassPartial";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ClassNotPartial);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || SyntaxEditing.TypeDeclarationNamedAt(root, context.Span) is not { } declaration) return;

        var document = context.Document;
        context.RegisterCodeFix(
            CodeAction.Create(
                $"Make '{declaration.Identifier.ValueText}' partial",
                cancellationToken => MakePartialAsync(document, declaration, cancellationToken),
                EquivalenceKey),
            context.Diagnostics);
    }

    private static async Task<Solution> MakePartialAsync(Document document, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var declarations = await SyntaxEditing.AllDeclarationsAsync(document, declaration, cancellationToken).ConfigureAwait(false);
        return await SyntaxEditing.RewriteAsync(
            document.Project.Solution,
            declarations.Where(d => !SyntaxEditing.IsPartial(d)),
            SyntaxEditing.AddPartial,
            cancellationToken).ConfigureAwait(false);
    }
}
