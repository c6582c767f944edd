using System;
using System.Linq;
using TorchSharp;
using VaeGen.Maths;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Distributions;

/// <summary>MixturePrior: its parameters, their initialization, its density and gradients, sampling, and its argument checks.</summary>
public sealed class MixturePriorTests
{
    [Fact]
    public void Parameters_are_means_log_vars_and_logits_and_their_count_is_the_formula()
    {
        using var prior = new MixturePrior("prior", 5, 3);
        Assert.Equal(new[] { "means", "log_vars", "logits" }, prior.named_parameters().Select(p => p.name).ToArray());
        Assert.Equal(new[] { "means", "log_vars", "logits" }, prior.state_dict().Keys.ToArray());
        Assert.Equal(new long[] { 5, 3 }, prior.Means.shape);
        Assert.Equal(new long[] { 5, 3 }, prior.LogVars.shape);
        Assert.Equal(new long[] { 5 }, prior.Logits.shape);
        Assert.Equal(5 * (2 * 3 + 1), MixturePrior.ParameterCount(5, 3));
        Assert.Equal(MixturePrior.ParameterCount(5, 3), prior.parameters().Sum(p => p.numel()));
        Assert.Equal((5, 3), (prior.Components, prior.LatentSize));
        Assert.All(prior.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void Means_are_standard_normal_from_the_global_seed_and_the_rest_zero()
    {
        torch.manual_seed(21);
        using var first = new MixturePrior("prior", 40, 50);
        torch.manual_seed(21);
        using var second = new MixturePrior("prior", 40, 50);
        using var other = new MixturePrior("prior", 40, 50);
        var means = Hand.Values(first.Means);
        Assert.Equal(means, Hand.Values(second.Means));
        Assert.NotEqual(means, Hand.Values(other.Means));
        var (mean, standardError) = Hand.MeanAndStandardError(means);
        Assert.True(Math.Abs(mean) < 5 * standardError, $"mean {mean}");
        var deviation = Math.Sqrt(means.Sum(m => (m - mean) * (m - mean)) / (means.Length - 1));
        Assert.InRange(deviation, 0.93, 1.07);
        Assert.All(Hand.Values(first.LogVars), v => Assert.Equal(0.0, v));
        Assert.All(Hand.Values(first.Logits), v => Assert.Equal(0.0, v));
        Assert.All(Hand.Values(first.LogWeights()), v => Assert.Equal(-Math.Log(40), v, 6));
    }

    [Fact]
    public void Density_normalizes_the_logits_and_gradients_reach_every_parameter()
    {
        using var scope = NewDisposeScope();
        const int components = 3, latent = 2, rows = 5;
        var random = new Random(22);
        var meanValues = Draws.Normal(random, components * latent);
        var logVarValues = Draws.Normal(random, components * latent, 0.5);
        var logitValues = Draws.Normal(random, components, 2.0).Select(l => l + 7).ToArray(); // Unnormalized on purpose.
        var zValues = Draws.Normal(random, rows * latent, 1.5);
        using var prior = new MixturePrior("prior", components, latent);
        prior.to(ScalarType.Float64);
        using (no_grad())
        {
            prior.Means.copy_(Hand.Tensor(meanValues, components, latent));
            prior.LogVars.copy_(Hand.Tensor(logVarValues, components, latent));
            prior.Logits.copy_(Hand.Tensor(logitValues, components));
        }
        Assert.Equal(ScalarType.Float64, prior.Means.dtype);

        var logProb = prior.LogProb(Hand.Tensor(zValues, rows, latent));
        Assert.Equal(new long[] { rows }, logProb.shape);
        var normalizer = Draws.LogSumExp(logitValues);
        var logWeights = logitValues.Select(l => l - normalizer).ToArray();
        Hand.Close(logWeights, Hand.Values(prior.LogWeights()), 1e-12, 1e-12, "log pi");
        var perComponent = new double[rows, components];
        var expected = new double[rows];
        for (var n = 0; n < rows; n++)
        {
            for (var k = 0; k < components; k++)
                perComponent[n, k] = logWeights[k] + Hand.DiagonalGaussianLogDensity(Hand.Row(zValues, n, latent), Hand.Row(meanValues, k, latent), Hand.Row(logVarValues, k, latent));
            expected[n] = Draws.LogSumExp(Enumerable.Range(0, components).Select(k => perComponent[n, k]).ToArray());
        }
        Hand.Close(expected, Hand.Values(logProb), 1e-12, 1e-12, "log p(z)");

        logProb.sum().backward();
        foreach (var (name, parameter) in prior.named_parameters())
            Assert.True(parameter.grad is not null && parameter.grad.abs().max().item<double>() > 1e-3, $"{name} got no gradient");
        // d/dlogits_k = sum_n (r_nk - pi_k): the responsibilities' excess over the weights.
        var expectedLogitGrad = Enumerable.Range(0, components)
            .Select(k => Enumerable.Range(0, rows).Sum(n => Math.Exp(perComponent[n, k] - expected[n]) - Math.Exp(logWeights[k])))
            .ToArray();
        Hand.Close(expectedLogitGrad, Hand.Values(prior.Logits.grad!), 1e-12, 1e-10, "d/dlogits");
    }

    [Fact]
    public void Samples_have_the_latent_size_no_gradient_and_follow_the_generator()
    {
        using var scope = NewDisposeScope();
        using var prior = new MixturePrior("prior", 4, 6);
        using var first = new Generator(23);
        using var second = new Generator(23);
        var draws = prior.Sample(10, first);
        Assert.Equal(new long[] { 10, 6 }, draws.shape);
        Assert.Equal(ScalarType.Float32, draws.dtype);
        Assert.False(draws.requires_grad);
        Assert.Equal(Hand.Values(draws), Hand.Values(prior.Sample(10, second)));
    }

    [Fact]
    public void Sizes_below_one_are_refused_with_their_name_and_value()
    {
        foreach (var (components, latent, name) in new[] { (0, 3, "components"), (-2, 3, "components"), (3, 0, "latentSize") })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MixturePrior("prior", components, latent));
            Assert.Equal(name, error.ParamName);
            Assert.Equal(name == "components" ? components : latent, error.ActualValue);
            Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => MixturePrior.ParameterCount(components, latent)).ParamName);
        }
    }
}
