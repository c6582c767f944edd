using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using CsCheck;
using Xunit;
using Xunit.Abstractions;

namespace VaeGen.Generators.Tests.Fuzzing;

/// <summary>Runs a fuzz property over many cases, each from its own seed, and reports what ran.</summary>
internal static class FuzzLoop
{
    /// <summary>The master seed every case seed derives from: a fixed CsCheck seed, so CI runs the same cases every time.</summary>
    public const string Seed = "VaeGenFuzz01";

    /// <summary>
    /// Checks <paramref name="cases"/> declarations from <paramref name="gen"/> with <see cref="FuzzRunner.Check"/>, writes the
    /// counts to <paramref name="output"/>, and fails listing the first few broken cases with their seeds and sources.
    /// </summary>
    public static FuzzStats Run(Gen<Declaration> gen, int cases, bool validOnly, ITestOutputHelper output)
    {
        var masterSeed = Environment.GetEnvironmentVariable("VAEGEN_FUZZ_SEED") is { Length: > 0 } overridden ? overridden : Seed;
        var caseSeeds = CaseSeeds(masterSeed, cases);

        var stats = new FuzzStats();
        var failures = new List<string>();
        var failed = 0;
        var watch = Stopwatch.StartNew();
        foreach (var caseSeed in caseSeeds)
        {
            try
            {
                // iter: 1 with a seed runs exactly the seeded case (CsCheck would draw further iterations at random).
                gen.Sample(declaration => FuzzRunner.Check(declaration, stats, validOnly), seed: caseSeed, iter: 1, threads: 1, print: _ => string.Empty);
            }
            catch (CsCheckException e)
            {
                failed++;
                if (failures.Count < 5) failures.Add($"Case {caseSeed}: {e.InnerException?.Message ?? e.Message}");
            }
        }
        watch.Stop();

        output.WriteLine($"Master seed {masterSeed}: {caseSeeds.Count} cases ran in {watch.Elapsed.TotalSeconds:F1} s, {failed} broke a property.");
        output.WriteLine(stats.ToString());
        Assert.True(failed == 0, $"{failed} of {caseSeeds.Count} cases broke a property (master seed {masterSeed}); the first {failures.Count}:\n\n" + string.Join("\n\n", failures));
        Assert.Equal(cases, stats.Cases);
        return stats;
    }

    /// <summary>The case seeds: one draw each from a CsCheck PCG seeded with the master seed.</summary>
    private static List<string> CaseSeeds(string masterSeed, int cases)
    {
        var master = PCG.Parse(masterSeed);
        return Enumerable.Range(0, cases).Select(_ => new PCG(master.Stream, master.Next64()).ToString()).ToList();
    }
}
