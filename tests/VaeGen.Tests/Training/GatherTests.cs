using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Training;

/// <summary>
/// The session's batches gathered in C# into kept buffers (a data set contiguous on the CPU) against libtorch's
/// index_select (any other): the same rows, the same conditions, the same runs; and the compiled step's steps then make
/// no tensors but the gradients' checks, and open no dispose scope.
/// </summary>
public sealed class GatherTests
{
    /// <summary>The same values as <paramref name="tensor"/> in a view that is not contiguous: the even elements of a tensor holding each twice.</summary>
    private static Tensor NotContiguous(Tensor tensor)
    {
        var view = stack([tensor, tensor], -1).select(-1, 0);
        Assert.False(view.is_contiguous());
        return view;
    }

    /// <summary>Every batch (and its conditions) of three epochs, copied out.</summary>
    private static List<(float[] Batch, double[]? Condition)> Batches(Tensor data, Tensor? conditions, bool gathered)
    {
        using var model = nn.Linear(3, 2);
        var options = new TrainingOptions { Epochs = 3, BatchSize = 8, Seed = 21 };
        using var session = conditions is null
            ? new TrainingSession(model, "Tiny", 3, data, options)
            : new TrainingSession(model, "Tiny", 3, data, options, KlObjective.Elbo, conditions);
        Assert.Equal(gathered, session.GathersRows);
        var batches = new List<(float[], double[]?)>();
        while (session.NextEpoch(default))
        {
            Tensor? kept = null;
            while (true)
            {
                Tensor batch, condition = null!;
                var more = conditions is null ? session.NextBatch(default, out batch) : session.NextBatch(default, out batch, out condition);
                if (!more) break;
                batches.Add((batch.data<float>().ToArray(), condition?.to(ScalarType.Float64).data<double>().ToArray()));
                // Gathered batches of one size are one kept tensor; index_select makes a new one each step.
                if (batch.shape[0] == 8 && kept is not null) Assert.Equal(gathered, ReferenceEquals(kept, batch));
                if (batch.shape[0] == 8) kept = batch;
            }
        }
        return batches;
    }

    [Fact]
    public void Gathered_batches_and_conditions_are_index_selects_row_for_row()
    {
        using var scope = NewDisposeScope();
        // 30 rows, so the last batch of each epoch is 6 rows: a second buffer size.
        var data = randn(30, 3, generator: new Generator(5));
        var labels = arange(30, dtype: ScalarType.Int64).flip(0).contiguous();
        var features = randn(30, 2, dtype: ScalarType.Float64, generator: new Generator(6));

        var plain = Batches(data, null, gathered: true);
        Assert.Equal(3 * 4, plain.Count);
        Assert.Equal(plain, Batches(NotContiguous(data), null, gathered: false), new BatchComparer());
        // A contiguous view that starts past its storage's first rows is gathered from where it starts.
        var offset = cat([randn(3, 3), data], 0).narrow(0, 3, 30);
        Assert.True(offset.is_contiguous());
        Assert.Equal(plain, Batches(offset, null, gathered: true), new BatchComparer());
        foreach (var conditions in new[] { labels, features })
        {
            var ours = Batches(data, conditions, gathered: true);
            Assert.Equal(ours, Batches(NotContiguous(data), NotContiguous(conditions), gathered: false), new BatchComparer());
            // The conditions alone not contiguous: the session takes index_select for both.
            Assert.Equal(ours, Batches(data, NotContiguous(conditions), gathered: false), new BatchComparer());
            // The conditions draw no random numbers: the batches are those of the unconditional session.
            Assert.Equal(plain.Select(b => b.Batch), ours.Select(b => b.Batch), new BatchComparer.Floats());
        }
    }

    [Theory]
    [InlineData(true, 16)]
    [InlineData(true, 40)] // split between two threads where libtorch has two
    [InlineData(false, 16)]
    public void Fit_on_gathered_batches_is_Fit_on_index_selected_ones_bit_for_bit(bool compiledStep, int batchSize)
    {
        using var scope = NewDisposeScope();
        // Grey levels, binarized: the draws go into the session's kept buffers on the gathered side. 150 rows give a
        // short last batch.
        var data = rand(150, BernoulliVae.InputSize, generator: new Generator(17));
        var options = new TrainingOptions { Epochs = 3, BatchSize = batchSize, LearningRate = 5e-3, Seed = 3, DynamicBinarization = true, CompiledStep = compiledStep };
        manual_seed(8);
        using var gathered = new BernoulliVae();
        manual_seed(8);
        using var selected = new BernoulliVae();
        var ours = gathered.Fit(data, options);
        var theirs = selected.Fit(NotContiguous(data), options);

        Assert.Equal(theirs.Epochs.Select(e => e.TrainLoss), ours.Epochs.Select(e => e.TrainLoss));
        Assert.Equal(theirs.Epochs.Select(e => e.TrainKl), ours.Epochs.Select(e => e.TrainKl));
        foreach (var ((name, a), (_, b)) in gathered.named_parameters().Zip(selected.named_parameters()))
            Assert.True(a.equal(b).all().item<bool>(), $"{name} differs between the runs");
    }

    [Fact]
    public void The_compiled_steps_make_no_tensors_but_the_gradient_checks_and_run_without_a_dispose_scope()
    {
        // No scope of the test's own around Fit: a probe made in a report belongs to the step's scope, if any.
        using var data = rand(2400, BernoulliVae.InputSize, generator: new Generator(3));
        manual_seed(2);
        using var model = new BernoulliVae();
        long? atStep10 = null, atStep50 = null;
        bool? scopeOpen = null;
        Tensor? probe = null;
        var progress = new SynchronousProgress(report =>
        {
            if (report.Epoch != 2 || report.CompletedEpoch is not null) return;
            var statistics = DisposeScopeManager.Statistics.TensorStatistics;
            var made = statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount;
            if (report.Step == 10) atStep10 = made;
            if (report.Step == 50) atStep50 = made;
            // A tensor made in one report and left alone outlives the step only when no step scope frees it.
            if (report.Step == 55) probe = zeros(1);
            if (report.Step == 56) scopeOpen = probe!.IsInvalid;
        });
        // 60 steps of 40 examples per epoch.
        model.Fit(data, new TrainingOptions { Epochs = 2, BatchSize = 40, Seed = 1, DynamicBinarization = true, Progress = progress });

        // The step's check of the gradients and the optimizer's: one wrapper each per step (7 per step before the
        // batches were gathered into kept buffers and the halves' views kept).
        Assert.InRange((atStep50!.Value - atStep10!.Value) / 40.0, 0, 2);
        Assert.False(scopeOpen);
        probe!.Dispose();
    }

    /// <summary>Batches equal element for element, conditions too (both missing, or equal).</summary>
    private sealed class BatchComparer : IEqualityComparer<(float[] Batch, double[]? Condition)>
    {
        public bool Equals((float[] Batch, double[]? Condition) x, (float[] Batch, double[]? Condition) y) =>
            x.Batch.SequenceEqual(y.Batch) && (x.Condition is null ? y.Condition is null : y.Condition is not null && x.Condition.SequenceEqual(y.Condition));

        public int GetHashCode((float[] Batch, double[]? Condition) obj) => obj.Batch.Length;

        public sealed class Floats : IEqualityComparer<float[]>
        {
            public bool Equals(float[]? x, float[]? y) => x is not null && y is not null && x.SequenceEqual(y);

            public int GetHashCode(float[] obj) => obj.Length;
        }
    }
}
