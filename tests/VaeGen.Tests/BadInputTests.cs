using System;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>Wrong feature counts and non-positive counts fail fast with argument exceptions that say what is wrong.</summary>
public sealed class BadInputTests
{
    private static void AssertShapeError(Action action, string model, string shape)
    {
        var error = Assert.Throws<ArgumentException>(action);
        Assert.Equal("x", error.ParamName);
        Assert.Contains(model, error.Message, StringComparison.Ordinal);
        Assert.Contains(shape, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_forward_and_Loss_reject_the_wrong_feature_count()
    {
        using var scope = NewDisposeScope();
        manual_seed(50);
        using var model = new BernoulliVae();
        var wrong = rand(5, 11);
        AssertShapeError(() => model.Encode(wrong), nameof(BernoulliVae), "[5, 11]");
        AssertShapeError(() => model.forward(wrong), nameof(BernoulliVae), "[5, 11]");
        AssertShapeError(() => model.Reconstruct(wrong), nameof(BernoulliVae), "[5, 11]");
        AssertShapeError(() => model.LogLikelihood(wrong, 2), nameof(BernoulliVae), "[5, 11]");
        AssertShapeError(() => model.Encode(rand(12, 5)), nameof(BernoulliVae), "[12, 5]");
        AssertShapeError(() => model.Encode(tensor(1.0f)), nameof(BernoulliVae), "[]");

        var x = rand(5, 12);
        var output = model.forward(x);
        AssertShapeError(() => model.Loss(rand(5, 13), output), nameof(BernoulliVae), "[5, 13]");
        var (mu, logVar) = model.Encode(x);
        AssertShapeError(() => model.LogImportanceWeights(rand(5, 10), mu, logVar, randn(1, 5, 3)), nameof(BernoulliVae), "[5, 10]");
    }

    [Fact]
    public void Other_models_name_themselves_and_their_own_input_size()
    {
        using var scope = NewDisposeScope();
        using var gaussian = new GaussianVae();
        using var learned = new LearnedVarianceVae();
        using var deep = new DeepVae();
        AssertShapeError(() => gaussian.forward(randn(3, 12)), nameof(GaussianVae), "[3, 12]");
        AssertShapeError(() => learned.Encode(randn(2, 4, 9)), nameof(LearnedVarianceVae), "[2, 4, 9]");
        AssertShapeError(() => deep.forward(rand(1, 10)), nameof(DeepVae), "[1, 10]");
        var error = Assert.Throws<ArgumentException>(() => gaussian.Encode(randn(3, 12)));
        Assert.Contains("10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_rejects_a_count_below_one()
    {
        using var model = new BernoulliVae();
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => model.Sample(0)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => model.Sample(-3)).ParamName);
    }

    [Fact]
    public void LogLikelihood_rejects_fewer_than_one_importance_sample()
    {
        using var scope = NewDisposeScope();
        using var model = new BernoulliVae();
        var x = rand(2, 12);
        Assert.Equal("importanceSamples", Assert.Throws<ArgumentOutOfRangeException>(() => model.LogLikelihood(x, 0)).ParamName);
        Assert.Equal("importanceSamples", Assert.Throws<ArgumentOutOfRangeException>(() => model.LogLikelihood(x, -1)).ParamName);
    }

    [Fact]
    public void Gaussian_density_rejects_a_non_positive_variance()
    {
        using var scope = NewDisposeScope();
        var x = zeros(2, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => Maths.LogDensity.Gaussian(x, x, 0.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Maths.LogDensity.Gaussian(x, x, -1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Maths.LogDensity.Gaussian(x, x, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Maths.LogDensity.Gaussian(x, x, double.PositiveInfinity));
    }
}
