using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace VaeGen.CodeFixes;

/// <summary>
/// VAE0029, when a transposed convolution falls short of the size the encoder took by less than its stride: sets that
/// layer's output padding to the value the generator worked out, as the sixth constructor argument.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SetOutputPaddingCodeFixProvider)), Shared]
public sealed class SetOutputPaddingCodeFixProvider : CodeFixProvider
{
    /// <summary>Same for every occurrence, so Fix All applies it everywhere (each with its own value).</summary>
    public const string EquivalenceKey = "VaeGen.SetOutputPadding";

    private const string ParameterName = "outputPadding";

    /// <summary>The constructor parameter's position in [DecoderConvTranspose(outChannels, kernelSize, stride, padding, outputPadding)].</summary>
    private const int ParameterPosition = 4;

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.DecoderShapeMismatch);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var value = 0;
        var diagnostic = context.Diagnostics.FirstOrDefault(d =>
            d.Properties.TryGetValue(DiagnosticIds.OutputPaddingProperty, out var text)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value));
        if (diagnostic is null) return;

        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span) is not AttributeSyntax { ArgumentList: { } arguments } attribute || attribute.Span != context.Span) return;

        var document = context.Document;
        context.RegisterCodeFix(
            CodeAction.Create(
                $"Set outputPadding to {value}",
                cancellationToken => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(arguments, WithOutputPadding(arguments, value)))),
                EquivalenceKey),
            diagnostic);
    }

    /// <summary>
    /// Replaces the value of an outputPadding argument written by name or in its position, or adds "outputPadding: N"
    /// after the constructor arguments (before any property assignments such as Activation = ...).
    /// </summary>
    private static AttributeArgumentListSyntax WithOutputPadding(AttributeArgumentListSyntax list, int value)
    {
        var literal = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(value));
        var arguments = list.Arguments;
        var constructorArguments = arguments.TakeWhile(a => a.NameEquals is null).ToList();
        var written = constructorArguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == ParameterName)
            ?? (constructorArguments.Count > ParameterPosition && constructorArguments.Take(ParameterPosition + 1).All(a => a.NameColon is null)
                ? constructorArguments[ParameterPosition]
                : null);
        if (written is not null)
            return list.ReplaceNode(written.Expression, literal.WithTriviaFrom(written.Expression));

        var added = SyntaxFactory.AttributeArgument(
            null,
            SyntaxFactory.NameColon(SyntaxFactory.IdentifierName(ParameterName))
                .WithColonToken(SyntaxFactory.Token(SyntaxKind.ColonToken).WithTrailingTrivia(SyntaxFactory.Space)),
            literal);
        var index = constructorArguments.Count;
        var nodes = arguments.ToList();
        nodes.Insert(index, added);
        // Keep the separators as written and add one, followed by a space, before (or after) the new argument.
        var separators = arguments.GetSeparators().ToList();
        separators.Insert(index - 1, SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
        return list.WithArguments(SyntaxFactory.SeparatedList(nodes, separators));
    }
}
