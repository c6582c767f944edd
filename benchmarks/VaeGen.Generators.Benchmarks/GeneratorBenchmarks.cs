using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace VaeGen.Generators.Benchmarks;

/// <summary>
/// The generator over a compilation with <see cref="Models"/> [Vae] classes, ten to a file, plus one unrelated file:
/// a cold run with a new driver, and a re-run after a one-character edit of the unrelated file. Each edit makes a new
/// compilation, as an IDE does, so no symbol or bound attribute survives from the previous run. The same edit under a
/// generator that does nothing, and under one that only matches [Vae] and reads the class name, are the floors.
/// With VAEGEN_BASELINE_GENERATOR naming another build of VaeGen.Generators.dll (an earlier commit's), the VaeGen
/// benchmarks also run that build, in the same invocation, so a change is measured against what it replaces.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    internal static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private CSharpCompilation compilation = null!;
    private SyntaxTree unrelated = null!;
    private SyntaxTree[] edits = null!;
    private GeneratorDriver vaeDriver = null!;
    private GeneratorDriver emptyDriver = null!;
    private GeneratorDriver trivialDriver = null!;
    private bool flip;

    /// <summary>The compilation the generators run over (after <see cref="Setup"/>).</summary>
    internal CSharpCompilation Compilation => compilation;

    [Params(1, 100, 1000)]
    public int Models { get; set; }

    /// <summary>"current", and the builds VAEGEN_BASELINE_GENERATOR names.</summary>
    [ParamsSource(nameof(Builds))]
    public string Build { get; set; } = "current";

    public static IEnumerable<string> Builds() => ["current", .. BaselineGenerator.Names];

    [GlobalSetup]
    public void Setup()
    {
        CreateCompilation();
        vaeDriver = CSharpGeneratorDriver.Create([Vae().AsSourceGenerator()], parseOptions: ParseOptions).RunGenerators(compilation);
        emptyDriver = CSharpGeneratorDriver.Create([new NothingGenerator().AsSourceGenerator()], parseOptions: ParseOptions).RunGenerators(compilation);
        trivialDriver = CSharpGeneratorDriver.Create([new TrivialAttributeGenerator().AsSourceGenerator()], parseOptions: ParseOptions).RunGenerators(compilation);
    }

    /// <summary>
    /// The compilation and the two edited versions of the unrelated file, without the drivers <see cref="Setup"/> keeps
    /// (each holds a run's generated files, tens of megabytes at 1,000 models, which every collection would walk).
    /// </summary>
    internal void CreateCompilation()
    {
        var trees = new List<SyntaxTree>();
        for (var file = 0; file * 10 < Models; file++)
        {
            var classes = Enumerable.Range(file * 10, System.Math.Min(10, Models - file * 10)).Select(i => $$"""
                [Vae({{784 + i % 7}}, {{2 + i % 30}}, Likelihood = Likelihood.{{(i % 3 == 0 ? "Gaussian" : "Bernoulli")}})]
                [Encoder({{400 + i}}, {{100 + i % 50}})]
                [Decoder({{100 + i % 50}}, {{400 + i}})]
                public partial class Model{{i}};
                """);
            trees.Add(CSharpSyntaxTree.ParseText("using VaeGen;\nnamespace Bench;\n" + string.Join("\n", classes), ParseOptions, path: $"Models{file}.cs"));
        }
        unrelated = CSharpSyntaxTree.ParseText(Unrelated(0), ParseOptions, path: "Unrelated.cs");
        trees.Add(unrelated);
        compilation = CSharpCompilation.Create("Bench", trees,
            [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(VaeAttribute).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        edits = [CSharpSyntaxTree.ParseText(Unrelated(1), ParseOptions, path: "Unrelated.cs"), CSharpSyntaxTree.ParseText(Unrelated(2), ParseOptions, path: "Unrelated.cs")];
    }

    [Benchmark(Description = "cold run")]
    public GeneratorDriver ColdRun() =>
        CSharpGeneratorDriver.Create([Vae().AsSourceGenerator()], parseOptions: ParseOptions).RunGenerators(compilation);

    /// <summary>The VaeGenerator of the build this case runs: this one ("current") or one VAEGEN_BASELINE_GENERATOR names.</summary>
    private IIncrementalGenerator Vae() => BaselineGenerator.Create(Build);

    [Benchmark(Description = "unrelated edit, VaeGen")]
    public GeneratorDriver UnrelatedEdit() => vaeDriver = vaeDriver.RunGenerators(Next());

    [Benchmark(Description = "unrelated edit, empty generator")]
    public GeneratorDriver UnrelatedEditWithoutVaeGen() => emptyDriver = emptyDriver.RunGenerators(Next());

    [Benchmark(Description = "unrelated edit, trivial [Vae] generator")]
    public GeneratorDriver UnrelatedEditWithTrivialTransform() => trivialDriver = trivialDriver.RunGenerators(Next());

    /// <summary>
    /// A new compilation whose unrelated file differs by one character from the previous run's. The two edited trees are
    /// parsed once, so parsing is not measured; the compilation, its symbols and their attributes are new every time.
    /// </summary>
    internal Compilation Next() => compilation.ReplaceSyntaxTree(unrelated, edits[(flip = !flip) ? 0 : 1]);

    private static string Unrelated(int value) => $"namespace Bench;\npublic static class Prices {{ public const int Count = {value}; }}\n";
}

/// <summary>
/// The floor for any generator keyed on [Vae]: the same ForAttributeWithMetadataName with a transform that only reads
/// the class name. Roslyn re-runs semantic transforms for every attributed node whenever the compilation changes.
/// </summary>
internal sealed class TrivialAttributeGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var names = context.SyntaxProvider.ForAttributeWithMetadataName(
            "VaeGen.VaeAttribute",
            static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
            static (context, _) => context.TargetSymbol.Name);
        context.RegisterSourceOutput(names, static (_, _) => { });
    }
}

/// <summary>A generator that registers nothing: the cost of running any generator at all.</summary>
internal sealed class NothingGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}

/// <summary>
/// Earlier builds of the generator named by VAEGEN_BASELINE_GENERATOR: one path (the build called "baseline"), or a
/// comma-separated list of name=path. Each is loaded in its own load context so it can sit beside this one; Roslyn's
/// own assemblies come from the default context, so its generator speaks the same IIncrementalGenerator.
/// </summary>
internal static class BaselineGenerator
{
    public static string? Path => System.Environment.GetEnvironmentVariable("VAEGEN_BASELINE_GENERATOR") is { Length: > 0 } path ? path : null;

    /// <summary>The names of the builds VAEGEN_BASELINE_GENERATOR lists, in its order.</summary>
    public static IReadOnlyList<string> Names => Types.Value.Keys.ToList();

    private static readonly System.Lazy<Dictionary<string, System.Type>> Types = new(() =>
    {
        var types = new Dictionary<string, System.Type>();
        if (Path is null) return types;
        foreach (var entry in Path.Split(',', System.StringSplitOptions.RemoveEmptyEntries | System.StringSplitOptions.TrimEntries))
        {
            var separator = entry.IndexOf('=');
            var (name, file) = separator < 0 ? ("baseline", entry) : (entry[..separator], entry[(separator + 1)..]);
            if (name == "current" || types.ContainsKey(name))
                throw new System.ArgumentException($"VAEGEN_BASELINE_GENERATOR names the build '{name}' twice or calls it 'current': {Path}");
            var context = new System.Runtime.Loader.AssemblyLoadContext($"{name} VaeGen.Generators");
            var assembly = context.LoadFromAssemblyPath(System.IO.Path.GetFullPath(file));
            types[name] = assembly.GetType("VaeGen.Generators.VaeGenerator", throwOnError: true)!;
        }
        return types;
    });

    /// <summary>The file the named build was loaded from.</summary>
    public static string PathOf(string name) => Types.Value[name].Assembly.Location;

    /// <summary>A new generator of the named earlier build, or of this build for "current".</summary>
    public static IIncrementalGenerator Create(string name) =>
        name == "current" ? new VaeGenerator() : (IIncrementalGenerator)System.Activator.CreateInstance(Types.Value[name])!;
}
