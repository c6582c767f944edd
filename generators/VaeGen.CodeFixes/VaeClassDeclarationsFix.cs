using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace VaeGen.CodeFixes;

/// <summary>
/// A fix for a diagnostic reported on the VAE class's name that rewrites every declaration of the class (all its partial
/// parts, in every file) that needs it. The subclasses say which diagnostic, the title, which parts and the rewrite.
/// </summary>
public abstract class VaeClassDeclarationsFix : CodeFixProvider
{
    private readonly string diagnosticId;
    private readonly string equivalenceKey;

    private protected VaeClassDeclarationsFix(string diagnosticId, string equivalenceKey)
    {
        this.diagnosticId = diagnosticId;
        this.equivalenceKey = equivalenceKey;
    }

    /// <inheritdoc />
    public sealed override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(diagnosticId);

    /// <inheritdoc />
    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || SyntaxEditing.TypeDeclarationNamedAt(root, context.Span) is not { } declaration) return;

        var document = context.Document;
        context.RegisterCodeFix(
            CodeAction.Create(Title(declaration.Identifier.ValueText), cancellationToken => FixAsync(document, declaration, cancellationToken), equivalenceKey),
            context.Diagnostics);
    }

    /// <summary>The action's title for the class named <paramref name="className"/>.</summary>
    private protected abstract string Title(string className);

    /// <summary>Whether a declaration of the class needs the rewrite.</summary>
    private protected abstract bool Needs(TypeDeclarationSyntax declaration);

    /// <summary>The declaration rewritten.</summary>
    private protected abstract TypeDeclarationSyntax Rewrite(TypeDeclarationSyntax declaration);

    private async Task<Solution> FixAsync(Document document, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var declarations = await SyntaxEditing.AllDeclarationsAsync(document, declaration, cancellationToken).ConfigureAwait(false);
        return await SyntaxEditing.RewriteAsync(document.Project.Solution, declarations.Where(Needs), Rewrite, cancellationToken).ConfigureAwait(false);
    }
}
