using System;
using System.Linq;
using TorchSharp;
using VaeGen.Maths;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Distributions;

/// <summary>
/// StandardNormal, DiagonalGaussian and GaussianMixture log-densities against loops in double written out here, in
/// float64 and float32, with one, two and three leading dimensions, and the mixture's gradients against their analytic form.
/// </summary>
public sealed class DensityTests
{
    private const int Latent = 4;
    private const int Batch = 3;

    private static readonly ScalarType[] Precisions = { ScalarType.Float64, ScalarType.Float32 };

    /// <summary>Leading dimensions of the points: [batch], [samples, batch] and [chains, samples, batch].</summary>
    private static readonly long[][] LeadingShapes = { new long[] { Batch }, new long[] { 2, Batch }, new long[] { 2, 3, Batch } };

    /// <summary>|expected - actual| allowed: double rounding, or float32's with room for sums of a few terms.</summary>
    private static void Close(double[] expected, double[] actual, ScalarType dtype, string what) =>
        Hand.Close(expected, actual, dtype == ScalarType.Float64 ? 1e-12 : 1e-5, dtype == ScalarType.Float64 ? 1e-12 : 2e-6, what);

    private static long[] With(long[] leading, long last) => leading.Append(last).ToArray();

    private static double DirectStandardNormal(double[] z, int row)
    {
        var sum = 0.0;
        for (var j = 0; j < Latent; j++) sum += z[row * Latent + j] * z[row * Latent + j] + Hand.LogTwoPi;
        return -0.5 * sum;
    }

    /// <summary>log N(z_row; mu_(row mod batch), diag(exp(v))) from the flat arrays.</summary>
    private static double DirectGaussian(double[] z, int row, double[] mu, double[] logVar, int parameterRow)
    {
        var sum = 0.0;
        for (var j = 0; j < Latent; j++)
        {
            var d = z[row * Latent + j] - mu[parameterRow * Latent + j];
            sum += d * d * Math.Exp(-logVar[parameterRow * Latent + j]) + logVar[parameterRow * Latent + j] + Hand.LogTwoPi;
        }
        return -0.5 * sum;
    }

    private static double DirectMixture(double[] z, int row, double[] means, double[] logVars, double[] logWeights) =>
        Draws.LogSumExp(logWeights.Select((w, k) => w + DirectGaussian(z, row, means, logVars, k)).ToArray());

    [Fact]
    public void Standard_normal_matches_the_formula_for_every_leading_shape_and_precision()
    {
        using var scope = NewDisposeScope();
        var random = new Random(1);
        foreach (var dtype in Precisions)
        foreach (var leading in LeadingShapes)
        {
            var shape = With(leading, Latent);
            var (z, held) = Draws.Typed(Draws.Normal(random, Draws.Size(shape), 1.5), dtype, shape);
            var result = LogDensity.StandardNormal(z);
            Assert.Equal(leading, result.shape);
            Assert.Equal(dtype, result.dtype);
            var expected = Enumerable.Range(0, Draws.Size(leading)).Select(r => DirectStandardNormal(held, r)).ToArray();
            Close(expected, Hand.Values(result), dtype, $"{dtype} {Text(leading)} log N(z; 0, I)");
        }
    }

    [Fact]
    public void Diagonal_Gaussian_matches_the_formula_and_broadcasts_extra_leading_dimensions_of_z()
    {
        using var scope = NewDisposeScope();
        var random = new Random(2);
        foreach (var dtype in Precisions)
        foreach (var leading in LeadingShapes)
        {
            var shape = With(leading, Latent);
            var (z, zHeld) = Draws.Typed(Draws.Normal(random, Draws.Size(shape), 1.5), dtype, shape);
            var (mu, muHeld) = Draws.Typed(Draws.Normal(random, Batch * Latent), dtype, Batch, Latent);
            var (logVar, logVarHeld) = Draws.Typed(Draws.Normal(random, Batch * Latent, 0.8), dtype, Batch, Latent);
            var result = LogDensity.GaussianWithLogVar(z, mu, logVar);
            Assert.Equal(leading, result.shape);
            var expected = Enumerable.Range(0, Draws.Size(leading))
                .Select(r => DirectGaussian(zHeld, r, muHeld, logVarHeld, r % Batch))
                .ToArray();
            Close(expected, Hand.Values(result), dtype, $"{dtype} {Text(leading)} log N(z; mu, exp(v))");
        }
    }

    [Fact]
    public void Density_of_a_draw_from_its_noise_equals_the_density_at_the_draw_in_value_and_gradient()
    {
        using var scope = NewDisposeScope();
        var random = new Random(3);
        foreach (var dtype in Precisions)
        foreach (var leading in LeadingShapes)
        {
            var shape = With(leading, Latent);
            var (eps, epsHeld) = Draws.Typed(Draws.Normal(random, Draws.Size(shape)), dtype, shape);
            var (mu, _) = Draws.Typed(Draws.Normal(random, Batch * Latent), dtype, Batch, Latent);
            var (logVar, logVarHeld) = Draws.Typed(Draws.Normal(random, Batch * Latent, 1.2), dtype, Batch, Latent);
            mu.requires_grad_();
            logVar.requires_grad_();

            var fromNoise = LogDensity.DiagonalGaussianAtSample(eps, logVar);
            var atDraw = LogDensity.GaussianWithLogVar(Reparameterization.Sample(mu, logVar, eps), mu, logVar);
            Assert.Equal(leading, fromNoise.shape);
            var expected = Enumerable.Range(0, Draws.Size(leading))
                .Select(r => -0.5 * Enumerable.Range(0, Latent)
                    .Sum(j => epsHeld[r * Latent + j] * epsHeld[r * Latent + j] + logVarHeld[r % Batch * Latent + j] + Hand.LogTwoPi))
                .ToArray();
            Close(expected, Hand.Values(fromNoise), dtype, $"{dtype} {Text(leading)} from eps");
            Close(Hand.Values(fromNoise), Hand.Values(atDraw), dtype, $"{dtype} {Text(leading)} at z");

            // Both are -0.5 per dimension and draw with respect to logVar, and 0 with respect to mu.
            var gradFromNoise = torch.autograd.grad(new[] { fromNoise.sum() }, new[] { logVar })[0];
            var gradAtDraw = torch.autograd.grad(new[] { atDraw.sum() }, new[] { mu, logVar });
            var draws = Draws.Size(leading) / Batch;
            Close(Enumerable.Repeat(-0.5 * draws, Batch * Latent).ToArray(), Hand.Values(gradFromNoise), dtype, $"{dtype} d/dv from eps");
            Close(Hand.Values(gradFromNoise), Hand.Values(gradAtDraw[1]), dtype, $"{dtype} d/dv at z");
            Close(new double[Batch * Latent], Hand.Values(gradAtDraw[0]), dtype, $"{dtype} d/dmu at z");
        }
    }

    [Fact]
    public void Mixture_matches_the_formula_with_given_and_with_equal_weights()
    {
        using var scope = NewDisposeScope();
        const int components = 3;
        var random = new Random(4);
        foreach (var dtype in Precisions)
        foreach (var leading in LeadingShapes)
        {
            var shape = With(leading, Latent);
            var (z, zHeld) = Draws.Typed(Draws.Normal(random, Draws.Size(shape), 2.0), dtype, shape);
            var (means, meansHeld) = Draws.Typed(Draws.Normal(random, components * Latent, 2.0), dtype, components, Latent);
            var (logVars, logVarsHeld) = Draws.Typed(Draws.Normal(random, components * Latent, 0.7), dtype, components, Latent);
            var logits = Draws.Normal(random, components);
            var normalizer = Draws.LogSumExp(logits);
            var (logWeights, logWeightsHeld) = Draws.Typed(logits.Select(l => l - normalizer).ToArray(), dtype, components);

            var weighted = GaussianMixture.LogProb(z, means, logVars, logWeights);
            Assert.Equal(leading, weighted.shape);
            Assert.Equal(dtype, weighted.dtype);
            var rows = Enumerable.Range(0, Draws.Size(leading)).ToArray();
            Close(rows.Select(r => DirectMixture(zHeld, r, meansHeld, logVarsHeld, logWeightsHeld)).ToArray(),
                Hand.Values(weighted), dtype, $"{dtype} {Text(leading)} weighted");

            var uniform = Enumerable.Repeat(-Math.Log(components), components).ToArray();
            var equal = GaussianMixture.LogProb(z, means, logVars, null);
            Close(rows.Select(r => DirectMixture(zHeld, r, meansHeld, logVarsHeld, uniform)).ToArray(),
                Hand.Values(equal), dtype, $"{dtype} {Text(leading)} equal weights");
            using var zeroLogits = zeros(components, dtype: dtype);
            Close(Hand.Values(equal), Hand.Values(GaussianMixture.LogProb(z, means, logVars, zeroLogits.log_softmax(-1))),
                dtype, $"{dtype} {Text(leading)} null against log_softmax(0)");
        }
    }

    [Fact]
    public void Mixture_of_one_component_is_the_diagonal_Gaussian()
    {
        using var scope = NewDisposeScope();
        var random = new Random(5);
        foreach (var dtype in Precisions)
        {
            var (z, _) = Draws.Typed(Draws.Normal(random, 2 * Batch * Latent, 1.5), dtype, 2, Batch, Latent);
            var (mean, _) = Draws.Typed(Draws.Normal(random, Latent), dtype, Latent);
            var (logVar, _) = Draws.Typed(Draws.Normal(random, Latent, 0.9), dtype, Latent);
            var expected = Hand.Values(LogDensity.GaussianWithLogVar(z, mean, logVar));
            using var logWeight = zeros(1, dtype: dtype);
            Close(expected, Hand.Values(GaussianMixture.LogProb(z, mean.unsqueeze(0), logVar.unsqueeze(0), null)), dtype, $"{dtype} K = 1, null");
            Close(expected, Hand.Values(GaussianMixture.LogProb(z, mean.unsqueeze(0), logVar.unsqueeze(0), logWeight)), dtype, $"{dtype} K = 1, log 1");
        }
    }

    [Fact]
    public void Mixture_stays_finite_in_value_and_gradient_far_from_every_component()
    {
        using var scope = NewDisposeScope();
        var random = new Random(6);
        const int components = 3;
        foreach (var dtype in Precisions)
        {
            // At z = 1e3 every component's log-density is near -2e6: exp of it is 0 even in double, so
            // log(sum_k w_k exp(.)) would be -infinity; the logsumexp is not.
            var zValues = Enumerable.Repeat(1e3, 2 * Latent).ToArray();
            var (z, zHeld) = Draws.Typed(zValues, dtype, 2, Latent);
            var (means, meansHeld) = Draws.Typed(Draws.Normal(random, components * Latent), dtype, components, Latent);
            var (logVars, logVarsHeld) = Draws.Typed(Draws.Normal(random, components * Latent, 0.3), dtype, components, Latent);
            var (logWeights, logWeightsHeld) = Draws.Typed(new[] { Math.Log(0.2), Math.Log(0.3), Math.Log(0.5) }, dtype, components);
            foreach (var parameter in new[] { z, means, logVars, logWeights }) parameter.requires_grad_();

            var result = GaussianMixture.LogProb(z, means, logVars, logWeights);
            var expected = Enumerable.Range(0, 2).Select(r => DirectMixture(zHeld, r, meansHeld, logVarsHeld, logWeightsHeld)).ToArray();
            Assert.All(expected, e => Assert.True(e < -1e5, $"expected {e} far below 0"));
            Close(expected, Hand.Values(result), dtype, $"{dtype} log p(1e3)");
            var gradients = torch.autograd.grad(new[] { result.sum() }, new[] { z, means, logVars, logWeights });
            Assert.All(gradients, g => Assert.True(g.isfinite().all().item<bool>(), $"{dtype}: a gradient is not finite"));
        }
    }

    [Fact]
    public void Mixture_gradients_are_the_responsibility_weighted_Gaussian_ones()
    {
        using var scope = NewDisposeScope();
        const int components = 3, rows = 4;
        var random = new Random(7);
        var zValues = Draws.Normal(random, rows * Latent, 1.5);
        var meanValues = Draws.Normal(random, components * Latent);
        var logVarValues = Draws.Normal(random, components * Latent, 0.5);
        var logWeightValues = new[] { Math.Log(0.5), Math.Log(0.3), Math.Log(0.2) };
        var z = Hand.Tensor(zValues, rows, Latent).requires_grad_();
        var means = Hand.Tensor(meanValues, components, Latent).requires_grad_();
        var logVars = Hand.Tensor(logVarValues, components, Latent).requires_grad_();
        var logWeights = Hand.Tensor(logWeightValues, components).requires_grad_();
        GaussianMixture.LogProb(z, means, logVars, logWeights).sum().backward();

        // r_nk = w_k N_k(z_n) / p(z_n); d/dz = -sum_k r_nk (z - m_k) e^-v_k; d/dm_k = sum_n r_nk (z_n - m_k) e^-v_k;
        // d/dv_k = sum_n r_nk 0.5 ((z_n - m_k)^2 e^-v_k - 1); d/dlog w_k = sum_n r_nk.
        var dz = new double[rows * Latent];
        var dm = new double[components * Latent];
        var dv = new double[components * Latent];
        var dw = new double[components];
        for (var n = 0; n < rows; n++)
        {
            var total = DirectMixture(zValues, n, meanValues, logVarValues, logWeightValues);
            for (var k = 0; k < components; k++)
            {
                var r = Math.Exp(logWeightValues[k] + DirectGaussian(zValues, n, meanValues, logVarValues, k) - total);
                dw[k] += r;
                for (var j = 0; j < Latent; j++)
                {
                    var precision = Math.Exp(-logVarValues[k * Latent + j]);
                    var d = zValues[n * Latent + j] - meanValues[k * Latent + j];
                    dz[n * Latent + j] -= r * d * precision;
                    dm[k * Latent + j] += r * d * precision;
                    dv[k * Latent + j] += r * 0.5 * (d * d * precision - 1);
                }
            }
        }
        Hand.Close(dz, Hand.Values(z.grad!), 1e-12, 1e-10, "d/dz");
        Hand.Close(dm, Hand.Values(means.grad!), 1e-12, 1e-10, "d/dm");
        Hand.Close(dv, Hand.Values(logVars.grad!), 1e-12, 1e-10, "d/dv");
        Hand.Close(dw, Hand.Values(logWeights.grad!), 1e-12, 1e-10, "d/dlog w");
    }

    [Fact]
    public void Mixture_refuses_shapes_that_do_not_fit_and_names_the_argument()
    {
        using var scope = NewDisposeScope();
        var z = zeros(2, Latent);
        var means = zeros(3, Latent);
        var logVars = zeros(3, Latent);
        Assert.Equal("z", Assert.Throws<ArgumentException>(() => GaussianMixture.LogProb(zeros(2, Latent + 1), means, logVars, null)).ParamName);
        Assert.Equal("means", Assert.Throws<ArgumentException>(() => GaussianMixture.LogProb(z, zeros(Latent), zeros(Latent), null)).ParamName);
        Assert.Equal("logVars", Assert.Throws<ArgumentException>(() => GaussianMixture.LogProb(z, means, zeros(2, Latent), null)).ParamName);
        var error = Assert.Throws<ArgumentException>(() => GaussianMixture.LogProb(z, means, logVars, zeros(4)));
        Assert.Equal("logWeights", error.ParamName);
        Assert.Contains("[3]", error.Message);
        Assert.Contains("[4]", error.Message);
    }

    private static string Text(long[] leading) => "[" + string.Join(", ", leading) + "]";
}
