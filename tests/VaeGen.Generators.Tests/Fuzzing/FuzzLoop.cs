using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using CsCheck;
using Xunit;
using Xunit.Abstractions;
using VaeGen.Generators.Tests.Infrastructure;

namespace VaeGen.Generators.Tests.Fuzzing;

/// <summary>Runs a fuzz property over many cases, each from its own seed, and reports what ran.</summary>
internal static class FuzzLoop
{
    /// <summary>The environment variable that fixes the master seed, to reproduce a run or to replay <see cref="FixedSeed"/>.</summary>
    public const string SeedVariable = "VAEGEN_FUZZ_SEED";

    /// <summary>The master seed CI used before it drew a new one per run; its cases are known to pass, a baseline to return to.</summary>
    public const string FixedSeed = "VaeGenFuzz01";

    /// <summary>
    /// The master seed every case seed of this test run derives from: <see cref="SeedVariable"/> when set, else a fresh CsCheck seed
    /// per run, so each CI run explores new cases. Shared by the fuzz tests of one run, so one value reproduces all of them.
    /// </summary>
    public static readonly string MasterSeed = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } overridden ? overridden : NewSeed();

    private static readonly string SeedOrigin = MasterSeed == Environment.GetEnvironmentVariable(SeedVariable) ? "from " + SeedVariable : "drawn for this run";

    /// <summary>What a log line or failure says to run this run's cases again.</summary>
    public static string Reproduce => $"set {SeedVariable}={MasterSeed} to reproduce (e.g. {SeedVariable}={MasterSeed} dotnet test tests/VaeGen.Generators.Tests -c Release --filter FullyQualifiedName~Fuzz)";

    private static string NewSeed() => new PCG((uint)Random.Shared.Next(), (ulong)Random.Shared.NextInt64()).ToString();

    /// <summary>
    /// Checks <paramref name="cases"/> declarations from <paramref name="gen"/> with <see cref="FuzzRunner.Check"/>, writes the
    /// counts to <paramref name="output"/>, and fails listing the first few broken cases with their seeds and sources.
    /// </summary>
    public static FuzzStats Run(Gen<Declaration> gen, int cases, bool validOnly, ITestOutputHelper output)
    {
        var stats = new FuzzStats();
        Run(gen, cases, declaration => FuzzRunner.Check(declaration, stats, validOnly), stats, output);
        Assert.Equal(cases, stats.Cases);
        return stats;
    }

    /// <summary>
    /// Checks <paramref name="cases"/> declarations from <paramref name="gen"/> with <paramref name="check"/>, which throws
    /// <see cref="FuzzFailure"/> for a broken property, writes <paramref name="stats"/> to <paramref name="output"/>, and fails
    /// listing the first few broken cases with their seeds and sources.
    /// </summary>
    public static void Run(Gen<Declaration> gen, int cases, Action<Declaration> check, object stats, ITestOutputHelper output)
    {
        var masterSeed = MasterSeed;
        output.WriteLine($"{CiLog.Marker}Master seed {masterSeed} ({SeedOrigin}): {Reproduce}.");
        var caseSeeds = CaseSeeds(masterSeed, cases);

        var failures = new List<string>();
        var failed = 0;
        var watch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        foreach (var caseSeed in caseSeeds)
        {
            try
            {
                // iter: 1 with a seed runs exactly the seeded case (CsCheck would draw further iterations at random).
                gen.Sample(check, seed: caseSeed, iter: 1, threads: 1, print: _ => string.Empty);
            }
            catch (CsCheckException e)
            {
                failed++;
                if (failures.Count < 5) failures.Add($"Case {caseSeed}: {e.InnerException?.Message ?? e.Message}");
            }
        }
        watch.Stop();
        // The whole process's processor time: other tests running beside this one count too, so it is an upper bound.
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        output.WriteLine($"{CiLog.Marker}Master seed {masterSeed}: {caseSeeds.Count} cases ran in {watch.Elapsed.TotalSeconds:F1} s ({cpu.TotalSeconds:F1} s of processor time), {failed} broke a property.");
        output.WriteLine(CiLog.Marker + stats);
        Assert.True(failed == 0, $"{failed} of {caseSeeds.Count} cases broke a property (master seed {masterSeed}; {Reproduce}); the first {failures.Count}:\n\n" + string.Join("\n\n", failures));
    }

    /// <summary>The case seeds: one draw each from a CsCheck PCG seeded with the master seed.</summary>
    private static List<string> CaseSeeds(string masterSeed, int cases)
    {
        var master = PCG.Parse(masterSeed);
        return Enumerable.Range(0, cases).Select(_ => new PCG(master.Stream, master.Next64()).ToString()).ToList();
    }
}
