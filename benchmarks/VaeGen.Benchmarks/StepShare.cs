using System;
using System.Collections.Generic;
using System.Diagnostics;
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
/// <c>Fit</c> (its training-step clock, <see cref="EpochMetrics.TrainSeconds"/>); (3) the same epoch driven through the
/// same session calls as the generated loop, with a clock around each part. Prints the product rate, the step's share
/// of it (the products' time at that rate over the step's time), and where a step's time goes.
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

        var productSeconds = new List<double>();
        var forwardProductSeconds = new List<double>();
        var fitSeconds = new List<double>();
        var parts = new List<Dictionary<string, double>>();
        for (var round = 0; round <= rounds; round++)
        {
            double products = 0, forwardProducts = 0, fit = 0;
            Dictionary<string, double> instrumented = null!;
            var order = round % 3;
            for (var slot = 0; slot < 3; slot++)
            {
                switch ((slot + order) % 3)
                {
                    case 0: (products, forwardProducts) = mix.Time(steps); break;
                    case 1: fit = FitEpoch(images, round); break;
                    default: instrumented = InstrumentedEpoch(images, round); break;
                }
            }
            var stepTotal = instrumented.Values.Sum();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}{(round == 0 ? " (warm-up)" : string.Empty)}: products {products:F3} s ({ProductMix.FlopsPerStep * steps / products / 1e9:F1} GFLOP/s), generated Fit {fit:F3} s, instrumented {stepTotal:F3} s"));
            if (round == 0) continue;
            productSeconds.Add(products);
            forwardProductSeconds.Add(forwardProducts);
            fitSeconds.Add(fit);
            parts.Add(instrumented);
        }

        var productMedian = Median(productSeconds);
        var fitMedian = Median(fitSeconds);
        var rate = ProductMix.FlopsPerStep * steps / productMedian / 1e9;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"products of one epoch at the measured rate: {productMedian:F3} s ({rate:F1} GFLOP/s, median); generated Fit: {fitMedian:F3} s per epoch (training steps, median)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"step's share of the product rate: {productMedian / fitMedian:P1} ({fitMedian / steps * 1e3:F2} ms per step, of which products {productMedian / steps * 1e3:F2} ms)"));

        Console.WriteLine("where a step's time goes (instrumented epoch, median per part, ms per step):");
        var forwardProductMs = Median(forwardProductSeconds) / steps * 1e3;
        var backwardProductMs = (productMedian - Median(forwardProductSeconds)) / steps * 1e3;
        var total = parts[0].Keys.Sum(key => Median(parts.Select(p => p[key]).ToList()));
        foreach (var key in parts[0].Keys)
        {
            var ms = Median(parts.Select(p => p[key]).ToList()) / steps * 1e3;
            var products = key switch { "forward" => $"; products {forwardProductMs:F2} ms", "backward" => $"; products {backwardProductMs:F2} ms", _ => string.Empty };
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {key,-22} {ms,6:F3} ms  {ms / (total / steps * 1e3),6:P1}{products}"));
        }
    }

    private static double FitEpoch(Tensor images, int round)
    {
        manual_seed(round);
        using var model = new BenchmarkVae();
        var history = model.Fit(images, new TrainingOptions { Epochs = 1, BatchSize = Batch, Seed = round, DynamicBinarization = true });
        return history.Epochs[0].TrainSeconds;
    }

    /// <summary>
    /// One epoch through the session calls the generated Fit makes, in its order, with a clock around each: the seconds
    /// spent in each part over the epoch.
    /// </summary>
    private static Dictionary<string, double> InstrumentedEpoch(Tensor images, int round)
    {
        manual_seed(round);
        using var model = new BenchmarkVae();
        var options = new TrainingOptions { Epochs = 1, BatchSize = Batch, Seed = round, DynamicBinarization = true };
        using var session = new TrainingSession(model, "VaeGen.Benchmarks.BenchmarkVae", BenchmarkVae.InputSize, images, options);
        var names = new[] { "next batch (frees step)", "binarization", "forward", "loss", "zero grad", "backward", "optimizer", "record/read-back" };
        var clocks = names.Select(_ => new Stopwatch()).ToArray();
        var clock = Stopwatch.StartNew();
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
                var x = session.Binarize(batch);
                Lap(2);
                var output = model.forward(x);
                Lap(3);
                var elbo = model.Loss(x, output);
                var loss = session.Objective(elbo.Reconstruction, elbo.Kl);
                Lap(4);
                session.Optimizer.ZeroGrad();
                Lap(5);
                loss.backward();
                Lap(6);
                session.Optimizer.Step();
                Lap(7);
                session.Record(elbo.Reconstruction, elbo.Kl, x.shape[0]);
                Lap(0);
            }
            clocks[part].Stop();
            session.EndEpoch((heldOut, batchSize) => model.Evaluate(heldOut, batchSize));
        }
        return names.Select((name, i) => (name, seconds: clocks[i].Elapsed.TotalSeconds)).ToDictionary(p => p.name, p => p.seconds);
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>
    /// The matrix products of one training step, in the layouts autograd gives them: per layer y = b + x W^T forward
    /// (addmm), and backward dW = dy^T x and, except for the first layer, dx = dy W. Each writes into a buffer allocated
    /// once (addmm_ with beta 0), so only the products are timed.
    /// </summary>
    private sealed class ProductMix : IDisposable
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

        /// <summary>Seconds for all products of the given number of steps, and the forward products' share of them.</summary>
        public (double Total, double Forward) Time(int steps)
        {
            var forwardClock = new Stopwatch();
            var clock = Stopwatch.StartNew();
            for (var step = 0; step < steps; step++)
            {
                forwardClock.Start();
                foreach (var (output, a, b) in forward) output.addmm_(a, b, beta: 0, alpha: 1);
                forwardClock.Stop();
                foreach (var (output, a, b) in backward) output.addmm_(a, b, beta: 0, alpha: 1);
            }
            return (clock.Elapsed.TotalSeconds, forwardClock.Elapsed.TotalSeconds);
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
}
