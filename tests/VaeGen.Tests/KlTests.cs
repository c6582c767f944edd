using System;
using System.Linq;
using TorchSharp;
using VaeGen.Maths;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>The closed-form KL against the formula in double and against a Monte-Carlo estimate.</summary>
public sealed class KlTests
{
    // Three posteriors over a 3-dimensional latent space; the first is the prior itself (KL = 0).
    private static readonly double[] MuValues = { 0, 0, 0, 0.5, -1.0, 2.0, -0.3, 0.8, 0.1 };
    private static readonly double[] LogVarValues = { 0, 0, 0, -1.0, 0.5, 0.2, 1.2, -0.7, -2.0 };

    private static double[] HandKl() =>
        Enumerable.Range(0, 3).Select(b => Hand.KlFromStandardNormal(Hand.Row(MuValues, b, 3), Hand.Row(LogVarValues, b, 3))).ToArray();

    [Fact]
    public void Closed_form_matches_the_formula_per_example()
    {
        using var scope = NewDisposeScope();
        var kl = GaussianKl.FromStandardNormal(Hand.Tensor(MuValues, 3, 3), Hand.Tensor(LogVarValues, 3, 3));
        Assert.Equal(new long[] { 3 }, kl.shape);
        Hand.Close(HandKl(), Hand.Values(kl), 1e-12, 1e-12, "KL");
        Assert.Equal(0.0, Hand.Values(kl)[0]);
    }

    [Fact]
    public void Closed_form_agrees_with_a_Monte_Carlo_estimate()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        const int n = 200_000;
        var mu = Hand.Tensor(MuValues, 3, 3);
        var logVar = Hand.Tensor(LogVarValues, 3, 3);
        var analytic = Hand.Values(GaussianKl.FromStandardNormal(mu, logVar));

        // z ~ q = N(mu, diag(exp(logVar))); log q(z) - log p(z) by the textbook densities, per draw and example.
        var std = logVar.mul(0.5).exp();
        var z = randn(new long[] { n, 3, 3 }, dtype: ScalarType.Float64).mul(std).add(mu);
        var logQ = z.sub(mu).square().div(logVar.exp()).add(logVar).add(Hand.LogTwoPi).sum(-1).mul(-0.5);
        var logP = z.square().add(Hand.LogTwoPi).sum(-1).mul(-0.5);
        var difference = logQ.sub(logP); // [n, 3]
        for (var b = 0; b < 3; b++)
        {
            var draws = Hand.Values(difference.select(1, b));
            var (estimate, standardError) = Hand.MeanAndStandardError(draws);
            // The estimate is a mean of n iid draws, so by the CLT it lies within 5 standard errors of the true KL except
            // with probability below 1e-6. The prior's own KL has zero variance: allow rounding there.
            Assert.True(Math.Abs(estimate - analytic[b]) <= 5 * standardError + 1e-9,
                $"example {b}: closed form {analytic[b]}, Monte Carlo {estimate} +- {standardError}");
        }
        // The check has power: the non-trivial examples' KLs are far more than 5 standard errors apart from zero.
        Assert.True(analytic[1] > 1 && analytic[2] > 1);
    }

    [Fact]
    public void Loss_Kl_and_reconstruction_follow_the_formulas_for_a_hand_built_output()
    {
        using var scope = NewDisposeScope();
        using var model = new BernoulliVae();
        var mu = Hand.Tensor(MuValues, 3, 3).to_type(ScalarType.Float32);
        var logVar = Hand.Tensor(LogVarValues, 3, 3).to_type(ScalarType.Float32);
        // Zero logits make every Bernoulli term log(1/2), whatever x is.
        var output = new BernoulliVae.Output(mu, logVar, zeros(3, 3), zeros(3, 12));
        var x = rand(3, 12);
        var loss = model.Loss(x, output);
        Hand.Close(HandKl().Average(), Hand.Scalar(loss.Kl), 1e-6, 1e-6, "batch-mean KL");
        Hand.Close(12 * Math.Log(2), Hand.Scalar(loss.Reconstruction), 1e-5, 1e-6, "reconstruction at zero logits");
        Hand.Close(HandKl().Average() + 12 * Math.Log(2), Hand.Scalar(loss.Total), 1e-5, 1e-6, "total");
    }
}
