using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using VaeGen.Generators.Tests.Infrastructure;

namespace VaeGen.Generators.Tests.Fuzzing;

/// <summary>A broken property: which one, and the case that broke it.</summary>
internal sealed class FuzzFailure(string message) : Exception(message);

/// <summary>Counts of what the fuzz cases covered, for the test output.</summary>
internal sealed class FuzzStats
{
    public int Cases { get; set; }

    public int Valid { get; set; }

    public int GeneratorDefects { get; set; }

    public int CompilerDefects { get; set; }

    public int NotVae { get; set; }

    public int WithoutAnyError { get; set; }

    public int GeneratedFiles { get; set; }

    public SortedDictionary<string, int> VaeIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Cases whose oracle expected each VaeGen diagnostic (and the compiler did not object), so the counts above are not all incidental.</summary>
    public SortedDictionary<string, int> ExpectedIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Of the cases compiled in full, how many use each feature worth counting (convolutions, a condition, ...).</summary>
    public SortedDictionary<string, int> CompiledFeatures { get; } = new(StringComparer.Ordinal);

    /// <summary>Cases compiled in full that use <paramref name="feature"/>.</summary>
    public int Compiled(string feature) => CompiledFeatures.GetValueOrDefault(feature);

    public override string ToString() =>
        $"{Cases} cases: {Valid} valid, {GeneratorDefects} with defects only VaeGen reports, {CompilerDefects} with defects the compiler rejects, " +
        $"{NotVae} without exactly one [Vae]; {WithoutAnyError} without any error were compiled in full with their generated code; " +
        $"{GeneratedFiles} files generated; VaeGen diagnostics seen: {string.Join(", ", VaeIds.Select(p => $"{p.Key} x{p.Value}"))}; " +
        $"cases where the oracle expected them: {string.Join(", ", ExpectedIds.Select(p => $"{p.Key} x{p.Value}"))}; " +
        $"compiled in full with: {string.Join(", ", CompiledFeatures.Select(p => $"{p.Key} x{p.Value}"))}";
}

/// <summary>
/// Runs the generator over one declaration and checks the fuzz properties: it never throws, its diagnostics point into
/// the source, every injected defect is reported, and code that reports no error compiles without warnings.
/// </summary>
internal static class FuzzRunner
{
    /// <summary>Checks one case; throws <see cref="FuzzFailure"/> naming the broken property.</summary>
    /// <param name="declaration">The case.</param>
    /// <param name="stats">Updated with what the case covered.</param>
    /// <param name="validOnly">The valid-only property: one generated file, no VaeGen error or warning, a clean build.</param>
    public static void Check(Declaration declaration, FuzzStats stats, bool validOnly = false)
    {
        var sources = declaration.Render();
        void Fail(string property, IEnumerable<Diagnostic>? diagnostics = null) => throw new FuzzFailure(
            property + "\n" + (diagnostics is null ? string.Empty : string.Join("\n", diagnostics.Select(Snapshot.Describe)) + "\n") +
            declaration.Describe(sources));

        var trees = sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: $"File{i}.cs")).ToArray();
        var compilation = GeneratorProperties.Empty.AddSyntaxTrees(trees);
        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var driverDiagnostics);
        var run = new GeneratorRun(driver.GetRunResult(), output, driverDiagnostics);

        // 1. The generator never throws.
        if (GeneratorProperties.Crashed(run) is { } crash) Fail(crash.Property, crash.Diagnostics);

        // 2. Every VaeGen diagnostic points into a file of the compilation, inside its text.
        if (GeneratorProperties.Unlocated(run, trees) is { } unlocated) Fail(unlocated.Property, unlocated.Diagnostics);
        var vae = run.Generator.Diagnostics.ToList();
        foreach (var diagnostic in vae) stats.VaeIds[diagnostic.Id] = stats.VaeIds.GetValueOrDefault(diagnostic.Id) + 1;

        // The compiler's verdict on the user's files (bound with the generated code in place, which is cheap); the
        // generated files themselves are compiled in full below, only when nothing has an error.
        var userDiagnostics = trees.SelectMany(t => output.GetSemanticModel(t).GetDiagnostics()).ToList();
        if (userDiagnostics.Any(d => GeneratorProperties.CrashIds.Contains(d.Id))) Fail("The compilation reports a generator failure:", userDiagnostics);
        var userErrors = userDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var vaeErrors = vae.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var reported = vae.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        stats.Cases++;
        stats.GeneratedFiles += run.Generator.GeneratedSources.Length;

        // 3. Every injected defect gets a diagnostic; warnings, which leave a declaration valid, too, unless the compiler objects.
        var defects = declaration.Defects.Where(d => !d.IsWarning).ToList();
        if (!declaration.Defects.Any(d => d.IsCompilers))
        {
            foreach (var id in declaration.Defects.Select(d => d.ExpectedId!).Distinct()) stats.ExpectedIds[id] = stats.ExpectedIds.GetValueOrDefault(id) + 1;
            // The oracle is exact, at the level of IDs: the generator reports nothing it did not predict, no cascade, no false alarm.
            var unexpected = reported.Where(id => !declaration.Defects.Any(d => d.ExpectedId == id)).Order(StringComparer.Ordinal).ToList();
            if (unexpected.Count > 0) Fail($"VaeGen reported what the oracle did not expect: {string.Join(", ", unexpected)}:", vae);
            var unwarned = declaration.Defects.Where(d => d.IsWarning && !reported.Contains(d.ExpectedId!)).Select(d => d.ExpectedId).Distinct().ToList();
            if (unwarned.Count > 0) Fail($"Expected warnings went unreported: {string.Join(", ", unwarned)}; VaeGen said:", vae);
        }
        if (defects.Any(d => d.IsCompilers))
        {
            stats.CompilerDefects++;
            if (userErrors.Count == 0 && vaeErrors.Count == 0) Fail("A declaration the compiler must reject has no error at all:", [.. userDiagnostics, .. vae]);
        }
        else if (defects.Count > 0)
        {
            stats.GeneratorDefects++;
            if (vaeErrors.Count == 0) Fail("An invalid declaration has no VaeGen error:", [.. vae, .. userDiagnostics]);
            var missing = defects.Select(d => d.ExpectedId!).Where(id => !reported.Contains(id)).Distinct().ToList();
            if (missing.Count > 0) Fail($"Injected defects went unreported: {string.Join(", ", missing)}; VaeGen said:", vae);
            if (OwnFiles(declaration, run) != 0) Fail("A class with a VaeGen error still got generated code.");
        }
        else if (declaration.IsVae)
        {
            stats.Valid++;
            if (vaeErrors.Count > 0 || userErrors.Count > 0) Fail("A valid declaration has errors:", [.. vaeErrors, .. userErrors]);
            if (OwnFiles(declaration, run) != 1) Fail("A valid declaration did not get exactly one generated file.");
        }
        else
        {
            stats.NotVae++;
        }
        // Garbage can close File0's class early and leave its nested type named var at the top level, in the
        // companion's scope too: then VAE0022 on the companion is right, and no code for it is too.
        var companionSeesVar = vae.Any(d => d.Id == "VAE0022" && d.Location.SourceTree?.FilePath == "File1.cs");
        if (declaration.Companion == CompanionKind.Valid && !companionSeesVar && !run.Generator.GeneratedSources.Any(s => s.HintName == Declaration.CompanionHintName))
            Fail("The valid companion class in File1 got no generated code.");
        if (declaration.Companion == CompanionKind.CaseTwin && !run.Generator.GeneratedSources.Any(s => s.SourceText.ToString().Contains($"partial class {Declaration.CaseTwinName(declaration.Class.MetadataName)} ")))
            Fail("The case twin in File1 got no generated code.");
        if (validOnly)
        {
            if (run.Generator.GeneratedSources.Length != 1) Fail($"A valid declaration got {run.Generator.GeneratedSources.Length} generated files.");
            if (vae.Count > 0) Fail("A valid declaration got VaeGen diagnostics:", vae);
        }

        // 4. No error anywhere: the declaration and its generated code compile without errors or warnings.
        if (userErrors.Count == 0 && vaeErrors.Count == 0)
        {
            stats.WithoutAnyError++;
            // Only a class the generator looked at has its features compiled (without exactly one [Vae] it gets no code).
            if (declaration.IsVae)
                foreach (var feature in declaration.FeatureList) stats.CompiledFeatures[feature] = stats.CompiledFeatures.GetValueOrDefault(feature) + 1;
            var problems = run.CompilationProblems.Where(d => d.Id != "CS8981").ToList();
            if (problems.Count > 0) Fail("No error was reported, yet the declaration and its generated code do not compile cleanly:", problems);
        }
    }

    /// <summary>Generated files of the declared class: all of them but the one a valid companion or case twin in File1 gets.</summary>
    private static int OwnFiles(Declaration declaration, GeneratorRun run) =>
        run.Generator.GeneratedSources.Length - (declaration.Companion == CompanionKind.None ? 0 : 1);
}
