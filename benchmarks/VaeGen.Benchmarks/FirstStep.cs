using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime;
using VaeGen.Training;
using static TorchSharp.torch;

namespace VaeGen.Benchmarks;

/// <summary>
/// The first training step and epoch of a fresh process against the later ones: what a user's first epoch pays once
/// (the JIT, first touches of memory) beyond the steady state. Each round starts this program again as a new process,
/// which loads the data, builds the model and runs three epochs of the generated Fit, noting the time of every step's
/// progress report in the first; it prints, in milliseconds but for the ratio: Fit's setup (from the call to the start
/// of the epoch's clock, the first epoch's end less its training seconds), the first step, the median of steps 101 on,
/// the excess of the first 50 steps over 50 medians, the first epoch's training time over the mean of the next two (in
/// percent), the time from the call of Fit to the end of the first step, the JIT time on the training thread from the
/// call of Fit to the end of the first step, the JIT time on all threads from the end of the first step to the end of
/// the first epoch's last (<see cref="JitInfo"/>: the runtime's recompilation of the methods the steps call often, on
/// its background thread, which competes with a step on two threads for the cores), and the JIT time on all threads per
/// later epoch (from the first epoch's end to the third's, halved). The parent prints each round and the medians.
/// </summary>
internal static class FirstStep
{
    /// <summary>The word that makes the program one round's process rather than the parent.</summary>
    public const string ProcessWord = "firststep-process";

    public static void Run(int rounds, int threads)
    {
        if (rounds < 1) throw new ArgumentOutOfRangeException(nameof(rounds), rounds, "firststep needs at least one round.");
        var program = Environment.ProcessPath ?? throw new InvalidOperationException("The path of the running program is unknown.");
        var assembly = typeof(FirstStep).Assembly.Location;
        Console.WriteLine($"firststep: {rounds} fresh processes, each three epochs of the generated Fit (784-400-20, batch 128, binarization), {threads} threads; times in ms");
        Console.WriteLine(" round   setup  first step  median step  first 50 excess  epoch 1 vs 2-3  Fit to first step end  JIT to first step end  JIT in epoch 1 after it  JIT per later epoch");
        var rows = new List<double[]>();
        for (var round = 1; round <= rounds; round++)
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false };
            // Under `dotnet VaeGen.Benchmarks.dll`, the process is dotnet and the assembly its first argument.
            if (!string.Equals(System.IO.Path.GetFileNameWithoutExtension(program), System.IO.Path.GetFileNameWithoutExtension(assembly), StringComparison.Ordinal))
                start.ArgumentList.Add(assembly);
            // The arguments every mode takes, [rounds] [threads]: this process runs one round.
            start.ArgumentList.Add(ProcessWord);
            start.ArgumentList.Add("1");
            start.ArgumentList.Add(threads.ToString(CultureInfo.InvariantCulture));
            using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
            var output = child.StandardOutput.ReadToEnd();
            child.WaitForExit();
            var line = output.Split('\n').LastOrDefault(l => l.StartsWith("firststep ", StringComparison.Ordinal));
            if (child.ExitCode != 0 || line is null)
                throw new InvalidOperationException($"Round {round}'s process exited with {child.ExitCode} and printed:\n{output}");
            var values = line["firststep ".Length..].Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            rows.Add(values);
            Console.WriteLine(Row(round.ToString(CultureInfo.InvariantCulture), values));
        }
        Console.WriteLine(Row("median", Enumerable.Range(0, rows[0].Length).Select(i => StepShare.Median(rows.Select(r => r[i]).ToList())).ToArray()));
    }

    private static string Row(string label, double[] v) => string.Create(CultureInfo.InvariantCulture,
        $"{label,6}  {v[0],6:F0}  {v[1],10:F1}  {v[2],11:F2}  {v[3],15:F0}  {v[4],13:+0.0;-0.0}%  {v[5],21:F0}  {v[6],21:F0}  {v[7],23:F0}  {v[8],19:F0}");

    /// <summary>One round, in its own process: three epochs, then a line of figures for the parent.</summary>
    public static void RunOnce(Tensor images)
    {
        manual_seed(1);
        using var model = new BenchmarkVae();
        var clock = new Stopwatch();
        var stamps = new List<double>(); // the first epoch's steps
        var epochSeconds = new List<double>();
        var jitAllThreadsAtEpochEnds = new List<TimeSpan>();
        var jitAtFitStart = TimeSpan.Zero;
        var jitToFirstStep = TimeSpan.Zero;
        var jitAllThreadsAtFirstStep = TimeSpan.Zero;
        var jitAllThreadsAtLastStep = TimeSpan.Zero;
        double setup = double.NaN;
        var progress = new ProgressReporter(
            metrics =>
            {
                if (epochSeconds.Count == 0) setup = clock.Elapsed.TotalMilliseconds - metrics.TrainSeconds * 1e3;
                epochSeconds.Add(metrics.TrainSeconds);
                jitAllThreadsAtEpochEnds.Add(JitInfo.GetCompilationTime(currentThread: false));
            },
            _ =>
            {
                if (epochSeconds.Count > 0) return;
                stamps.Add(clock.Elapsed.TotalMilliseconds);
                jitAllThreadsAtLastStep = JitInfo.GetCompilationTime(currentThread: false);
                if (stamps.Count > 1) return;
                jitToFirstStep = JitInfo.GetCompilationTime(currentThread: true) - jitAtFitStart;
                jitAllThreadsAtFirstStep = jitAllThreadsAtLastStep;
            });
        jitAtFitStart = JitInfo.GetCompilationTime(currentThread: true);
        clock.Start();
        model.Fit(images, new TrainingOptions { Epochs = 3, BatchSize = 128, Seed = 1, DynamicBinarization = true, Progress = progress });
        var jitInEpoch = jitAllThreadsAtLastStep - jitAllThreadsAtFirstStep;
        if (stamps.Count < 150) throw new InvalidOperationException($"firststep needs an epoch of 150 steps or more; it had {stamps.Count}.");
        if (epochSeconds.Count != 3) throw new InvalidOperationException($"firststep needs the three epochs it asked for; Fit ran {epochSeconds.Count}.");
        var steps = stamps.Select((t, i) => t - (i == 0 ? setup : stamps[i - 1])).ToArray();
        var median = StepShare.Median(steps.Skip(100).ToList());
        double[] figures =
        [
            setup, steps[0], median, steps.Take(50).Sum() - 50 * median,
            100 * (epochSeconds[0] / ((epochSeconds[1] + epochSeconds[2]) / 2) - 1),
            stamps[0], jitToFirstStep.TotalMilliseconds, jitInEpoch.TotalMilliseconds,
            (jitAllThreadsAtEpochEnds[2] - jitAllThreadsAtEpochEnds[0]).TotalMilliseconds / 2,
        ];
        Console.WriteLine("firststep " + string.Join(' ', figures.Select(f => f.ToString("R", CultureInfo.InvariantCulture))));
    }
}
