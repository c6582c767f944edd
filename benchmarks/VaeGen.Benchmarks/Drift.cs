using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime;
using System.Threading;
using VaeGen.Maths;
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
/// With <c>alongside</c>, the host's speed is followed more closely: the same products for one step are also timed
/// after every training step (from Fit's per-step progress report), so the reference work runs beside the training
/// work in each stretch of the epoch, not only after it. Each epoch's own seconds (its training-step clock less the
/// time spent in those reports) over the reference's seconds in that epoch is then the step's cost in units of the
/// machine's speed of the moment; its deviation from the median, and its trend over the run, are printed at the end.
/// The table's training and CPU seconds then include the reference work.
/// </summary>
internal static class Drift
{
    public static void Run(Tensor images, int epochs, bool fused, bool alongside)
    {
        manual_seed(1);
        using var model = new BenchmarkVae();
        var process = Process.GetCurrentProcess();
        Console.WriteLine($"drift: {epochs} epochs of the generated Fit, {(fused ? "fused" : "general")} Adam, seed 1");
        Console.WriteLine("epoch  train s  cpu s  gen0 gen1 gen2  alloc MB  heap MB  RSS MB  minor faults  load  probe ms/step  train/probe");
        using var probe = new StepShare.ProductMix();
        probe.Time(ProbeSteps);
        using var beside = alongside ? new Alongside(probe) : null;
        // After the warm-up probe: epoch 1's CPU seconds are the epoch's alone.
        var last = Sample.Take(process);
        var train = new List<double>();
        var cpu = new List<double>();
        var probes = new List<double>();
        var progress = new ProgressReporter(metrics =>
        {
            var now = Sample.Take(process);
            var probeSeconds = probe.Time(ProbeSteps).Total.Wall;
            train.Add(metrics.TrainSeconds);
            cpu.Add(now.Cpu - last.Cpu);
            probes.Add(probeSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{metrics.Epoch,5}  {metrics.TrainSeconds,7:F3}  {now.Cpu - last.Cpu,5:F2}  {now.Gen0 - last.Gen0,4} {now.Gen1 - last.Gen1,4} {now.Gen2 - last.Gen2,4}  {(now.Allocated - last.Allocated) / 1e6,8:F1}  {now.Heap / 1e6,7:F1}  {now.Rss / 1e6,6:F0}  {now.MinorFaults - last.MinorFaults,12}  {File.ReadAllText("/proc/loadavg").Split(' ')[0]}  {probeSeconds / ProbeSteps * 1e3,13:F3}  {metrics.TrainSeconds / probeSeconds,11:F3}"));
            beside?.EndEpoch(metrics);
            last = Sample.Take(process);
            beside?.Resume();
        }, beside is null ? null : beside.Step);
        beside?.Resume();
        model.Fit(images, new TrainingOptions { Epochs = epochs, BatchSize = 128, Seed = 1, DynamicBinarization = true, FusedAdam = fused, Progress = progress });

        Spread("train s", train);
        Spread("cpu s", cpu);
        Spread("probe s", probes);
        Spread("train/probe", train.Zip(probes, (t, p) => t / p).ToList());
        if (beside is not null) Flatness(beside.Ratios);
    }

    /// <summary>
    /// The per-epoch own/reference ratios against the median of all epochs: for all epochs, and for the epochs from the
    /// second on (the first carries the process's one-time costs, such as the JIT), the range of deviations from that
    /// median and the largest, the coefficient of variation, and the least-squares trend in percent of the median per
    /// ten epochs; and the first epoch's deviation.
    /// </summary>
    private static void Flatness(List<double> ratios)
    {
        if (ratios.Count == 0) return;
        var median = StepShare.Median(ratios);
        string Of(int first)
        {
            var values = ratios.Skip(first - 1).ToList();
            if (values.Count < 2) return "too few epochs";
            var deviations = values.Select(r => (r / median - 1) * 100).ToList();
            var mean = values.Average();
            var xMean = (values.Count - 1) / 2.0;
            var slope = values.Select((r, i) => (i - xMean) * (r - mean)).Sum() / values.Select((_, i) => (i - xMean) * (i - xMean)).Sum();
            var worst = deviations.Select((d, i) => (Deviation: d, Epoch: first + i)).MaxBy(p => Math.Abs(p.Deviation));
            return string.Create(CultureInfo.InvariantCulture,
                $"from {deviations.Min():+0.0;-0.0;0.0}% to {deviations.Max():+0.0;-0.0;0.0}% (the largest, epoch {worst.Epoch}: {worst.Deviation:+0.0;-0.0;0.0}%), coefficient of variation {CoefficientOfVariation(values) * 100:F1}%, trend {slope * 10 / median * 100:+0.00;-0.00;0.00}% of the median per 10 epochs");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"own/reference: median of all epochs {median:F4}; the first epoch {(ratios[0] / median - 1) * 100:+0.0;-0.0;0.0}%; all epochs {Of(1)}; from epoch 2 {Of(2)}"));
    }

    private const int ProbeSteps = 100;

    /// <summary>The sample standard deviation over the mean (0 for a single value).</summary>
    private static double CoefficientOfVariation(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(x => (x - mean) * (x - mean)) / Math.Max(1, values.Count - 1)) / mean;
    }

    /// <summary>Prints the range and the coefficient of variation of a per-epoch figure, all epochs and from the third on.</summary>
    private static void Spread(string name, List<double> values)
    {
        static string Of(IReadOnlyList<double> v) => v.Count == 0
            ? "none"
            : string.Create(CultureInfo.InvariantCulture, $"{v.Min():F3}-{v.Max():F3} (max/min {v.Max() / v.Min():F3}, coefficient of variation {CoefficientOfVariation(v) * 100:F1}%)");
        Console.WriteLine($"{name}: all epochs {Of(values)}; from epoch 3 {Of(values.Skip(2).ToList())}");
    }

    /// <summary>
    /// The reference work timed after every training step, and each epoch's own seconds over the reference's. When
    /// <see cref="SecondThread.Worthwhile()"/> (libtorch on more than one thread, more than one core), the case in
    /// which the compiled step splits its batch between the calling thread and the second one, libtorch on one thread
    /// each, the reference does the same: a product mix on each of the two threads at once, so that it feels both
    /// cores.
    /// </summary>
    private sealed class Alongside : IDisposable
    {
        private const int BlockSteps = 50;
        private const int BlockEpochs = 2;

        private readonly StepShare.ProductMix reference;
        private readonly StepShare.ProductMix? secondReference;
        private readonly int caller = Environment.CurrentManagedThreadId;
        private readonly Stopwatch sinceReport = new();
        private readonly List<(double Own, double Reference)> blocks = new();
        private double reportSeconds, referenceSeconds, blockOwn, blockReference, jitAtStart;
        private int threadsRun;

        public Alongside(StepShare.ProductMix reference)
        {
            this.reference = reference;
            if (SecondThread.Worthwhile()) secondReference = new StepShare.ProductMix();
            Console.WriteLine(secondReference is not null
                ? "alongside: after every step, the products of one step on each of the two threads at once (libtorch on one thread each)"
                : "alongside: after every step, the products of one step on this thread");
        }

        /// <summary>Each finished epoch's own seconds over its reference seconds.</summary>
        public List<double> Ratios { get; } = new();

        /// <summary>
        /// Restarts the clock of the training work and the JIT count, as the run hands over to Fit (before it, and at
        /// the end of each epoch's report).
        /// </summary>
        public void Resume()
        {
            jitAtStart = JitInfo.GetCompilationTime(currentThread: true).TotalSeconds;
            sinceReport.Restart();
        }

        /// <summary>Fit's report after a step: times the reference, and keeps the step's own time for the blocks.</summary>
        public void Step(int step)
        {
            var stepSeconds = sinceReport.Elapsed.TotalSeconds;
            var clock = Stopwatch.StartNew();
            var seconds = TimeReference();
            referenceSeconds += seconds;
            if (Ratios.Count < BlockEpochs)
            {
                blockOwn += stepSeconds;
                blockReference += seconds;
                if (step % BlockSteps == 0) CloseBlock();
            }
            reportSeconds += clock.Elapsed.TotalSeconds;
            sinceReport.Restart();
        }

        /// <summary>
        /// Fit's report of a finished epoch: its own seconds are its training-step clock less the time spent in the
        /// per-step reports. Prints them beside the reference's and the JIT compilation time on this thread during the
        /// epoch (its per-step reports included, and for the first epoch Fit's setup); for the first epochs also the
        /// blocks, which show where in the epoch a difference lies. A block's own time is the wall time between
        /// reports, except the first block's: the epoch's own time less the other blocks', so that, like the epoch's,
        /// it leaves out what Fit does outside its training-step clock (the setup, the start of an epoch).
        /// </summary>
        public void EndEpoch(EpochMetrics metrics)
        {
            var own = metrics.TrainSeconds - reportSeconds;
            Ratios.Add(own / referenceSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"      epoch {metrics.Epoch}: own {own:F3} s (the step clock less {reportSeconds:F3} s in the per-step reports), reference {referenceSeconds:F3} s, own/reference {Ratios[^1]:F4}; JIT on this thread {(JitInfo.GetCompilationTime(currentThread: true).TotalSeconds - jitAtStart) * 1e3:F0} ms"));
            reportSeconds = referenceSeconds = 0;
            if (Ratios.Count > BlockEpochs) return;
            if (blockReference > 0) CloseBlock();
            if (blocks.Count > 0) blocks[0] = (own - blocks.Skip(1).Sum(b => b.Own), blocks[0].Reference);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"      epoch {metrics.Epoch}, own/reference by blocks of {BlockSteps} steps: {string.Join(" ", blocks.Select(b => (b.Own / b.Reference).ToString("F3", CultureInfo.InvariantCulture)))}"));
            blocks.Clear();
        }

        private void CloseBlock()
        {
            blocks.Add((blockOwn, blockReference));
            blockOwn = blockReference = 0;
        }

        private double TimeReference()
        {
            if (secondReference is null) return reference.Time(1).Total.Wall;
            var clock = Stopwatch.StartNew();
            threadsRun = 0;
            SecondThread.Shared.Run(() =>
            {
                Interlocked.Increment(ref threadsRun);
                if (Environment.CurrentManagedThreadId == caller)
                {
                    reference.Time(1);
                    return;
                }
                if (get_num_threads() != 1) set_num_threads(1);
                secondReference.Time(1);
            });
            var seconds = clock.Elapsed.TotalSeconds;
            if (threadsRun != 2) throw new InvalidOperationException($"The reference ran on {threadsRun} thread(s), not both: the second thread was busy.");
            return seconds;
        }

        public void Dispose() => secondReference?.Dispose();
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
