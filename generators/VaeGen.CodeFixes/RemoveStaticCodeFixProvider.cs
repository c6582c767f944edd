using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace VaeGen.CodeFixes;

/// <summary>VAE0002: removes <c>static</c> from every declaration of the VAE class.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveStaticCodeFixProvider)), Shared]
public sealed class RemoveStaticCodeFixProvider : VaeClassDeclarationsFix
{
    /// <summary>Same for every occurrence, so Fix All applies it everywhere.</summary>
    public const string EquivalenceKey = "VaeGen.RemoveStaticFromVaeClass";

    /// <summary>Creates the fix.</summary>
    public RemoveStaticCodeFixProvider() : base(DiagnosticIds.ClassIsStatic, EquivalenceKey)
    {
    }

    private protected override string Title(string className) => $"Remove 'static' from '{className}'";

    private protected override bool Needs(TypeDeclarationSyntax declaration) => declaration.Modifiers.Any(SyntaxKind.StaticKeyword);

    private protected override TypeDeclarationSyntax Rewrite(TypeDeclarationSyntax declaration) =>
        SyntaxEditing.RemoveModifier(declaration, SyntaxKind.StaticKeyword);
}
