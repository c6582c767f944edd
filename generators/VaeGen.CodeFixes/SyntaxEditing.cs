using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace VaeGen.CodeFixes;

/// <summary>The syntax edits the fixes share: finding what a diagnostic points at, and changing modifiers without disturbing trivia.</summary>
internal static class SyntaxEditing
{
    /// <summary>
    /// The type declaration whose name is at <paramref name="span"/> (where VAE0001, VAE0002 and VAE0004 are reported).
    /// Only the span is used: the generator reports its diagnostics with file-path locations, so a diagnostic may not
    /// carry the document's syntax tree.
    /// </summary>
    public static TypeDeclarationSyntax? TypeDeclarationNamedAt(SyntaxNode root, TextSpan span)
    {
        var token = root.FindToken(span.Start);
        return token.Parent is TypeDeclarationSyntax declaration && declaration.Identifier == token ? declaration : null;
    }

    /// <summary>The declarations of <paramref name="declaration"/>'s type in every file, or just it when the type does not bind.</summary>
    public static async Task<IReadOnlyList<TypeDeclarationSyntax>> AllDeclarationsAsync(
        Document document, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model?.GetDeclaredSymbol(declaration, cancellationToken) is not { } type) return new[] { declaration };
        return DeclarationsOf(type, cancellationToken);
    }

    /// <summary>The syntax declarations of <paramref name="type"/> (all its partial parts).</summary>
    public static IReadOnlyList<TypeDeclarationSyntax> DeclarationsOf(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>().ToList();

    public static bool IsPartial(TypeDeclarationSyntax declaration) => declaration.Modifiers.Any(SyntaxKind.PartialKeyword);

    /// <summary>
    /// Adds <c>partial</c> as the last modifier, where C# requires it (right before <c>class</c>, <c>struct</c>,
    /// <c>record</c> or <c>interface</c>). With no modifiers, <c>partial</c> takes over the keyword's leading trivia
    /// (indentation, comments), so the line keeps its shape.
    /// </summary>
    public static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax declaration)
    {
        if (IsPartial(declaration)) return declaration;
        var partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (declaration.Modifiers.Count > 0) return declaration.WithModifiers(declaration.Modifiers.Add(partial));

        var keyword = declaration.Keyword;
        return declaration
            .WithKeyword(keyword.WithLeadingTrivia(SyntaxFactory.TriviaList()))
            .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(keyword.LeadingTrivia)));
    }

    /// <summary>
    /// Removes every modifier of <paramref name="kind"/> with its trailing trivia; a removed first modifier hands its
    /// leading trivia (indentation, comments) to the token that now starts the declaration.
    /// </summary>
    public static TypeDeclarationSyntax RemoveModifier(TypeDeclarationSyntax declaration, SyntaxKind kind)
    {
        while (declaration.Modifiers.IndexOf(kind) is var index and >= 0)
        {
            var removed = declaration.Modifiers[index];
            var modifiers = declaration.Modifiers.RemoveAt(index);
            if (index > 0)
            {
                declaration = declaration.WithModifiers(modifiers);
            }
            else if (modifiers.Count > 0)
            {
                var first = modifiers[0];
                declaration = declaration.WithModifiers(modifiers.Replace(first, first.WithLeadingTrivia(removed.LeadingTrivia.AddRange(first.LeadingTrivia))));
            }
            else
            {
                var keyword = declaration.Keyword;
                declaration = declaration
                    .WithModifiers(modifiers)
                    .WithKeyword(keyword.WithLeadingTrivia(removed.LeadingTrivia.AddRange(keyword.LeadingTrivia)));
            }
        }
        return declaration;
    }

    /// <summary>
    /// Rewrites each of <paramref name="declarations"/> (which may be nested in one another and spread over several
    /// documents) in one pass per document. Declarations outside the solution's documents (generated code) are left alone.
    /// </summary>
    public static async Task<Solution> RewriteAsync(
        Solution solution,
        IEnumerable<TypeDeclarationSyntax> declarations,
        Func<TypeDeclarationSyntax, TypeDeclarationSyntax> rewrite,
        CancellationToken cancellationToken)
    {
        foreach (var tree in declarations.GroupBy(d => d.SyntaxTree))
        {
            var document = solution.GetDocument(tree.Key);
            if (document is null) continue;
            var root = await tree.Key.GetRootAsync(cancellationToken).ConfigureAwait(false);
            var newRoot = root.ReplaceNodes(tree, (_, rewritten) => rewrite(rewritten));
            solution = solution.WithDocumentSyntaxRoot(document.Id, newRoot);
        }
        return solution;
    }

    /// <summary>"'A'", "'A' and 'B'", "'A', 'B' and 'C'".</summary>
    public static string QuotedList(IReadOnlyList<string> names)
    {
        var quoted = names.Select(n => "'" + n + "'").ToList();
        return quoted.Count == 1 ? quoted[0] : string.Join(", ", quoted.Take(quoted.Count - 1)) + " and " + quoted[quoted.Count - 1];
    }
}
