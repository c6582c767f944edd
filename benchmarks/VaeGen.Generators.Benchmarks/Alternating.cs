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

    private const int Warmup = 10;

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Format(double milliseconds) =>
        milliseconds < 1 ? string.Create(CultureInfo.InvariantCulture, $"{milliseconds * 1000:F0} us") : string.Create(CultureInfo.InvariantCulture, $"{milliseconds:F2} ms");
}
