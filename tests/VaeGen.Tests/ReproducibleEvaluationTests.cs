using System;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>
/// Evaluate and LogLikelihood draw z, so their figures are random: given a seeded generator they are the same figures
/// on every call, bit for bit, whatever the global generator has done; another seed gives other figures.
/// </summary>
public sealed class ReproducibleEvaluationTests
{
    [Fact]
    public void Evaluate_with_the_same_seed_gives_the_same_figures_and_another_seed_others()
    {
        using var scope = NewDisposeScope();
        manual_seed(80);
        using var dense = new BernoulliVae();
        var pixels = rand(40, 12);
        AssertSeeded(seed => dense.Evaluate(pixels, batchSize: 16, generator: seed));

        // Two samples of z per example, through a flow.
        using var planar = new PlanarVae();
        var values = rand(30, 6);
        AssertSeeded(seed => planar.Evaluate(values, generator: seed));

        using var labelled = new LabelVae();
        var x = rand(20, 6);
        var labels = randint(0, 3, 20);
        AssertSeeded(seed => labelled.Evaluate(x, labels, batchSize: 8, generator: seed));
    }

    [Fact]
    public void LogLikelihood_with_the_same_seed_gives_the_same_estimates()
    {
        using var scope = NewDisposeScope();
        manual_seed(81);
        using var model = new IwaeVae();
        var x = rand(5, 6);
        AssertSeeded(seed => model.LogLikelihood(x, 20, seed).sum().ToDouble());
    }

    [Fact]
    public void A_seeded_Evaluate_leaves_the_global_generator_alone()
    {
        using var scope = NewDisposeScope();
        manual_seed(82);
        using var model = new BernoulliVae();
        var data = rand(10, 12);
        manual_seed(5);
        var expected = randn(4);
        manual_seed(5);
        using (var generator = new Generator(1)) model.Evaluate(data, generator: generator);
        Assert.True(expected.equal(randn(4)).all().item<bool>());
    }

    /// <summary>Runs <paramref name="figures"/> twice with generators seeded 7, with global draws between, and once seeded 8.</summary>
    private static void AssertSeeded<T>(Func<Generator, T> figures)
    {
        T first, again, other;
        using (var seven = new Generator(7)) first = figures(seven);
        manual_seed(1234);
        randn(100);
        using (var seven = new Generator(7)) again = figures(seven);
        using (var eight = new Generator(8)) other = figures(eight);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }
}
