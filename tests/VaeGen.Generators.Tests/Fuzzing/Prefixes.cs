using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using VaeGen.Generators.Tests.Infrastructure;

namespace VaeGen.Generators.Tests.Fuzzing;

/// <summary>How a text an editor holds while someone types was cut from the finished file.</summary>
internal enum PrefixKind
{
    /// <summary>Up to the end of a token: the cursor right after it.</summary>
    Token,

    /// <summary>Up to the end of a token's trailing trivia: the space or line break typed after it.</summary>
    TokenAndTrivia,

    /// <summary>A token's line typed up to its end, the lines after it already there: an edit in the middle of the file.</summary>
    Line,

    /// <summary>Up to a character.</summary>
    Character,
}

/// <summary>One text to run the generator on, and how it was cut.</summary>
internal readonly record struct Prefix(PrefixKind Kind, string Text);

/// <summary>The texts an IDE hands the generator while a file is typed from the first character to the last.</summary>
internal static class Prefixes
{
    /// <summary>
    /// For each token of <paramref name="source"/> (XML doc comments included, by Roslyn's own tokenizer), the
    /// <see cref="PrefixKind.Token"/>, <see cref="PrefixKind.TokenAndTrivia"/> and <see cref="PrefixKind.Line"/> texts, each once,
    /// in typing order, from the empty file to the whole one.
    /// </summary>
    public static IEnumerable<Prefix> ByToken(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions);
        var text = tree.GetText();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var all = new List<Prefix> { new(PrefixKind.Token, string.Empty) };
        foreach (var token in tree.GetRoot().DescendantTokens(descendIntoTrivia: true))
        {
            // The end of file and the tokens the parser supplies for missing ones are not typed.
            if (token.Span.IsEmpty) continue;
            var end = token.Span.End;
            all.Add(new(PrefixKind.Token, source[..end]));
            all.Add(new(PrefixKind.TokenAndTrivia, source[..token.FullSpan.End]));
            var lineEnd = text.Lines.GetLineFromPosition(end).End;
            all.Add(new(PrefixKind.Line, source[..end] + source[lineEnd..]));
        }
        all.Add(new(PrefixKind.Token, source));
        return all.Where(prefix => seen.Add(prefix.Text));
    }

    /// <summary>Every prefix of <paramref name="source"/>, character by character, from the empty file to the whole one.</summary>
    public static IEnumerable<Prefix> ByCharacter(string source) =>
        Enumerable.Range(0, source.Length + 1).Select(length => new Prefix(PrefixKind.Character, source[..length]));
}
