using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Globalization;
using System.Linq;
using System.Threading;
using VaeGen.Training;
using static TorchSharp.torch;

namespace VaeGen.Benchmarks;

/// <summary>
/// How close the generated training step comes to the machine's matrix-product rate. In one invocation, alternating
/// round by round: (1) the 14 matrix products of one step of the 784-400-20 Bernoulli model at batch 128, in the
/// layouts autograd uses, on preallocated buffers, for as many steps as an epoch has; (2) one epoch of the generated
/// <c>Fit</c> (its training-step clock, <see cref="EpochMetrics.TrainSeconds"/>) with the compiled step and (3) with
/// autograd (<see cref="TrainingOptions.CompiledStep"/> false), both with the fused Adam update; (4, 5) the same epoch
/// driven through the same session calls as the generated loop on each path, with a clock around each part. Prints the
/// product rate, each path's share of it (the products' time at that rate over the step's time), and where a step's
/// time goes.
/// </summary>
internal static class StepShare
{
    private const int Batch = 128;

    /// <summary>The dense layers of one step, in forward order: (inputs, outputs).</summary>
    private static readonly (int In, int Out)[] Layers = [(784, 400), (400, 20), (400, 20), (20, 400), (400, 784)];

    public static void Run(Tensor images, int rounds, int threads)
    {
        var steps = (int)((images.shape[0] + Batch - 1) / Batch);
        using var mix = new ProductMix();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"step share: 784-400-20 Bernoulli, batch {Batch}, {steps} steps per epoch; {threads} threads; {rounds} counted rounds after 1 warm-up; products per step {ProductMix.Count}, {ProductMix.FlopsPerStep / 1e6:F1} MFLOP"));
        // On one thread all of libtorch's work runs on the calling thread, so its CPU time is the work itself, whatever
        // else the machine runs; with more threads only the wall clock tells.
        var useCpu = threads == 1 && PartClock.HasThreadCpu;
        Console.WriteLine(useCpu
            ? "figures are the calling thread's CPU seconds (one thread: robust on a busy machine); wall seconds in brackets"
            : "figures are wall-clock seconds");

        // Five contenders, their order rotated each round: the products, Fit on each path, and the instrumented epoch on
        // each path.
        var productSeconds = new List<double>();
        var forwardProductSeconds = new List<double>();
        var fitSeconds = new[] { new List<double>(), new List<double>() };
        var parts = new[] { new List<Dictionary<string, double>>(), new List<Dictionary<string, double>>() };
        double Pick(PartClock clock) => useCpu ? clock.Cpu : clock.Wall;
        for (var round = 0; round <= rounds; round++)
        {
            PartClock products = null!, forwardProducts = null!;
            var fit = new PartClock[2];
            var instrumented = new Dictionary<string, PartClock>[2];
            for (var slot = 0; slot < 5; slot++)
            {
                var contender = (slot + round) % 5;
                switch (contender)
                {
                    case 0: (products, forwardProducts) = mix.Time(steps); break;
                    case 1 or 2: fit[contender - 1] = FitEpoch(images, round, compiled: contender == 1); break;
                    default: instrumented[contender - 3] = InstrumentedEpoch(images, round, compiled: contender == 3); break;
                }
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}{(round == 0 ? " (warm-up)" : string.Empty)}: products {Pick(products):F3} s [{products.Wall:F3}] ({ProductMix.FlopsPerStep * steps / Pick(products) / 1e9:F1} GFLOP/s); Fit {Pick(fit[0]):F3} s [{fit[0].Wall:F3}] compiled step, {Pick(fit[1]):F3} s [{fit[1].Wall:F3}] autograd; instrumented {instrumented[0].Values.Sum(Pick):F3} s, {instrumented[1].Values.Sum(Pick):F3} s"));
            if (round == 0) continue;
            productSeconds.Add(Pick(products));
            forwardProductSeconds.Add(Pick(forwardProducts));
            for (var path = 0; path < 2; path++)
            {
                fitSeconds[path].Add(Pick(fit[path]));
                parts[path].Add(instrumented[path].ToDictionary(p => p.Key, p => Pick(p.Value)));
            }
        }

        var productMedian = Median(productSeconds);
        var rate = ProductMix.FlopsPerStep * steps / productMedian / 1e9;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"products of one epoch at the measured rate: {productMedian:F3} s, {rate:F1} GFLOP/s (median); {productMedian / steps * 1e3:F2} ms per step"));
        string[] pathNames = ["compiled step", "autograd"];
        for (var path = 0; path < 2; path++)
        {
            var fitMedian = Median(fitSeconds[path]);
            // The machine's speed can change between rounds (a shared host), so the share is also taken within each
            // round, where the products and the Fit ran side by side, and the median of those is reported beside it.
            var roundShares = productSeconds.Zip(fitSeconds[path], (products, fit) => products / fit).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"generated Fit, {pathNames[path]}: {fitMedian:F3} s per epoch (training steps, median), {fitMedian / steps * 1e3:F2} ms per step; share of the product rate {productMedian / fitMedian:P1} (medians), {Median(roundShares):P1} (median of the rounds' shares: {string.Join(", ", roundShares.Select(r => r.ToString("P0", CultureInfo.InvariantCulture)))})"));
        }
        var speedups = fitSeconds[0].Zip(fitSeconds[1], (compiled, autograd) => compiled / autograd).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"compiled step over autograd, per round: {string.Join(", ", speedups.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}; median {Median(speedups):F2}"));

        // The two paths have different parts; each is listed with its median, ms per step and share of its step.
        var forwardProductMs = Median(forwardProductSeconds) / steps * 1e3;
        var backwardProductMs = (productMedian - Median(forwardProductSeconds)) / steps * 1e3;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"where a step's time goes (instrumented epoch, median per part, ms per step and share of the step); the step's products alone: forward {forwardProductMs:F2} ms, backward {backwardProductMs:F2} ms"));
        for (var path = 0; path < 2; path++)
        {
            var runs = parts[path];
            var total = runs[0].Keys.Sum(key => Median(runs.Select(p => p[key]).ToList())) / steps * 1e3;
            Console.WriteLine($"  {pathNames[path]}:");
            foreach (var key in runs[0].Keys)
            {
                var ms = Median(runs.Select(p => p[key]).ToList()) / steps * 1e3;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {key,-32} {ms,7:F3} ms {ms / total,6:P1}"));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {"step",-32} {total,7:F3} ms"));
        }
    }

    /// <summary>One epoch of the generated Fit: its training-step clock, and the calling thread's CPU time over the call.</summary>
    private static PartClock FitEpoch(Tensor images, int round, bool compiled)
    {
        manual_seed(round);
        using var model = new BenchmarkVae();
        var clock = new PartClock();
        clock.Start();
        var history = model.Fit(images, new TrainingOptions { Epochs = 1, BatchSize = Batch, Seed = round, DynamicBinarization = true, CompiledStep = compiled });
        clock.Stop();
        return clock.WithWall(history.Epochs[0].TrainSeconds);
    }

    /// <summary>
    /// One epoch through the session calls the generated Fit makes, in its order, with a clock around each: the time
    /// spent in each part over the epoch.
    /// </summary>
    private static Dictionary<string, PartClock> InstrumentedEpoch(Tensor images, int round, bool compiled)
    {
        manual_seed(round);
        using var model = new BenchmarkVae();
        var options = new TrainingOptions { Epochs = 1, BatchSize = Batch, Seed = round, DynamicBinarization = true };
        using var session = new TrainingSession(model, "VaeGen.Benchmarks.BenchmarkVae", BenchmarkVae.InputSize, images, options);
        if (compiled)
        {
            using var step = model.CompiledStep(session);
            return TimedEpoch(model, session, ["next batch (frees step)", "binarization", "compiled step (fwd+loss+bwd)", "optimizer", "record/read-back"], (batch, lap) =>
            {
                var x = session.Binarize(batch);
                lap(2);
                // The generated loop's calls: the means as numbers, recorded as such.
                var (reconstruction, kl) = step.StepMeans(x, session.KlWeight);
                lap(3);
                session.Optimizer.Step();
                lap(4);
                session.Record(reconstruction, kl, x.size(0));
            });
        }

        return TimedEpoch(model, session, ["next batch (frees step)", "binarization", "forward", "loss", "zero grad", "backward", "optimizer", "record/read-back"], (batch, lap) =>
        {
            var x = session.Binarize(batch);
            lap(2);
            var output = model.forward(x);
            lap(3);
            var elbo = model.Loss(x, output);
            var loss = session.Objective(elbo.Reconstruction, elbo.Kl);
            lap(4);
            session.Optimizer.ZeroGrad();
            lap(5);
            loss.backward();
            lap(6);
            session.Optimizer.Step();
            lap(7);
            session.Record(elbo.Reconstruction, elbo.Kl, x.shape[0]);
        });
    }

    /// <summary>
    /// The session's epoch with a clock per named part: part 0 runs from the end of one step to the next batch, part 1
    /// starts with the batch, and the body moves on with lap(next part).
    /// </summary>
    private static Dictionary<string, PartClock> TimedEpoch(BenchmarkVae model, TrainingSession session, string[] names, Action<Tensor, Action<int>> body)
    {
        var clocks = names.Select(_ => new PartClock()).ToArray();
        var part = 0;
        void Lap(int next)
        {
            clocks[part].Stop();
            part = next;
            clocks[part].Start();
        }

        while (session.NextEpoch(CancellationToken.None))
        {
            clocks[0].Start();
            part = 0;
            while (session.NextBatch(CancellationToken.None, out var batch))
            {
                Lap(1);
                body(batch, Lap);
                Lap(0);
            }
            clocks[part].Stop();
            session.EndEpoch((heldOut, batchSize) => model.Evaluate(heldOut, batchSize));
        }
        return names.Select((name, i) => (name, clock: clocks[i])).ToDictionary(p => p.name, p => p.clock);
    }

    /// <summary>The value at fraction <paramref name="q"/> of the sorted values (the nearest rank; 0.25 and 0.75 for quartiles).</summary>
    internal static double Quantile(IReadOnlyList<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Round(q * (sorted.Length - 1))];
    }

    /// <summary>The median (the mean of the middle two for an even count); every harness in this project reports it.</summary>
    internal static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>
    /// The matrix products of one training step, in the layouts autograd gives them: per layer y = b + x W^T forward
    /// (addmm), and backward dW = dy^T x and, except for the first layer, dx = dy W. Each writes into a buffer allocated
    /// once (addmm_ with beta 0), so only the products are timed.
    /// </summary>
    internal sealed class ProductMix : IDisposable
    {
        public static int Count => Layers.Length * 2 + (Layers.Length - 1);

        public static double FlopsPerStep => Layers.Sum(l => 2.0 * Batch * l.In * l.Out) * 2 + Layers.Skip(1).Sum(l => 2.0 * Batch * l.In * l.Out);

        private readonly List<Tensor> owned = new();
        private readonly (Tensor Output, Tensor A, Tensor B)[] forward;
        private readonly (Tensor Output, Tensor A, Tensor B)[] backward;

        public ProductMix()
        {
            var forwardProducts = new List<(Tensor, Tensor, Tensor)>();
            var backwardProducts = new List<(Tensor, Tensor, Tensor)>();
            for (var i = 0; i < Layers.Length; i++)
            {
                var (inputs, outputs) = Layers[i];
                var x = Own(randn(Batch, inputs));
                var weight = Own(randn(outputs, inputs));
                var dy = Own(randn(Batch, outputs));
                forwardProducts.Add((Own(empty(Batch, outputs)), x, Own(weight.t())));
                backwardProducts.Add((Own(empty(outputs, inputs)), Own(dy.t()), x));
                if (i > 0) backwardProducts.Add((Own(empty(Batch, inputs)), dy, weight));
            }
            forward = forwardProducts.ToArray();
            backward = backwardProducts.ToArray();
        }

        /// <summary>The time of all products of the given number of steps, and of the forward products among them.</summary>
        public (PartClock Total, PartClock Forward) Time(int steps)
        {
            var forwardClock = new PartClock();
            var clock = new PartClock();
            clock.Start();
            for (var step = 0; step < steps; step++)
            {
                forwardClock.Start();
                foreach (var (output, a, b) in forward) output.addmm_(a, b, beta: 0, alpha: 1);
                forwardClock.Stop();
                foreach (var (output, a, b) in backward) output.addmm_(a, b, beta: 0, alpha: 1);
            }
            clock.Stop();
            return (clock, forwardClock);
        }

        private Tensor Own(Tensor tensor)
        {
            owned.Add(tensor.DetachFromDisposeScope());
            return tensor;
        }

        public void Dispose()
        {
            foreach (var tensor in owned) tensor.Dispose();
        }
    }

    /// <summary>Accumulates wall-clock seconds and the calling thread's CPU seconds over its Start-Stop intervals.</summary>
    internal sealed class PartClock
    {
        private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID on Linux

        private readonly Stopwatch wall = new();
        private double cpuStart;
        private double? wallOverride;

        public static bool HasThreadCpu { get; } = OperatingSystem.IsLinux();

        public double Wall => wallOverride ?? wall.Elapsed.TotalSeconds;

        public double Cpu { get; private set; }

        public void Start()
        {
            cpuStart = ThreadCpuSeconds();
            wall.Start();
        }

        public void Stop()
        {
            wall.Stop();
            Cpu += ThreadCpuSeconds() - cpuStart;
        }

        /// <summary>The same CPU time with another wall time (the training-step clock Fit reports).</summary>
        public PartClock WithWall(double seconds)
        {
            wallOverride = seconds;
            return this;
        }

        private static double ThreadCpuSeconds()
        {
            if (!HasThreadCpu) return 0;
            ClockGetTime(ThreadCpuClock, out var time);
            return time.Seconds + time.Nanoseconds * 1e-9;
        }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clock, out TimeSpec time);

        [StructLayout(LayoutKind.Sequential)]
        private readonly struct TimeSpec
        {
            public readonly long Seconds;
            public readonly long Nanoseconds;
        }
    }
}
