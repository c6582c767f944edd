using System;
using System.Linq;
using TorchSharp;
using VaeGen.Maths;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>A Bernoulli model trained once on the synthetic patterns, shared by the importance-sampling tests.</summary>
public sealed class TrainedBernoulliFixture : IDisposable
{
    public TrainedBernoulliFixture()
    {
        manual_seed(30);
        Data = Hand.BinaryPatterns();
        Model = new BernoulliVae();
        AdamLoop.Fit(Model, Data, steps: 300, learningRate: 1e-2);
    }

    public BernoulliVae Model { get; }

    public Tensor Data { get; }

    public void Dispose()
    {
        Model.Dispose();
        Data.Dispose();
    }
}

/// <summary>The log importance weights, the IWAE estimate of log p(x), and the helpers behind it.</summary>
public sealed class ImportanceSamplingTests : IClassFixture<TrainedBernoulliFixture>
{
    private readonly TrainedBernoulliFixture trained;
    private readonly ITestOutputHelper log;

    public ImportanceSamplingTests(TrainedBernoulliFixture trained, ITestOutputHelper log)
    {
        this.trained = trained;
        this.log = log;
    }

    /// <summary>log p(x|z) + log p(z) - log q(z|x) per (sample, example), by hand in double; z computed by hand from eps.</summary>
    private static double[] HandLogWeights(Tensor x, Tensor mu, Tensor logVar, Tensor eps, int latent, int features,
        Func<Tensor, double[], double> logLikelihood)
    {
        var k = (int)eps.shape[0];
        var batch = (int)mu.shape[0];
        var xs = Hand.Values(x);
        var m = Hand.Values(mu);
        var v = Hand.Values(logVar);
        var e = Hand.Values(eps);
        var z = e.Select((noise, i) => m[i % (batch * latent)] + Math.Exp(0.5 * v[i % (batch * latent)]) * noise).ToArray();
        using var zTensor = Hand.Tensor(z, k, batch, latent).to_type(ScalarType.Float32);
        var result = new double[k * batch];
        for (var s = 0; s < k; s++)
        {
            for (var b = 0; b < batch; b++)
            {
                var zRow = Hand.Row(z, s * batch + b, latent);
                using var point = zTensor[s][b];
                result[s * batch + b] = logLikelihood(point, Hand.Row(xs, b, features))
                    + Hand.StandardNormalLogDensity(zRow)
                    - Hand.DiagonalGaussianLogDensity(zRow, Hand.Row(m, b, latent), Hand.Row(v, b, latent));
            }
        }
        return result;
    }

    [Fact]
    public void Bernoulli_log_weights_equal_the_hand_Monte_Carlo_ELBO_terms()
    {
        using var scope = NewDisposeScope();
        manual_seed(31);
        using var model = new BernoulliVae();
        var x = rand(4, 12).gt(0.5).to_type(ScalarType.Float32);
        var (mu, logVar) = model.Encode(x);
        foreach (var k in new[] { 1, 3 })
        {
            var eps = randn(k, 4, 3);
            var weights = model.LogImportanceWeights(x, mu, logVar, eps);
            Assert.Equal(new long[] { k, 4 }, weights.shape);
            var expected = HandLogWeights(x, mu, logVar, eps, 3, 12,
                (z, xRow) => Hand.BernoulliLogLikelihood(xRow, Hand.Values(model.Decode(z))));
            Hand.Close(expected, Hand.Values(weights), 1e-4, 1e-5, $"log weights, k = {k}");
        }
    }

    [Fact]
    public void Gaussian_log_weights_equal_the_hand_Monte_Carlo_ELBO_terms()
    {
        using var scope = NewDisposeScope();
        manual_seed(32);
        using var model = new GaussianVae();
        var x = randn(4, 10);
        var (mu, logVar) = model.Encode(x);
        var eps = randn(1, 4, 2);
        var expected = HandLogWeights(x, mu, logVar, eps, 2, 10,
            (z, xRow) => Hand.GaussianLogLikelihood(xRow, Hand.Values(model.Decode(z)), 0.5));
        Hand.Close(expected, Hand.Values(model.LogImportanceWeights(x, mu, logVar, eps)), 1e-4, 1e-5, "log weights");
    }

    [Fact]
    public void Learned_variance_log_weights_equal_the_hand_Monte_Carlo_ELBO_terms()
    {
        using var scope = NewDisposeScope();
        manual_seed(33);
        using var model = new LearnedVarianceVae();
        var x = randn(4, 10);
        var (mu, logVar) = model.Encode(x);
        var eps = randn(1, 4, 2);
        var expected = HandLogWeights(x, mu, logVar, eps, 2, 10, (z, xRow) =>
        {
            var (mean, observationLogVar) = model.DecodeWithLogVar(z);
            return Hand.GaussianLogLikelihood(xRow, Hand.Values(mean), Hand.Values(observationLogVar));
        });
        Hand.Close(expected, Hand.Values(model.LogImportanceWeights(x, mu, logVar, eps)), 1e-4, 1e-5, "log weights");
    }

    [Fact]
    public void Log_likelihood_is_the_log_mean_exp_of_the_weights_of_its_noise()
    {
        using var scope = NewDisposeScope();
        var model = trained.Model;
        var x = trained.Data.slice(0, 0, 8, 1);
        var (mu, logVar) = model.Encode(x);
        foreach (var k in new[] { 1, 5 })
        {
            // LogLikelihood draws its noise from the global generator after encoding: replay the same draw.
            manual_seed(34);
            var estimate = Hand.Values(model.LogLikelihood(x, k));
            manual_seed(34);
            var weights = Hand.Values(model.LogImportanceWeights(x, mu, logVar, randn(k, 8, 3)));
            var expected = Enumerable.Range(0, 8)
                .Select(b => Math.Log(Enumerable.Range(0, k).Average(s => Math.Exp(weights[s * 8 + b]))))
                .ToArray();
            Hand.Close(expected, estimate, 1e-4, 1e-5, $"log p(x) estimate, k = {k}");
        }
    }

    [Fact]
    public void One_sample_estimate_averages_to_the_analytic_KL_ELBO()
    {
        using var scope = NewDisposeScope();
        manual_seed(35);
        var model = trained.Model;
        using var noGrad = no_grad();
        var x = trained.Data.repeat(8, 1); // 512 rows
        const int groups = 40;
        var differences = new double[groups];
        var kl = 0.0;
        for (var g = 0; g < groups; g++)
        {
            using var inner = NewDisposeScope();
            // Both are unbiased estimates of the same batch-mean ELBO: E[log w] with k = 1 is the ELBO, and -Loss.Total is
            // the reparameterized reconstruction plus the closed-form KL. Their difference has mean zero.
            var iwae = Hand.Values(model.LogLikelihood(x, 1)).Average();
            var loss = model.Loss(x, model.forward(x));
            differences[g] = iwae + Hand.Scalar(loss.Total);
            kl += Hand.Scalar(loss.Kl) / groups;
        }
        var (mean, standardError) = Hand.MeanAndStandardError(differences);
        log.WriteLine($"mean(log w, k = 1) + Loss.Total = {mean:F4} +- {standardError:F4}; KL = {kl:F3}");
        // Within 4 standard errors of zero (probability of a false failure below 1e-4)...
        Assert.True(Math.Abs(mean) <= 4 * standardError, $"mean difference {mean} +- {standardError}");
        // ...and the check could fail: a missing or doubled KL would move the mean by far more than that.
        Assert.True(kl > 20 * standardError, $"KL {kl} is not large against the standard error {standardError}");
    }

    [Fact]
    public void More_importance_samples_tighten_the_bound()
    {
        using var scope = NewDisposeScope();
        manual_seed(36);
        var model = trained.Model;
        var x = trained.Data.repeat(4, 1); // 256 rows
        var one = Hand.Values(model.LogLikelihood(x, 1));
        var many = Hand.Values(model.LogLikelihood(x, 64));
        var gaps = many.Zip(one, (a, b) => a - b).ToArray();
        var (gap, standardError) = Hand.MeanAndStandardError(gaps);
        log.WriteLine($"k = 1: {one.Average():F4}, k = 64: {many.Average():F4}, gap {gap:F4} +- {standardError:F4}");
        Assert.True(many.Average() > one.Average(), $"k = 64: {many.Average()}, k = 1: {one.Average()}");
        Assert.True(gap > 4 * standardError, $"gap {gap} +- {standardError}");
    }

    [Fact]
    public void Log_mean_exp_matches_the_direct_formula()
    {
        using var scope = NewDisposeScope();
        double[] values = { -3.0, -1.5, 0.25, -10.0, 2.0, -0.5 };
        var result = Hand.Values(ImportanceSampling.LogMeanExp(Hand.Tensor(values, 3, 2), 0));
        var expected = Enumerable.Range(0, 2).Select(c => Math.Log(Enumerable.Range(0, 3).Average(r => Math.Exp(values[r * 2 + c])))).ToArray();
        Hand.Close(expected, result, 1e-12, 1e-12, "log-mean-exp over dim 0");
        var lastDim = Hand.Values(ImportanceSampling.LogMeanExp(Hand.Tensor(values, 3, 2), -1));
        var expectedLast = Enumerable.Range(0, 3).Select(r => Math.Log((Math.Exp(values[r * 2]) + Math.Exp(values[r * 2 + 1])) / 2)).ToArray();
        Hand.Close(expectedLast, lastDim, 1e-12, 1e-12, "log-mean-exp over dim -1");
        // Stable where exp overflows: log mean exp(1000 + t) = 1000 + log mean exp(t).
        var shifted = Hand.Values(ImportanceSampling.LogMeanExp(Hand.Tensor(values.Select(v => v + 1000).ToArray(), 3, 2), 0));
        Hand.Close(expected.Select(v => v + 1000).ToArray(), shifted, 1e-9, 1e-12, "shifted by 1000");
    }

    [Fact]
    public void Chunk_size_bounds_the_values_per_chunk()
    {
        // 2^19 = 524,288 values per chunk: 78,400 values per sample (a batch of 100 of 784) allow 6 samples at once,
        // and 784,000 (a batch of 1,000) allow none, so one.
        Assert.Equal(1L << 19, ImportanceSampling.ElementsPerChunk);
        Assert.Equal(1, ImportanceSampling.ChunkSize(100, 1000, 784));
        Assert.Equal(6, ImportanceSampling.ChunkSize(1000, 100, 784));
        Assert.Equal(66, ImportanceSampling.ChunkSize(1000, 10, 784));
        Assert.Equal(5, ImportanceSampling.ChunkSize(5, 8, 12));
        Assert.Equal(1, ImportanceSampling.ChunkSize(10, 1L << 20, 1L << 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImportanceSampling.ChunkSize(0, 8, 12));
    }

    [Fact]
    public void LogMeanExp_is_differentiable_with_softmax_weights()
    {
        using var scope = NewDisposeScope();
        var values = randn(5, 3, dtype: ScalarType.Float64).requires_grad_();
        ImportanceSampling.LogMeanExp(values, 0).sum().backward();
        Assert.True(values.grad!.allclose(softmax(values.detach(), 0), rtol: 0, atol: 1e-12));
    }
}
