using System;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Training;

/// <summary>
/// The session's binarization draw ([u &lt; p], u from a counter-based generator) against libtorch's bernoulli(p): the
/// same distribution, exact at p = 0 and p = 1, reproducible per seed, fresh at every step, and the same whichever
/// thread draws an element.
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

    [Fact]
    public void Every_element_is_its_own_counters_draw_whichever_thread_draws_it()
    {
        // 300,007 elements: split between threads on a machine with two or more cores, with an uneven last part.
        using var scope = NewDisposeScope();
        var probabilities = rand(300_007, generator: new TorchSharp.torch.Generator(8));
        var key = BinarizationDraw.Key(seed: 12, epoch: 3, step: 7, draw: 0);
        var draw = BinarizationDraw.Draw(probabilities, key).data<float>().ToArray();
        var p = probabilities.data<float>().ToArray();
        for (var i = 0; i < p.Length; i++)
        {
            var expected = BinarizationDraw.Uniform(key, i) < p[i] ? 1f : 0f;
            if (draw[i] != expected) Assert.Fail($"element {i}: drew {draw[i]}, its counter gives {expected}");
        }

        // Float64 probabilities draw the same uniforms.
        var wide = BinarizationDraw.Draw(probabilities.to(ScalarType.Float64), key);
        Assert.Equal(ScalarType.Float64, wide.dtype);
        Assert.True(wide.to(ScalarType.Float32).equal(tensor(draw)).all().item<bool>());
    }

    [Fact]
    public void Each_call_step_and_epoch_draws_afresh_from_one_batch()
    {
        using var scope = NewDisposeScope();
        var data = full(32, BernoulliVae.InputSize, 0.5f);
        using var model = new BernoulliVae();
        using var session = new TrainingSession(model, nameof(BernoulliVae), BernoulliVae.InputSize, data, new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 4 });
        var draws = new System.Collections.Generic.List<Tensor>();
        while (session.NextEpoch(System.Threading.CancellationToken.None))
        {
            while (session.NextBatch(System.Threading.CancellationToken.None, out var batch))
            {
                // Copies: a draw from a batch the session gathered lives in a buffer the next step's draw overwrites.
                var first = session.Binarize(batch);
                var second = session.Binarize(batch);
                Assert.NotSame(first, second);
                draws.Add(first.clone().DetachFromDisposeScope());
                draws.Add(second.clone().DetachFromDisposeScope());
            }
        }

        // Two epochs of two steps, two draws each: eight draws of an all-0.5 batch, each different from every other.
        Assert.Equal(8, draws.Count);
        for (var i = 0; i < draws.Count; i++)
            for (var j = i + 1; j < draws.Count; j++)
                Assert.False(draws[i].equal(draws[j]).all().item<bool>(), $"draws {i} and {j} are equal");
        foreach (var draw in draws) draw.Dispose();
    }
}
