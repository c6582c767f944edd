using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Globalization;
using System.IO;
using VaeGen.Training;
using static TorchSharp.torch;

namespace VaeGen.Benchmarks;

/// <summary>
/// Epoch time over a long run of the generated Fit, with what could make it drift, per epoch: the training-step
/// seconds and the process's CPU seconds (on a shared machine, wall time rises when others run, CPU time does not),
/// garbage collections, managed bytes allocated and held, the resident set, and minor page faults (fresh pages the
/// allocator had to map: large tensors that malloc returns to the system and maps again).
/// After each epoch a probe times the step's 14 matrix products for 100 steps on preallocated buffers: work that
/// cannot drift, so its scatter is the machine's. The epoch's time over the probe's, per epoch, is the step's own
/// flatness; the spreads of all three are printed at the end.
/// </summary>
internal static class Drift
{
    public static void Run(Tensor images, int epochs, bool fused)
    {
        manual_seed(1);
        using var model = new BenchmarkVae();
        var process = Process.GetCurrentProcess();
        Console.WriteLine($"drift: {epochs} epochs of the generated Fit, {(fused ? "fused" : "general")} Adam, seed 1");
        Console.WriteLine("epoch  train s  cpu s  gen0 gen1 gen2  alloc MB  heap MB  RSS MB  minor faults  load  probe ms/step  train/probe");
        using var probe = new StepShare.ProductMix();
        probe.Time(ProbeSteps);
        // After the warm-up probe: epoch 1's CPU seconds are the epoch's alone.
        var last = Sample.Take(process);
        var train = new List<double>();
        var cpu = new List<double>();
        var probes = new List<double>();
        var progress = new EpochReporter(metrics =>
        {
            var now = Sample.Take(process);
            var probeSeconds = probe.Time(ProbeSteps).Total.Wall;
            train.Add(metrics.TrainSeconds);
            cpu.Add(now.Cpu - last.Cpu);
            probes.Add(probeSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{metrics.Epoch,5}  {metrics.TrainSeconds,7:F3}  {now.Cpu - last.Cpu,5:F2}  {now.Gen0 - last.Gen0,4} {now.Gen1 - last.Gen1,4} {now.Gen2 - last.Gen2,4}  {(now.Allocated - last.Allocated) / 1e6,8:F1}  {now.Heap / 1e6,7:F1}  {now.Rss / 1e6,6:F0}  {now.MinorFaults - last.MinorFaults,12}  {File.ReadAllText("/proc/loadavg").Split(' ')[0]}  {probeSeconds / ProbeSteps * 1e3,13:F3}  {metrics.TrainSeconds / probeSeconds,11:F3}"));
            last = Sample.Take(process);
        });
        model.Fit(images, new TrainingOptions { Epochs = epochs, BatchSize = 128, Seed = 1, DynamicBinarization = true, FusedAdam = fused, Progress = progress });

        Spread("train s", train);
        Spread("cpu s", cpu);
        Spread("probe s", probes);
        Spread("train/probe", train.Zip(probes, (t, p) => t / p).ToList());
    }

    private const int ProbeSteps = 100;

    /// <summary>Prints the range and the coefficient of variation of a per-epoch figure, all epochs and from the third on.</summary>
    private static void Spread(string name, List<double> values)
    {
        static string Of(IReadOnlyList<double> v)
        {
            if (v.Count == 0) return "none";
            var mean = v.Average();
            var sd = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / Math.Max(1, v.Count - 1));
            return string.Create(CultureInfo.InvariantCulture, $"{v.Min():F3}-{v.Max():F3} (max/min {v.Max() / v.Min():F3}, coefficient of variation {sd / mean * 100:F1}%)");
        }
        Console.WriteLine($"{name}: all epochs {Of(values)}; from epoch 3 {Of(values.Skip(2).ToList())}");
    }

    private sealed class EpochReporter(Action<EpochMetrics> onEpoch) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.CompletedEpoch is { } metrics) onEpoch(metrics);
        }
    }

    private readonly record struct Sample(double Cpu, int Gen0, int Gen1, int Gen2, long Allocated, long Heap, long Rss, long MinorFaults)
    {
        public static Sample Take(Process process)
        {
            process.Refresh();
            // /proc/self/stat: the 10th field is minflt; the command name (2nd) is parenthesised and may hold spaces.
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return new Sample(
                process.TotalProcessorTime.TotalSeconds,
                GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
                GC.GetTotalAllocatedBytes(), GC.GetTotalMemory(false), process.WorkingSet64,
                long.Parse(fields[7], CultureInfo.InvariantCulture));
        }
    }
}
