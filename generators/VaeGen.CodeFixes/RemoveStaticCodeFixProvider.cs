using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace VaeGen.CodeFixes;

/// <summary>VAE0002: removes <c>static</c> from every declaration of the VAE class.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveStaticCodeFixProvider)), Shared]
public sealed class RemoveStaticCodeFixProvider : CodeFixProvider
{
    /// <summary>Same for every occurrence, so Fix All applies it everywhere.</summary>
    public const string EquivalenceKey = "VaeGen.RemoveStaticFromVaeClass";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ClassIsStatic);

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
                $"Remove 'static' from '{declaration.Identifier.ValueText}'",
                cancellationToken => RemoveStaticAsync(document, declaration, cancellationToken),
                EquivalenceKey),
            context.Diagnostics);
    }

    private static async Task<Solution> RemoveStaticAsync(Document document, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var declarations = await SyntaxEditing.AllDeclarationsAsync(document, declaration, cancellationToken).ConfigureAwait(false);
        return await SyntaxEditing.RewriteAsync(
            document.Project.Solution,
            declarations.Where(d => d.Modifiers.Any(SyntaxKind.StaticKeyword)),
            d => SyntaxEditing.RemoveModifier(d, SyntaxKind.StaticKeyword),
            cancellationToken).ConfigureAwait(false);
    }
}
