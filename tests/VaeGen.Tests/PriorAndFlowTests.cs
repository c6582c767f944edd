using System;
using System.Linq;
using TorchSharp;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>
/// The generated code of learned priors, flow posteriors and the importance-weighted objective: the densities it wires
/// up against direct computations, the Monte-Carlo KL against the closed form, the bound against the ELBO, and training.
/// </summary>
public sealed class PriorAndFlowTests
{
    private static Tensor Binary(long count, long seed = 5) =>
        bernoulli(full(new long[] { count, 6 }, 0.4), generator: new Generator((ulong)seed));

    [Fact]
    public void A_mixture_prior_of_standard_normals_gives_the_closed_form_KL_by_Monte_Carlo()
    {
        manual_seed(1);
        using var model = new MixtureVae();
        using (no_grad())
        {
            // Every component N(0, I): the mixture is the standard normal, so the Monte-Carlo KL estimates the closed form.
            foreach (var (name, parameter) in model.named_parameters().Where(p => p.name.StartsWith("prior.", StringComparison.Ordinal)))
                parameter.zero_();
        }
        using var z = randn(10, 3, generator: new Generator(2));
        Hand.Close(Hand.Values(Maths.LogDensity.StandardNormal(z)), Hand.Values(model.LogPrior(z)), absolute: 1e-5, what: "log p(z)");

        // One example repeated: each row is an independent draw of log q(z|x) - log p(z) for the same posterior.
        const int draws = 40_000;
        using var x = Binary(1).expand(draws, 6).contiguous();
        using var scope = NewDisposeScope();
        var output = model.forward(x);
        var elbo = model.Loss(x, output);
        var perDraw = output.LogPosterior.sub(model.LogPrior(output.Z)).to(ScalarType.Float64);
        var closedForm = Hand.Scalar(Maths.GaussianKl.FromStandardNormal(output.Mu[0], output.LogVar[0]));
        var standardError = perDraw.std().item<double>() / Math.Sqrt(draws);
        var estimate = Hand.Scalar(elbo.Kl);
        Assert.True(Math.Abs(estimate - closedForm) < 5 * standardError,
            $"Monte-Carlo KL {estimate} vs closed form {closedForm}, standard error {standardError}");
    }

    [Fact]
    public void The_VampPrior_is_the_uniform_mixture_of_the_encoders_posteriors_at_the_pseudo_inputs()
    {
        manual_seed(3);
        using var model = new VampVae();
        using var z = randn(7, 3, generator: new Generator(4)).to(ScalarType.Float64);
        model.to(ScalarType.Float64);
        var pseudo = model.named_parameters().Single(p => p.name == "pseudoInputs.inputs").parameter;
        using var scope = NewDisposeScope();
        var (mu, logVar) = model.Encode(pseudo.clamp(0, 1));
        var means = Hand.Values(mu);
        var logVars = Hand.Values(logVar);
        var expected = Enumerable.Range(0, 7).Select(i =>
        {
            var point = Hand.Row(Hand.Values(z), i, 3);
            var terms = Enumerable.Range(0, 5).Select(k => Hand.DiagonalGaussianLogDensity(point, Hand.Row(means, k, 3), Hand.Row(logVars, k, 3))).ToArray();
            var max = terms.Max();
            return max + Math.Log(terms.Sum(t => Math.Exp(t - max)) / 5);
        }).ToArray();
        Hand.Close(expected, Hand.Values(model.LogPrior(z)), absolute: 1e-10, what: "log p(z) of the VampPrior");
    }

    [Fact]
    public void With_one_sample_the_importance_weighted_bound_is_the_ELBO_on_the_same_noise()
    {
        manual_seed(5);
        using var model = new IwaeOneSampleVae();
        using var x = Binary(64);
        using var scope = NewDisposeScope();
        var elbo = model.Loss(x, model.forward(x));
        Assert.Equal(Hand.Scalar(elbo.Total), Hand.Scalar(elbo.Bound), 5);
    }

    [Fact]
    public void The_importance_weighted_bound_is_tighter_than_the_ELBO_and_rises_with_k()
    {
        manual_seed(6);
        using var model = new IwaeVae();
        using var x = Binary(2000);
        using var scope = NewDisposeScope();
        var elbo = model.Loss(x, model.forward(x));
        // With 2,000 examples the means are sharp: the k = 4 bound (a negative log-likelihood bound) lies below the -ELBO.
        Assert.True(Hand.Scalar(elbo.Bound) < Hand.Scalar(elbo.Total), $"bound {Hand.Scalar(elbo.Bound)} vs -ELBO {Hand.Scalar(elbo.Total)}");

        using var flow = new IafVae();
        var k1 = flow.LogLikelihood(x, 1).mean().item<float>();
        var k10 = flow.LogLikelihood(x, 10).mean().item<float>();
        var k100 = flow.LogLikelihood(x, 100).mean().item<float>();
        Assert.True(k1 < k10 && k10 < k100, $"log p(x) estimates with k = 1, 10, 100: {k1}, {k10}, {k100}");
    }

    [Fact]
    public void A_flow_posterior_density_is_the_Gaussian_density_less_the_flows_log_determinant()
    {
        manual_seed(7);
        using var model = new PlanarVae();
        using var x = Binary(5);
        using var scope = NewDisposeScope();
        var (mu, logVar) = model.Encode(x);
        var eps = randn(2, 5, 3, generator: new Generator(8));
        var (z, logPosterior) = model.DrawPosterior(mu, logVar, eps);
        var z0 = model.Reparameterize(mu, logVar, eps);
        var flow = model.named_children().Single(c => c.name == "flow").module as Maths.PlanarFlow;
        var (again, logDet) = flow!.forward(z0);
        Assert.True(again.allclose(z), "z is the flow of the Gaussian draw");
        Hand.Close(Hand.Values(Maths.LogDensity.GaussianWithLogVar(z0, mu, logVar).sub(logDet)), Hand.Values(logPosterior), absolute: 1e-5, what: "log q(z|x)");
        // The flow has moved z: a test of the flow would pass vacuously at the identity.
        Assert.False(z.allclose(z0, rtol: 0, atol: 1e-6));
    }

    public static TheoryData<string> TrainedModels => new()
    {
        nameof(MixtureVae), nameof(VampVae), nameof(PlanarVae), nameof(IafVae), nameof(IwaeVae), nameof(IwaeFlowMixtureVae), nameof(VampConvLabelVae),
    };

    [Theory]
    [MemberData(nameof(TrainedModels))]
    public void Each_kind_trains_resumes_bit_exactly_and_lowers_its_negative_ELBO(string name)
    {
        using var temporary = new TempDirectory("priors");
        using var data = Binary(256, seed: 9);
        using var labels = randint(0, 3, 256, generator: new Generator(10));
        var images = data.narrow(1, 0, 4).repeat(1, 4).contiguous();
        var options = new TrainingOptions { Epochs = 4, BatchSize = 32, LearningRate = 1e-2, Seed = 3 };
        var straightOptions = options with { CheckpointDirectory = System.IO.Path.Combine(temporary.Path, "straight") };
        var stoppedOptions = options with { CheckpointDirectory = System.IO.Path.Combine(temporary.Path, "stopped") };

        var straight = Fit(name, 1, straightOptions, data, images, labels);
        Fit(name, 1, stoppedOptions with { Epochs = 2 }, data, images, labels);
        var resumed = Fit(name, 42, stoppedOptions with { Resume = true }, data, images, labels);

        Assert.True(straight.Epochs[^1].TrainLoss < straight.Epochs[0].TrainLoss,
            $"{name}: -ELBO {straight.Epochs[0].TrainLoss} in epoch 1, {straight.Epochs[^1].TrainLoss} in epoch 4");
        Assert.All(straight.Epochs, e => Assert.True(double.IsFinite(e.TrainLoss) && double.IsFinite(e.TrainObjective)));
        Assert.Equal(straight.Epochs.Select(e => e.TrainLoss), resumed.Epochs.Select(e => e.TrainLoss));
        Assert.Equal(straight.Epochs.Select(e => e.TrainObjective), resumed.Epochs.Select(e => e.TrainObjective));
    }

    private static TrainingHistory Fit(string name, long initSeed, TrainingOptions options, Tensor data, Tensor images, Tensor labels)
    {
        manual_seed(initSeed);
        return name switch
        {
            nameof(MixtureVae) => Use(new MixtureVae(), m => m.Fit(data, options)),
            nameof(VampVae) => Use(new VampVae(), m => m.Fit(data, options)),
            nameof(PlanarVae) => Use(new PlanarVae(), m => m.Fit(data, options)),
            nameof(IafVae) => Use(new IafVae(), m => m.Fit(data, options)),
            nameof(IwaeVae) => Use(new IwaeVae(), m => m.Fit(data, options)),
            nameof(IwaeFlowMixtureVae) => Use(new IwaeFlowMixtureVae(), m => m.Fit(data, options)),
            nameof(VampConvLabelVae) => Use(new VampConvLabelVae(), m => m.Fit(images, labels, options)),
            _ => throw new ArgumentException(name),
        };

        static TrainingHistory Use<T>(T model, Func<T, TrainingHistory> fit) where T : IDisposable
        {
            using (model) return fit(model);
        }
    }

    [Fact]
    public void The_importance_weighted_objective_refuses_a_KL_weight_at_run_time()
    {
        using var model = new IwaeVae();
        using var data = Binary(32);
        var warmUp = Assert.Throws<ArgumentException>(() => model.Fit(data, new TrainingOptions { Epochs = 1, KlWarmupEpochs = 2 }));
        Assert.Contains("KlWarmupEpochs = 2", warmUp.Message);
        var beta = Assert.Throws<ArgumentException>(() => model.Fit(data, new TrainingOptions { Epochs = 1, Beta = 0.5 }));
        Assert.Contains("Beta = 0.5", beta.Message);
    }

    [Fact]
    public void Latent_usage_of_a_model_whose_KL_does_not_split_has_no_KL_per_dimension()
    {
        using var model = new MixtureVae();
        using var data = Binary(50);
        var usage = model.LatentUsage(data);
        Assert.Null(usage.KlPerDimension);
        Assert.Equal(3, usage.Activity.Length);
        using var plain = new BernoulliVae();
        Assert.NotNull(plain.LatentUsage(torch.rand(50, BernoulliVae.InputSize)).KlPerDimension);
    }

    [Fact]
    public void Sampling_draws_from_the_learned_prior()
    {
        manual_seed(11);
        using var model = new MixtureVae();
        using var samples = model.Sample(64, new Generator(12));
        Assert.Equal(new long[] { 64, 6 }, samples.shape);
        using var again = model.Sample(64, new Generator(12));
        Assert.True(samples.equal(again).all().item<bool>(), "a seeded generator draws the same samples");
        using var vamp = new VampConvLabelVae();
        using var conditioned = vamp.Sample(tensor(new long[] { 0, 1, 2, 2 }), new Generator(13));
        Assert.Equal(new long[] { 4, 16 }, conditioned.shape);
    }
}
