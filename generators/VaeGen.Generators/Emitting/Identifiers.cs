using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace VaeGen.Generators.Emitting;

/// <summary>Turns names into C# identifiers: a keyword used as a name (class @event) needs its @ back.</summary>
internal static class Identifiers
{
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    public static string EscapeQualified(string dottedName) =>
        string.Join(".", dottedName.Split('.').Select(Escape));
}
