using System.Collections.Generic;
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

/// <summary>
/// VAE0004: adds <c>partial</c> to every declaration of every type that contains the VAE class and lacks it. The
/// generator reports one VAE0004 per such type, all on the VAE class's name; one action fixes them all.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeContainingTypesPartialCodeFixProvider)), Shared]
public sealed class MakeContainingTypesPartialCodeFixProvider : CodeFixProvider
{
    /// <summary>Same for every occurrence, so Fix All applies it everywhere.</summary>
    public const string EquivalenceKey = "VaeGen.MakeContainingTypesPartial";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ContainingTypeNotPartial);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var document = context.Document;
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || SyntaxEditing.TypeDeclarationNamedAt(root, context.Span) is not { } declaration) return;

        var outerTypes = await NonPartialContainingTypesAsync(document, declaration, context.CancellationToken).ConfigureAwait(false);
        if (outerTypes.Count == 0) return;

        context.RegisterCodeFix(
            CodeAction.Create(
                $"Make {SyntaxEditing.QuotedList(outerTypes.Select(t => t.Name).ToList())} partial",
                cancellationToken => SyntaxEditing.RewriteAsync(
                    document.Project.Solution,
                    outerTypes.SelectMany(t => t.Declarations),
                    SyntaxEditing.AddPartial,
                    cancellationToken),
                EquivalenceKey),
            context.Diagnostics);
    }

    /// <summary>The containing types, outermost first, that have a declaration without <c>partial</c>, with those declarations.</summary>
    private static async Task<IReadOnlyList<(string Name, IReadOnlyList<TypeDeclarationSyntax> Declarations)>> NonPartialContainingTypesAsync(
        Document document, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var result = new List<(string, IReadOnlyList<TypeDeclarationSyntax>)>();
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model?.GetDeclaredSymbol(declaration, cancellationToken) is { } type)
        {
            for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                var missing = SyntaxEditing.DeclarationsOf(outer, cancellationToken).Where(d => !SyntaxEditing.IsPartial(d)).ToList();
                if (missing.Count > 0) result.Insert(0, (outer.Name, missing));
            }
        }
        else
        {
            // The type does not bind: fall back to the declarations around this one.
            foreach (var outer in declaration.Ancestors().OfType<TypeDeclarationSyntax>().Where(d => !SyntaxEditing.IsPartial(d)))
                result.Insert(0, (outer.Identifier.ValueText, new[] { outer }));
        }
        return result;
    }
}
