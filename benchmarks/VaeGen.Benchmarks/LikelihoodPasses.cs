using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using VaeGen.Maths;
using VaeGen.Training;
using static TorchSharp.torch;

namespace VaeGen.Benchmarks;

/// <summary>
/// The Bernoulli likelihood's element-wise passes, each form against the one it replaced, alternating round by round
/// in one invocation: the compiled step's loss-and-gradient pass over a batch of 128 x 784 logits (fused polynomials
/// against the four TensorPrimitives passes), and the evaluation's log-density of one chunk of importance samples,
/// 6 x 100 x 784 logits (the C# rows against libtorch's logaddexp, addcmul and sum); and the dynamic binarization's
/// draw of a batch of 128 images, eight elements at a time with AVX2 against the scalar loop.
/// </summary>
internal static class LikelihoodPasses
{
    public static void Run(int rounds)
    {
        var random = new Random(1);
        const int batch = 128, width = 784, repeats = 2000;
        var raw = new float[batch * width];
        var targets = new float[batch * width];
        for (var i = 0; i < raw.Length; i++) { raw[i] = (float)(random.NextDouble() * 24 - 16); targets[i] = random.Next(2); }
        var bias = new float[width];
        var logits = new float[raw.Length];
        float[] e = new float[width], onePlus = new float[width];

        using var generator = new Generator(1);
        using var chunkLogits = randn(new long[] { 6, 100, width }, generator: generator).mul_(8).sub_(4);
        using var chunkTargets = bernoulli(rand(new long[] { 100, width }, generator: generator), generator: generator);
        using var noGrad = no_grad();

        using var greyLevels = rand(new long[] { batch, width }, generator: generator);
        var key = BinarizationDraw.Key(1, 1, 1, 0);
        var times = new Dictionary<string, List<double>> { ["fused"] = new(), ["portable"] = new(), ["rows"] = new(), ["libtorch"] = new(), ["vector"] = new(), ["scalar"] = new() };
        double sink = 0;
        double Pass(bool fused)
        {
            var clock = Stopwatch.StartNew();
            for (var k = 0; k < repeats; k++)
            {
                Array.Copy(raw, logits, raw.Length);
                sink += fused
                    ? DenseBernoulliStep.FusedLikelihoodPass(logits, targets, bias, 1f / batch)
                    : DenseBernoulliStep.PortableLikelihoodPass(logits, targets, bias, 1f / batch, e, onePlus);
            }
            return clock.Elapsed.TotalMilliseconds / repeats;
        }
        double Density(bool rows)
        {
            var clock = Stopwatch.StartNew();
            for (var k = 0; k < repeats / 10; k++)
            {
                using var density = rows ? BernoulliRows.LogDensity(chunkTargets, chunkLogits) : LogDensity.BernoulliWithoutGradient(chunkTargets, chunkLogits);
                sink += density[0, 0].item<float>();
            }
            return clock.Elapsed.TotalMilliseconds / (repeats / 10);
        }

        double Binarize(bool vectorized)
        {
            var clock = Stopwatch.StartNew();
            for (var k = 0; k < repeats; k++)
            {
                using var draw = BinarizationDraw.Draw(greyLevels, key, vectorized);
            }
            return clock.Elapsed.TotalMilliseconds / repeats;
        }

        Console.WriteLine($"likelihood passes: {rounds} counted rounds after 1 warm-up, contenders alternating; FMA forms {(SoftplusPolynomials.FmaAvailable ? "available" : "not available (the portable forms run)")}");
        for (var round = 0; round <= rounds; round++)
        {
            var order = round % 2 == 0;
            var step = order ? (Pass(true), Pass(false)) : Swap(Pass(false), Pass(true));
            var density = order ? (Density(true), Density(false)) : Swap(Density(false), Density(true));
            var binarization = order ? (Binarize(true), Binarize(false)) : Swap(Binarize(false), Binarize(true));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}{(round == 0 ? " (warm-up)" : string.Empty)}: step pass {step.Item1:F3} ms fused, {step.Item2:F3} ms portable; chunk density {density.Item1:F3} ms rows, {density.Item2:F3} ms libtorch; binarization {binarization.Item1:F3} ms AVX2, {binarization.Item2:F3} ms scalar"));
            if (round == 0) continue;
            times["fused"].Add(step.Item1);
            times["portable"].Add(step.Item2);
            times["rows"].Add(density.Item1);
            times["libtorch"].Add(density.Item2);
            times["vector"].Add(binarization.Item1);
            times["scalar"].Add(binarization.Item2);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"medians: the compiled step's likelihood pass, 128 x 784 (with a {Copy(raw, logits):F3} ms copy of the logits), {StepShare.Median(times["fused"]):F3} ms fused against {StepShare.Median(times["portable"]):F3} ms in four passes; one chunk's log-density, 6 x 100 x 784, {StepShare.Median(times["rows"]):F3} ms in C# rows against {StepShare.Median(times["libtorch"]):F3} ms in libtorch ({get_num_threads()} threads); the binarization draw of 128 x 784 grey levels, {StepShare.Median(times["vector"]):F3} ms eight at a time (AVX2) against {StepShare.Median(times["scalar"]):F3} ms in the scalar loop (the same bits) (checksum {sink:E2})"));
    }

    private static (double, double) Swap(double second, double first) => (first, second);

    private static double Copy(float[] from, float[] to)
    {
        var clock = Stopwatch.StartNew();
        for (var k = 0; k < 2000; k++) Array.Copy(from, to, from.Length);
        return clock.Elapsed.TotalMilliseconds / 2000;
    }
}
