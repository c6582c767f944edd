using System;
using System.Linq;
using TorchSharp;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Training;

/// <summary>Evaluation.LatentUsage and the conditional Evaluation.Elbo against direct double-precision computations.</summary>
public sealed class LatentUsageTests
{
    // Seven examples, three latent dimensions: one that varies, one constant (zero activity), one that barely moves.
    private static readonly double[,] Mu =
    {
        { 1.5, 0.25, 0.001 }, { -0.5, 0.25, 0.002 }, { 2.0, 0.25, -0.001 }, { 0.0, 0.25, 0.0 },
        { -1.25, 0.25, 0.003 }, { 0.75, 0.25, -0.002 }, { 3.0, 0.25, 0.001 },
    };

    private static readonly double[,] LogVar =
    {
        { -1.0, 0.0, 0.5 }, { -2.0, 0.1, 0.25 }, { 0.3, -0.1, 0.0 }, { -0.5, 0.0, -0.25 },
        { 0.0, 0.2, 0.1 }, { -3.0, -0.3, 0.2 }, { 1.0, 0.0, -0.5 },
    };

    private static Tensor Rows(double[,] values) => tensor(values, ScalarType.Float64);

    [Fact]
    public void Latent_usage_matches_a_direct_computation()
    {
        using var mu = Rows(Mu);
        using var logVar = Rows(LogVar);
        using var data = arange(7, dtype: ScalarType.Float32).unsqueeze(1);
        // The encoder returns the rows of the fixed tables that the batch's indices name (float32, as a model would).
        Func<Tensor, (Tensor, Tensor)> encode = batch =>
        {
            var index = batch[.., 0].to(ScalarType.Int64);
            return (mu.index_select(0, index), logVar.index_select(0, index));
        };

        foreach (var batchSize in new[] { 1, 3, 7, 100 })
        {
            var usage = Evaluation.LatentUsage(data, batchSize, encode);
            for (var j = 0; j < 3; j++)
            {
                var column = Enumerable.Range(0, 7).Select(i => Mu[i, j]).ToArray();
                var kl = Enumerable.Range(0, 7).Select(i => 0.5 * (Mu[i, j] * Mu[i, j] + Math.Exp(LogVar[i, j]) - 1 - LogVar[i, j])).Average();
                var mean = column.Average();
                var activity = column.Select(m => (m - mean) * (m - mean)).Average();
                Assert.Equal(kl, usage.KlPerDimension![j], 12);
                Assert.Equal(activity, usage.Activity[j], 12);
            }
            Assert.Equal(0.0, usage.Activity[1]);
            Assert.True(usage.Activity[2] is > 0 and < 0.01);
            Assert.Equal(1, usage.ActiveUnits);
            Assert.Equal(0.01, usage.Threshold);
            Assert.Equal(7, usage.Examples);
            Assert.Equal(2, Evaluation.LatentUsage(data, batchSize, encode, threshold: 1e-6).ActiveUnits);
            // The constant dimension is never active, not even at threshold 0.
            Assert.Equal(2, Evaluation.LatentUsage(data, batchSize, encode, threshold: 0).ActiveUnits);
        }
    }

    [Fact]
    public void Latent_usage_keeps_a_small_variance_on_a_large_mean()
    {
        // Means near 1e6 that vary by about 1e-3: a sum-of-squares formula would lose every digit of the variance.
        const int count = 1000;
        var values = Enumerable.Range(0, count).Select(i => 1e6 + 1e-3 * Math.Sin(i)).ToArray();
        using var mu = tensor(values, ScalarType.Float64).unsqueeze(1);
        using var logVar = zeros(count, 1, ScalarType.Float64);
        using var data = arange(count, dtype: ScalarType.Float32).unsqueeze(1);
        var usage = Evaluation.LatentUsage(data, 37, batch =>
        {
            var index = batch[.., 0].to(ScalarType.Int64);
            return (mu.index_select(0, index), logVar.index_select(0, index));
        });
        var mean = values.Average();
        var expected = values.Select(v => (v - mean) * (v - mean)).Average();
        Assert.Equal(expected, usage.Activity[0], expected * 1e-6);
    }

    [Fact]
    public void Latent_usage_refuses_bad_arguments_clearly()
    {
        using var data = zeros(4, 2);
        Func<Tensor, (Tensor, Tensor)> encode = batch => (zeros(batch.shape[0], 3), zeros(batch.shape[0], 3));
        Assert.Equal("batchSize", Assert.Throws<ArgumentOutOfRangeException>(() => Evaluation.LatentUsage(data, 0, encode)).ParamName);
        Assert.Equal("threshold", Assert.Throws<ArgumentOutOfRangeException>(() => Evaluation.LatentUsage(data, 2, encode, -0.1)).ParamName);
        Assert.Equal("threshold", Assert.Throws<ArgumentOutOfRangeException>(() => Evaluation.LatentUsage(data, 2, encode, double.NaN)).ParamName);
        using var empty = zeros(0, 2);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => Evaluation.LatentUsage(empty, 2, encode)).Message);
        var mismatch = Assert.Throws<ArgumentException>(() => Evaluation.LatentUsage(data, 2, batch => (zeros(batch.shape[0], 3), zeros(batch.shape[0], 2))));
        Assert.Contains("[2, 3] and [2, 2]", mismatch.Message);
    }

    [Fact]
    public void Conditional_evaluations_slice_the_conditions_with_the_data()
    {
        using var data = arange(10, dtype: ScalarType.Float32).unsqueeze(1);
        using var labels = arange(10, dtype: ScalarType.Int64).mul(3);

        var elbo = Evaluation.Elbo(data, labels, 4, (batch, condition) =>
        {
            Assert.True(batch[.., 0].to(ScalarType.Int64).mul(3).equal(condition).all().item<bool>());
            return (batch.mean(), condition.to(ScalarType.Float32).mean());
        });
        Assert.Equal(4.5, elbo.Reconstruction, 9);
        Assert.Equal(13.5, elbo.Kl, 9);
        Assert.Equal(10, elbo.Examples);

        var usage = Evaluation.LatentUsage(data, labels, 3, (batch, condition) =>
        {
            Assert.True(batch[.., 0].to(ScalarType.Int64).mul(3).equal(condition).all().item<bool>());
            return (condition.to(ScalarType.Float64).unsqueeze(1), zeros(batch.shape[0], 1, ScalarType.Float64));
        });
        var means = Enumerable.Range(0, 10).Select(i => 3.0 * i).ToArray();
        Assert.Equal(means.Select(m => (m - 13.5) * (m - 13.5)).Average(), usage.Activity[0], 9);
        Assert.Equal(means.Select(m => 0.5 * m * m).Average(), usage.KlPerDimension![0], 9);

        using var tooMany = zeros(11, ScalarType.Int64);
        var error = Assert.Throws<ArgumentException>(() => Evaluation.Elbo(data, tooMany, 4, (b, c) => (b.mean(), c.mean())));
        Assert.Contains("[11]", error.Message);
        Assert.Contains("[10, 1]", error.Message);
        Assert.Contains("[11]", Assert.Throws<ArgumentException>(() => Evaluation.LatentUsage(data, tooMany, 4, (b, c) => (b, b))).Message);
    }
}
