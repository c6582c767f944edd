using System;
using System.Linq;
using TorchSharp;
using VaeGen.Maths;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Distributions;

/// <summary>GaussianMixture.Sample: its draws have the mixture's moments and component frequencies, and a seed fixes them.</summary>
public sealed class MixtureSamplingTests
{
    private const int Count = 200_000;

    [Fact]
    public void Draws_have_the_mixture_mean_and_variance_within_sampling_error()
    {
        using var scope = NewDisposeScope();
        double[] means = { -2, 1, 0.5, -1, 3, 2 };
        double[] logVars = { Math.Log(0.5), Math.Log(2), 0, Math.Log(0.1), Math.Log(1.5), Math.Log(0.3) };
        double[] weights = { 0.2, 0.5, 0.3 };
        using var generator = new Generator(11);
        var draws = GaussianMixture.Sample(Count, Hand.Tensor(means, 3, 2), Hand.Tensor(logVars, 3, 2),
            Hand.Tensor(weights.Select(w => Math.Log(w)).ToArray(), 3), generator);
        Assert.Equal(new long[] { Count, 2 }, draws.shape);
        Assert.Equal(ScalarType.Float64, draws.dtype);
        var values = Hand.Values(draws);
        for (var j = 0; j < 2; j++)
        {
            // E[z] = sum_k w_k m_k; Var[z] = sum_k w_k (s_k^2 + m_k^2) - E[z]^2.
            var mean = Enumerable.Range(0, 3).Sum(k => weights[k] * means[k * 2 + j]);
            var variance = Enumerable.Range(0, 3).Sum(k => weights[k] * (Math.Exp(logVars[k * 2 + j]) + means[k * 2 + j] * means[k * 2 + j])) - mean * mean;
            var column = Enumerable.Range(0, Count).Select(n => values[n * 2 + j]).ToArray();
            var sampleMean = column.Average();
            var sampleVariance = column.Sum(v => (v - sampleMean) * (v - sampleMean)) / (Count - 1);
            var fourth = column.Average(v => Math.Pow(v - sampleMean, 4));
            // Five standard errors: the mean's is sqrt(Var / n), the variance's sqrt((mu_4 - Var^2) / n).
            Hand.Close(mean, sampleMean, 5 * Math.Sqrt(variance / Count), 0, $"mean[{j}]");
            Hand.Close(variance, sampleVariance, 5 * Math.Sqrt((fourth - sampleVariance * sampleVariance) / Count), 0, $"variance[{j}]");
        }
    }

    [Fact]
    public void Components_are_drawn_with_their_weights_or_equally_without_weights()
    {
        using var scope = NewDisposeScope();
        // One dimension, components at -100, 0 and 100 with unit variance: the nearest mean tells a draw's component.
        var means = Hand.Tensor(new double[] { -100, 0, 100 }, 3, 1);
        var logVars = zeros(3, 1, dtype: ScalarType.Float64);
        double[] weights = { 0.1, 0.6, 0.3 };
        using var generator = new Generator(12);
        foreach (var (logWeights, expected) in new[]
                 {
                     (Hand.Tensor(weights.Select(w => Math.Log(w)).ToArray(), 3), weights),
                     ((Tensor?)null, new[] { 1.0 / 3, 1.0 / 3, 1.0 / 3 }),
                 })
        {
            var values = Hand.Values(GaussianMixture.Sample(Count, means, logVars, logWeights, generator));
            for (var k = 0; k < 3; k++)
            {
                var fraction = values.Count(v => (int)Math.Round(v / 100) == k - 1) / (double)Count;
                Hand.Close(expected[k], fraction, 5 * Math.Sqrt(expected[k] * (1 - expected[k]) / Count), 0, $"P(k = {k})");
            }
        }
    }

    [Fact]
    public void A_seeded_generator_gives_the_same_draws_and_another_seed_different_ones()
    {
        using var scope = NewDisposeScope();
        var random = new Random(13);
        var means = Hand.Tensor(Draws.Normal(random, 12), 4, 3).to_type(ScalarType.Float32);
        var logVars = Hand.Tensor(Draws.Normal(random, 12, 0.5), 4, 3).to_type(ScalarType.Float32);
        var logWeights = Hand.Tensor(new[] { 0.1, 0.2, 0.3, 0.4 }.Select(w => Math.Log(w)).ToArray(), 4).to_type(ScalarType.Float32);
        Tensor Draw(long seed)
        {
            using var generator = new Generator((ulong)seed);
            return GaussianMixture.Sample(50, means, logVars, logWeights, generator);
        }
        Assert.Equal(Hand.Values(Draw(5)), Hand.Values(Draw(5)));
        Assert.NotEqual(Hand.Values(Draw(5)), Hand.Values(Draw(6)));

        // Without a generator, TorchSharp's global one: torch.manual_seed makes the draws reproducible.
        torch.manual_seed(5);
        var first = Hand.Values(GaussianMixture.Sample(50, means, logVars, null));
        torch.manual_seed(5);
        Assert.Equal(first, Hand.Values(GaussianMixture.Sample(50, means, logVars, null)));
    }

    [Fact]
    public void Draws_record_no_gradient_and_refuse_a_count_below_one()
    {
        using var scope = NewDisposeScope();
        var means = zeros(2, 3).requires_grad_();
        var logVars = zeros(2, 3).requires_grad_();
        var logWeights = zeros(2).log_softmax(-1);
        Assert.False(GaussianMixture.Sample(4, means, logVars, logWeights).requires_grad);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => GaussianMixture.Sample(0, means, logVars, logWeights));
        Assert.Equal("count", error.ParamName);
        Assert.Equal(0L, error.ActualValue);
        Assert.Equal("logVars", Assert.Throws<ArgumentException>(() => GaussianMixture.Sample(4, means, zeros(3, 3), null)).ParamName);
    }
}
