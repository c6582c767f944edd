using System;
using System.Linq;
using TorchSharp;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>
/// The generated models of each new likelihood: their reconstruction term against a direct computation from the decoder's
/// outputs, their shapes, their data checks, and that a few epochs of Fit lower their -ELBO.
/// </summary>
public sealed class LikelihoodModelTests
{
    [Fact]
    public void Laplace_reconstruction_is_the_full_log_density_with_the_fixed_scale()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = new LaplaceVae();
        var x = rand(4, 6);
        var output = model.forward(x);
        var location = Hand.Values(output.Location);
        Assert.All(location, v => Assert.InRange(v, 0.0, 1.0)); // the declared sigmoid
        var xs = Hand.Values(x);
        var expected = -Enumerable.Range(0, xs.Length).Sum(i => -Math.Abs(xs[i] - location[i]) / 0.5 - Math.Log(2 * 0.5)) / 4;
        Hand.Close(expected, Hand.Scalar(model.Loss(x, output).Reconstruction), what: "Laplace reconstruction");
    }

    [Fact]
    public void Learned_laplace_uses_the_decoded_log_scale()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var model = new LaplaceLearnedScaleVae();
        var x = randn(3, 6);
        var output = model.forward(x);
        var (m, s, xs) = (Hand.Values(output.Location), Hand.Values(output.ObservationLogScale), Hand.Values(x));
        var expected = -Enumerable.Range(0, xs.Length).Sum(i => -Math.Abs(xs[i] - m[i]) * Math.Exp(-s[i]) - s[i] - Math.Log(2)) / 3;
        Hand.Close(expected, Hand.Scalar(model.Loss(x, output).Reconstruction), what: "learned-scale Laplace reconstruction");
    }

    [Fact]
    public void Continuous_bernoulli_reconstruction_includes_the_normalizing_constant()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var model = new ContinuousBernoulliVae();
        var x = rand(3, 6);
        var output = model.forward(x);
        var (l, xs) = (Hand.Values(output.Logits), Hand.Values(x));
        // log C(l) = log(l / tanh(l / 2)), 2 at l = 0: computed here in double precision.
        static double LogC(double l) => Math.Abs(l) < 1e-8 ? Math.Log(2) : Math.Log(l / Math.Tanh(l / 2));
        static double Softplus(double v) => Math.Max(v, 0) + Math.Log(1 + Math.Exp(-Math.Abs(v)));
        var expected = -Enumerable.Range(0, xs.Length).Sum(i => xs[i] * l[i] - Softplus(l[i]) + LogC(l[i])) / 3;
        Hand.Close(expected, Hand.Scalar(model.Loss(x, output).Reconstruction), absolute: 1e-4, what: "Continuous Bernoulli reconstruction");
    }

    [Fact]
    public void Categorical_reconstruction_picks_each_feature_level()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        using var model = new CategoricalVae();
        var levels = randint(0, 256, new long[] { 2, 6 });
        var x = levels.to_type(ScalarType.Float32) / 255;
        var output = model.forward(x);
        Assert.Equal(new long[] { 2, 6, 256 }, output.Logits.shape);
        var logits = Hand.Values(output.Logits);
        var k = Hand.Values(levels);
        double sum = 0;
        for (var j = 0; j < 12; j++)
        {
            var row = logits.Skip(j * 256).Take(256).ToArray();
            var max = row.Max();
            var logSumExp = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
            sum += row[(int)k[j]] - logSumExp;
        }
        Hand.Close(-sum / 2, Hand.Scalar(model.Loss(x, output).Reconstruction), absolute: 1e-4, what: "categorical reconstruction");
        Assert.All(Hand.Values(model.DecodeMean(output.Z)), v => Assert.InRange(v, 0.0, 1.0));
    }

    [Fact]
    public void Poisson_reconstruction_is_the_log_probability_of_the_counts()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var model = new PoissonVae();
        var x = tensor(new float[] { 0, 1, 2, 3, 10, 0, 5, 0, 1, 1, 7, 2 }).reshape(2, 6);
        var output = model.forward(x);
        var (r, xs) = (Hand.Values(output.LogRate), Hand.Values(x));
        static double LogFactorial(double n) => Enumerable.Range(1, (int)n).Sum(i => Math.Log(i));
        var expected = -Enumerable.Range(0, xs.Length).Sum(i => xs[i] * r[i] - Math.Exp(r[i]) - LogFactorial(xs[i])) / 2;
        Hand.Close(expected, Hand.Scalar(model.Loss(x, output).Reconstruction), absolute: 1e-4, what: "Poisson reconstruction");
        Hand.Close(Hand.Values(output.LogRate).Select(Math.Exp).ToArray(), Hand.Values(model.DecodeMean(output.Z)), what: "Poisson mean");
    }

    [Fact]
    public void Fit_refuses_data_the_likelihood_cannot_describe_and_names_the_value()
    {
        using var scope = NewDisposeScope();
        var poisson = Assert.Throws<ArgumentException>(() => new PoissonVae().Fit(full(new long[] { 4, 6 }, 0.5f)));
        Assert.Contains("0.5", poisson.Message);
        Assert.Contains("PoissonVae", poisson.Message);

        var levels = Assert.Throws<ArgumentException>(() => new CategoricalVae().Fit(full(new long[] { 4, 6 }, 0.3f)));
        Assert.Contains("0.3", levels.Message);

        var unit = Assert.Throws<ArgumentException>(() => new ContinuousBernoulliVae().Fit(full(new long[] { 4, 6 }, 1.5f)));
        Assert.Contains("1.5", unit.Message);

        var finite = Assert.Throws<ArgumentException>(() => new LaplaceVae().Fit(full(new long[] { 4, 6 }, float.NaN)));
        Assert.Contains("NaN", finite.Message);
    }

    [Fact]
    public void Each_new_likelihood_trains()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var unit = rand(256, 6);
        var options = new TrainingOptions { Epochs = 6, BatchSize = 32, LearningRate = 1e-2, Seed = 2 };
        AssertImproves(new LaplaceVae().Fit(unit, options), "Laplace");
        AssertImproves(new LaplaceLearnedScaleVae().Fit(unit, options), "learned-scale Laplace");
        AssertImproves(new ContinuousBernoulliVae().Fit(unit, options), "Continuous Bernoulli");
        AssertImproves(new CategoricalVae().Fit((unit * 255).round_() / 255, options), "categorical");
        AssertImproves(new PoissonVae().Fit(poisson(full(new long[] { 256, 6 }, 3.0f)), options), "Poisson");
        AssertImproves(new ConvVae().Fit(rand(128, 144), options), "convolutional Bernoulli");
        AssertImproves(new ConvLearnedVarianceVae().Fit(rand(128, 144), options), "convolutional learned-variance Gaussian");
        AssertImproves(new ConvCategoricalVae().Fit((rand(128, 16) * 255).round_() / 255, options), "convolutional categorical");
    }

    [Fact]
    public void Convolutional_models_keep_the_flat_interface_with_leading_dimensions()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        using var model = new ConvLearnedVarianceVae();
        var x = rand(5, 144);
        var output = model.forward(x);
        Assert.Equal(new long[] { 2, 5, 4 }, output.Z.shape);
        Assert.Equal(new long[] { 2, 5, 144 }, output.Mean.shape);
        Assert.Equal(new long[] { 2, 5, 144 }, output.ObservationLogVar.shape);
        Assert.Equal(new long[] { 5, 144 }, model.Sample(5).shape);
        Assert.Equal(new long[] { 5 }, model.LogLikelihood(x, 7).shape);

        // Decoding a stack of z slices equals decoding each slice: the leading dimensions are folded and restored, not mixed.
        var z = randn(2, 3, 4);
        var together = model.Decode(z);
        Hand.Close(Hand.Values(model.Decode(z[1])), Hand.Values(together[1]), what: "slice 1 decoded alone");

        using var categorical = new ConvCategoricalVae();
        var logits = categorical.Decode(randn(2, 3, 3));
        Assert.Equal(new long[] { 2, 3, 16, 256 }, logits.shape);
    }

    [Fact]
    public void Categorical_maps_put_each_pixels_levels_together()
    {
        using var scope = NewDisposeScope();
        // Channels hold, per image channel, one map per level: channel k is level k of every pixel.
        var maps = arange(256, ScalarType.Float32).reshape(1, 256, 1, 1).expand(1, 256, 4, 4).contiguous();
        var like = zeros(1, 3);
        var perLevel = Maths.ImageLayout.FromMapsPerLevel(maps, like, 256);
        Assert.Equal(new long[] { 1, 16, 256 }, perLevel.shape);
        Assert.Equal(Enumerable.Range(0, 256).Select(v => (double)v).ToArray(), Hand.Values(perLevel[0, 5]));
    }

    private static void AssertImproves(TrainingHistory history, string what)
    {
        var first = history.Epochs[0].TrainLoss;
        var last = history.Epochs[^1].TrainLoss;
        Assert.True(double.IsFinite(last) && last < first, $"{what}: -ELBO went from {first} to {last}.");
    }
}
