using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using VaeGen.Maths;
using static TorchSharp.torch;

namespace VaeGen.Benchmarks;

/// <summary>
/// The convolutional model's training step with channels-last and channels-first maps, alternating contender by
/// contender at every step, so that each step of one is timed beside a step of each other under the same
/// conditions of the host (whose speed moved by 20% between the epochs of one invocation). Each contender has its own
/// model (same seed) and TorchSharp Adam; a step is forward, -ELBO, backward and Adam's update on a batch of 128
/// training images, the next batch at each step, the same one for every contender. Two 1024 x 1024 x 1024 products
/// (<see cref="LargeProducts"/>) take their turn at every step too, so that each step's share of the large-product
/// rate (its multiply-accumulates counted as in <see cref="ConvShare"/>) is taken against the rate measured beside
/// it. Reports the median step time of each contender, the median of its per-step ratio to the last contender's, and
/// the median of its per-step shares.
/// </summary>
internal static class ConvSteps
{
    private const int Batch = 128;

    public static void Run(Tensor trainImages, int steps)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "convsteps needs at least one counted step.");
        if (trainImages.shape[0] <= Batch) throw new ArgumentException($"convsteps needs more than {Batch} training images; it has {trainImages.shape[0]}.", nameof(trainImages));
        var contenders = ConvShare.Layouts;
        var models = new List<BenchmarkConvVae>();
        var optimizers = new List<optim.Optimizer>();
        foreach (var _ in contenders)
        {
            manual_seed(1);
            var model = new BenchmarkConvVae();
            models.Add(model);
            optimizers.Add(optim.Adam(model.parameters(), 1e-3));
        }
        var times = contenders.Select(_ => new List<double>()).ToArray();
        var rates = new List<double>();
        using var products = new LargeProducts();
        var stepFlops = ConvShare.StepFlopsPerExample * Batch;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"conv steps: batch {Batch}, {steps} counted steps per contender after 5 unmeasured, contenders and two {LargeProducts.Size} x {LargeProducts.Size} x {LargeProducts.Size} products in turn at every step; a step counted as {stepFlops / 1e9:F3} GFLOP (3 x forward); wall-clock milliseconds"));
        for (var step = -5; step < steps; step++)
        {
            using var batch = trainImages.narrow(0, (long)(((step + 5) * Batch) % (trainImages.shape[0] - Batch)), Batch);
            for (var slot = 0; slot <= contenders.Length; slot++)
            {
                var which = (slot + step + 5) % (contenders.Length + 1);
                if (which == contenders.Length)
                {
                    var rate = products.Rate(2);
                    if (step >= 0) rates.Add(rate);
                    continue;
                }
                var milliseconds = Step(models[which], optimizers[which], batch, contenders[which].ChannelsLast);
                if (step >= 0) times[which].Add(milliseconds);
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"large products: {StepShare.Median(rates):F1} GFLOP/s (median; quartiles {StepShare.Quantile(rates, 0.25):F1}-{StepShare.Quantile(rates, 0.75):F1})"));
        var baseline = times[^1];
        for (var i = 0; i < contenders.Length; i++)
        {
            var ratios = times[i].Zip(baseline, (x, y) => x / y).ToList();
            var shares = times[i].Zip(rates, (milliseconds, rate) => stepFlops / (milliseconds / 1e3) / 1e9 / rate).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{contenders[i].Name}: step {StepShare.Median(times[i]):F2} ms (median), {StepShare.Median(ratios):F3} of the last contender's (median of the per-step ratios; quartiles {StepShare.Quantile(ratios, 0.25):F3}-{StepShare.Quantile(ratios, 0.75):F3}); share of the large-product rate {StepShare.Median(shares) * 100:F1}% (median of the per-step shares; quartiles {StepShare.Quantile(shares, 0.25) * 100:F1}-{StepShare.Quantile(shares, 0.75) * 100:F1}%)"));
        }
        foreach (var optimizer in optimizers) optimizer.Dispose();
        foreach (var model in models) model.Dispose();
    }

    private static double Step(BenchmarkConvVae model, optim.Optimizer optimizer, Tensor batch, bool channelsLast) => ImageLayout.InLayout(channelsLast, () =>
    {
        var clock = Stopwatch.StartNew();
        using (var scope = NewDisposeScope())
        {
            optimizer.zero_grad();
            var loss = model.Loss(batch, model.forward(batch)).Total;
            loss.backward();
            optimizer.step();
        }
        return clock.Elapsed.TotalMilliseconds;
    });
}
