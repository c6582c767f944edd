using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using VaeGen.Generators.Tests.Fuzzing;
using VaeGen.Generators.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace VaeGen.Generators.Tests;

/// <summary>
/// Typing never breaks the build. An IDE runs the generator on every text a file passes through while it is typed, nearly all
/// of them broken C#. For every declaration of <see cref="SnapshotTests"/> and every file of Fuzzing/TypedFiles, each text
/// cut by <see cref="Prefixes"/> is run (see <see cref="TypingRunner"/>): the generator never throws, every diagnostic it
/// reports lies inside the text, and the code it chooses to generate has no error of its own.
/// </summary>
public sealed class TypingFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void EveryTokenOfEverySnapshotDeclaration_NeverBreaksTheGenerator()
    {
        var stats = new TypingStats();
        var watch = Stopwatch.StartNew();
        foreach (var (name, files) in SnapshotDeclarations())
            for (var edited = 0; edited < files.Length; edited++) TypingRunner.Run(name, files, edited, Prefixes.ByToken(files[edited]), stats);
        Report(stats, watch);
    }

    [Fact]
    public void EveryTokenOfTypedFiles_NeverBreaksTheGenerator()
    {
        var stats = new TypingStats();
        var watch = Stopwatch.StartNew();
        foreach (var (name, text) in TypedFiles())
        {
            // Typed to the end, each file is a sound declaration file: its models get code, and it all compiles cleanly.
            var run = GeneratorHarness.Run(text);
            Assert.True(run.Generator.GeneratedSources.Length > 0 && run.VaeDiagnostics.Count == 0 && run.CompilationProblems.Count == 0,
                $"{name} is not sound: {run.Generator.GeneratedSources.Length} files generated; " +
                string.Join("\n", run.VaeDiagnostics.Concat(run.CompilationProblems).Select(Snapshot.Describe)));
            TypingRunner.Run(name, [text], 0, Prefixes.ByToken(text), stats);
        }
        Report(stats, watch);
    }

    [Fact]
    public void EveryCharacterOfASmallDeclaration_NeverBreaksTheGenerator()
    {
        var stats = new TypingStats();
        var watch = Stopwatch.StartNew();
        var (name, files) = SnapshotDeclarations().Single(d => d.Name == nameof(SnapshotTests.VampPriorConditionalGaussian));
        TypingRunner.Run(name, files, 0, Prefixes.ByCharacter(files[0]), stats);
        Report(stats, watch);
    }

    private void Report(TypingStats stats, Stopwatch watch, [CallerMemberName] string test = "")
    {
        output.WriteLine($"{CiLog.Marker}{nameof(TypingFuzzTests)}.{test}, {watch.Elapsed.TotalSeconds:F1} s: {stats}");
        Assert.True(stats.Failed == 0, $"{stats.Failed} texts broke a property; the first {stats.Failures.Count}:\n\n" + string.Join("\n\n", stats.Failures));
    }

    /// <summary>The sources each test of <see cref="SnapshotTests"/> checks, read from its own file: a new snapshot is typed too.</summary>
    private static List<(string Name, string[] Files)> SnapshotDeclarations([CallerFilePath] string thisFile = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(thisFile)!, nameof(SnapshotTests) + ".cs");
        var root = CSharpSyntaxTree.ParseText(File.ReadAllText(path)).GetRoot();
        var declarations = root.DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Where(call => call.Expression is IdentifierNameSyntax { Identifier.ValueText: "Check" } && call.ArgumentList.Arguments.Count == 1)
            .Select(call => (
                call.Ancestors().OfType<MethodDeclarationSyntax>().First().Identifier.ValueText,
                call.ArgumentList.Arguments[0].Expression switch
                {
                    LiteralExpressionSyntax literal => [literal.Token.ValueText],
                    CollectionExpressionSyntax collection => collection.Elements.Select(e => ((LiteralExpressionSyntax)((ExpressionElementSyntax)e).Expression).Token.ValueText).ToArray(),
                    var other => throw new InvalidOperationException($"Check({other}) is not a literal source"),
                }))
            .ToList();
        Assert.True(declarations.Count >= 20, $"only {declarations.Count} snapshot declarations found in {path}");
        return declarations;
    }

    private static IEnumerable<(string Name, string Text)> TypedFiles([CallerFilePath] string thisFile = "") =>
        Directory.GetFiles(Path.Combine(Path.GetDirectoryName(thisFile)!, "Fuzzing", "TypedFiles"), "*.cs")
            .Order(StringComparer.Ordinal)
            .Select(path => (Path.GetFileName(path), File.ReadAllText(path).ReplaceLineEndings("\n")));
}
