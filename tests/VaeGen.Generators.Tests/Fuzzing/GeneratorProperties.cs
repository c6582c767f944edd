using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using VaeGen.Generators.Tests.Infrastructure;

namespace VaeGen.Generators.Tests.Fuzzing;

/// <summary>A broken property: what broke, and the diagnostics that show it.</summary>
internal sealed record BrokenProperty(string Property, IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>The properties every fuzzer checks of any run, whatever it ran on: the generator did not fail, and its diagnostics are located.</summary>
internal static class GeneratorProperties
{
    /// <summary>The diagnostics by which the driver and the compiler report a generator or analyzer that threw.</summary>
    public static readonly string[] CrashIds = ["CS8784", "CS8785", "AD0001"];

    /// <summary>
    /// One compilation of the references, shared by every fuzz case: adding trees to it reuses the loaded metadata. Built
    /// on one thread: the fuzz tests run beside each other, and a case is too small to gain from more.
    /// </summary>
    public static readonly CSharpCompilation Empty = CreateEmpty();

    private static CSharpCompilation CreateEmpty()
    {
        var compilation = GeneratorHarness.Compile();
        return compilation.WithOptions(compilation.Options.WithConcurrentBuild(false));
    }

    /// <summary>The generator never throws: no exception in its result, no generator failure among the driver's diagnostics.</summary>
    public static BrokenProperty? Crashed(GeneratorRun run)
    {
        if (run.Generator.Exception is { } exception) return new("The generator threw: " + exception, []);
        var crashes = run.DriverDiagnostics.Where(d => CrashIds.Contains(d.Id)).ToList();
        return crashes.Count > 0 ? new("The driver reports a generator failure:", crashes) : null;
    }

    /// <summary>
    /// Every diagnostic of the generator is VaeGen's and lies inside one of <paramref name="trees"/> (the user's files of the
    /// compilation, not a generated one): located in that very tree, so #pragma and [SuppressMessage] apply, with a span within
    /// its text and a line span that agrees with the span.
    /// </summary>
    public static BrokenProperty? Unlocated(GeneratorRun run, IReadOnlyList<SyntaxTree> trees)
    {
        var diagnostics = run.Generator.Diagnostics;
        if (diagnostics.FirstOrDefault(d => !d.Id.StartsWith("VAE", StringComparison.Ordinal)) is { } foreign)
            return new($"The generator reported {foreign.Id}, a diagnostic that is not VaeGen's:", diagnostics);
        foreach (var diagnostic in diagnostics)
        {
            var lineSpan = diagnostic.Location.GetLineSpan();
            var span = diagnostic.Location.SourceSpan;
            var tree = trees.FirstOrDefault(t => t.FilePath == lineSpan.Path);
            if (tree is null) return new($"{diagnostic.Id} is not located in a source file of the compilation:", [diagnostic]);
            if (span.Start < 0 || span.End > tree.Length) return new($"{diagnostic.Id}'s span {span} lies outside {lineSpan.Path} ({tree.Length} characters):", [diagnostic]);
            if (tree.GetLineSpan(span).Span != lineSpan.Span) return new($"{diagnostic.Id}'s line span {lineSpan.Span} disagrees with its span {span}:", [diagnostic]);
            if (diagnostic.Location.SourceTree != tree) return new($"{diagnostic.Id} is located by path in {lineSpan.Path}, not in its syntax tree:", [diagnostic]);
        }
        return null;
    }
}
