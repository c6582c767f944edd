using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using VaeGen.Generators.Tests.Infrastructure;

namespace VaeGen.Generators.Tests.Fuzzing;

/// <summary>Counts of what the typing fuzzer ran, for the test output.</summary>
internal sealed class TypingStats
{
    public int Files { get; set; }

    public SortedDictionary<PrefixKind, int> Texts { get; } = [];

    /// <summary>Texts with a syntax error: half-typed ones, mostly.</summary>
    public int Broken { get; set; }

    /// <summary>Texts VaeGen generated code for, and how many files it generated over all of them.</summary>
    public int WithGeneratedCode { get; set; }

    public int GeneratedFiles { get; set; }

    public int WithVaeDiagnostics { get; set; }

    public SortedDictionary<string, int> VaeIds { get; } = new(StringComparer.Ordinal);

    public List<string> Failures { get; } = [];

    public int Failed { get; set; }

    /// <summary>The generated code compiled so far, with the user's code around it (see <see cref="TypingRunner"/>); and how long it took.</summary>
    public HashSet<string> Compiled { get; } = new(StringComparer.Ordinal);

    public TimeSpan CompileTime { get; set; }

    public override string ToString() =>
        $"{Files} files typed, {Texts.Values.Sum()} texts run ({string.Join(", ", Texts.Select(p => $"{p.Value} {p.Key}"))}), {Broken} of them with a syntax error; " +
        $"{WithGeneratedCode} got generated code ({GeneratedFiles} files; {Compiled.Count} distinct ones, with the code around them, compiled in {CompileTime.TotalSeconds:F1} s), {WithVaeDiagnostics} got VaeGen diagnostics " +
        $"({string.Join(", ", VaeIds.Select(p => $"{p.Key} x{p.Value}"))}); {Failed} broke a property.";
}

/// <summary>
/// Runs the generator over the texts an IDE holds while a file is typed, and checks what must hold of any of them, however
/// broken the C#: the generator never throws, every diagnostic it reports lies inside the text, and the code it chooses to
/// generate has no error of its own (none located in a generated file).
/// </summary>
internal static class TypingRunner
{
    /// <summary>
    /// Runs each of <paramref name="prefixes"/> as file <paramref name="edited"/> of <paramref name="files"/> (the others whole),
    /// counting into <paramref name="stats"/> and recording there what broke a property.
    /// </summary>
    public static void Run(string name, IReadOnlyList<string> files, int edited, IEnumerable<Prefix> prefixes, TypingStats stats)
    {
        stats.Files++;
        foreach (var prefix in prefixes)
        {
            stats.Texts[prefix.Kind] = stats.Texts.GetValueOrDefault(prefix.Kind) + 1;
            if (Check(files.Select((file, i) => i == edited ? prefix.Text : file).ToArray(), stats) is not { } broken) continue;
            stats.Failed++;
            if (stats.Failures.Count < 5)
                stats.Failures.Add($"{broken.Property}\n{string.Join("\n", broken.Diagnostics.Select(Snapshot.Describe))}\n" +
                    $"while typing {name}, file File{edited}.cs, {prefix.Kind} text of {prefix.Text.Length} characters:\n{prefix.Text}\n--- end of File{edited}.cs");
        }
    }

    private static BrokenProperty? Check(string[] sources, TypingStats stats)
    {
        var trees = sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: $"File{i}.cs")).ToArray();
        var compilation = GeneratorProperties.Empty.AddSyntaxTrees(trees);
        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var driverDiagnostics);
        var run = new GeneratorRun(driver.GetRunResult(), output, driverDiagnostics);

        if ((GeneratorProperties.Crashed(run) ?? GeneratorProperties.Unlocated(run, trees)) is { } broken) return broken;
        foreach (var diagnostic in run.Generator.Diagnostics) stats.VaeIds[diagnostic.Id] = stats.VaeIds.GetValueOrDefault(diagnostic.Id) + 1;
        if (run.Generator.Diagnostics.Length > 0) stats.WithVaeDiagnostics++;
        if (trees.Any(tree => tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))) stats.Broken++;
        if (run.Generator.GeneratedSources.Length == 0) return null;
        stats.WithGeneratedCode++;
        stats.GeneratedFiles += run.Generator.GeneratedSources.Length;

        // The user's text may be broken anywhere; the generated files must not be: an error located in one is the generator's.
        // Only VaeGen's attributes are left out of the key: what they say is in the generated text.
        var key = string.Join("\0", run.Generator.GeneratedSources.Select(s => s.SourceText.ToString()).Concat(trees.Select(CodeOutsideVaeAttributes)));
        if (!stats.Compiled.Add(key)) return null;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var errors = output.SyntaxTrees.Except(trees)
            .SelectMany(tree => output.GetSemanticModel(tree).GetDiagnostics())
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .ToList();
        stats.CompileTime += watch.Elapsed;
        return errors.Count > 0 ? new("The generated code has errors of its own:", errors) : null;
    }

    /// <summary>The names VaeGen's attributes are written by, with and without the Attribute suffix.</summary>
    private static readonly HashSet<string> VaeAttributeNames = typeof(VaeAttribute).Assembly.GetTypes()
        .Where(t => t.Namespace == "VaeGen" && t.IsSubclassOf(typeof(Attribute)))
        .SelectMany(t => new[] { t.Name, t.Name[..^"Attribute".Length] })
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>The tokens of <paramref name="tree"/> but those of attribute lists of VaeGen's attributes only, without trivia.</summary>
    private static string CodeOutsideVaeAttributes(SyntaxTree tree) => string.Join(" ", tree.GetRoot().DescendantTokens()
        .Where(token => token.Parent?.AncestorsAndSelf().OfType<AttributeListSyntax>().FirstOrDefault() is not { } list
            || !list.Attributes.All(a => VaeAttributeNames.Contains(a.Name.ToString().Split('.')[^1])))
        .Select(token => token.Text));
}
