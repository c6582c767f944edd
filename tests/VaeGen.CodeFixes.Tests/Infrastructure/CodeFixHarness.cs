using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using VaeGen.Generators;
using Xunit;

namespace VaeGen.CodeFixes.Tests.Infrastructure;

/// <summary>
/// A small stand-in for Microsoft.CodeAnalysis.Testing: a workspace project against .NET 10, TorchSharp and the VaeGen
/// runtime, the real generator to produce the diagnostics, and the plumbing to offer and apply a provider's fixes.
/// </summary>
internal static class CodeFixHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(VaeAttribute).Assembly.Location), // VaeGen.Abstractions: the attributes
        MetadataReference.CreateFromFile(typeof(IVariationalAutoencoder).Assembly.Location), // VaeGen: what generated code calls
        MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location),
    ];

    private static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        warningLevel: 9999,
        // As the .NET SDK does: references built against an older System.Runtime unify with the newer one.
        specificDiagnosticOptions: new Dictionary<string, ReportDiagnostic>
        {
            ["CS1701"] = ReportDiagnostic.Suppress,
            ["CS1702"] = ReportDiagnostic.Suppress,
        });

    /// <summary>A project in a fresh workspace with the given files, named (and with paths) File0.cs, File1.cs, ...</summary>
    public static Project CreateProject(params string[] sources)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId, VersionStamp.Default, "UserProject", "UserProject", LanguageNames.CSharp,
            compilationOptions: CompilationOptions, parseOptions: ParseOptions, metadataReferences: References));
        for (var i = 0; i < sources.Length; i++)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId), $"File{i}.cs", SourceText.From(sources[i]), filePath: $"File{i}.cs");
        }
        return solution.GetProject(projectId)!;
    }

    /// <summary>Runs VaeGen over the project's compilation, as the compiler would.</summary>
    public static async Task<GeneratorOutcome> RunGeneratorAsync(Project project)
    {
        var compilation = await project.GetCompilationAsync() ?? throw new Xunit.Sdk.XunitException("no compilation");
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new VaeGenerator().AsSourceGenerator()], parseOptions: ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var driverDiagnostics);
        var result = driver.GetRunResult().Results.Single();
        // The driver's own diagnostics repeat the generator's; anything else (CS8785, a generator that threw) is a failure.
        Assert.Null(result.Exception);
        Assert.All(driverDiagnostics, d => Assert.StartsWith("VAE", d.Id, System.StringComparison.Ordinal));
        return new GeneratorOutcome(
            project,
            result.Diagnostics.OrderBy(d => d.Location.GetLineSpan().Path, System.StringComparer.Ordinal)
                .ThenBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, System.StringComparer.Ordinal).ToImmutableArray(),
            result.GeneratedSources.Select(s => s.HintName).ToImmutableArray(),
            output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray());
    }

    /// <summary>
    /// The generator reports its diagnostics with file-path locations (they pass through its cache as plain values). The
    /// IDE hands code fixes the same diagnostic placed in the document's syntax tree; this makes that form.
    /// </summary>
    public static async Task<Diagnostic> InDocumentAsync(Project project, Diagnostic diagnostic)
    {
        var document = DocumentOf(project, diagnostic);
        var tree = await document.GetSyntaxTreeAsync() ?? throw new Xunit.Sdk.XunitException("no syntax tree");
        var descriptor = new DiagnosticDescriptor(
            diagnostic.Id, diagnostic.Descriptor.Title, "{0}", diagnostic.Descriptor.Category,
            diagnostic.Descriptor.DefaultSeverity, diagnostic.Descriptor.IsEnabledByDefault);
        // The properties travel too: a fix may read them (VAE0029 carries the output padding that closes the gap).
        return Diagnostic.Create(descriptor, Location.Create(tree, diagnostic.Location.SourceSpan), diagnostic.Properties, diagnostic.GetMessage(CultureInfo.InvariantCulture));
    }

    /// <summary>The document a generator diagnostic is in, found by its file path.</summary>
    public static Document DocumentOf(Project project, Diagnostic diagnostic)
    {
        var path = diagnostic.Location.GetLineSpan().Path;
        return Assert.Single(project.Documents, d => d.FilePath == path);
    }

    /// <summary>The actions <paramref name="provider"/> registers for <paramref name="diagnostics"/>, which share one span.</summary>
    public static async Task<IReadOnlyList<CodeAction>> ActionsAsync(CodeFixProvider provider, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostics[0].Location.SourceSpan, diagnostics, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);
        return actions;
    }

    /// <summary>The solution an action leads to.</summary>
    public static async Task<Solution> ApplyAsync(CodeAction action)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        return Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
    }

    /// <summary>The text of every document of the project, in document order.</summary>
    public static async Task<string[]> TextsAsync(Project project)
    {
        var texts = new List<string>();
        foreach (var document in project.Documents) texts.Add((await document.GetTextAsync()).ToString());
        return texts.ToArray();
    }
}

/// <summary>One generator run over a project: VaeGen's diagnostics, the hint names it added, the errors of the whole compilation.</summary>
internal sealed record GeneratorOutcome(
    Project Project, ImmutableArray<Diagnostic> VaeDiagnostics, ImmutableArray<string> GeneratedHintNames, ImmutableArray<Diagnostic> Errors)
{
    public IEnumerable<Diagnostic> WithId(string id) => VaeDiagnostics.Where(d => d.Id == id);
}

/// <summary>Gives a Fix All the generator's diagnostics, placed in the documents as the IDE gives them.</summary>
internal sealed class GeneratorDiagnosticProvider : FixAllContext.DiagnosticProvider
{
    public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
    {
        var outcome = await CodeFixHarness.RunGeneratorAsync(project);
        var diagnostics = new List<Diagnostic>();
        foreach (var diagnostic in outcome.VaeDiagnostics) diagnostics.Add(await CodeFixHarness.InDocumentAsync(project, diagnostic));
        return diagnostics;
    }

    public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
    {
        var tree = await document.GetSyntaxTreeAsync(cancellationToken);
        return (await GetAllDiagnosticsAsync(document.Project, cancellationToken)).Where(d => d.Location.SourceTree == tree);
    }

    // Every VaeGen diagnostic has a place in a document.
    public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
        Task.FromResult(Enumerable.Empty<Diagnostic>());
}
