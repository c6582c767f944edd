using System;
using System.Linq;
using TorchSharp;
using VaeGen.Maths;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>z = mu + exp(0.5 logVar) eps, its gradients, and the noise the generated Reparameterize draws.</summary>
public sealed class ReparameterizationTests
{
    private static readonly double[] MuValues = { 0.3, -1.2, 2.0, 0.0, 0.7, -0.4 };
    private static readonly double[] LogVarValues = { 0.0, -1.5, 0.8, 2.0, -0.3, 0.1 };
    private static readonly double[] EpsValues = { 1.1, -0.6, 0.25, -2.0, 0.9, 0.05 };

    [Fact]
    public void Fixed_noise_gives_mu_plus_std_times_eps_and_analytic_gradients()
    {
        using var scope = NewDisposeScope();
        using var model = new BernoulliVae();
        var mu = Hand.Tensor(MuValues, 2, 3).requires_grad_();
        var logVar = Hand.Tensor(LogVarValues, 2, 3).requires_grad_();
        var eps = Hand.Tensor(EpsValues, 2, 3);

        var z = model.Reparameterize(mu, logVar, eps);
        var expected = MuValues.Select((m, i) => m + Math.Exp(0.5 * LogVarValues[i]) * EpsValues[i]).ToArray();
        Hand.Close(expected, Hand.Values(z), 1e-12, 1e-12, "z");

        z.sum().backward();
        var muGrad = Hand.Values(mu.grad!);
        var logVarGrad = Hand.Values(logVar.grad!);
        // d(sum z)/d mu = 1; d(sum z)/d logVar = 0.5 exp(0.5 logVar) eps.
        Hand.Close(Enumerable.Repeat(1.0, 6).ToArray(), muGrad, 1e-12, 1e-12, "d/dmu");
        Hand.Close(LogVarValues.Select((v, i) => 0.5 * Math.Exp(0.5 * v) * EpsValues[i]).ToArray(), logVarGrad, 1e-12, 1e-12, "d/dlogVar");
        Assert.All(muGrad, g => Assert.NotEqual(0.0, g));
        Assert.All(logVarGrad, g => Assert.NotEqual(0.0, g));
    }

    [Fact]
    public void Noise_with_a_sample_dimension_broadcasts_and_sums_gradients_over_samples()
    {
        using var scope = NewDisposeScope();
        const int samples = 4;
        var mu = Hand.Tensor(MuValues, 2, 3).requires_grad_();
        var logVar = Hand.Tensor(LogVarValues, 2, 3).requires_grad_();
        var epsValues = Enumerable.Range(0, samples * 6).Select(i => Math.Sin(1.7 * i + 0.3) * 1.5).ToArray();
        var eps = Hand.Tensor(epsValues, samples, 2, 3);

        var z = Reparameterization.Sample(mu, logVar, eps);
        Assert.Equal(new long[] { samples, 2, 3 }, z.shape);
        var expected = epsValues.Select((e, i) => MuValues[i % 6] + Math.Exp(0.5 * LogVarValues[i % 6]) * e).ToArray();
        Hand.Close(expected, Hand.Values(z), 1e-12, 1e-12, "z");

        // Weight each element so the gradient is not a plain sum: loss = sum_i c_i z_i with c_i = i + 1.
        var weights = Enumerable.Range(1, samples * 6).Select(i => (double)i).ToArray();
        z.mul(Hand.Tensor(weights, samples, 2, 3)).sum().backward();
        var expectedMuGrad = new double[6];
        var expectedLogVarGrad = new double[6];
        for (var i = 0; i < samples * 6; i++)
        {
            expectedMuGrad[i % 6] += weights[i];
            expectedLogVarGrad[i % 6] += weights[i] * 0.5 * Math.Exp(0.5 * LogVarValues[i % 6]) * epsValues[i];
        }
        Hand.Close(expectedMuGrad, Hand.Values(mu.grad!), 1e-12, 1e-12, "d/dmu");
        Hand.Close(expectedLogVarGrad, Hand.Values(logVar.grad!), 1e-12, 1e-12, "d/dlogVar");
    }

    [Fact]
    public void Reparameterization_leaves_its_inputs_unchanged()
    {
        using var scope = NewDisposeScope();
        var mu = Hand.Tensor(MuValues, 2, 3);
        var logVar = Hand.Tensor(LogVarValues, 2, 3);
        var eps = Hand.Tensor(EpsValues, 2, 3);
        Reparameterization.Sample(mu, logVar, eps);
        Assert.Equal(MuValues, Hand.Values(mu));
        Assert.Equal(LogVarValues, Hand.Values(logVar));
        Assert.Equal(EpsValues, Hand.Values(eps));
    }

    [Fact]
    public void Fresh_noise_is_the_global_generators_next_standard_normal_draw()
    {
        using var scope = NewDisposeScope();
        using var model = new BernoulliVae();
        var mu = Hand.Tensor(MuValues, 2, 3);
        var logVar = Hand.Tensor(LogVarValues, 2, 3);
        manual_seed(42);
        var z = model.Reparameterize(mu, logVar);
        manual_seed(42);
        var eps = Hand.Values(randn_like(mu));
        var expected = MuValues.Select((m, i) => m + Math.Exp(0.5 * LogVarValues[i]) * eps[i]).ToArray();
        Hand.Close(expected, Hand.Values(z), 1e-12, 1e-12, "z");
    }

    [Fact]
    public void Fresh_noise_has_the_posterior_moments()
    {
        using var scope = NewDisposeScope();
        using var model = new BernoulliVae();
        manual_seed(43);
        const int n = 100_000;
        var mu = full(new long[] { n, 1 }, 1.5, dtype: ScalarType.Float64);
        var logVar = full(new long[] { n, 1 }, Math.Log(0.25), dtype: ScalarType.Float64);
        var z = Hand.Values(model.Reparameterize(mu, logVar));
        var (mean, standardError) = Hand.MeanAndStandardError(z);
        // Mean 1.5 and standard deviation 0.5: the sample mean is within 5 standard errors (0.5 / sqrt(n)).
        Assert.InRange(mean, 1.5 - 5 * 0.5 / Math.Sqrt(n), 1.5 + 5 * 0.5 / Math.Sqrt(n));
        Hand.Close(0.5, standardError * Math.Sqrt(n), 0.01, 0, "sample standard deviation");
    }
}
