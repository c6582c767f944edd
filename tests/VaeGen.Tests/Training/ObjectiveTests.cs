using System;
using System.IO;
using System.Linq;
using TorchSharp;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Training;

/// <summary>The training objective (beta, warm-up, free bits) and how it is reported apart from the true -ELBO.</summary>
public sealed class ObjectiveTests : IDisposable
{
    private readonly TempDirectory temporary = new("objective");

    private string directory => temporary.Path;

    public void Dispose() => temporary.Dispose();

    private static Tensor GreyData(long count = 96)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        var prototypes = rand(3, 12, generator: generator);
        var labels = randint(0, 3, count, generator: generator);
        return prototypes.index_select(0, labels).mul_(0.8).add_(rand(count, 12, generator: generator).mul_(0.2)).clamp_(0, 1).MoveToOuterDisposeScope();
    }

    private static TrainingOptions Options(int epochs = 2) => new() { Epochs = epochs, BatchSize = 32, LearningRate = 5e-3, Seed = 3 };

    /// <summary>The batch-mean KL of each latent dimension of a diagonal Gaussian posterior against N(0, I).</summary>
    private static Tensor KlPerDimension(Tensor mu, Tensor logVar) => mu.square().add(logVar.exp()).sub(1).sub(logVar).mul(0.5).mean([0]);

    /// <summary>The loop a generated Fit of a model with a declared objective will run, on the session's new API.</summary>
    private static TrainingHistory Train(Tensor data, TrainingOptions options, KlObjective objective, long initSeed = 1)
    {
        manual_seed(initSeed);
        using var model = new BernoulliVae();
        using var session = new TrainingSession(model, nameof(BernoulliVae), BernoulliVae.InputSize, data, options, objective);
        while (session.NextEpoch(default))
        {
            while (session.NextBatch(default, out var x))
            {
                var output = model.forward(x);
                var elbo = model.Loss(x, output);
                var loss = session.TrainingObjective(elbo.Reconstruction, KlPerDimension(output.Mu, output.LogVar));
                session.Optimizer.ZeroGrad();
                loss.backward();
                session.Optimizer.Step();
                session.Record(elbo.Reconstruction, elbo.Kl, x.shape[0]);
            }
            session.EndEpoch((heldOut, batchSize) => model.Evaluate(heldOut, batchSize));
        }
        return session.History;
    }

    /// <summary>A session over a trivial model, in its first step, for calling the objective directly.</summary>
    private static TrainingSession FirstStep(nn.Module model, Tensor data, TrainingOptions options, KlObjective objective)
    {
        var session = new TrainingSession(model, "Tiny", data.shape[1], data, options, objective);
        Assert.True(session.NextEpoch(default));
        Assert.True(session.NextBatch(default, out _));
        return session;
    }

    [Fact]
    public void Training_objective_floors_each_dimension_and_passes_no_gradient_below_the_floor()
    {
        using var data = zeros(8, 3);
        using var model = nn.Linear(3, 2);
        using var session = FirstStep(model, data, new TrainingOptions { BatchSize = 8 }, new KlObjective(2.0, 0.3));
        using var scope = NewDisposeScope();
        var reconstruction = tensor(5.25, ScalarType.Float64).requires_grad_();
        double[] kl = [0.1, 0.5, 0.2, 1.0, 0.3];
        var klPerDimension = tensor(kl, ScalarType.Float64).requires_grad_();

        var objective = session.TrainingObjective(reconstruction, klPerDimension);
        objective.backward();

        Assert.Equal(2.0, session.KlWeight);
        Assert.Equal(5.25 + 2.0 * kl.Sum(k => Math.Max(0.3, k)), objective.item<double>(), 12);
        // Below the floor (0.1, 0.2) no gradient; at or above it (0.5, 1.0, and 0.3 exactly) the weight.
        Assert.Equal([0.0, 2.0, 0.0, 2.0, 2.0], klPerDimension.grad!.data<double>().ToArray());
        Assert.Equal(1.0, reconstruction.grad!.item<double>());
        // Free bits need the per-dimension KL: the scalar Objective refuses rather than ignoring them.
        Assert.Contains("TrainingObjective", Assert.Throws<InvalidOperationException>(() => session.Objective(reconstruction, klPerDimension.sum())).Message);
        Assert.Contains("[1, 5]", Assert.Throws<ArgumentException>(() => session.TrainingObjective(reconstruction, klPerDimension.unsqueeze(0))).Message);
    }

    [Fact]
    public void Without_free_bits_the_objective_is_exactly_reconstruction_plus_weight_times_the_KL()
    {
        using var data = zeros(8, 3);
        using var model = nn.Linear(3, 2);
        using var scope = NewDisposeScope();
        var reconstruction = tensor(3.75f);
        var klPerDimension = tensor(new[] { 0.125f, 0.0f, 2.5f, 0.015625f });
        foreach (var beta in new[] { 1.0, 0.5, 4.0, 0.0 })
        {
            using var session = FirstStep(model, data, new TrainingOptions { BatchSize = 8 }, new KlObjective(beta, 0.0));
            var objective = session.TrainingObjective(reconstruction, klPerDimension);
            var expected = beta == 1.0 ? reconstruction + klPerDimension.sum() : reconstruction + beta * klPerDimension.sum();
            Assert.Equal(expected.item<float>(), objective.item<float>());
            Assert.Equal(session.Objective(reconstruction, klPerDimension.sum()).item<float>(), objective.item<float>());
        }
    }

    [Fact]
    public void Options_beta_overrides_the_models_and_warm_up_ramps_the_beta_in_effect()
    {
        using var data = zeros(64, 3);
        using var model = nn.Linear(3, 2);
        var options = new TrainingOptions { Epochs = 3, BatchSize = 32, KlWarmupEpochs = 2 };

        using (var declared = new TrainingSession(model, "Tiny", 3, data, options, new KlObjective(4.0, 0.0)))
        {
            Assert.Equal(4.0, declared.Beta);
            var weights = new System.Collections.Generic.List<double>();
            while (declared.NextEpoch(default))
                while (declared.NextBatch(default, out _)) weights.Add(declared.KlWeight);
            // Two steps per epoch; the weight rises by beta / (2 epochs * 2 steps) a step and stays at beta.
            Assert.Equal([0.0, 1.0, 2.0, 3.0, 4.0, 4.0], weights);
        }

        using var overridden = FirstStep(model, data, options with { Beta = 0.25, KlWarmupEpochs = 0 }, new KlObjective(4.0, 0.5));
        Assert.Equal(0.25, overridden.Beta);
        Assert.Equal(0.25, overridden.KlWeight);
        Assert.Equal(0.5, overridden.FreeBits);
        // The old constructor: the plain ELBO unless the options set a beta.
        using var old = new TrainingSession(model, "Tiny", 3, data, options with { Beta = 0.75 });
        Assert.Equal(0.75, old.Beta);
        Assert.Equal(0.0, old.FreeBits);
        using var plain = new TrainingSession(model, "Tiny", 3, data, new TrainingOptions());
        Assert.Equal(1.0, plain.Beta);
    }

    [Fact]
    public void Objective_settings_that_cannot_work_are_refused_with_the_value()
    {
        using var data = zeros(8, 3);
        using var model = nn.Linear(3, 2);
        Assert.Contains("KlObjective.Beta is -1", Assert.Throws<ArgumentException>(() => new TrainingSession(model, "Tiny", 3, data, new TrainingOptions(), new KlObjective(-1, 0))).Message);
        Assert.Contains("KlObjective.FreeBits is NaN", Assert.Throws<ArgumentException>(() => new KlObjective(1, double.NaN).Validate()).Message);
        Assert.Contains("KlObjective.FreeBits is Infinity", Assert.Throws<ArgumentException>(() => new KlObjective(1, double.PositiveInfinity).Validate()).Message);
        Assert.Contains("TrainingOptions.Beta is -2", Assert.Throws<ArgumentException>(() => new TrainingSession(model, "Tiny", 3, data, new TrainingOptions { Beta = -2 })).Message);
        KlObjective.Elbo.Validate();
        Assert.Equal(new KlObjective(1.0, 0.0), KlObjective.Elbo);
    }

    [Fact]
    public void The_objective_is_reported_apart_from_the_negative_ELBO()
    {
        using var data = GreyData();
        var elbo = Train(data, Options(), KlObjective.Elbo);
        var beta = Train(data, Options(), new KlObjective(0.5, 0.0));
        var freeBits = Train(data, Options(), new KlObjective(1.0, 0.5));
        var overridden = Train(data, Options() with { Beta = 0.5 }, KlObjective.Elbo);

        // Beta 1, no warm-up, no free bits: the objective is the -ELBO, to the last bit.
        Assert.All(elbo.Epochs, e => Assert.Equal(e.TrainLoss, e.TrainObjective));
        Assert.All(elbo.Epochs, e => Assert.Equal(0.0, e.FreeBits));
        // Beta 0.5: the objective weighs the KL by half; the -ELBO stays reconstruction + KL.
        Assert.All(beta.Epochs, e =>
        {
            Assert.Equal(e.TrainReconstruction + 0.5 * e.TrainKl, e.TrainObjective, 9);
            Assert.Equal(e.TrainReconstruction + e.TrainKl, e.TrainLoss, 9);
            Assert.True(e.TrainObjective < e.TrainLoss);
            Assert.Equal(0.5, e.KlWeight);
        });
        Assert.Equal(beta.Epochs.Select(e => e.TrainObjective), overridden.Epochs.Select(e => e.TrainObjective));
        // Free bits only raise the KL part: 3 latent dimensions * 0.5 nats is the least it can be.
        Assert.All(freeBits.Epochs, e =>
        {
            Assert.Equal(0.5, e.FreeBits);
            Assert.True(e.TrainObjective > e.TrainLoss, $"objective {e.TrainObjective}, -ELBO {e.TrainLoss}");
            Assert.True(e.TrainObjective - e.TrainReconstruction >= 3 * 0.5 - 1e-6);
            Assert.Equal(e.TrainReconstruction + e.TrainKl, e.TrainLoss, 9);
        });
    }

    [Fact]
    public void Progress_reports_the_recent_objective_beside_the_recent_loss()
    {
        using var data = GreyData();
        var reports = new System.Collections.Generic.List<TrainingProgress>();
        var progress = new SynchronousProgress(reports.Add);
        Train(data, Options(epochs: 1) with { Progress = progress, ReportEvery = 1, Beta = 0.25 }, KlObjective.Elbo);
        Assert.All(reports, r => Assert.True(r.RecentObjective < r.RecentLoss));
        Assert.Equal(reports[^1].CompletedEpoch!.TrainObjective, reports[^1].CompletedEpoch!.TrainReconstruction + 0.25 * reports[^1].CompletedEpoch!.TrainKl, 9);
    }

    [Fact]
    public void Free_bits_and_conditions_leave_no_tensors_behind_across_epochs()
    {
        using var data = GreyData();
        using var labels = arange(96, dtype: ScalarType.Int64);
        var live = new System.Collections.Generic.List<long>();
        var progress = new SynchronousProgress(report =>
        {
            if (report.CompletedEpoch is not null) live.Add(DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount);
        });
        Train(data, Options(epochs: 4) with { Progress = progress, ReportEvery = 2 }, new KlObjective(1.0, 0.5));
        Assert.Equal(4, live.Count);
        Assert.All(live.Skip(1), count => Assert.Equal(live[0], count));

        // A conditional session's shuffled conditions go with its epoch.
        live.Clear();
        using var model = nn.Linear(12, 2);
        using var session = new TrainingSession(model, "Tiny", 12, data, Options(epochs: 4) with { Progress = progress }, new KlObjective(1.0, 0.5), labels);
        while (session.NextEpoch(default))
        {
            while (session.NextBatch(default, out var x, out var condition))
            {
                var loss = session.TrainingObjective(x.mean(), condition.to(ScalarType.Float32).div(100));
                session.Record(x.mean(), loss.sub(x.mean()), x.shape[0]);
            }
            session.EndEpoch((Tensor _, Tensor _, int _) => throw new InvalidOperationException("no validation data"));
        }
        Assert.Equal(4, live.Count);
        Assert.All(live.Skip(1), count => Assert.Equal(live[0], count));
    }

    /// <summary>
    /// Records fixed batch means through a session, as tensors (0), as numbers (1), or alternating (2), and returns
    /// every progress report's recent figures and the epochs' metrics without their times.
    /// </summary>
    private static (double?[] Recent, double[] Epochs) RecordMeans(int form)
    {
        using var data = GreyData();
        using var model = nn.Linear(12, 2);
        var recent = new System.Collections.Generic.List<double?>();
        var options = Options(epochs: 3) with { ReportEvery = 2, KlWarmupEpochs = 2, Beta = 1.5, Progress = new SynchronousProgress(report => { recent.Add(report.RecentLoss); recent.Add(report.RecentObjective); }) };
        using var session = new TrainingSession(model, "Tiny", 12, data, options, new KlObjective(1.5, 0));
        var step = 0;
        while (session.NextEpoch(default))
        {
            while (session.NextBatch(default, out var x))
            {
                step++;
                // Means with no short float32 form, so that any rounding on one path and not the other shows.
                var reconstruction = (float)(8.1 + step / 3.0);
                var kl = (float)(0.7 / step);
                if (form == 1 || (form == 2 && step % 2 == 0)) session.Record(reconstruction, kl, x.shape[0]);
                else session.Record(tensor(reconstruction), tensor(kl), x.shape[0]);
            }
            session.EndEpoch((Tensor _, int _) => throw new InvalidOperationException("no validation data"));
        }
        var epochs = session.History.Epochs.SelectMany(e => new[] { e.TrainLoss, e.TrainReconstruction, e.TrainKl, e.TrainObjective, e.KlWeight }).ToArray();
        return (recent.ToArray(), epochs);
    }

    [Fact]
    public void Means_recorded_as_numbers_are_accounted_as_the_same_means_recorded_as_tensors()
    {
        var (tensorsRecent, tensorsEpochs) = RecordMeans(0);
        var (numbersRecent, numbersEpochs) = RecordMeans(1);
        var (mixedRecent, mixedEpochs) = RecordMeans(2);
        Assert.Equal(3 * 5, tensorsEpochs.Length);
        Assert.Contains(tensorsRecent, value => value is not null);
        // Bit for bit: the numbers are the float32 values the tensors hold, widened as the read-back widens them.
        Assert.Equal(tensorsEpochs, numbersEpochs);
        Assert.Equal(tensorsEpochs, mixedEpochs);
        Assert.Equal(tensorsRecent, numbersRecent);
        Assert.Equal(tensorsRecent, mixedRecent);
    }

    [Fact]
    public void Means_recorded_as_numbers_are_refused_when_the_objective_has_free_bits()
    {
        using var data = zeros(8, 3);
        using var model = nn.Linear(3, 2);
        using var session = FirstStep(model, data, new TrainingOptions { BatchSize = 8 }, new KlObjective(1.0, 0.3));
        var refused = Assert.Throws<InvalidOperationException>(() => session.Record(1.5f, 0.25f, 8));
        Assert.Contains("Record(reconstruction, kl, batchSize)", refused.Message);
    }

    [Fact]
    public void Resuming_with_another_beta_or_free_bits_is_refused_and_the_message_names_it()
    {
        using var data = GreyData();
        var checkpoints = Path.Combine(directory, "objective");
        var options = Options(epochs: 1) with { CheckpointDirectory = checkpoints };
        var first = Train(data, options, new KlObjective(1.0, 0.5));

        var freeBits = Assert.Throws<InvalidDataException>(() => Train(data, options with { Epochs = 2, Resume = true }, new KlObjective(1.0, 0.25)));
        Assert.Contains("free bits 0.5 in the checkpoint, 0.25 here", freeBits.Message);
        var beta = Assert.Throws<InvalidDataException>(() => Train(data, options with { Epochs = 2, Resume = true, Beta = 2.0 }, new KlObjective(1.0, 0.5)));
        Assert.Contains("beta 1 in the checkpoint, 2 here", beta.Message);
        Assert.DoesNotContain("free bits 0.5 in the checkpoint", beta.Message);
        // The model's beta counts as much as the option's: only the beta in effect matters.
        var declared = Assert.Throws<InvalidDataException>(() => Train(data, options with { Epochs = 2, Resume = true }, new KlObjective(3.0, 0.5)));
        Assert.Contains("beta 1 in the checkpoint, 3 here", declared.Message);

        // The same settings resume, with the objective figures read back from the checkpoint.
        var resumed = Train(data, options with { Epochs = 2, Resume = true, Beta = 1.0 }, new KlObjective(5.0, 0.5));
        Assert.Equal(1, resumed.ResumedAfterEpoch);
        Assert.Equal(first.Epochs[0], resumed.Epochs[0]);
        Assert.Equal(0.5, resumed.Epochs[1].FreeBits);
    }

}
