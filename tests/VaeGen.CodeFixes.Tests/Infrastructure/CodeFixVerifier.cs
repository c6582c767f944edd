using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace VaeGen.CodeFixes.Tests.Infrastructure;

/// <summary>The assertions every code fix test makes.</summary>
internal static class CodeFixVerifier
{
    /// <summary>
    /// Runs the generator over <paramref name="sources"/>, takes its <paramref name="diagnosticId"/> diagnostics at the
    /// <paramref name="occurrence"/>-th place (all that share that span, as the IDE groups them), and checks that the
    /// provider offers exactly one action, titled <paramref name="title"/>, with an equivalence key; that the action gives
    /// the same text whether the diagnostic is placed in the document (as the IDE passes it) or carries the generator's
    /// file-path location; that every document then reads exactly <paramref name="expected"/>; and that the generator,
    /// run again, no longer reports those diagnostics. With <paramref name="expectValidModel"/> it also checks that the
    /// generator now reports nothing, generates code, and that the whole compilation has no error.
    /// </summary>
    /// <returns>The fixed project, to chain another fix.</returns>
    public static Task<Project> VerifyAsync(
        CodeFixProvider provider, string diagnosticId, string[] sources, string[] expected, string title,
        bool expectValidModel = true, int occurrence = 0) =>
        VerifyAsync(provider, diagnosticId, CodeFixHarness.CreateProject(sources), expected, title, expectValidModel, occurrence);

    public static Task<Project> VerifyAsync(
        CodeFixProvider provider, string diagnosticId, string source, string expected, string title,
        bool expectValidModel = true, int occurrence = 0) =>
        VerifyAsync(provider, diagnosticId, [source], [expected], title, expectValidModel, occurrence);

    public static async Task<Project> VerifyAsync(
        CodeFixProvider provider, string diagnosticId, Project project, string[] expected, string title,
        bool expectValidModel = true, int occurrence = 0)
    {
        Assert.Contains(diagnosticId, provider.FixableDiagnosticIds);
        var before = await CodeFixHarness.RunGeneratorAsync(project);
        var places = before.WithId(diagnosticId)
            .GroupBy(d => (d.Location.GetLineSpan().Path, d.Location.SourceSpan))
            .Select(g => g.ToImmutableArray())
            .ToList();
        Assert.True(places.Count > occurrence,
            $"expected {diagnosticId} at {occurrence + 1} place(s); the generator reported: "
            + string.Join("; ", before.VaeDiagnostics.Select(d => d.ToString())));

        var reported = places[occurrence];
        var document = CodeFixHarness.DocumentOf(project, reported[0]);
        var inDocument = (await Task.WhenAll(reported.Select(d => CodeFixHarness.InDocumentAsync(project, d)))).ToImmutableArray();

        var action = Assert.Single(await CodeFixHarness.ActionsAsync(provider, document, inDocument));
        Assert.Equal(title, action.Title);
        Assert.False(string.IsNullOrEmpty(action.EquivalenceKey));
        var fixedProject = (await CodeFixHarness.ApplyAsync(action)).GetProject(project.Id)!;
        var actual = await CodeFixHarness.TextsAsync(fixedProject);

        var fromGenerator = Assert.Single(await CodeFixHarness.ActionsAsync(provider, document, reported));
        Assert.Equal(title, fromGenerator.Title);
        Assert.Equal(actual, await CodeFixHarness.TextsAsync((await CodeFixHarness.ApplyAsync(fromGenerator)).GetProject(project.Id)!));

        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i]);

        var after = await CodeFixHarness.RunGeneratorAsync(fixedProject);
        Assert.Equal(before.WithId(diagnosticId).Count() - reported.Length, after.WithId(diagnosticId).Count());
        if (expectValidModel)
        {
            Assert.Empty(after.VaeDiagnostics);
            Assert.NotEmpty(after.GeneratedHintNames);
            Assert.Empty(after.Errors);
        }
        return fixedProject;
    }

    /// <summary>Runs the provider's Fix All over <paramref name="scope"/> (the first document for Document scope) and returns the fixed project.</summary>
    public static async Task<Project> FixAllAsync(
        CodeFixProvider provider, Project project, string diagnosticId, string equivalenceKey, FixAllScope scope)
    {
        var fixAll = provider.GetFixAllProvider();
        Assert.NotNull(fixAll);
        Assert.Contains(scope, fixAll.GetSupportedFixAllScopes());
        var diagnostics = new GeneratorDiagnosticProvider();
        var context = scope == FixAllScope.Document
            ? new FixAllContext(project.Documents.First(), provider, scope, equivalenceKey, [diagnosticId], diagnostics, CancellationToken.None)
            : new FixAllContext(project, provider, scope, equivalenceKey, [diagnosticId], diagnostics, CancellationToken.None);
        var action = await fixAll.GetFixAsync(context);
        Assert.NotNull(action);
        return (await CodeFixHarness.ApplyAsync(action)).GetProject(project.Id)!;
    }

    /// <summary>Checks every document's text, then that the generator reports nothing, generates code and the compilation has no error.</summary>
    public static async Task AssertFixedAsync(Project project, params string[] expected)
    {
        var actual = await CodeFixHarness.TextsAsync(project);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i]);
        var after = await CodeFixHarness.RunGeneratorAsync(project);
        Assert.Empty(after.VaeDiagnostics);
        Assert.NotEmpty(after.GeneratedHintNames);
        Assert.Empty(after.Errors);
    }
}
