using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace VaeGen.Generators.Benchmarks;

/// <summary>
/// Cold runs of this build and of the baseline build (VAEGEN_BASELINE_GENERATOR) in one process, alternating in
/// blocks. BenchmarkDotNet runs each case in its own process, and on this machine two processes running the same code
/// differ by up to half at one model; alternating in one process puts both builds under the same JIT state, heap and
/// machine speed, so their ratio is the figure to trust. Prints, per model count, the median time per cold run of each
/// build and their ratio.
/// </summary>
internal static class Alternating
{
    public static void Run(int blocks, IReadOnlyList<int> modelCounts)
    {
        if (BaselineGenerator.Path is null)
        {
            System.Console.Error.WriteLine("Set VAEGEN_BASELINE_GENERATOR to another build of VaeGen.Generators.dll to compare with.");
            System.Environment.Exit(2);
        }
        System.Console.WriteLine($"cold runs alternating in blocks, one process; baseline {BaselineGenerator.Path}; {blocks} counted blocks after {Warmup} warm-up blocks");
        foreach (var models in modelCounts)
        {
            var benchmark = new GeneratorBenchmarks { Models = models };
            benchmark.Setup();
            var compilation = benchmark.Compilation;
            // About 0.3 s of work per block and build.
            var runs = System.Math.Max(1, 1500 / models);
            var times = new Dictionary<string, List<double>> { ["current"] = [], ["baseline"] = [] };
            for (var block = 0; block < Warmup + blocks; block++)
            {
                foreach (var build in block % 2 == 0 ? new[] { "current", "baseline" } : ["baseline", "current"])
                {
                    var clock = Stopwatch.StartNew();
                    for (var run = 0; run < runs; run++)
                    {
                        IIncrementalGenerator generator = build == "baseline" ? BaselineGenerator.Create() : new VaeGenerator();
                        CSharpGeneratorDriver.Create([generator.AsSourceGenerator()], parseOptions: GeneratorBenchmarks.ParseOptions).RunGenerators(compilation);
                    }
                    if (block >= Warmup) times[build].Add(clock.Elapsed.TotalMilliseconds / runs);
                }
            }
            double current = Median(times["current"]), baseline = Median(times["baseline"]);
            System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{models,5} models: cold run {Format(current)} current, {Format(baseline)} baseline; ratio {current / baseline:F3} (blocks: current {Format(times["current"].Min())}-{Format(times["current"].Max())}, baseline {Format(times["baseline"].Min())}-{Format(times["baseline"].Max())})"));
        }
    }

    /// <summary>
    /// The emitter alone, one model: each build's spec is taken from its tracked "Specs" step, then its VaeEmitter is
    /// called in a loop (EmitSourceText where it exists, as the generator calls it; Emit at builds before it), alternating
    /// in blocks. Reflection reaches the internal emitter of both builds the same way.
    /// </summary>
    public static void RunEmit(int blocks)
    {
        if (BaselineGenerator.Path is null)
        {
            System.Console.Error.WriteLine("Set VAEGEN_BASELINE_GENERATOR to another build of VaeGen.Generators.dll to compare with.");
            System.Environment.Exit(2);
        }
        var benchmark = new GeneratorBenchmarks { Models = 1 };
        benchmark.Setup();
        var emitters = new Dictionary<string, System.Func<object>>();
        foreach (var build in new[] { "current", "baseline" })
        {
            IIncrementalGenerator generator = build == "baseline" ? BaselineGenerator.Create() : new VaeGenerator();
            var driver = CSharpGeneratorDriver.Create([generator.AsSourceGenerator()], parseOptions: GeneratorBenchmarks.ParseOptions,
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true)).RunGenerators(benchmark.Compilation);
            var spec = driver.GetRunResult().Results[0].TrackedSteps["Specs"][0].Outputs[0].Value;
            var emitter = spec.GetType().Assembly.GetType("VaeGen.Generators.Emitting.VaeEmitter", throwOnError: true)!;
            var method = emitter.GetMethod("EmitSourceText", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)
                ?? emitter.GetMethod("Emit", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)!;
            object[] arguments = method.GetParameters().Length == 2 ? [spec, "1.0"] : [spec];
            emitters[build] = () => method.Invoke(null, arguments)!;
            System.Console.WriteLine($"{build}: {method.Name}, {emitters[build]().ToString()!.Length:N0} characters");
        }
        const int calls = 300;
        var times = new Dictionary<string, List<double>> { ["current"] = [], ["baseline"] = [] };
        for (var block = 0; block < Warmup + blocks; block++)
        {
            foreach (var build in block % 2 == 0 ? new[] { "current", "baseline" } : ["baseline", "current"])
            {
                var clock = Stopwatch.StartNew();
                for (var call = 0; call < calls; call++) emitters[build]();
                if (block >= Warmup) times[build].Add(clock.Elapsed.TotalMilliseconds / calls);
            }
        }
        double current = Median(times["current"]), baseline = Median(times["baseline"]);
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"emit, one model: {Format(current)} current, {Format(baseline)} baseline; ratio {current / baseline:F3}"));
    }

    private const int Warmup = 10;

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Format(double milliseconds) =>
        milliseconds < 1 ? string.Create(CultureInfo.InvariantCulture, $"{milliseconds * 1000:F0} us") : string.Create(CultureInfo.InvariantCulture, $"{milliseconds:F2} ms");
}
