using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace VaeGen.Generators.Tests.Infrastructure;

/// <summary>Builds compilations against .NET 10, TorchSharp and the VaeGen runtime, and runs the generator over them.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions =
        new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(VaeAttribute).Assembly.Location), // VaeGen.Abstractions: the attributes
        MetadataReference.CreateFromFile(typeof(IVariationalAutoencoder).Assembly.Location), // VaeGen: what generated code calls
        MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location),
    ];

    /// <summary>A library compilation of the given files, named File0.cs, File1.cs, ..., with every warning enabled.</summary>
    public static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create(
            "UserProject",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"File{i}.cs")),
            References,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                warningLevel: 9999,
                // As the .NET SDK does: references built against an older System.Runtime unify with the newer one.
                specificDiagnosticOptions: new Dictionary<string, ReportDiagnostic>
                {
                    ["CS1701"] = ReportDiagnostic.Suppress,
                    ["CS1702"] = ReportDiagnostic.Suppress,
                }));

    /// <summary>A driver that records step reasons, ready to run (and re-run) the generator.</summary>
    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new VaeGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once over <paramref name="sources"/>.</summary>
    public static GeneratorRun Run(params string[] sources)
    {
        var compilation = Compile(sources);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return new GeneratorRun(driver.GetRunResult(), output, generatorDiagnostics);
    }
}

/// <summary>One generator run: its result, the compilation with the generated files, and the driver's own diagnostics.</summary>
internal sealed record GeneratorRun(GeneratorDriverRunResult Result, Compilation Output, ImmutableArray<Diagnostic> DriverDiagnostics)
{
    public GeneratorRunResult Generator => Result.Results.Single();

    /// <summary>The diagnostics VaeGen reported, in source order.</summary>
    public IReadOnlyList<Diagnostic> VaeDiagnostics =>
        Generator.Diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, System.StringComparer.Ordinal).ToList();

    /// <summary>Errors and warnings of the whole compilation, generated files included.</summary>
    public IReadOnlyList<Diagnostic> CompilationProblems =>
        Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
}
