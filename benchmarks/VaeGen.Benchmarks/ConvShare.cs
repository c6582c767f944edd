using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using VaeGen.Training;
using static TorchSharp.torch;

namespace VaeGen.Benchmarks;

/// <summary>
/// The convolutional model's training epoch against the machine's large-GEMM rate, counted in multiply-accumulates. In
/// one invocation, alternating round by round: (1) the generated <c>Fit</c> of the sample's convolutional model (two
/// strided 4x4 convolutions, linear heads, two transposed convolutions; batch 128, dynamic binarization, autograd)
/// for one epoch over the first training images; (2) a 1024 x 1024 x 1024 float32 product, repeated for about a
/// second, on preallocated buffers (<see cref="LargeProducts"/>); (3) the same epoch with channels-first maps, the
/// layout before channels-last ones. The model's multiply-accumulates per example are the generator's count
/// (<c>MultiplyAccumulates</c>); a training step is taken as three times the forward pass's (the forward product, the
/// input's gradient and the weight's gradient; the first layer's input gradient, which autograd skips, is counted too,
/// about 1% of the total).
/// </summary>
internal static class ConvShare
{
    public static void Run(Tensor trainImages, int rounds, long examples)
    {
        if (rounds < 1) throw new ArgumentOutOfRangeException(nameof(rounds), rounds, "conv needs at least one counted round.");
        using var images = trainImages.narrow(0, 0, examples);
        double macsPerExample = BenchmarkConvVae.MultiplyAccumulates;
        var trainingFlops = StepFlopsPerExample * examples;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"conv share: the sample's convolutional model, {macsPerExample / 1e6:F3} M multiply-accumulates per example forward, {examples} examples per epoch, batch 128, binarized; a training epoch counted as {trainingFlops / 1e12:F3} TFLOP (3 x forward); against {LargeProducts.Size} x {LargeProducts.Size} x {LargeProducts.Size} products; {rounds} counted rounds after 1 warm-up; wall-clock seconds"));

        using var products = new LargeProducts();
        var contenders = Layouts;
        var epochs = contenders.Select(_ => new List<double>()).ToArray();
        var shares = contenders.Select(_ => new List<double>()).ToArray();
        var gemmRates = new List<double>();
        for (var round = 0; round <= rounds; round++)
        {
            var seconds = new double[contenders.Length];
            double rate = 0;
            for (var slot = 0; slot <= contenders.Length; slot++)
            {
                var which = (slot + round) % (contenders.Length + 1);
                if (which == contenders.Length) rate = products.RateOverASecond();
                else seconds[which] = Epoch(images, round, contenders[which].ChannelsLast);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}{(round == 0 ? " (warm-up)" : string.Empty)}: large products {rate:F1} GFLOP/s; epochs {string.Join(", ", seconds.Select((s, i) => $"{s:F3} s ({trainingFlops / s / 1e9 / rate * 100:F1}%)"))}"));
            if (round == 0) continue;
            gemmRates.Add(rate);
            for (var i = 0; i < contenders.Length; i++)
            {
                epochs[i].Add(seconds[i]);
                shares[i].Add(trainingFlops / seconds[i] / 1e9 / rate);
            }
        }
        var rateMedian = StepShare.Median(gemmRates);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"medians: large products {rateMedian:F1} GFLOP/s"));
        var last = StepShare.Median(epochs[^1]);
        for (var i = 0; i < contenders.Length; i++)
        {
            var epochMedian = StepShare.Median(epochs[i]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{contenders[i].Name}: epoch {epochMedian:F3} s ({trainingFlops / epochMedian / 1e9:F1} GFLOP/s as counted, {examples / epochMedian:F0} examples/s); share {trainingFlops / epochMedian / 1e9 / rateMedian * 100:F1}% (ratio of medians), {StepShare.Median(shares[i]) * 100:F1}% (median of the rounds' shares); {epochMedian / last:F3} of the last contender's epoch time"));
        }
    }

    /// <summary>The contenders of this benchmark and <see cref="ConvSteps"/>: the product's channels-last maps, and the channels-first maps it had before.</summary>
    internal static readonly (bool ChannelsLast, string Name)[] Layouts = { (true, "channels-last maps"), (false, "channels-first maps") };

    /// <summary>FLOP of one example's training step as counted here: 3 x forward, 2 per multiply-accumulate (the generator's count, checked against the modules by a test).</summary>
    internal const double StepFlopsPerExample = 2.0 * 3 * BenchmarkConvVae.MultiplyAccumulates;

    /// <summary>One training epoch's seconds with the given map layout.</summary>
    private static double Epoch(Tensor images, int round, bool channelsLast) => Maths.ImageLayout.InLayout(channelsLast, () =>
    {
        manual_seed(round);
        using var model = new BenchmarkConvVae();
        var history = model.Fit(images, new TrainingOptions { Epochs = 1, BatchSize = 128, Seed = round, DynamicBinarization = true });
        return history.Epochs[0].TrainSeconds;
    });
}

/// <summary>
/// The large-GEMM reference of the convolutional benchmarks: <see cref="Size"/> x <see cref="Size"/> x
/// <see cref="Size"/> float32 products on buffers allocated once.
/// </summary>
internal sealed class LargeProducts : IDisposable
{
    public const int Size = 1024;

    private readonly Tensor a = rand(Size, Size);
    private readonly Tensor b = rand(Size, Size);
    private readonly Tensor c = empty(Size, Size);

    /// <summary>GFLOP/s of <paramref name="count"/> products in a row.</summary>
    public double Rate(int count)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++) c.addmm_(a, b, 0f, 1f);
        return Gigaflops(count, clock.Elapsed.TotalSeconds);
    }

    /// <summary>GFLOP/s of repeated products for about a second, after one unmeasured.</summary>
    public double RateOverASecond()
    {
        c.addmm_(a, b, 0f, 1f);
        var clock = Stopwatch.StartNew();
        var count = 0;
        while (clock.Elapsed.TotalSeconds < 1.0)
        {
            c.addmm_(a, b, 0f, 1f);
            count++;
        }
        return Gigaflops(count, clock.Elapsed.TotalSeconds);
    }

    private static double Gigaflops(int count, double seconds) => 2.0 * Size * Size * Size * count / seconds / 1e9;

    public void Dispose()
    {
        a.Dispose();
        b.Dispose();
        c.Dispose();
    }
}

/// <summary>The sample's convolutional model (samples/FashionMnist/Models.cs, ConvFashionVae), generated here.</summary>
[Vae(20)] [ImageInput(1, 28, 28)]
[EncoderConv(32, 4, 2, 1)] [EncoderConv(64, 4, 2, 1)] [Encoder]
[Decoder] [DecoderConvTranspose(32, 4, 2, 1)] [DecoderConvTranspose(1, 4, 2, 1)]
public partial class BenchmarkConvVae;
