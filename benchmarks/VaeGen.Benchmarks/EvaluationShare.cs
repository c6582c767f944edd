using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using VaeGen.Maths;
using VaeGen.Training;
using static TorchSharp.torch;

namespace VaeGen.Benchmarks;

/// <summary>
/// How close the importance-weighted evaluation comes to the machine's rate for its large matrix products. In one
/// invocation, alternating round by round: (1) the generated <c>LogLikelihood</c> with k samples over the first test
/// images, in batches of 100 as the sample evaluates them; (2) only its matrix products, on preallocated buffers and in
/// the same shapes: per batch, the encoder once and, per chunk of samples, the decoder's two layers over every
/// sample's z at once. The products' FLOPs over each contender's median time give the rates; their ratio is the
/// evaluation's share of the product rate. Parameters are the fresh model's: the cost does not depend on training.
/// </summary>
internal static class EvaluationShare
{
    private const int Batch = 100;

    public static void Run(Tensor testImages, int rounds, int examples, int samples)
    {
        manual_seed(1);
        using var model = new BenchmarkVae();
        using var x = bernoulli(testImages.narrow(0, 0, examples), generator: new Generator(0));
        var chunk = ImportanceSampling.ChunkSize(samples, Batch, BenchmarkVae.InputSize);
        var encoderFlops = 2.0 * (784 * 400 + 2 * 400 * 20);
        var decoderFlops = 2.0 * (20 * 400 + 400 * 784);
        var flops = examples * (encoderFlops + samples * decoderFlops);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"evaluation share: 784-400-20 Bernoulli, LogLikelihood with k = {samples} on {examples} test images in batches of {Batch}, {chunk} samples per decoder chunk; {flops / 1e12:F3} TFLOP of matrix products; {rounds} counted rounds after 1 warm-up; wall-clock seconds"));

        using var products = new Products(chunk * Batch);
        var evaluationSeconds = new List<double>();
        var productSeconds = new List<double>();
        double meanLogLikelihood = 0;
        for (var round = 0; round <= rounds; round++)
        {
            double evaluation = 0, product = 0;
            for (var slot = 0; slot < 2; slot++)
            {
                if ((slot + round) % 2 == 0)
                {
                    var clock = Stopwatch.StartNew();
                    using var generator = new Generator((ulong)round + 1);
                    meanLogLikelihood = Evaluation.Mean(x, Batch, batch => model.LogLikelihood(batch, samples, generator));
                    evaluation = clock.Elapsed.TotalSeconds;
                }
                else
                {
                    product = products.Time(examples, samples, chunk);
                }
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}{(round == 0 ? " (warm-up)" : string.Empty)}: LogLikelihood {evaluation:F3} s ({flops / evaluation / 1e9:F1} GFLOP/s, mean log p(x) {meanLogLikelihood:F2} nats); products {product:F3} s ({flops / product / 1e9:F1} GFLOP/s)"));
            if (round == 0) continue;
            evaluationSeconds.Add(evaluation);
            productSeconds.Add(product);
        }

        var evaluationMedian = StepShare.Median(evaluationSeconds);
        var productMedian = StepShare.Median(productSeconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"medians: LogLikelihood {evaluationMedian:F3} s ({flops / evaluationMedian / 1e9:F1} GFLOP/s), its products alone {productMedian:F3} s ({flops / productMedian / 1e9:F1} GFLOP/s); share of the product rate {productMedian / evaluationMedian * 100:F1}%"));
    }

    /// <summary>The evaluation's matrix products on preallocated buffers (addmm_ with beta 0): the encoder's three per batch, the decoder's two per chunk.</summary>
    private sealed class Products : IDisposable
    {
        private readonly List<Tensor> owned = new();
        private readonly Tensor input, hidden, encoderWeight, headWeight, head;
        private readonly Tensor latent, decoderHidden, decoderOutput, decoderWeight1, decoderWeight2;

        public Products(int rows)
        {
            input = Own(rand(Batch, 784));
            encoderWeight = Own(Own(randn(400, 784)).t());
            hidden = Own(empty(Batch, 400));
            headWeight = Own(Own(randn(20, 400)).t());
            head = Own(empty(Batch, 20));
            latent = Own(randn(rows, 20));
            decoderWeight1 = Own(Own(randn(400, 20)).t());
            decoderHidden = Own(empty(rows, 400));
            decoderWeight2 = Own(Own(randn(784, 400)).t());
            decoderOutput = Own(empty(rows, 784));
        }

        // The weights are held as nn.Linear holds them, [out, in], and used transposed, as its forward uses them.

        /// <summary>Seconds for the products of k samples over <paramref name="examples"/> examples, as LogLikelihood chunks them.</summary>
        public double Time(int examples, int samples, int chunk)
        {
            using var noGrad = no_grad();
            var clock = Stopwatch.StartNew();
            for (var first = 0; first < examples; first += Batch)
            {
                var count = Math.Min(Batch, examples - first);
                using (var rowsIn = input.narrow(0, 0, count))
                using (var rowsHidden = hidden.narrow(0, 0, count))
                using (var rowsHead = head.narrow(0, 0, count))
                {
                    rowsHidden.addmm_(rowsIn, encoderWeight, beta: 0, alpha: 1);
                    rowsHead.addmm_(rowsHidden, headWeight, beta: 0, alpha: 1);
                    rowsHead.addmm_(rowsHidden, headWeight, beta: 0, alpha: 1);
                }
                for (var drawn = 0; drawn < samples; drawn += chunk)
                {
                    var rows = Math.Min(chunk, samples - drawn) * count;
                    using var z = latent.narrow(0, 0, rows);
                    using var h = decoderHidden.narrow(0, 0, rows);
                    using var o = decoderOutput.narrow(0, 0, rows);
                    h.addmm_(z, decoderWeight1, beta: 0, alpha: 1);
                    o.addmm_(h, decoderWeight2, beta: 0, alpha: 1);
                }
            }
            return clock.Elapsed.TotalSeconds;
        }

        private Tensor Own(Tensor tensor)
        {
            owned.Add(tensor);
            return tensor;
        }

        public void Dispose()
        {
            foreach (var tensor in owned) tensor.Dispose();
        }
    }
}
