using System;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>Loss(...).Reconstruction against the full log-densities computed by hand in double from the decoder outputs.</summary>
public sealed class ReconstructionTermTests
{
    private static double HandKlMean(Tensor mu, Tensor logVar, int batch, int latent)
    {
        var m = Hand.Values(mu);
        var v = Hand.Values(logVar);
        return Enumerable.Range(0, batch).Average(b => Hand.KlFromStandardNormal(Hand.Row(m, b, latent), Hand.Row(v, b, latent)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Bernoulli_term_is_the_negative_mean_log_likelihood(bool binaryTargets)
    {
        using var scope = NewDisposeScope();
        manual_seed(21);
        using var model = new BernoulliVae();
        const int batch = 6;
        // Binary targets, or intensities anywhere in [0, 1] as the with-logits form allows.
        var x = binaryTargets ? rand(batch, 12).gt(0.5).to_type(ScalarType.Float32) : rand(batch, 12);
        var output = model.forward(x);
        var loss = model.Loss(x, output);

        var xs = Hand.Values(x);
        var logits = Hand.Values(output.Logits);
        var expected = -Enumerable.Range(0, batch).Average(b => Hand.BernoulliLogLikelihood(Hand.Row(xs, b, 12), Hand.Row(logits, b, 12)));
        Hand.Close(expected, Hand.Scalar(loss.Reconstruction), 1e-5, 1e-5, "reconstruction");
        var kl = HandKlMean(output.Mu, output.LogVar, batch, 3);
        Hand.Close(kl, Hand.Scalar(loss.Kl), 1e-6, 1e-5, "KL");
        Hand.Close(expected + kl, Hand.Scalar(loss.Total), 1e-5, 1e-5, "total");
    }

    [Fact]
    public void Gaussian_term_includes_the_normalizing_constant_of_the_fixed_variance()
    {
        using var scope = NewDisposeScope();
        manual_seed(22);
        using var model = new GaussianVae();
        const int batch = 6;
        var x = randn(batch, 10);
        var output = model.forward(x);
        var loss = model.Loss(x, output);

        var xs = Hand.Values(x);
        var means = Hand.Values(output.Mean);
        // s^2 = 0.5 as declared on the class: sum_j -(x - m)^2 / (2 * 0.5) - 0.5 log(2 pi 0.5).
        var expected = -Enumerable.Range(0, batch).Average(b => Hand.GaussianLogLikelihood(Hand.Row(xs, b, 10), Hand.Row(means, b, 10), 0.5));
        Hand.Close(expected, Hand.Scalar(loss.Reconstruction), 1e-5, 1e-5, "reconstruction");
        Hand.Close(expected + HandKlMean(output.Mu, output.LogVar, batch, 2), Hand.Scalar(loss.Total), 1e-5, 1e-5, "total");
    }

    [Fact]
    public void Learned_variance_term_uses_the_decoders_log_variances()
    {
        using var scope = NewDisposeScope();
        manual_seed(23);
        using var model = new LearnedVarianceVae();
        const int batch = 6;
        var x = randn(batch, 10);
        var output = model.forward(x);
        var loss = model.Loss(x, output);

        // The output's mean and log-variance are the decoder's two heads at the sampled z.
        var (mean, logVar) = model.DecodeWithLogVar(output.Z);
        Hand.Close(Hand.Values(mean), Hand.Values(output.Mean), 1e-6, 1e-6, "Mean");
        Hand.Close(Hand.Values(logVar), Hand.Values(output.ObservationLogVar), 1e-6, 1e-6, "ObservationLogVar");
        Assert.NotEqual(Hand.Values(output.Mean), Hand.Values(output.ObservationLogVar));

        var xs = Hand.Values(x);
        var means = Hand.Values(output.Mean);
        var logVars = Hand.Values(output.ObservationLogVar);
        var expected = -Enumerable.Range(0, batch).Average(b =>
            Hand.GaussianLogLikelihood(Hand.Row(xs, b, 10), Hand.Row(means, b, 10), Hand.Row(logVars, b, 10)));
        Hand.Close(expected, Hand.Scalar(loss.Reconstruction), 1e-5, 1e-5, "reconstruction");
        Hand.Close(expected + HandKlMean(output.Mu, output.LogVar, batch, 2), Hand.Scalar(loss.Total), 1e-5, 1e-5, "total");
    }

    [Fact]
    public void Multiple_samples_average_the_reconstruction_over_the_slices_of_Z()
    {
        using var scope = NewDisposeScope();
        manual_seed(24);
        using var model = new MultiSampleVae();
        const int batch = 5;
        const int samples = 4;
        var x = rand(batch, 12).gt(0.5).to_type(ScalarType.Float32);
        var output = model.forward(x);
        var loss = model.Loss(x, output);

        var xs = Hand.Values(x);
        var mu = Hand.Values(output.Mu);
        var std = Hand.Values(output.LogVar).Select(v => Math.Exp(0.5 * v)).ToArray();
        var sum = 0.0;
        var noise = new double[samples][];
        for (var l = 0; l < samples; l++)
        {
            // Each slice is decoded on its own, by the public Decode, and scored by hand.
            var slice = output.Z[l];
            var logits = Hand.Values(model.Decode(slice));
            Hand.Close(logits, Hand.Values(output.Logits[l]), 1e-6, 1e-6, $"Logits[{l}]");
            for (var b = 0; b < batch; b++) sum += Hand.BernoulliLogLikelihood(Hand.Row(xs, b, 12), Hand.Row(logits, b, 12));
            // The noise behind the slice: eps = (z - mu) / std.
            noise[l] = Hand.Values(slice).Select((z, i) => (z - mu[i]) / std[i]).ToArray();
        }
        Hand.Close(-sum / (samples * batch), Hand.Scalar(loss.Reconstruction), 1e-5, 1e-5, "reconstruction averaged over L and the batch");
        Hand.Close(HandKlMean(output.Mu, output.LogVar, batch, 3), Hand.Scalar(loss.Kl), 1e-6, 1e-5, "KL");

        // The L slices come from independent noise, not one draw repeated.
        for (var l = 1; l < samples; l++)
            Assert.True(noise[l].Zip(noise[0], (a, b) => Math.Abs(a - b)).Max() > 0.1, $"slice {l} repeats the noise of slice 0");
    }
}
