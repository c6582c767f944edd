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

/// <summary>
/// VAE0005: removes the base class from the base list, keeping the interfaces. When it was the only entry the whole
/// base list goes, colon included, and the line ends as it did after the base type.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveBaseClassCodeFixProvider)), Shared]
public sealed class RemoveBaseClassCodeFixProvider : CodeFixProvider
{
    /// <summary>Same for every occurrence, so Fix All applies it everywhere.</summary>
    public const string EquivalenceKey = "VaeGen.RemoveBaseClassOfVaeClass";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.BaseClassDeclared);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        // The generator reports VAE0005 on the base type when the source shows one, else on the class name (no fix then).
        if (root?.FindNode(context.Span).FirstAncestorOrSelf<BaseTypeSyntax>() is not { Parent: BaseListSyntax { Parent: TypeDeclarationSyntax } } baseType
            || baseType.Span != context.Span)
        {
            return;
        }

        var document = context.Document;
        context.RegisterCodeFix(
            CodeAction.Create(
                $"Remove base class '{baseType.Type}'",
                cancellationToken => RemoveAsync(document, root, baseType, cancellationToken),
                EquivalenceKey),
            context.Diagnostics);
    }

    private static Task<Document> RemoveAsync(Document document, SyntaxNode root, BaseTypeSyntax baseType, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var baseList = (BaseListSyntax)baseType.Parent!;
        var declaration = (TypeDeclarationSyntax)baseList.Parent!;
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(declaration, WithoutBaseType(declaration, baseList, baseType))));
    }

    private static TypeDeclarationSyntax WithoutBaseType(TypeDeclarationSyntax declaration, BaseListSyntax baseList, BaseTypeSyntax baseType)
    {
        if (baseList.Types.Count > 1)
        {
            // Removing an entry removes its separator too: ": Base, IDisposable" becomes ": IDisposable".
            return declaration.WithBaseList(baseList.WithTypes(baseList.Types.Remove(baseType)));
        }

        // "class X : Base\n{" becomes "class X\n{", "class X\n    : Base\n{" also, "class X : Base;" becomes "class X;": the token
        // before the colon loses its trailing whitespace and line break and takes the trivia that ended the base list.
        var before = baseList.ColonToken.GetPreviousToken();
        var kept = before.TrailingTrivia.Reverse()
            .SkipWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia) || t.IsKind(SyntaxKind.EndOfLineTrivia))
            .Reverse();
        var trailing = SyntaxFactory.TriviaList(kept).AddRange(baseList.GetTrailingTrivia());
        return declaration
            .ReplaceToken(before, before.WithTrailingTrivia(trailing))
            .WithBaseList(null);
    }
}
