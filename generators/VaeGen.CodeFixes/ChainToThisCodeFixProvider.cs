using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace VaeGen.CodeFixes;

/// <summary>
/// VAE0018: makes the constructor chain to the generated parameterless constructor: adds <c>: this()</c> after the
/// parameter list, or replaces a <c>: base(...)</c> initializer with it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ChainToThisCodeFixProvider)), Shared]
public sealed class ChainToThisCodeFixProvider : CodeFixProvider
{
    /// <summary>Same for both forms and every occurrence, so Fix All applies it everywhere.</summary>
    public const string EquivalenceKey = "VaeGen.ChainConstructorToThis";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ConstructorMustChainToThis);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        var token = root.FindToken(context.Span.Start);
        if (token.Parent is not ConstructorDeclarationSyntax constructor || constructor.Identifier != token) return;
        if (constructor.Initializer.IsKind(SyntaxKind.ThisConstructorInitializer)) return;

        var title = constructor.Initializer is null ? "Add ': this()'" : "Replace ': base(...)' with ': this()'";
        var document = context.Document;
        context.RegisterCodeFix(
            CodeAction.Create(title, cancellationToken => ChainAsync(document, root, constructor, cancellationToken), EquivalenceKey),
            context.Diagnostics);
    }

    private static Task<Document> ChainAsync(Document document, SyntaxNode root, ConstructorDeclarationSyntax constructor, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(constructor, Chained(constructor))));
    }

    private static ConstructorDeclarationSyntax Chained(ConstructorDeclarationSyntax constructor)
    {
        var thisKeyword = SyntaxFactory.Token(SyntaxKind.ThisKeyword);
        if (constructor.Initializer is { } initializer)
        {
            // ": base(a, b)" becomes ": this()", keeping the trivia around the keyword and the parentheses.
            return constructor.WithInitializer(SyntaxFactory.ConstructorInitializer(
                SyntaxKind.ThisConstructorInitializer,
                initializer.ColonToken,
                thisKeyword.WithTriviaFrom(initializer.ThisOrBaseKeyword),
                SyntaxFactory.ArgumentList().WithTriviaFrom(initializer.ArgumentList)));
        }

        // "C(int a)\n{" becomes "C(int a) : this()\n{": the initializer goes between the parameter list and whatever
        // trivia followed it (a line break, a space, a comment).
        var closeParen = constructor.ParameterList.CloseParenToken;
        var chained = SyntaxFactory.ConstructorInitializer(
                SyntaxKind.ThisConstructorInitializer,
                SyntaxFactory.Token(SyntaxKind.ColonToken).WithTrailingTrivia(SyntaxFactory.Space),
                thisKeyword,
                SyntaxFactory.ArgumentList())
            .WithTrailingTrivia(closeParen.TrailingTrivia);
        return constructor
            .WithParameterList(constructor.ParameterList.WithCloseParenToken(closeParen.WithTrailingTrivia(SyntaxFactory.Space)))
            .WithInitializer(chained);
    }
}
