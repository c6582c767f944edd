using System;
using System.Linq;
using TorchSharp;
using VaeGen.Maths;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>The runtime log-densities and KL in double precision against textbook formulas, with their gradients.</summary>
public sealed class MathsTests
{
    private static double[] Wave(int count, double scale, double phase) =>
        Enumerable.Range(0, count).Select(i => scale * Math.Sin(0.9 * i + phase)).ToArray();

    [Fact]
    public void Bernoulli_density_matches_the_formula_and_broadcasts_over_a_sample_dimension()
    {
        using var scope = NewDisposeScope();
        // x: [2, 4] with binary and fractional targets; logits: [3, 2, 4].
        double[] xValues = { 1, 0, 0.25, 1, 0, 0.8, 1, 0 };
        var logitValues = Wave(24, 3.0, 0.2);
        var x = Hand.Tensor(xValues, 2, 4);
        var logits = Hand.Tensor(logitValues, 3, 2, 4);
        var result = LogDensity.Bernoulli(x, logits);
        Assert.Equal(new long[] { 3, 2 }, result.shape);
        var expected = Enumerable.Range(0, 6)
            .Select(r => Hand.BernoulliLogLikelihood(Hand.Row(xValues, r % 2, 4), Hand.Row(logitValues, r, 4)))
            .ToArray();
        Hand.Close(expected, Hand.Values(result), 1e-12, 1e-12, "log p(x)");
        Assert.Equal(xValues, Hand.Values(x));
    }

    [Fact]
    public void Bernoulli_density_is_stable_at_large_logits()
    {
        using var scope = NewDisposeScope();
        var x = Hand.Tensor(new double[] { 1, 0, 1, 0 }, 1, 4);
        var logits = Hand.Tensor(new double[] { 200, -200, -200, 200 }, 1, 4);
        // Right answers are certain (log 1 = 0); wrong ones cost |l| nats each: log sigmoid(-200) = -200 to double precision.
        Hand.Close(-400.0, Hand.Values(LogDensity.Bernoulli(x, logits))[0], 1e-9, 1e-12, "log p(x)");
    }

    [Theory]
    [InlineData(ScalarType.Float64, 1e-12)]
    [InlineData(ScalarType.Float32, 1e-5)]
    public void Bernoulli_density_without_a_gradient_agrees_with_the_path_that_keeps_one(ScalarType type, double tolerance)
    {
        // Evaluation scores float32 CPU tensors row by row in C# (BernoulliRows) and float64 in two libtorch passes (softplus, then x * l); training takes libtorch's cross-entropy kernel, whose
        // backward is its own. Logits from -60 to 60 cross softplus's threshold; targets binary and fractional.
        using var scope = NewDisposeScope();
        var x = Hand.Tensor(Enumerable.Range(0, 2 * 61).Select(i => i % 5 == 0 ? 0.3 : i % 2).ToArray(), 2, 61).to_type(type);
        var logits = Hand.Tensor(Enumerable.Range(0, 3 * 2 * 61).Select(i => (i % 61 - 30) * 2.0 + 0.37 * Math.Sin(i)).ToArray(), 3, 2, 61).to_type(type);

        var evaluated = Hand.Values(LogDensity.Bernoulli(x, logits).to_type(ScalarType.Float64));
        var withGradient = LogDensity.Bernoulli(x, logits.detach().requires_grad_(true));
        Assert.True(withGradient.requires_grad);
        var trained = Hand.Values(withGradient.detach().to_type(ScalarType.Float64));

        // x * l - softplus(l), softplus(l) = max(l, 0) + log1p(exp(-|l|)) in double: stable at any logit.
        var xs = Hand.Values(x.to_type(ScalarType.Float64));
        var ls = Hand.Values(logits.to_type(ScalarType.Float64));
        var expected = Enumerable.Range(0, 6).Select(r => Enumerable.Range(0, 61).Sum(j =>
        {
            double target = xs[r % 2 * 61 + j], logit = ls[r * 61 + j];
            return target * logit - (Math.Max(logit, 0) + Math.Log(1 + Math.Exp(-Math.Abs(logit))));
        })).ToArray();
        Hand.Close(trained, evaluated, tolerance, tolerance, "log p(x), no gradient against with one");
        Hand.Close(expected, evaluated, tolerance, tolerance, "log p(x), no gradient against the formula");
    }

    [Fact]
    public void Gaussian_density_matches_the_formula_with_its_normalizing_constant()
    {
        using var scope = NewDisposeScope();
        var xValues = Wave(10, 1.5, 0.1);
        var meanValues = Wave(20, 1.0, 1.3);
        var x = Hand.Tensor(xValues, 2, 5);
        var mean = Hand.Tensor(meanValues, 2, 2, 5);
        foreach (var variance in new[] { 1.0, 0.5, 3.7 })
        {
            var result = LogDensity.Gaussian(x, mean, variance);
            Assert.Equal(new long[] { 2, 2 }, result.shape);
            var expected = Enumerable.Range(0, 4)
                .Select(r => Hand.GaussianLogLikelihood(Hand.Row(xValues, r % 2, 5), Hand.Row(meanValues, r, 5), variance))
                .ToArray();
            Hand.Close(expected, Hand.Values(result), 1e-12, 1e-12, $"log p(x), s^2 = {variance}");
        }
    }

    [Fact]
    public void Gaussian_density_with_log_variance_matches_the_formula()
    {
        using var scope = NewDisposeScope();
        var xValues = Wave(10, 1.5, 0.4);
        var meanValues = Wave(10, 1.0, 2.1);
        var logVarValues = Wave(10, 1.2, 0.7);
        var result = LogDensity.GaussianWithLogVar(Hand.Tensor(xValues, 2, 5), Hand.Tensor(meanValues, 2, 5), Hand.Tensor(logVarValues, 2, 5));
        var expected = Enumerable.Range(0, 2)
            .Select(r => Hand.GaussianLogLikelihood(Hand.Row(xValues, r, 5), Hand.Row(meanValues, r, 5), Hand.Row(logVarValues, r, 5)))
            .ToArray();
        Hand.Close(expected, Hand.Values(result), 1e-12, 1e-12, "log p(x)");
    }

    [Fact]
    public void Prior_and_posterior_densities_match_the_formulas()
    {
        using var scope = NewDisposeScope();
        var muValues = Wave(6, 1.0, 0.3);
        var logVarValues = Wave(6, 1.5, 1.1);
        var epsValues = Wave(12, 1.3, 2.2);
        var eps = Hand.Tensor(epsValues, 2, 2, 3);
        var logVar = Hand.Tensor(logVarValues, 2, 3);
        var posterior = Hand.Values(LogDensity.DiagonalGaussianAtSample(eps, logVar));
        var prior = Hand.Values(LogDensity.StandardNormal(Reparameterization.Sample(Hand.Tensor(muValues, 2, 3), logVar, eps)));
        for (var r = 0; r < 4; r++)
        {
            var mu = Hand.Row(muValues, r % 2, 3);
            var v = Hand.Row(logVarValues, r % 2, 3);
            var z = Hand.Row(epsValues, r, 3).Select((e, j) => mu[j] + Math.Exp(0.5 * v[j]) * e).ToArray();
            Hand.Close(Hand.DiagonalGaussianLogDensity(z, mu, v), posterior[r], 1e-12, 1e-12, $"log q(z)[{r}]");
            Hand.Close(Hand.StandardNormalLogDensity(z), prior[r], 1e-12, 1e-12, $"log p(z)[{r}]");
        }
    }

    [Fact]
    public void Gradients_of_the_densities_and_KL_are_the_analytic_ones()
    {
        using var scope = NewDisposeScope();
        var xValues = new double[] { 1, 0, 0.3, 0.9, -0.4, 2.0 };
        var aValues = Wave(6, 1.4, 0.5);
        var bValues = Wave(6, 0.9, 1.9);
        var x = Hand.Tensor(xValues, 2, 3);
        var xBinary = Hand.Tensor(xValues.Select(v => Math.Clamp(v, 0, 1)).ToArray(), 2, 3);
        var xb = Hand.Values(xBinary);

        // Bernoulli: d/dl sum log p = x - sigmoid(l).
        var logits = Hand.Tensor(aValues, 2, 3).requires_grad_();
        LogDensity.Bernoulli(xBinary, logits).sum().backward();
        Hand.Close(aValues.Select((l, i) => xb[i] - Hand.Sigmoid(l)).ToArray(), Hand.Values(logits.grad!), 1e-12, 1e-12, "Bernoulli d/dl");

        // Fixed-variance Gaussian: d/dm = (x - m) / s^2.
        var mean = Hand.Tensor(aValues, 2, 3).requires_grad_();
        LogDensity.Gaussian(x, mean, 0.5).sum().backward();
        Hand.Close(aValues.Select((m, i) => (xValues[i] - m) / 0.5).ToArray(), Hand.Values(mean.grad!), 1e-12, 1e-12, "Gaussian d/dm");

        // Learned variance: d/dm = (x - m) exp(-v); d/dv = 0.5 ((x - m)^2 exp(-v) - 1).
        var mean2 = Hand.Tensor(aValues, 2, 3).requires_grad_();
        var logVar = Hand.Tensor(bValues, 2, 3).requires_grad_();
        LogDensity.GaussianWithLogVar(x, mean2, logVar).sum().backward();
        Hand.Close(aValues.Select((m, i) => (xValues[i] - m) * Math.Exp(-bValues[i])).ToArray(), Hand.Values(mean2.grad!), 1e-12, 1e-12, "d/dm");
        Hand.Close(aValues.Select((m, i) => 0.5 * ((xValues[i] - m) * (xValues[i] - m) * Math.Exp(-bValues[i]) - 1)).ToArray(),
            Hand.Values(logVar.grad!), 1e-12, 1e-12, "d/dv");

        // KL: d/dmu = mu; d/dlogVar = 0.5 (exp(logVar) - 1).
        var mu = Hand.Tensor(aValues, 2, 3).requires_grad_();
        var posteriorLogVar = Hand.Tensor(bValues, 2, 3).requires_grad_();
        GaussianKl.FromStandardNormal(mu, posteriorLogVar).sum().backward();
        Hand.Close(aValues, Hand.Values(mu.grad!), 1e-12, 1e-12, "KL d/dmu");
        Hand.Close(bValues.Select(v => 0.5 * (Math.Exp(v) - 1)).ToArray(), Hand.Values(posteriorLogVar.grad!), 1e-12, 1e-12, "KL d/dlogVar");
    }
}
