using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using VaeGen.Generators.Tests.Infrastructure;
using Xunit;

namespace VaeGen.Generators.Tests;

/// <summary>The pipeline caches: unrelated edits redo nothing, and an edit to one model regenerates that model alone.</summary>
public sealed class IncrementalTests
{
    private static readonly string[] StepNames =
        [TrackingNames.Parse, TrackingNames.Validate, TrackingNames.Diagnostics, TrackingNames.LocatedDiagnostics, TrackingNames.Specs, TrackingNames.HintNameCollisions];

    private const string ModelA = """
        using VaeGen;

        namespace Shop;

        [Vae(8, 2)] [Encoder(6)] [Decoder(6)]
        public partial class ModelA;
        """;

    private const string ModelB = """
        using VaeGen;

        namespace Shop;

        [Vae(8, 2, Likelihood = Likelihood.Gaussian)] [Encoder(6)] [Decoder(6)]
        public partial class ModelB;
        """;

    private const string Warned = """
        using VaeGen;

        namespace Shop;

        [Vae(8, 2, ObservationVariance = 2.0)] [Encoder(6)] [Decoder(6)]
        public partial class Warned;
        """;

    private const string Unrelated = """
        namespace Shop;

        /// <summary>Nothing to do with VAEs.</summary>
        public static class Prices
        {
            /// <summary>A constant.</summary>
            public const int Count = 1;
        }
        """;

    [Fact]
    public void RerunOnAClonedCompilationIsCached()
    {
        var compilation = GeneratorHarness.Compile(ModelA, ModelB, Unrelated);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var result = driver.RunGenerators(compilation.Clone()).GetRunResult().Results.Single();

        AssertAllStepsTracked(result);
        AssertEveryOutput(result, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void EditOutsideAnyVaeClassLeavesEveryStepCached()
    {
        var compilation = GeneratorHarness.Compile(ModelA, ModelB, Unrelated);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var edited = Replace(compilation, 2, Unrelated.Replace("Count = 1", "Count = 2", StringComparison.Ordinal));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertAllStepsTracked(result);
        AssertEveryOutput(result, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void EditToOneModelRegeneratesOnlyThatModel()
    {
        var compilation = GeneratorHarness.Compile(ModelA, ModelB, Unrelated);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var edited = Replace(compilation, 1, ModelB.Replace("[Encoder(6)]", "[Encoder(7)]", StringComparison.Ordinal));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var specs = result.TrackedSteps[TrackingNames.Specs].SelectMany(s => s.Outputs).ToList();
        var changed = specs.Where(o => o.Reason == IncrementalStepRunReason.Modified).Select(o => ((Model.VaeSpec)o.Value).ClassName).ToList();
        var kept = specs.Where(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged).Select(o => ((Model.VaeSpec)o.Value).ClassName).ToList();
        Assert.Equal(["ModelB"], changed);
        Assert.Equal(["ModelA"], kept);

        var sources = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.Equal(1, sources.Count(o => o.Reason == IncrementalStepRunReason.Modified));
        Assert.Contains("Shop.ModelB.Vae.g.cs", result.GeneratedSources.Select(s => s.HintName));
    }

    [Fact]
    public void EditThatOnlyMovesAModelDoesNotReEmitIt()
    {
        var compilation = GeneratorHarness.Compile(ModelA, ModelB, Unrelated);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        // A comment above the class shifts every location in the declaration, but not the spec the emitter sees.
        var edited = Replace(compilation, 0, ModelA.Replace("[Vae(8, 2)]", "// moved down\n[Vae(8, 2)]", StringComparison.Ordinal));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.All(result.TrackedSteps[TrackingNames.Specs].SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"Specs output was {o.Reason}"));
    }

    [Fact]
    public void EditOutsideAnyVaeClassDoesNotReReportAWarning()
    {
        var compilation = GeneratorHarness.Compile(ModelA, Warned, Unrelated);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var edited = Replace(compilation, 2, Unrelated.Replace("Count = 1", "Count = 2", StringComparison.Ordinal));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        // Locating joins the compilation, so it runs again; it finds the same tree for the warning, and the report stays cached.
        Assert.Equal(IncrementalStepRunReason.Unchanged, result.TrackedSteps[TrackingNames.LocatedDiagnostics].Single().Outputs.Single().Reason);
        AssertEveryOutput(result, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        Assert.Equal("VAE0014", Assert.Single(result.Diagnostics).Id);
    }

    [Fact]
    public void EditThatMovesAWarningReportsItInTheNewTreeWithoutReEmitting()
    {
        var compilation = GeneratorHarness.Compile(ModelA, Warned, Unrelated);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var edited = Replace(compilation, 1, Warned.Replace("[Vae(", "// moved down\n[Vae(", StringComparison.Ordinal));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var warning = Assert.Single(result.Diagnostics);
        Assert.Same(edited.SyntaxTrees.Single(t => t.FilePath == "File1.cs"), warning.Location.SourceTree);
        Assert.Equal(5, warning.Location.GetLineSpan().StartLinePosition.Line); // zero-based: one line below where it was
        Assert.All(result.TrackedSteps[TrackingNames.Specs].SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"Specs output was {o.Reason}"));
    }

    [Fact]
    public void PipelineHoldsNoCompilerObjects()
    {
        var compilation = GeneratorHarness.Compile(ModelA, ModelB, """
            using VaeGen;

            [Vae(0, 2)] [Encoder(6)]
            public class Broken
            {
                public void Sample() { }
            }
            """);
        var result = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();

        AssertAllStepsTracked(result);
        Assert.NotEmpty(result.Diagnostics);
        foreach (var name in StepNames)
        {
            // The last diagnostics step holds the current compilation's trees by design (a location needs one), and nothing else.
            var allowTrees = name == TrackingNames.LocatedDiagnostics;
            foreach (var output in result.TrackedSteps[name].SelectMany(s => s.Outputs))
                AssertHoldsNoCompilerObjects(output.Value, $"{name} output", new HashSet<object>(ReferenceEqualityComparer.Instance), allowTrees);
        }
    }

    [Fact]
    public void EqualSourcesGiveEqualModelsAndDifferentArgumentsDoNot()
    {
        static object Parse(string source) =>
            GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.Compile(source)).GetRunResult().Results.Single()
                .TrackedSteps[TrackingNames.Parse].Single().Outputs.Single().Value;

        Assert.Equal(Parse(ModelA), Parse(ModelA));
        Assert.Equal(Parse(ModelA).GetHashCode(), Parse(ModelA).GetHashCode());
        Assert.NotEqual(Parse(ModelA), Parse(ModelA.Replace("[Encoder(6)]", "[Encoder(6, 6)]", StringComparison.Ordinal)));
        Assert.NotEqual(Parse(ModelA), Parse(ModelA.Replace("[Vae(8, 2)]", "[Vae(8, 2, Samples = 2)]", StringComparison.Ordinal)));
    }

    private static Compilation Replace(Compilation compilation, int index, string text)
    {
        var old = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, old.FilePath));
    }

    private static void AssertAllStepsTracked(GeneratorRunResult result)
    {
        foreach (var name in StepNames) Assert.True(result.TrackedSteps.ContainsKey(name), $"step {name} is not tracked");
    }

    private static void AssertEveryOutput(GeneratorRunResult result, params IncrementalStepRunReason[] allowed)
    {
        foreach (var name in StepNames)
        {
            foreach (var output in result.TrackedSteps[name].SelectMany(s => s.Outputs))
                Assert.True(allowed.Contains(output.Reason), $"{name} output was {output.Reason}");
        }
        foreach (var output in result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs))
            Assert.True(allowed.Contains(output.Reason), $"source output was {output.Reason}");
    }

    /// <summary>Walks fields and enumerables: a symbol, node, tree, compilation or location would keep compilations alive.</summary>
    private static void AssertHoldsNoCompilerObjects(object? value, string path, HashSet<object> seen, bool allowTrees = false)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value)) return;
        if (allowTrees && value is SyntaxTree) return;
        Assert.False(value is ISymbol or SyntaxNode or SyntaxTree or Compilation or SemanticModel or Location or AttributeData,
            $"{path} holds a {value.GetType().Name}");
        if (value is DiagnosticDescriptor) return; // static, shared descriptors compare by reference
        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items) AssertHoldsNoCompilerObjects(item, $"{path}[{i++}]", seen, allowTrees);
        }
        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            AssertHoldsNoCompilerObjects(field.GetValue(value), $"{path}.{field.Name}", seen, allowTrees);
    }
}
