using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace VaeGen.CodeFixes;

/// <summary>VAE0001: adds <c>partial</c> to every declaration of the VAE class that lacks it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFixProvider)), Shared]
public sealed class MakePartialCodeFixProvider : VaeClassDeclarationsFix
{
    /// <summary>Same for every occurrence, so Fix All applies it everywhere.</summary>
    public const string EquivalenceKey = "VaeGen.MakeVaeClassPartial";

    /// <summary>Creates the fix.</summary>
    public MakePartialCodeFixProvider() : base(DiagnosticIds.ClassNotPartial, EquivalenceKey)
    {
    }

    private protected override string Title(string className) => $"Make '{className}' partial";

    private protected override bool Needs(TypeDeclarationSyntax declaration) => !SyntaxEditing.IsPartial(declaration);

    private protected override TypeDeclarationSyntax Rewrite(TypeDeclarationSyntax declaration) => SyntaxEditing.AddPartial(declaration);
}
