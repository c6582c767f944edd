using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using TorchSharp;
using VaeGen.Training;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;
using static TorchSharp.torch;

namespace VaeGen.Tests.Training;

/// <summary>
/// A real crash test: a child process training with a checkpoint after every epoch is killed with SIGKILL at random
/// moments, many times, a third of them as soon as a checkpoint write is seen to start and a third a random instant
/// after. After every kill the checkpoint must either not exist yet or load, and match the uninterrupted run at its
/// epoch bit for bit; each next child resumes from it, and the last one runs to the end and must finish exactly where
/// the uninterrupted run does.
/// </summary>
public sealed class CrashTests(CrashTests.ConsoleLine console) : IClassFixture<CrashTests.ConsoleLine>, IDisposable
{
    private const int Kills = 40;

    private readonly TempDirectory temporary = new("crash");

    public void Dispose() => temporary.Dispose();

    [Fact]
    public void Checkpoints_survive_SIGKILL_at_random_moments_and_resume_bit_exactly()
    {
        var clock = Stopwatch.StartNew();
        var seed = Environment.GetEnvironmentVariable("VAEGEN_CRASH_SEED") is { } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        var random = new Random(seed);
        var directory = Path.Combine(temporary.Path, "checkpoint");
        var path = Checkpoint.PathIn(directory);
        var threads = get_num_threads();
        using var data = CrashTrainer.Data();

        var checkpoints = new List<Snapshot>();
        int duringWrite = 0, beforeFirst = 0, continued = 0;
        for (var kill = 1; kill <= Kills; kill++)
        {
            var startedFrom = checkpoints.Count > 0 ? checkpoints[^1].Epoch : 0;
            var leftBefore = Stamp(path + ".tmp");
            var moment = kill % 3;
            using (var child = new Child(directory, epochs: 1_000_000, threads))
            {
                child.WaitUntilReady();
                switch (moment)
                {
                    case 0:
                        Thread.Sleep(random.Next(0, 300));
                        break;
                    case 1:
                        child.WaitForWriteToStart(path + ".tmp");
                        break;
                    default:
                        if (child.WaitForWriteToStart(path + ".tmp")) Spin(TimeSpan.FromTicks(random.Next(0, 15_000)));
                        break;
                }
                child.Kill($"kill {kill} (seed {seed})");
            }

            // A temporary file this child wrote and left behind: the kill landed between its creation and the rename.
            if (Stamp(path + ".tmp") is { } left && left != leftBefore) duringWrite++;
            if (!File.Exists(path))
            {
                Assert.True(startedFrom == 0, $"kill {kill} (seed {seed}): the checkpoint after epoch {startedFrom} disappeared");
                beforeFirst++;
                continue;
            }

            var snapshot = Snapshot.Load(data, directory, $"after kill {kill} (seed {seed})");
            Assert.True(snapshot.Epoch >= startedFrom, $"kill {kill} (seed {seed}): the checkpoint went back from epoch {startedFrom} to {snapshot.Epoch}");
            if (startedFrom > 0 && snapshot.Epoch > startedFrom) continued++;
            checkpoints.Add(snapshot);
        }

        // The last child runs to the end: a few epochs past the last surviving checkpoint.
        var resumedFrom = checkpoints.Count > 0 ? checkpoints[^1].Epoch : 0;
        var total = resumedFrom + 5;
        using (var child = new Child(directory, total, threads)) child.WaitForExit($"the final run (seed {seed})");
        var final = Snapshot.Load(data, directory, $"after the final run (seed {seed})");
        Assert.Equal(total, final.Epoch);

        // The uninterrupted run, in this process, with the same threads; every checkpoint must match it at its epoch.
        var reference = Snapshot.Reference(data, total, checkpoints.Select(c => c.Epoch).Append(total).ToHashSet());
        foreach (var checkpoint in checkpoints.Append(final)) checkpoint.AssertSameAs(reference[checkpoint.Epoch], seed);

        var line = string.Create(CultureInfo.InvariantCulture,
            $"Crash test: {Kills} SIGKILLs of a training process in {clock.Elapsed.TotalSeconds:F0} s (seed {seed}); {duringWrite} during a checkpoint write (a .tmp left behind), {beforeFirst} before the first checkpoint; {checkpoints.Count} surviving checkpoints (epochs {checkpoints.FirstOrDefault()?.Epoch ?? 0} to {resumedFrom}) all loaded and matched the uninterrupted run bit for bit; {continued} resumed runs continued bit-exactly before their kill, and the final run resumed after epoch {resumedFrom} and ended bit-exactly at epoch {total}.");
        console.Write(line);
        // The run must really have been interrupted mid-write at least once, or the test proved little.
        Assert.True(duringWrite > 0, line);
        Assert.True(checkpoints.Count >= Kills / 2, line);
    }

    /// <summary>When and how much a file was written, or null when there is none: tells a new temporary file from a stale one.</summary>
    private static (DateTime Written, long Length)? Stamp(string file)
    {
        var info = new FileInfo(file);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : null;
    }

    private static void Spin(TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration) Thread.SpinWait(20);
    }

    /// <summary>The parameters and loss figures of a run after some epoch.</summary>
    private sealed record Snapshot(int Epoch, IReadOnlyList<(string Name, byte[] Bits)> Parameters, IReadOnlyList<double[]> Figures)
    {
        /// <summary>Reads the checkpoint into a model initialized differently, as a new process would.</summary>
        public static Snapshot Load(Tensor data, string directory, string when)
        {
            using var model = CrashTrainer.NewModel(initSeed: 99);
            TrainingHistory history;
            try
            {
                // Resume with one epoch asked for: the checkpoint holds at least one, so nothing trains or is written.
                history = model.Fit(data, CrashTrainer.Options(directory, epochs: 1));
            }
            catch (Exception exception)
            {
                throw new Xunit.Sdk.XunitException($"The checkpoint {when} does not load: {exception}");
            }
            Assert.Equal(history.ResumedAfterEpoch, history.Epochs.Count);
            return Of(model, history.Epochs);
        }

        /// <summary>The uninterrupted run to <paramref name="epochs"/>, kept at the epochs asked for.</summary>
        public static Dictionary<int, Snapshot> Reference(Tensor data, int epochs, HashSet<int> keep)
        {
            var kept = new Dictionary<int, Snapshot>();
            var figures = new List<EpochMetrics>();
            using var model = CrashTrainer.NewModel();
            var progress = new SynchronousProgress(report =>
            {
                if (report.CompletedEpoch is not { } metrics) return;
                figures.Add(metrics);
                if (keep.Contains(metrics.Epoch)) kept[metrics.Epoch] = Of(model, figures);
            });
            model.Fit(data, CrashTrainer.Options(null, epochs) with { Progress = progress });
            return kept;
        }

        public void AssertSameAs(Snapshot expected, int seed)
        {
            Assert.Equal(expected.Epoch, Epoch);
            for (var i = 0; i < Figures.Count; i++)
                Assert.True(Bits(expected.Figures[i]).SequenceEqual(Bits(Figures[i])),
                    $"seed {seed}: the checkpoint after epoch {Epoch} has the figures [{string.Join(", ", Figures[i])}] for epoch {i + 1}; the uninterrupted run has [{string.Join(", ", expected.Figures[i])}]");
            Assert.Equal(expected.Parameters.Select(p => p.Name), Parameters.Select(p => p.Name));
            for (var i = 0; i < Parameters.Count; i++)
                Assert.True(expected.Parameters[i].Bits.AsSpan().SequenceEqual(Parameters[i].Bits),
                    $"seed {seed}: {Parameters[i].Name} in the checkpoint after epoch {Epoch} differs from the uninterrupted run's");
        }

        private static Snapshot Of(nn.Module model, IEnumerable<EpochMetrics> epochs)
        {
            var parameters = model.state_dict()
                .Select(p => (p.Key, MemoryMarshal.AsBytes(p.Value.data<float>().ToArray().AsSpan()).ToArray()))
                .ToList();
            // Everything but the timings, which differ from run to run.
            var figures = epochs.Select(e => new[] { e.Epoch, e.TrainLoss, e.TrainReconstruction, e.TrainKl, e.TrainObjective, e.KlWeight }).ToList();
            return new Snapshot(figures.Count, parameters, figures);
        }

        private static IEnumerable<long> Bits(double[] values) => values.Select(BitConverter.DoubleToInt64Bits);
    }

    /// <summary>
    /// The training process: this test assembly started with <see cref="CrashTrainer.Command"/>, its output collected
    /// so that a failure can show it.
    /// </summary>
    private sealed class Child : IDisposable
    {
        private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
        private readonly Process process;
        private readonly ManualResetEventSlim ready = new();
        private readonly StringBuilder output = new();

        public Child(string directory, int epochs, int threads)
        {
            // The test host runs under the dotnet host; start the child the same way.
            var host = Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
            var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "exec", typeof(CrashTests).Assembly.Location, CrashTrainer.Command, directory, epochs.ToString(CultureInfo.InvariantCulture), threads.ToString(CultureInfo.InvariantCulture) })
                start.ArgumentList.Add(argument);
            process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, line) => Collect(line.Data, isOutput: true);
            process.ErrorDataReceived += (_, line) => Collect(line.Data, isOutput: false);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public void WaitUntilReady()
        {
            Assert.True(ready.Wait(Patience), $"the training process did not start within {Patience.TotalSeconds} s:\n{Output}");
            Assert.False(process.HasExited, $"the training process exited with {ExitCode()} before it was killed:\n{Output}");
        }

        /// <summary>
        /// Waits until a checkpoint write is in progress: the temporary file appears. One left by an earlier kill is no
        /// sign of that, so it first waits for this process's own write to rename it away. False if none is seen in time.
        /// </summary>
        public bool WaitForWriteToStart(string temporaryFile)
        {
            var clock = Stopwatch.StartNew();
            while (File.Exists(temporaryFile))
                if (clock.Elapsed > Patience || process.HasExited) return false;
            while (!File.Exists(temporaryFile))
                if (clock.Elapsed > Patience || process.HasExited) return false;
            return true;
        }

        /// <summary>SIGKILL: no handler, no finally, no flush runs in the child.</summary>
        public void Kill(string which)
        {
            Assert.False(process.HasExited, $"{which}: the training process exited with {ExitCode()} before it was killed:\n{Output}");
            process.Kill();
            process.WaitForExit();
        }

        public void WaitForExit(string which)
        {
            Assert.True(process.WaitForExit(Patience), $"{which} did not finish within {Patience.TotalSeconds} s:\n{Output}");
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{which} exited with {process.ExitCode}:\n{Output}");
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit();
            }
            process.Dispose();
            ready.Dispose();
        }

        private string Output
        {
            get
            {
                lock (output) return output.ToString();
            }
        }

        private string ExitCode() => process.HasExited ? process.ExitCode.ToString(CultureInfo.InvariantCulture) : "(running)";

        private void Collect(string? line, bool isOutput)
        {
            if (line is null) return;
            lock (output) output.AppendLine(line);
            if (isOutput && line == CrashTrainer.Ready) ready.Set();
        }
    }

    /// <summary>
    /// Prints a line to dotnet test's console (xunit.runner.json turns diagnostic messages on), so CI's log shows the
    /// crash test's counts even when it passes.
    /// </summary>
    public sealed class ConsoleLine(IMessageSink sink)
    {
        public void Write(string line) => sink.OnMessage(new DiagnosticMessage(line));
    }
}
