using System;
using System.Diagnostics;
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
/// </summary>
internal static class Drift
{
    public static void Run(Tensor images, int epochs, bool fused)
    {
        manual_seed(1);
        using var model = new BenchmarkVae();
        var process = Process.GetCurrentProcess();
        var last = Sample.Take(process);
        Console.WriteLine($"drift: {epochs} epochs of the generated Fit, {(fused ? "fused" : "general")} Adam, seed 1");
        Console.WriteLine("epoch  train s  cpu s  gen0 gen1 gen2  alloc MB  heap MB  RSS MB  minor faults  load");
        var progress = new EpochReporter(metrics =>
        {
            var now = Sample.Take(process);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{metrics.Epoch,5}  {metrics.TrainSeconds,7:F3}  {now.Cpu - last.Cpu,5:F2}  {now.Gen0 - last.Gen0,4} {now.Gen1 - last.Gen1,4} {now.Gen2 - last.Gen2,4}  {(now.Allocated - last.Allocated) / 1e6,8:F1}  {now.Heap / 1e6,7:F1}  {now.Rss / 1e6,6:F0}  {now.MinorFaults - last.MinorFaults,12}  {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
            last = now;
        });
        model.Fit(images, new TrainingOptions { Epochs = epochs, BatchSize = 128, Seed = 1, DynamicBinarization = true, FusedAdam = fused, Progress = progress });
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
