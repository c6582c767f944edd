using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using VaeGen.Training;
using static TorchSharp.torch;

namespace VaeGen.Benchmarks;

/// <summary>
/// The convolutional model's training epoch against the machine's large-GEMM rate, counted in multiply-accumulates. In
/// one invocation, alternating round by round: (1) the generated <c>Fit</c> of the sample's convolutional model (two
/// strided 4x4 convolutions, linear heads, two transposed convolutions; batch 128, dynamic binarization, autograd)
/// for one epoch over the first training images; (2) a 1024 x 1024 x 1024 float32 product, repeated for about a second,
/// on preallocated buffers; (3) the same epoch with libtorch's convolutions in place of VaeGen's thin layers (the
/// first convolution and the last transposed one). The model's multiply-accumulates per example are the generator's count (<c>MultiplyAccumulates</c>); a training
/// step is taken as three times the forward pass's (the forward product, the input's gradient and the weight's
/// gradient; the first layer's input gradient, which autograd skips, is counted too, about 1% of the total).
/// </summary>
internal static class ConvShare
{
    private const int Size = 1024;

    public static void Run(Tensor trainImages, int rounds, long examples)
    {
        using var images = trainImages.narrow(0, 0, examples);
        double macsPerExample = BenchmarkConvVae.MultiplyAccumulates; // counted by the generator, checked against the modules by a test
        var trainingFlops = 2.0 * 3 * macsPerExample * examples;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"conv share: the sample's convolutional model, {macsPerExample / 1e6:F3} M multiply-accumulates per example forward, {examples} examples per epoch, batch 128, binarized; a training epoch counted as {trainingFlops / 1e12:F3} TFLOP (3 x forward); against {Size} x {Size} x {Size} products; {rounds} counted rounds after 1 warm-up; wall-clock seconds"));

        using var a = rand(Size, Size);
        using var b = rand(Size, Size);
        using var c = empty(Size, Size);
        var epochSeconds = new List<double>();
        var generalSeconds = new List<double>();
        var gemmRates = new List<double>();
        var shares = new List<double>();
        var generalShares = new List<double>();
        for (var round = 0; round <= rounds; round++)
        {
            double epoch = 0, general = 0, rate = 0;
            for (var slot = 0; slot < 3; slot++)
            {
                switch ((slot + round) % 3)
                {
                    case 0:
                        epoch = Epoch(images, round, thinLayers: true);
                        break;
                    case 1:
                        rate = GemmRate(a, b, c);
                        break;
                    default:
                        general = Epoch(images, round, thinLayers: false);
                        break;
                }
            }
            var share = trainingFlops / epoch / 1e9 / rate;
            var generalShare = trainingFlops / general / 1e9 / rate;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}{(round == 0 ? " (warm-up)" : string.Empty)}: epoch {epoch:F3} s ({trainingFlops / epoch / 1e9:F1} GFLOP/s as counted); large products {rate:F1} GFLOP/s; share {share * 100:F1}%; with libtorch's thin layers {general:F3} s, share {generalShare * 100:F1}%"));
            if (round == 0) continue;
            epochSeconds.Add(epoch);
            generalSeconds.Add(general);
            gemmRates.Add(rate);
            shares.Add(share);
            generalShares.Add(generalShare);
        }
        var epochMedian = StepShare.Median(epochSeconds);
        var generalMedian = StepShare.Median(generalSeconds);
        var rateMedian = StepShare.Median(gemmRates);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"medians: epoch {epochMedian:F3} s ({trainingFlops / epochMedian / 1e9:F1} GFLOP/s as counted, {examples / epochMedian:F0} examples/s), large products {rateMedian:F1} GFLOP/s; share {trainingFlops / epochMedian / 1e9 / rateMedian * 100:F1}% (ratio of medians), {StepShare.Median(shares) * 100:F1}% (median of the rounds' shares)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"with libtorch's thin layers: epoch {generalMedian:F3} s, share {trainingFlops / generalMedian / 1e9 / rateMedian * 100:F1}% (ratio of medians), {StepShare.Median(generalShares) * 100:F1}% (median of the rounds' shares); VaeGen's thin layers take {epochMedian / generalMedian:F3} of its epoch time (ratio of medians)"));
    }

    /// <summary>One training epoch's seconds, with VaeGen's thin layers or with libtorch's in their place.</summary>
    private static double Epoch(Tensor images, int round, bool thinLayers)
    {
        Maths.ThinLayerChecks.Enabled = thinLayers;
        try
        {
            manual_seed(round);
            using var model = new BenchmarkConvVae();
            var history = model.Fit(images, new TrainingOptions { Epochs = 1, BatchSize = 128, Seed = round, DynamicBinarization = true });
            return history.Epochs[0].TrainSeconds;
        }
        finally
        {
            Maths.ThinLayerChecks.Enabled = true;
        }
    }

    /// <summary>GFLOP/s of repeated Size^3 products for about a second.</summary>
    private static double GemmRate(Tensor a, Tensor b, Tensor c)
    {
        c.addmm_(a, b, 0f, 1f);
        var clock = Stopwatch.StartNew();
        var count = 0;
        while (clock.Elapsed.TotalSeconds < 1.0)
        {
            c.addmm_(a, b, 0f, 1f);
            count++;
        }
        return 2.0 * Size * Size * Size * count / clock.Elapsed.TotalSeconds / 1e9;
    }
}

/// <summary>The sample's convolutional model (samples/FashionMnist/Models.cs, ConvFashionVae), generated here.</summary>
[Vae(20)] [ImageInput(1, 28, 28)]
[EncoderConv(32, 4, 2, 1)] [EncoderConv(64, 4, 2, 1)] [Encoder]
[Decoder] [DecoderConvTranspose(32, 4, 2, 1)] [DecoderConvTranspose(1, 4, 2, 1)]
public partial class BenchmarkConvVae;
