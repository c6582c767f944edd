using System.Linq;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>Generated models serve tools through IVariationalAutoencoder, with DecodeMean as the mean of p(x|z).</summary>
public sealed class InterfaceTests
{
    [Fact]
    public void Generated_models_describe_themselves_through_the_interface()
    {
        using var bernoulli = new BernoulliVae();
        using var gaussian = new GaussianVae();
        using var learned = new LearnedVarianceVae();
        IVariationalAutoencoder[] models = [bernoulli, gaussian, learned];

        Assert.Equal([12, 10, 10], models.Select(m => m.InputSize));
        Assert.Equal([3, 2, 2], models.Select(m => m.LatentSize));
        Assert.Equal([Likelihood.Bernoulli, Likelihood.Gaussian, Likelihood.GaussianLearnedVariance], models.Select(m => m.Likelihood));
    }

    [Fact]
    public void DecodeMean_is_the_sigmoid_of_the_logits_or_the_Gaussian_mean()
    {
        using var scope = NewDisposeScope();
        manual_seed(60);
        using var bernoulli = new BernoulliVae();
        using var gaussian = new LearnedVarianceVae();
        var z = randn(5, 3);
        Assert.True(bernoulli.DecodeMean(z).allclose(sigmoid(bernoulli.Decode(z)), rtol: 0, atol: 1e-7));
        var zg = randn(5, 2);
        Assert.True(gaussian.DecodeMean(zg).equal(gaussian.Decode(zg)).all().item<bool>());
        var probabilities = ((IVariationalAutoencoder)bernoulli).DecodeMean(randn(100, 3).mul(10));
        Assert.True(probabilities.ge(0).logical_and(probabilities.le(1)).all().item<bool>());
    }

    [Fact]
    public void Evaluate_through_the_interface_matches_the_loss_on_the_whole_batch()
    {
        using var scope = NewDisposeScope();
        manual_seed(61);
        using var model = new BernoulliVae();
        var data = rand(30, 12);
        manual_seed(62);
        ElboSummary summary = ((IVariationalAutoencoder)model).Evaluate(data, batchSize: 30);
        manual_seed(62);
        using var noGrad = no_grad();
        var loss = model.Loss(data, model.forward(data));
        Assert.Equal(loss.Total.item<float>(), summary.Loss, 4);
        Assert.Equal(loss.Kl.item<float>(), summary.Kl, 4);
        Assert.Equal(30, summary.Examples);
    }
}
