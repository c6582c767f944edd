using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using TorchSharp;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Training;

/// <summary>The generated Fit and the training session behind it, on small synthetic data so the suite stays fast.</summary>
public sealed class FitTests : IDisposable
{
    private readonly TempDirectory temporary = new("fit");

    private string directory => temporary.Path;

    public void Dispose() => temporary.Dispose();

    /// <summary>Grey-level examples of 12 features around four fixed prototypes; <paramref name="seed"/> picks the examples.</summary>
    private static Tensor GreyData(long seed = 7, long count = 192)
    {
        using var scope = NewDisposeScope();
        var prototypes = rand(4, 12, generator: new Generator(1234));
        var generator = new Generator((ulong)seed);
        var labels = randint(0, 4, count, generator: generator);
        var noise = rand(count, 12, generator: generator).mul_(0.2);
        return prototypes.index_select(0, labels).mul_(0.8).add_(noise).clamp_(0, 1).MoveToOuterDisposeScope();
    }

    private static BernoulliVae NewModel(long initSeed)
    {
        manual_seed(initSeed);
        return new BernoulliVae();
    }

    private static TrainingOptions Options(int epochs = 3) => new() { Epochs = epochs, BatchSize = 32, LearningRate = 5e-3, Seed = 11 };

    private static double[] Losses(TrainingHistory history) =>
        history.Epochs.SelectMany(e => new[] { e.TrainLoss, e.TrainReconstruction, e.TrainKl, e.ValidationLoss ?? double.NaN }).ToArray();

    private static void AssertSameParameters(nn.Module expected, nn.Module actual)
    {
        var left = expected.state_dict();
        var right = actual.state_dict();
        Assert.Equal(left.Keys.Order(), right.Keys.Order());
        foreach (var key in left.Keys) Assert.True(left[key].equal(right[key]).all().item<bool>(), $"parameter {key} differs");
    }

    [Fact]
    public void Same_seed_and_data_give_the_same_run_bit_for_bit()
    {
        using var data = GreyData();
        using var validation = GreyData(seed: 8, count: 40);
        using var first = NewModel(1);
        using var second = NewModel(1);
        var options = Options() with { ValidationData = validation };

        var a = first.Fit(data, options);
        var b = second.Fit(data, options);

        Assert.Equal(3, a.Epochs.Count);
        Assert.Equal(Losses(a), Losses(b));
        AssertSameParameters(first, second);
        // A different seed changes the run, so the equality above is not vacuous.
        using var third = NewModel(1);
        var c = third.Fit(data, options with { Seed = 12 });
        Assert.NotEqual(Losses(a), Losses(c));
    }

    [Fact]
    public void Training_lowers_the_true_negative_ELBO_and_reports_validation()
    {
        using var data = GreyData();
        using var validation = GreyData(seed: 8, count: 40);
        using var model = NewModel(2);
        var before = model.Evaluate(validation);
        var history = model.Fit(data, Options(epochs: 6) with { ValidationData = validation });

        Assert.All(history.Epochs, e => Assert.Equal(e.TrainReconstruction + e.TrainKl, e.TrainLoss, 9));
        Assert.All(history.Epochs, e => Assert.NotNull(e.ValidationLoss));
        Assert.True(history.Epochs[^1].ValidationLoss < before.Loss - 0.2, $"validation -ELBO went from {before.Loss} to {history.Epochs[^1].ValidationLoss}: " + string.Join(" | ", history.Epochs.Select(e => $"{e.TrainLoss:F3} {e.TrainReconstruction:F3} {e.TrainKl:F3} {e.ValidationLoss:F3}")));
        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss);
        Assert.All(history.Epochs, e => Assert.True(e.ExamplesPerSecond > 0 && e.TrainSeconds > 0 && e.ElapsedSeconds >= e.TrainSeconds));
        Assert.Equal(40, model.Evaluate(validation).Examples);
    }

    [Fact]
    public void Resuming_from_a_checkpoint_reaches_the_uninterrupted_run()
    {
        using var data = GreyData();
        using var validation = GreyData(seed: 8, count: 40);
        var options = Options(epochs: 4) with { ValidationData = validation, CheckpointDirectory = Path.Combine(directory, "straight") };
        using var straight = NewModel(3);
        var uninterrupted = straight.Fit(data, options);

        var stopped = options with { CheckpointDirectory = Path.Combine(directory, "stopped") };
        using (var firstHalf = NewModel(3)) firstHalf.Fit(data, stopped with { Epochs = 2 });
        // A fresh process would start from a different initialization; the checkpoint must override all of it.
        using var resumed = NewModel(99);
        var continued = resumed.Fit(data, stopped with { Resume = true });

        Assert.Equal(2, continued.ResumedAfterEpoch);
        Assert.Equal(Losses(uninterrupted), Losses(continued));
        // Epochs read back from the checkpoint keep their real timings.
        Assert.All(continued.Epochs, e => Assert.True(e.ElapsedSeconds >= e.TrainSeconds && e.TrainSeconds > 0, $"epoch {e.Epoch}: {e.ElapsedSeconds} s elapsed, {e.TrainSeconds} s training"));
        AssertSameParameters(straight, resumed);
    }

    [Fact]
    public void Checkpoints_are_replaced_atomically_and_a_failed_write_keeps_the_last_one()
    {
        using var data = GreyData();
        var checkpoints = Path.Combine(directory, "atomic");
        using var model = NewModel(4);
        model.Fit(data, Options(epochs: 1) with { CheckpointDirectory = checkpoints });
        var path = Checkpoint.PathIn(checkpoints);
        var good = File.ReadAllBytes(path);
        Assert.Equal([Checkpoint.FileName], Directory.GetFiles(checkpoints).Select(Path.GetFileName));

        // Make the temporary file impossible to create: the next write fails before it could touch the checkpoint.
        Directory.CreateDirectory(path + ".tmp");
        Assert.ThrowsAny<Exception>(() => model.Fit(data, Options(epochs: 2) with { CheckpointDirectory = checkpoints, Resume = true }));
        Assert.Equal(good, File.ReadAllBytes(path));

        // A damaged checkpoint is refused with its path in the message, and leaves the model and random state alone.
        Directory.Delete(path + ".tmp");
        using var fresh = NewModel(40);
        var before = fresh.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        foreach (var damage in new Func<byte[], byte[]>[]
        {
            bytes => bytes.AsSpan(0, bytes.Length / 2).ToArray(),
            bytes => { var copy = (byte[])bytes.Clone(); copy[copy.Length / 2] ^= 0x40; return copy; },
        })
        {
            File.WriteAllBytes(path, damage(good));
            // Fit seeds the generator before it reads the checkpoint; a refused checkpoint must leave that state.
            manual_seed(Options().Seed);
            using var state = get_rng_state();
            var error = Assert.Throws<InvalidDataException>(() => fresh.Fit(data, Options(epochs: 2) with { CheckpointDirectory = checkpoints, Resume = true }));
            Assert.Contains(path, error.Message);
            using var after = get_rng_state();
            Assert.True(after.equal(state).all().item<bool>(), "the refused checkpoint changed the random state");
            foreach (var (name, value) in fresh.state_dict()) Assert.True(value.equal(before[name]).all().item<bool>(), $"{name} changed");
        }
        Assert.Contains("SHA-256", Assert.Throws<InvalidDataException>(() => fresh.Fit(data, Options(epochs: 2) with { CheckpointDirectory = checkpoints, Resume = true })).Message);
    }

    [Fact]
    public void Resuming_with_other_settings_is_refused_with_the_difference()
    {
        using var data = GreyData();
        var checkpoints = Path.Combine(directory, "mismatch");
        using (var model = NewModel(5)) model.Fit(data, Options(epochs: 1) with { CheckpointDirectory = checkpoints });

        using var other = NewModel(5);
        var error = Assert.Throws<InvalidDataException>(() =>
            other.Fit(data, Options(epochs: 2) with { CheckpointDirectory = checkpoints, Resume = true, BatchSize = 16 }));
        Assert.Contains("batch size 32", error.Message);
        Assert.Contains("batch size 16", error.Message);
        Assert.Contains(Checkpoint.PathIn(checkpoints), error.Message);
    }

    [Fact]
    public void A_non_finite_loss_stops_training_at_its_step_and_keeps_the_last_checkpoint()
    {
        using var data = GreyData();
        var checkpoints = Path.Combine(directory, "nan");
        using var model = NewModel(6);
        byte[]? afterFirstEpoch = null;
        var progress = new SynchronousProgress(report =>
        {
            if (report.CompletedEpoch is { Epoch: 1 }) afterFirstEpoch = File.ReadAllBytes(Checkpoint.PathIn(checkpoints));
            if (report is { Epoch: 2, Step: 3, CompletedEpoch: null })
            {
                using var noGrad = no_grad();
                model.parameters().First().fill_(double.NaN);
            }
        });

        var error = Assert.Throws<TrainingDivergedException>(() =>
            model.Fit(data, Options(epochs: 3) with { CheckpointDirectory = checkpoints, Progress = progress, ReportEvery = 2 }));

        Assert.Equal(2, error.Epoch);
        Assert.Equal(4, error.Step);
        Assert.Contains("epoch 2, step 4 of 6", error.Message);
        Assert.Contains("after epoch 1", error.Message);
        Assert.Contains("Try a lower learning rate (it is 0.005)", error.Message);
        Assert.NotNull(afterFirstEpoch);
        Assert.Equal(afterFirstEpoch, File.ReadAllBytes(Checkpoint.PathIn(checkpoints)));
    }

    [Fact]
    public void A_loss_not_finite_before_any_update_is_blamed_on_the_data_scale_not_the_learning_rate()
    {
        // Raw measurements in the tens of thousands, as a user's CSV file may hold them: the untrained encoder's
        // log-variance is so large that its exponential overflows on the very first step.
        manual_seed(3);
        using var data = randn(64, GaussianVae.InputSize).mul_(2e4);
        using var model = new GaussianVae();

        var error = Assert.Throws<TrainingDivergedException>(() => model.Fit(data, new TrainingOptions { Epochs = 2, BatchSize = 16 }));

        Assert.Equal((1, 1), (error.Epoch, error.Step));
        Assert.Contains("before any parameter update, so the learning rate is not the cause", error.Message);
        using var largest = data.abs().max();
        Assert.Contains(FormattableString.Invariant($"the largest |value| in the data is {largest.ToDouble():G6}"), error.Message);
        Assert.Contains("declare Scaling = FeatureScaling.Standardize on the model", error.Message);
        Assert.DoesNotContain("Try a lower learning rate", error.Message);
    }

    [Fact]
    public void Live_tensors_stay_flat_across_epochs()
    {
        using var data = GreyData();
        using var validation = GreyData(seed: 8, count: 40);
        using var model = NewModel(7);
        var live = new List<long>();
        var progress = new SynchronousProgress(report =>
        {
            if (report.CompletedEpoch is not null) live.Add(DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount);
        });

        model.Fit(data, Options(epochs: 5) with { ValidationData = validation, Progress = progress, CheckpointDirectory = Path.Combine(directory, "flat") });

        Assert.Equal(5, live.Count);
        Assert.All(live.Skip(1), count => Assert.Equal(live[0], count));
    }

    [Fact]
    public void Cancellation_stops_at_a_batch_boundary_and_keeps_completed_epochs()
    {
        using var data = GreyData();
        var checkpoints = Path.Combine(directory, "cancel");
        using var cancellation = new CancellationTokenSource();
        using var model = NewModel(8);
        var progress = new SynchronousProgress(report =>
        {
            if (report is { Epoch: 2, Step: 2 }) cancellation.Cancel();
        });

        var history = model.Fit(data, Options(epochs: 4) with { CheckpointDirectory = checkpoints, Progress = progress }, cancellation.Token);

        Assert.True(history.Cancelled);
        Assert.Single(history.Epochs);
        using var resumed = NewModel(8);
        var continued = resumed.Fit(data, Options(epochs: 1) with { CheckpointDirectory = checkpoints, Resume = true });
        Assert.Equal(1, continued.ResumedAfterEpoch);
        Assert.Single(continued.Epochs);
    }

    [Fact]
    public void Kl_warm_up_ramps_the_weight_but_not_the_reported_elbo()
    {
        using var data = GreyData();
        using var model = NewModel(9);
        var history = model.Fit(data, Options(epochs: 3) with { KlWarmupEpochs = 2, Beta = 1.0 });

        Assert.Equal(0.5 * 5 / 6 + 0.5 * 0, history.Epochs[0].KlWeight, 9);
        Assert.Equal(1.0, history.Epochs[2].KlWeight, 9);
        Assert.True(history.Epochs[0].KlWeight < history.Epochs[1].KlWeight);
        Assert.All(history.Epochs, e => Assert.Equal(e.TrainReconstruction + e.TrainKl, e.TrainLoss, 9));
    }

    [Fact]
    public void Dynamic_binarization_trains_on_fresh_binary_draws_of_the_grey_levels()
    {
        using var data = GreyData();
        using var model = NewModel(10);
        var plain = model.Fit(data, Options(epochs: 1));
        using var other = NewModel(10);
        var binarized = other.Fit(data, Options(epochs: 1) with { DynamicBinarization = true });
        Assert.NotEqual(plain.Epochs[0].TrainReconstruction, binarized.Epochs[0].TrainReconstruction);
        Assert.True(double.IsFinite(binarized.Epochs[0].TrainLoss));

        // The draw is binary and, over many draws, averages to the grey levels.
        using var session = new TrainingSession(other, nameof(BernoulliVae), BernoulliVae.InputSize, data, Options(epochs: 1));
        using var scope = NewDisposeScope();
        var draws = stack(Enumerable.Range(0, 400).Select(_ => session.Binarize(data)).ToArray());
        Assert.True(draws.eq(0).logical_or(draws.eq(1)).all().item<bool>());
        Assert.True(draws.mean([0]).sub(data).abs().max().item<float>() < 0.12f);
    }

    [Fact]
    public void Bad_options_and_data_are_refused_with_the_value()
    {
        using var data = GreyData();
        using var model = NewModel(11);
        Assert.Contains("Epochs is 0", Assert.Throws<ArgumentException>(() => model.Fit(data, new TrainingOptions { Epochs = 0 })).Message);
        Assert.Contains("LearningRate is -1", Assert.Throws<ArgumentException>(() => model.Fit(data, new TrainingOptions { LearningRate = -1 })).Message);
        Assert.Contains("Resume", Assert.Throws<ArgumentException>(() => model.Fit(data, new TrainingOptions { Resume = true })).Message);
        using var outOfRange = data.clone();
        outOfRange[0, 0] = tensor(1.5f);
        outOfRange[3, 5] = tensor(-0.25f);
        Assert.Contains("range from -0.25 to 1.5", Assert.Throws<ArgumentException>(() => model.Fit(outOfRange)).Message);
        using var narrow = rand(10, 11);
        Assert.Contains("[10, 11]", Assert.Throws<ArgumentException>(() => model.Fit(narrow)).Message);

        using var gaussian = new GaussianVae();
        using var continuous = randn(20, 10);
        Assert.Contains("Bernoulli", Assert.Throws<ArgumentException>(() => gaussian.Fit(continuous, new TrainingOptions { DynamicBinarization = true })).Message);
    }

    [Fact]
    public void A_double_precision_model_trains()
    {
        using var data = GreyData();
        using var wide = data.to_type(ScalarType.Float64);
        using var model = NewModel(13);
        model.to(ScalarType.Float64);
        var history = model.Fit(wide, Options(epochs: 2) with { ValidationData = wide });
        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss);
        Assert.All(history.Epochs, e => Assert.True(double.IsFinite(e.ValidationLoss!.Value)));
    }

    [Fact]
    public void A_non_finite_validation_loss_stops_training_with_a_clear_error()
    {
        using var data = randn(64, 10);
        using var validation = randn(8, 10);
        // Finite, so it passes the data check, but its squared error overflows float32.
        validation[0, 0] = tensor(1e30f);
        using var model = new GaussianVae();
        var error = Assert.Throws<TrainingDivergedException>(() => model.Fit(data, new TrainingOptions { Epochs = 2, BatchSize = 16, ValidationData = validation }));
        Assert.Equal(1, error.Epoch);
        Assert.Contains("validation -ELBO after epoch 1", error.Message);
    }

    [Fact]
    public void Adam_matches_TorchSharp_Adam()
    {
        using var data = GreyData();
        using var ours = NewModel(12);
        using var theirs = NewModel(12);
        using var optimizer = new AdamOptimizer(ours.parameters(), 1e-2);
        var reference = optim.Adam(theirs.parameters(), 1e-2);
        for (var step = 0; step < 25; step++)
        {
            using var scope = NewDisposeScope();
            var batch = data.narrow(0, (step * 16) % 160, 16);
            var eps = randn(16, 3);
            foreach (var (model, stepper) in new (BernoulliVae, Action)[] { (ours, optimizer.Step), (theirs, () => reference.step()) })
            {
                var (mu, logVar) = model.Encode(batch);
                var z = model.Reparameterize(mu, logVar, eps);
                var output = new BernoulliVae.Output(mu, logVar, z, model.Decode(z));
                var loss = model.Loss(batch, output).Total;
                model.zero_grad();
                loss.backward();
                stepper();
            }
        }
        foreach (var (name, parameter) in ours.named_parameters())
        {
            var other = theirs.named_parameters().Single(p => p.name == name).parameter;
            Assert.True(parameter.allclose(other, rtol: 1e-4, atol: 1e-6), $"{name} differs after 25 steps");
        }
        Assert.Equal(25, optimizer.StepCount);
    }

}
