using System;
using System.Linq;
using TorchSharp;
using VaeGen.Maths;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>
/// The Laplace, Continuous Bernoulli, Categorical and Poisson log-densities and means against direct computations in
/// double written out here, in float64 and float32, with the normalization of each density checked by summation or
/// quadrature.
/// </summary>
public sealed class LikelihoodTests
{
    private static readonly ScalarType[] Precisions = { ScalarType.Float64, ScalarType.Float32 };

    private static double[] Wave(int count, double scale, double phase) =>
        Enumerable.Range(0, count).Select(i => scale * Math.Sin(0.9 * i + phase)).ToArray();

    private static Tensor Typed(double[] values, ScalarType dtype, params long[] shape) => Hand.Tensor(values, shape).to_type(dtype);

    /// <summary>Relative tolerance for a dtype: double rounding, or float32's 2^-24 with room for sums of a few terms.</summary>
    private static double Tolerance(ScalarType dtype) => dtype == ScalarType.Float64 ? 1e-12 : 2e-6;

    /// <summary>Composite Simpson's rule over equally spaced values (an odd count) with spacing h.</summary>
    private static double Simpson(double[] f, double h)
    {
        Assert.Equal(1, f.Length % 2);
        var sum = f[0] + f[^1];
        for (var i = 1; i < f.Length - 1; i++) sum += (i % 2 == 1 ? 4 : 2) * f[i];
        return sum * h / 3;
    }

    private static double[] Grid(double from, double to, int points) =>
        Enumerable.Range(0, points).Select(i => from + (to - from) * i / (points - 1)).ToArray();

    // ---- Laplace ----

    private static double LaplaceDirect(double[] x, double[] m, Func<int, double> scale)
    {
        var sum = 0.0;
        for (var j = 0; j < x.Length; j++) sum += -Math.Abs(x[j] - m[j]) / scale(j) - Math.Log(2 * scale(j));
        return sum;
    }

    [Fact]
    public void Laplace_with_a_fixed_scale_matches_the_formula_and_broadcasts_over_a_sample_dimension()
    {
        using var scope = NewDisposeScope();
        var xValues = Wave(8, 1.5, 0.1);
        var locationValues = Wave(24, 1.0, 1.3);
        foreach (var dtype in Precisions)
        foreach (var scale in new[] { 1.0, 0.3, 2.5 })
        {
            var result = LogDensity.Laplace(Typed(xValues, dtype, 2, 4), Typed(locationValues, dtype, 3, 2, 4), scale);
            Assert.Equal(new long[] { 3, 2 }, result.shape);
            Assert.Equal(dtype, result.dtype);
            var expected = Enumerable.Range(0, 6)
                .Select(r => LaplaceDirect(Hand.Row(xValues, r % 2, 4), Hand.Row(locationValues, r, 4), _ => scale))
                .ToArray();
            Hand.Close(expected, Hand.Values(result), Tolerance(dtype), Tolerance(dtype), $"{dtype} log p(x), b = {scale}");
        }
    }

    [Fact]
    public void Laplace_with_a_log_scale_matches_the_formula_and_broadcasts_over_a_sample_dimension()
    {
        using var scope = NewDisposeScope();
        var xValues = Wave(8, 1.5, 0.4);
        var locationValues = Wave(24, 1.0, 2.1);
        var logScaleValues = Wave(24, 1.2, 0.7);
        foreach (var dtype in Precisions)
        {
            var result = LogDensity.LaplaceWithLogScale(
                Typed(xValues, dtype, 2, 4), Typed(locationValues, dtype, 3, 2, 4), Typed(logScaleValues, dtype, 3, 2, 4));
            Assert.Equal(new long[] { 3, 2 }, result.shape);
            var expected = Enumerable.Range(0, 6)
                .Select(r => LaplaceDirect(Hand.Row(xValues, r % 2, 4), Hand.Row(locationValues, r, 4), j => Math.Exp(logScaleValues[r * 4 + j])))
                .ToArray();
            Hand.Close(expected, Hand.Values(result), Tolerance(dtype), Tolerance(dtype), $"{dtype} log p(x)");
        }
    }

    [Fact]
    public void Laplace_densities_integrate_to_one_and_have_the_sign_gradient()
    {
        using var scope = NewDisposeScope();
        // One feature, 20,001 points over m +- 40 b: the tails beyond hold e^-40 of the mass. The kink at m is a grid point.
        const double m = 0.3, b = 0.7;
        var grid = Grid(m - 40 * b, m + 40 * b, 20_001);
        var x = Hand.Tensor(grid, grid.Length, 1);
        var location = Hand.Tensor(new[] { m }, 1);
        var fixedScale = Hand.Values(LogDensity.Laplace(x, location, b).exp());
        var learned = Hand.Values(LogDensity.LaplaceWithLogScale(x, location, Hand.Tensor(new[] { Math.Log(b) }, 1)).exp());
        Hand.Close(1.0, Simpson(fixedScale, grid[1] - grid[0]), 1e-6, 0, "integral, fixed scale");
        Hand.Close(1.0, Simpson(learned, grid[1] - grid[0]), 1e-6, 0, "integral, learned scale");

        // d/dm = sign(x - m) / b; d/ds = |x - m| exp(-s) - 1.
        var xValues = new[] { 1.0, -0.5, 0.2, 2.0 };
        var mValues = new[] { 0.5, 0.5, -0.3, 2.5 };
        var sValues = new[] { 0.1, -0.4, 0.9, 0.0 };
        var mean = Hand.Tensor(mValues, 1, 4).requires_grad_();
        LogDensity.Laplace(Hand.Tensor(xValues, 1, 4), mean, b).sum().backward();
        Hand.Close(xValues.Select((v, j) => Math.Sign(v - mValues[j]) / b).ToArray(), Hand.Values(mean.grad!), 1e-12, 1e-12, "d/dm");
        var logScale = Hand.Tensor(sValues, 1, 4).requires_grad_();
        LogDensity.LaplaceWithLogScale(Hand.Tensor(xValues, 1, 4), Hand.Tensor(mValues, 1, 4), logScale).sum().backward();
        Hand.Close(xValues.Select((v, j) => Math.Abs(v - mValues[j]) * Math.Exp(-sValues[j]) - 1).ToArray(),
            Hand.Values(logScale.grad!), 1e-12, 1e-12, "d/ds");
    }

    [Fact]
    public void Laplace_rejects_a_scale_that_is_not_positive_and_finite()
    {
        using var x = zeros(2, 3);
        foreach (var scale in new[] { 0.0, -1.0, double.NaN, double.PositiveInfinity })
            Assert.Equal("scale", Assert.Throws<ArgumentOutOfRangeException>(() => LogDensity.Laplace(x, x, scale)).ParamName);
    }

    // ---- Continuous Bernoulli ----

    private static double Sigmoid(double l) => 1.0 / (1.0 + Math.Exp(-l));

    /// <summary>
    /// log C from the paper's form C(lambda) = 2 artanh(1 - 2 lambda) / (1 - 2 lambda), with 1 - lambda and 1 - 2 lambda
    /// formed from sigmoid(-l) so that neither cancels at large |l|. Cancels near l = 0, so used for |l| of 0.1 and up.
    /// </summary>
    private static double LogNormalizerFromLambda(double l)
    {
        var lambda = Sigmoid(l);
        var oneMinusLambda = Sigmoid(-l);
        var u = oneMinusLambda - lambda; // 1 - 2 lambda
        var artanh = 0.5 * Math.Log(oneMinusLambda / lambda); // 0.5 log((1 + u) / (1 - u))
        return Math.Log(2 * artanh / u);
    }

    /// <summary>
    /// log C(l) = log 2 + log(y cosh y / sinh y) with y = l / 2, cosh y and sinh y / y from their own power series (all
    /// terms positive, so no cancellation): a reference near 0 that shares nothing with the implementation's series.
    /// </summary>
    private static double LogNormalizerBySeries(double l)
    {
        var y2 = l * l / 4;
        double cosh = 0, sinhOverY = 0, term = 1;
        for (var k = 0; k < 40; k++)
        {
            cosh += term;                        // y^(2k) / (2k)!
            sinhOverY += term / (2 * k + 1);     // y^(2k) / (2k + 1)!
            term *= y2 / ((2 * k + 1) * (2 * k + 2));
        }
        return Math.Log(2) + Math.Log(cosh / sinhOverY);
    }

    /// <summary>The reference log C: the series below |l| = 1, the paper's closed form above.</summary>
    private static double LogNormalizerReference(double l) => Math.Abs(l) < 1 ? LogNormalizerBySeries(l) : LogNormalizerFromLambda(l);

    /// <summary>
    /// d log C / dl = 1 / l - 1 / sinh l = (sinh l - l) / (l sinh l); below |l| = 1 with sinh l - l from its power series
    /// l^3/3! + l^5/5! + ..., which does not cancel.
    /// </summary>
    private static double LogNormalizerGradientReference(double l)
    {
        if (l == 0) return 0;
        if (Math.Abs(l) >= 1) return 1 / l - 1 / Math.Sinh(l);
        double excess = 0, term = l * l * l / 6;
        for (var k = 1; k < 30; k++)
        {
            excess += term;                                // l^(2k + 1) / (2k + 1)!
            term *= l * l / ((2 * k + 2) * (2 * k + 3));
        }
        return excess / (l * (l + excess));
    }

    /// <summary>The paper's density in lambda: x log lambda + (1 - x) log(1 - lambda) + log C.</summary>
    private static double ContinuousBernoulliDirect(double[] x, double[] logits)
    {
        var sum = 0.0;
        for (var j = 0; j < x.Length; j++)
        {
            var l = logits[j];
            sum += x[j] * Math.Log(Sigmoid(l)) + (1 - x[j]) * Math.Log(Sigmoid(-l)) + LogNormalizerReference(l);
        }
        return sum;
    }

    private static readonly double[] QuadratureLogits = { -20, -3, -0.5, -1e-4, 0, 1e-4, 0.7, 5, 30 };

    [Fact]
    public void Continuous_Bernoulli_density_matches_the_formula_and_broadcasts_over_a_sample_dimension()
    {
        using var scope = NewDisposeScope();
        double[] xValues = { 0, 1, 0.25, 0.8, 0.5, 0.01, 0.99, 0.3 };
        // Logits across both branches of the normalizer: near 0, moderate, and far into saturation.
        double[] logitValues = { 0, 1e-3, -0.2, 0.26, -2.5, 7, -30, 60, 0.1, -0.05, 1.5, -4, 12, -0.7, 0.3, 3 };
        var x = Hand.Tensor(xValues, 2, 4);
        foreach (var dtype in Precisions)
        {
            var result = LogDensity.ContinuousBernoulli(x.to_type(dtype), Typed(logitValues, dtype, 2, 2, 4));
            Assert.Equal(new long[] { 2, 2 }, result.shape);
            var expected = Enumerable.Range(0, 4)
                .Select(r => ContinuousBernoulliDirect(Hand.Row(xValues, r % 2, 4), Hand.Row(logitValues, r, 4)))
                .ToArray();
            Hand.Close(expected, Hand.Values(result), dtype == ScalarType.Float64 ? 1e-12 : 2e-5, Tolerance(dtype), $"{dtype} log p(x)");
        }
    }

    [Fact]
    public void Continuous_Bernoulli_density_integrates_to_one_and_its_mean_is_the_first_moment()
    {
        using var scope = NewDisposeScope();
        var grid = Grid(0, 1, 10_001);
        var h = grid[1] - grid[0];
        var x = Hand.Tensor(grid, grid.Length, 1);
        var means = Hand.Values(LogDensity.ContinuousBernoulliMean(Hand.Tensor(QuadratureLogits, QuadratureLogits.Length)));
        for (var i = 0; i < QuadratureLogits.Length; i++)
        {
            var l = QuadratureLogits[i];
            var density = Hand.Values(LogDensity.ContinuousBernoulli(x, Hand.Tensor(new[] { l }, 1)).exp());
            // Simpson's error is h^4 / 180 times the fourth derivative, at most l^4 times the peak density (about |l|):
            // under 1e-10 even at l = 30.
            Hand.Close(1.0, Simpson(density, h), 1e-9, 0, $"integral at l = {l}");
            Hand.Close(Simpson(density.Select((p, k) => p * grid[k]).ToArray(), h), means[i], 1e-9, 0, $"mean at l = {l}");
        }
        Assert.Equal(0.5, means[Array.IndexOf(QuadratureLogits, 0.0)]);
    }

    [Fact]
    public void Continuous_Bernoulli_log_normalizer_is_accurate_on_both_sides_of_its_series_switch()
    {
        using var scope = NewDisposeScope();
        // Log-spaced from 1e-8 to 100, a dense sweep around the switch at |l| = 0.25, and the switch itself +- a hair.
        var logits = Enumerable.Range(0, 101).Select(i => Math.Pow(10, -8 + i * 0.1))
            .Concat(Grid(0.2, 0.3, 101))
            .Concat(new[] { 0.25 * (1 - 1e-12), 0.25, 0.25 * (1 + 1e-12), 0.0 })
            .SelectMany(l => new[] { l, -l })
            .ToArray();
        var reference = logits.Select(LogNormalizerReference).ToArray();
        var gradientReference = logits.Select(LogNormalizerGradientReference).ToArray();
        foreach (var dtype in Precisions)
        {
            // float32 rounds the logits themselves; the reference is taken at the rounded values.
            var input = Typed(logits, dtype, logits.Length).requires_grad_();
            var rounded = Hand.Values(input);
            var value = LogDensity.ContinuousBernoulliLogNormalizer(input);
            value.sum().backward();
            var expected = dtype == ScalarType.Float64 ? reference : rounded.Select(LogNormalizerReference).ToArray();
            var expectedGradient = dtype == ScalarType.Float64 ? gradientReference : rounded.Select(LogNormalizerGradientReference).ToArray();
            // float64: a few units in the last place of log 2. float32: a few of its own in value; the gradient of the
            // closed form, used from |l| = 0.25 up, carries about 1.2e-7 / |l| from the cancellation in 1/l - 1/sinh l.
            var (valueTolerance, gradientTolerance) = dtype == ScalarType.Float64 ? (1e-15, 1e-14) : (2.5e-7, 1e-6);
            Hand.Close(expected, Hand.Values(value), valueTolerance, dtype == ScalarType.Float64 ? 0 : 1e-7, $"{dtype} log C");
            Hand.Close(expectedGradient, Hand.Values(input.grad!), gradientTolerance, 0, $"{dtype} d log C / dl");
        }
        // The reference itself: its two forms agree where they meet.
        Hand.Close(LogNormalizerBySeries(1), LogNormalizerFromLambda(1), 1e-15, 0, "reference at l = 1");
    }

    [Fact]
    public void Continuous_Bernoulli_values_and_gradients_are_finite_at_zero_tiny_and_huge_logits()
    {
        using var scope = NewDisposeScope();
        float[] logitValues = { 0, 1e-7f, -1e-7f, 50, -50, 100, -100 };
        var logits = tensor(logitValues).reshape(1, 7).requires_grad_();
        var x = tensor(new float[] { 0, 0.3f, 1, 0.5f, 1, 0, 0.9f }).reshape(1, 7);
        var density = LogDensity.ContinuousBernoulli(x, logits);
        var normalizer = LogDensity.ContinuousBernoulliLogNormalizer(logits);
        var mean = LogDensity.ContinuousBernoulliMean(logits);
        density.sum().add(normalizer.sum()).add(mean.sum()).backward();
        foreach (var (name, values) in new[] { ("log p", density), ("log C", normalizer), ("mean", mean), ("gradient", logits.grad!) })
            Assert.True(Hand.Values(values).All(double.IsFinite), $"{name}: [{string.Join(", ", Hand.Values(values))}]");
        // log C at 0 is log 2; at |l| = 100 it is log(100 / tanh 50) = log 100; the means tend to 1 and 0.
        var c = Hand.Values(normalizer);
        Hand.Close(Math.Log(2), c[0], 1e-7, 0, "log C(0)");
        Hand.Close(Math.Log(100), c[5], 1e-6, 1e-7, "log C(100)");
        Assert.Equal(c[5], c[6]);
        var m = Hand.Values(mean);
        Assert.Equal(0.5, m[0]);
        Hand.Close(1 - 1.0 / 100, m[5], 1e-7, 0, "mean at 100");
        Hand.Close(1.0 / 100, m[6], 1e-7, 0, "mean at -100");
    }

    [Fact]
    public void Continuous_Bernoulli_mean_matches_the_closed_form_in_both_precisions()
    {
        using var scope = NewDisposeScope();
        // 1 / (1 - exp(-l)) - 1 / l is exact in double away from 0; near 0 the mean's own series in l / 2 coth(l / 2)
        // is replaced by a first-order check against the derivative 1/12 (error l^3 / 720).
        double Reference(double l) => Math.Abs(l) < 1e-4 ? 0.5 + l / 12 : 1 / (1 - Math.Exp(-l)) - 1 / l;
        var logits = new[] { -1e4, -40, -7, -1, -0.3, -0.25, -0.2, -1e-5, 0, 1e-6, 0.1, 0.25, 0.26, 0.9, 4, 40, 1e4 };
        foreach (var dtype in Precisions)
        {
            var input = Typed(logits, dtype, logits.Length);
            var expected = Hand.Values(input).Select(Reference).ToArray();
            // float32 above the series switch: 1 / (2 tanh(l / 2)) and 1 / l each round by half a unit of about 2 / |l|,
            // so the difference carries up to some 5e-7 at |l| = 0.25.
            Hand.Close(expected, Hand.Values(LogDensity.ContinuousBernoulliMean(input)), dtype == ScalarType.Float64 ? 1e-14 : 8e-7, 0, $"{dtype} mean");
        }
    }

    // ---- Categorical ----

    private static double[] LogSoftmax(double[] logits)
    {
        var max = logits.Max();
        var logSum = max + Math.Log(logits.Sum(v => Math.Exp(v - max)));
        return logits.Select(v => v - logSum).ToArray();
    }

    [Fact]
    public void Categorical_density_matches_log_softmax_at_the_levels_and_broadcasts_over_a_sample_dimension()
    {
        using var scope = NewDisposeScope();
        const int levels = 5, features = 3;
        // x: [2, 3] at levels k / 4; logits: [2 samples, 2, 3, 5].
        int[] k = { 0, 4, 2, 1, 3, 4 };
        var xValues = k.Select(v => v / 4.0).ToArray();
        var logitValues = Wave(2 * 2 * features * levels, 2.5, 0.3);
        foreach (var dtype in Precisions)
        {
            var result = LogDensity.Categorical(Typed(xValues, dtype, 2, features), Typed(logitValues, dtype, 2, 2, features, levels));
            Assert.Equal(new long[] { 2, 2 }, result.shape);
            var expected = new double[4];
            for (var r = 0; r < 4; r++)
            for (var j = 0; j < features; j++)
                expected[r] += LogSoftmax(Hand.Row(logitValues, r * features + j, levels))[k[(r % 2) * features + j]];
            Hand.Close(expected, Hand.Values(result), Tolerance(dtype), Tolerance(dtype), $"{dtype} log p(x)");
        }
    }

    [Fact]
    public void Categorical_probabilities_sum_to_one_over_the_levels()
    {
        using var scope = NewDisposeScope();
        foreach (var levels in new[] { 2, 7, 256 })
        {
            // One feature; x holds every level as a row; the logits' leading dimension holds four different features.
            var x = arange(levels, dtype: ScalarType.Float64).div(levels - 1).reshape(levels, 1);
            var logits = Hand.Tensor(Wave(4 * levels, 4.0, 0.8), 4, 1, 1, levels);
            var result = LogDensity.Categorical(x, logits); // [4, levels]
            Assert.Equal(new long[] { 4, levels }, result.shape);
            Hand.Close(new[] { 1.0, 1.0, 1.0, 1.0 }, Hand.Values(result.exp().sum(-1)), 1e-12, 0, $"sum over {levels} levels");
        }
    }

    [Fact]
    public void Categorical_mean_is_the_probability_weighted_level()
    {
        using var scope = NewDisposeScope();
        const int levels = 6;
        var logitValues = Wave(2 * 3 * levels, 3.0, 1.1);
        foreach (var dtype in Precisions)
        {
            var mean = LogDensity.CategoricalMean(Typed(logitValues, dtype, 2, 3, levels));
            Assert.Equal(new long[] { 2, 3 }, mean.shape);
            var expected = Enumerable.Range(0, 6).Select(row =>
            {
                var logP = LogSoftmax(Hand.Row(logitValues, row, levels));
                return Enumerable.Range(0, levels).Sum(kk => Math.Exp(logP[kk]) * kk / (levels - 1.0));
            }).ToArray();
            Hand.Close(expected, Hand.Values(mean), Tolerance(dtype), Tolerance(dtype), $"{dtype} mean");
        }
    }

    [Fact]
    public void Categorical_needs_at_least_two_levels()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => LogDensity.Categorical(zeros(2, 3), zeros(2, 3, 1)));
        Assert.Throws<ArgumentException>(() => LogDensity.CategoricalMean(zeros(2, 3, 1)));
    }

    // ---- Poisson ----

    /// <summary>log k! as a sum of logarithms.</summary>
    private static double LogFactorial(int k)
    {
        var sum = 0.0;
        for (var i = 2; i <= k; i++) sum += Math.Log(i);
        return sum;
    }

    [Fact]
    public void Poisson_density_matches_the_formula_for_zero_small_and_large_counts()
    {
        using var scope = NewDisposeScope();
        // Exact factorials first: log 0! = log 1! = 0, log 5! = log 120, log 10! = log 3628800.
        Assert.Equal(0.0, LogFactorial(0));
        Hand.Close(Math.Log(120), LogFactorial(5), 1e-15, 1e-15, "log 5!");
        Hand.Close(Math.Log(3628800), LogFactorial(10), 1e-15, 1e-15, "log 10!");
        // log 1000! = 5912.128178488163 (mpmath's loggamma(1001) at 30 digits).
        Hand.Close(5912.128178488163, LogFactorial(1000), 0, 1e-13, "log 1000!");

        int[] counts = { 0, 1, 3, 1000, 7, 0, 12, 250 };
        double[] logRates = { -1.5, 0.0, 1.1, 6.9, 2.0, 3.0, -0.2, 5.5, 0.4, -3.0, 2.4, 6.0, 1.9, 0.0, 2.5, 5.52 };
        var x = Hand.Tensor(counts.Select(c => (double)c).ToArray(), 2, 4);
        foreach (var dtype in Precisions)
        {
            var result = LogDensity.Poisson(x.to_type(dtype), Typed(logRates, dtype, 2, 2, 4));
            Assert.Equal(new long[] { 2, 2 }, result.shape);
            var expected = Enumerable.Range(0, 4).Select(r =>
                Enumerable.Range(0, 4).Sum(j =>
                {
                    var c = counts[(r % 2) * 4 + j];
                    var rate = logRates[r * 4 + j];
                    return c * rate - Math.Exp(rate) - LogFactorial(c);
                })).ToArray();
            // float32: lgamma(1001) and 1000 * 6.9 are near 6000, where float32 spacing is 5e-4.
            Hand.Close(expected, Hand.Values(result), dtype == ScalarType.Float64 ? 1e-10 : 5e-3, Tolerance(dtype), $"{dtype} log p(x)");
        }

        // torch's lgamma(x + 1) in float64 against the same sums, and the gradient d/dr = x - exp(r).
        Hand.Close(counts.Select(LogFactorial).ToArray(), Hand.Values(x.add(1).lgamma()), 1e-12, 1e-14, "lgamma(x + 1)");
        var rates = Hand.Tensor(logRates.Take(8).ToArray(), 2, 4).requires_grad_();
        LogDensity.Poisson(x, rates).sum().backward();
        Hand.Close(counts.Select((c, i) => c - Math.Exp(logRates[i])).ToArray(), Hand.Values(rates.grad!), 1e-12, 1e-12, "d/dr");
    }

    // ---- KL ----

    [Fact]
    public void Per_dimension_KL_matches_the_formula_and_sums_to_the_total()
    {
        using var scope = NewDisposeScope();
        var muValues = Wave(12, 1.3, 0.2);
        var logVarValues = Wave(12, 1.6, 2.4);
        var mu = Hand.Tensor(muValues, 2, 2, 3);
        var logVar = Hand.Tensor(logVarValues, 2, 2, 3);
        var perDimension = GaussianKl.PerDimension(mu, logVar);
        Assert.Equal(new long[] { 2, 2, 3 }, perDimension.shape);
        Hand.Close(muValues.Select((m, i) => 0.5 * (m * m + Math.Exp(logVarValues[i]) - 1 - logVarValues[i])).ToArray(),
            Hand.Values(perDimension), 1e-15, 1e-14, "KL_j");
        Hand.Close(Hand.Values(GaussianKl.FromStandardNormal(mu, logVar)), Hand.Values(perDimension.sum(-1)), 1e-15, 1e-14, "sum_j KL_j");
        Assert.True(Hand.Values(perDimension).All(v => v >= 0));
    }
}
