using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace VaeGen.Generators.Benchmarks;

/// <summary>
/// This build and the builds VAEGEN_BASELINE_GENERATOR names, run in one process in alternating blocks. BenchmarkDotNet
/// runs each case in its own process, and on this machine two processes running the same code differ by up to half at
/// one model; alternating in one process puts every build under the same JIT state, heap and machine speed, so their
/// ratios are the figures to trust. The order of the builds rotates from block to block, and the heap is collected
/// before each block, so no build pays for the garbage another left. Prints, per model count, each build's median time
/// per run and its ratio to this build's.
/// </summary>
internal static class Alternating
{
    /// <summary>
    /// Cold runs (a new driver each run), or with <paramref name="edit"/> re-runs of one driver per build after an
    /// unrelated one-character edit, where the trivial [Vae] generator joins as the floor.
    /// </summary>
    public static void Run(int blocks, IReadOnlyList<int> modelCounts, bool edit)
    {
        var builds = BuildsToCompare();
        if (edit) builds.Add("trivial");
        System.Console.WriteLine($"{(edit ? "unrelated edits" : "cold runs")} alternating in blocks, one process; {string.Join(", ", BaselineGenerator.Names.Select(n => $"{n}: {BaselineGenerator.PathOf(n)}"))}; {blocks} counted blocks after {Warmup} warm-up blocks; {PgoState}");
        foreach (var models in modelCounts)
        {
            var benchmark = new GeneratorBenchmarks { Models = models };
            benchmark.CreateCompilation();
            var compilation = benchmark.Compilation;
            IIncrementalGenerator Generator(string build) => build == "trivial" ? new TrivialAttributeGenerator() : BaselineGenerator.Create(build);
            GeneratorDriver Fresh(string build) =>
                CSharpGeneratorDriver.Create([Generator(build).AsSourceGenerator()], parseOptions: GeneratorBenchmarks.ParseOptions).RunGenerators(compilation);
            // Edits re-run one driver per build; cold runs keep none, so no build's output stays reachable across blocks.
            var drivers = edit ? builds.ToDictionary(build => build, Fresh) : null;
            // About 0.3 s of work per block and build (zero models: the pipeline's own cost per run).
            var runs = System.Math.Max(1, (edit ? 3000 : 1500) / System.Math.Max(1, models));
            var times = TimeInBlocks(builds, blocks, runs, build =>
            {
                if (drivers is not null) drivers[build] = drivers[build].RunGenerators(benchmark.Next());
                else Fresh(build);
            });
            var current = Median(times["current"]);
            var line = new System.Text.StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{models,5} models:"));
            foreach (var build in builds)
            {
                var median = Median(times[build]);
                line.Append(string.Create(CultureInfo.InvariantCulture,
                    $" {build} {Format(median)} ({Format(times[build].Min())}-{Format(times[build].Max())})"));
                if (build is not ("current" or "trivial")) line.Append(string.Create(CultureInfo.InvariantCulture, $", current/{build} {current / median:F3}"));
                if (edit && build != "trivial") line.Append(string.Create(CultureInfo.InvariantCulture, $", {build}/trivial {median / Median(times["trivial"]):F3}"));
                line.Append(';');
            }
            System.Console.WriteLine(line.ToString().TrimEnd(';'));
        }
    }

    /// <summary>
    /// The emitter alone, one model: each build's spec is taken from its tracked "Specs" step, then its VaeEmitter is
    /// called in a loop (EmitSourceText where it exists, as the generator calls it; Emit at builds before it), alternating
    /// in blocks. Reflection reaches the internal emitter of both builds the same way.
    /// </summary>
    public static void RunEmit(int blocks)
    {
        var builds = BuildsToCompare();
        var benchmark = new GeneratorBenchmarks { Models = 1 };
        benchmark.CreateCompilation();
        var emitters = new Dictionary<string, System.Func<object>>();
        foreach (var build in builds)
        {
            var generator = BaselineGenerator.Create(build);
            var driver = CSharpGeneratorDriver.Create([generator.AsSourceGenerator()], parseOptions: GeneratorBenchmarks.ParseOptions,
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true)).RunGenerators(benchmark.Compilation);
            var spec = driver.GetRunResult().Results[0].TrackedSteps["Specs"][0].Outputs[0].Value;
            var emitter = spec.GetType().Assembly.GetType("VaeGen.Generators.Emitting.VaeEmitter", throwOnError: true)!;
            var method = emitter.GetMethod("EmitSourceText", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)
                ?? emitter.GetMethod("Emit", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)!;
            object[] arguments = method.GetParameters().Length == 2 ? [spec, "1.0"] : [spec];
            emitters[build] = () => method.Invoke(null, arguments)!;
            System.Console.WriteLine($"{build}: {method.Name}, {emitters[build]().ToString()!.Length:N0} characters; {PgoState}");
        }
        const int calls = 300;
        var times = TimeInBlocks(builds, blocks, calls, build => emitters[build]());
        var current = Median(times["current"]);
        System.Console.WriteLine("emit, one model: " + string.Join("; ", builds.Select(build => string.Create(CultureInfo.InvariantCulture,
            $"{build} {Format(Median(times[build]))}{(build == "current" ? "" : $", current/{build} {current / Median(times[build]):F3}")}"))));
    }

    private const int Warmup = 10;

    /// <summary>"current" and the builds VAEGEN_BASELINE_GENERATOR names; without any, says how to name them and exits.</summary>
    private static List<string> BuildsToCompare()
    {
        if (BaselineGenerator.Path is null)
        {
            System.Console.Error.WriteLine("Set VAEGEN_BASELINE_GENERATOR to another build of VaeGen.Generators.dll, or to name=path,name=path, to compare with.");
            System.Environment.Exit(2);
        }
        return GeneratorBenchmarks.Builds().ToList();
    }

    /// <summary>
    /// Per build, the milliseconds per repetition of <paramref name="work"/> in each counted block: blocks of
    /// <paramref name="repetitions"/> for every build in turn, the order rotating from block to block, the heap collected
    /// before each, the first <see cref="Warmup"/> blocks not counted.
    /// </summary>
    private static Dictionary<string, List<double>> TimeInBlocks(IReadOnlyList<string> builds, int blocks, int repetitions, System.Action<string> work)
    {
        var times = builds.ToDictionary(build => build, _ => new List<double>());
        for (var block = 0; block < Warmup + blocks; block++)
        {
            for (var turn = 0; turn < builds.Count; turn++)
            {
                var build = builds[(block + turn) % builds.Count];
                System.GC.Collect();
                System.GC.WaitForPendingFinalizers();
                System.GC.Collect();
                var clock = Stopwatch.StartNew();
                for (var repetition = 0; repetition < repetitions; repetition++) work(build);
                if (block >= Warmup) times[build].Add(clock.Elapsed.TotalMilliseconds / repetitions);
            }
        }
        return times;
    }

    /// <summary>
    /// Whether the JIT's dynamic profile-guided optimization was on. With it on, two loads of the same build in one
    /// process have emitted at 85 and 250 us per model: each assembly's hot methods are recompiled from its own profile,
    /// and the result differs from load to load by more than the builds differ. DOTNET_TieredPGO=0 takes that lottery out.
    /// </summary>
    private static string PgoState => System.Environment.GetEnvironmentVariable("DOTNET_TieredPGO") == "0"
        ? "dynamic PGO off (DOTNET_TieredPGO=0)"
        : "dynamic PGO on: ratios vary by load; set DOTNET_TieredPGO=0 to compare builds";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Format(double milliseconds) =>
        milliseconds < 1 ? string.Create(CultureInfo.InvariantCulture, $"{milliseconds * 1000:F0} us") : string.Create(CultureInfo.InvariantCulture, $"{milliseconds:F2} ms");
}
