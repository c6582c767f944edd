using System;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Training;

/// <summary>
/// The session's binarization draw ([u &lt; p], u uniform) against libtorch's bernoulli(p), the draw it replaced: the
/// same distribution, exact at p = 0 and p = 1, and reproducible per seed.
/// </summary>
public sealed class BinarizationTests
{
    private static readonly float[] Levels = [0f, 1e-3f, 0.25f, 0.5f, 0.9f, 0.999f, 1f];

    private static TrainingSession Session(BernoulliVae model, Tensor data, long seed) =>
        new(model, nameof(BernoulliVae), BernoulliVae.InputSize, data, new TrainingOptions { Epochs = 1, BatchSize = 8, Seed = seed });

    [Fact]
    public void The_draw_has_the_distribution_of_libtorch_bernoulli_at_every_level()
    {
        // 28,800 draws of each grey level, the levels cycling through a [rows, 12] batch: the mean of each level's draws
        // must lie within 5 standard errors of p, for both draws.
        using var scope = NewDisposeScope();
        var flatLevels = tensor(Levels).repeat(12 * 4800);
        var batch = flatLevels.reshape(-1, BernoulliVae.InputSize);
        using var model = new BernoulliVae();
        using var session = Session(model, rand(16, BernoulliVae.InputSize), seed: 4);
        var ours = session.Binarize(batch);
        var theirs = bernoulli(batch);
        Assert.Equal(batch.shape, ours.shape);
        Assert.Equal(ScalarType.Float32, ours.dtype);
        Assert.True(ours.eq(0).logical_or(ours.eq(1)).all().item<bool>(), "the draw is not binary");

        foreach (var draw in new[] { ours.reshape(-1), theirs.reshape(-1) })
        {
            foreach (var p in Levels)
            {
                var mask = flatLevels.eq(p);
                var count = mask.sum().item<long>();
                var mean = draw.masked_select(mask).mean().item<float>();
                var standardError = Math.Sqrt(p * (1 - p) / count);
                Assert.True(Math.Abs(mean - p) <= 5 * standardError + 1e-6, $"level {p}: mean of {count} draws is {mean}");
            }
        }

        // Exact at the ends: no draw of p = 1 is 0, none of p = 0 is 1.
        Assert.True(ours.reshape(-1).masked_select(flatLevels.eq(1f)).eq(1).all().item<bool>());
        Assert.True(ours.reshape(-1).masked_select(flatLevels.eq(0f)).eq(0).all().item<bool>());
    }

    [Fact]
    public void The_same_seed_gives_the_same_draw_and_another_seed_another()
    {
        using var scope = NewDisposeScope();
        var data = rand(64, BernoulliVae.InputSize, generator: new TorchSharp.torch.Generator(3));
        using var model = new BernoulliVae();
        Tensor Draw(long seed)
        {
            using var session = Session(model, data, seed);
            return session.Binarize(data).MoveToOuterDisposeScope();
        }

        Assert.True(Draw(5).equal(Draw(5)).all().item<bool>());
        Assert.False(Draw(5).equal(Draw(6)).all().item<bool>());
    }
}
