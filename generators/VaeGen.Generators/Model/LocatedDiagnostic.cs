using Microsoft.CodeAnalysis;

namespace VaeGen.Generators.Model;

/// <summary>A diagnostic paired with the syntax tree its location lies in: the last step before reporting, and the only one holding a tree.</summary>
/// <param name="Info">The diagnostic as the validator produced it.</param>
/// <param name="Tree">
/// The current compilation's tree for the location's file; null when the diagnostic has no location or no single tree has that path.
/// Compared by reference: a file left alone keeps its tree object, so the pair stays equal and the output stays cached.
/// </param>
internal sealed record LocatedDiagnostic(DiagnosticInfo Info, SyntaxTree? Tree)
{
    public Diagnostic ToDiagnostic() => Info.ToDiagnostic(Tree);
}
