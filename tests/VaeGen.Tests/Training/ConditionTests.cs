using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Training;

/// <summary>Conditional training: the conditions travel with their examples through shuffling, batching and validation.</summary>
public sealed class ConditionTests
{
    /// <summary>[count, 3] rows whose every feature is the row's index, so a batch row says which example it is.</summary>
    private static Tensor IndexRows(long count) => arange(count, dtype: ScalarType.Float32).unsqueeze(1).expand(count, 3).contiguous();

    private static TrainingOptions Options => new() { Epochs = 3, BatchSize = 8, Seed = 21 };

    [Fact]
    public void Conditions_are_shuffled_with_the_permutation_of_the_data()
    {
        using var data = IndexRows(30);
        using var labels = arange(30, dtype: ScalarType.Int64);
        using var features = arange(30, dtype: ScalarType.Float64).unsqueeze(1).mul(torch.tensor(new[] { 1.0, -2.0 }, ScalarType.Float64));
        using var model = nn.Linear(3, 2);

        foreach (var conditions in new[] { labels, features })
        {
            var order = new List<long>();
            using var session = new TrainingSession(model, "Tiny", 3, data, Options, KlObjective.Elbo, conditions);
            Assert.True(session.IsConditional);
            while (session.NextEpoch(default))
            {
                var epoch = new List<long>();
                while (session.NextBatch(default, out var batch, out var condition))
                {
                    Assert.Equal(batch.shape[0], condition.shape[0]);
                    var rows = batch[.., 0].to(ScalarType.Int64);
                    var paired = condition.dim() == 1 ? condition : condition[.., 0].to(ScalarType.Int64);
                    Assert.True(rows.equal(paired).all().item<bool>(), $"batch rows {rows.str()} came with conditions {condition.str()}");
                    if (condition.dim() == 2) Assert.True(condition[.., 1].equal(condition[.., 0].mul(-2)).all().item<bool>());
                    epoch.AddRange(rows.data<long>().ToArray());
                }
                Assert.Equal(Enumerable.Range(0, 30).Select(i => (long)i), epoch.Order());
                order.AddRange(epoch);
            }
            // Really shuffled, not left in order.
            Assert.NotEqual(Enumerable.Range(0, 30).Select(i => (long)i), order.Take(30));

            // The conditions draw no random numbers: an unconditional session with the same seed sees the same order.
            var plainOrder = new List<long>();
            using var plain = new TrainingSession(model, "Tiny", 3, data, Options);
            while (plain.NextEpoch(default))
                while (plain.NextBatch(default, out var batch)) plainOrder.AddRange(batch[.., 0].to(ScalarType.Int64).data<long>().ToArray());
            Assert.Equal(plainOrder, order);
        }
    }

    [Fact]
    public void Conditions_that_do_not_match_the_data_are_refused_with_both_shapes()
    {
        using var data = IndexRows(12);
        using var model = nn.Linear(3, 2);
        using var tooFew = zeros(10, ScalarType.Int64);
        var error = Assert.Throws<ArgumentException>(() => new TrainingSession(model, "Tiny", 3, data, Options, KlObjective.Elbo, tooFew));
        Assert.Contains("[10]", error.Message);
        Assert.Contains("[12, 3]", error.Message);
        Assert.Equal("conditions", error.ParamName);

        using var labels = zeros(12, ScalarType.Int64);
        using var validation = IndexRows(5);
        var missing = Assert.Throws<ArgumentException>(() => new TrainingSession(model, "Tiny", 3, data, Options with { ValidationData = validation }, KlObjective.Elbo, labels));
        Assert.Contains("ValidationConditions", missing.Message);
        using var wrongCount = zeros(4, ScalarType.Int64);
        var count = Assert.Throws<ArgumentException>(() => new TrainingSession(model, "Tiny", 3, data, Options with { ValidationData = validation, ValidationConditions = wrongCount }, KlObjective.Elbo, labels));
        Assert.Contains("[4]", count.Message);
        Assert.Contains("[5, 3]", count.Message);
        using var wrongForm = zeros(5, 2);
        Assert.Contains("[5, 2]", Assert.Throws<ArgumentException>(() => new TrainingSession(model, "Tiny", 3, data, Options with { ValidationData = validation, ValidationConditions = wrongForm }, KlObjective.Elbo, labels)).Message);
        using var validationLabels = zeros(5, ScalarType.Int64);
        Assert.Contains("trained without conditions", Assert.Throws<ArgumentException>(() => new TrainingSession(model, "Tiny", 3, data, Options with { ValidationData = validation, ValidationConditions = validationLabels })).Message);
        Assert.Contains("without TrainingOptions.ValidationData", Assert.Throws<ArgumentException>(() => new TrainingSession(model, "Tiny", 3, data, Options with { ValidationConditions = validationLabels }, KlObjective.Elbo, labels)).Message);
    }

    [Fact]
    public void Each_kind_of_session_refuses_the_other_kinds_calls()
    {
        using var data = IndexRows(12);
        using var labels = zeros(12, ScalarType.Int64);
        using var model = nn.Linear(3, 2);
        using var conditional = new TrainingSession(model, "Tiny", 3, data, Options, KlObjective.Elbo, labels);
        conditional.NextEpoch(default);
        Assert.Contains("out condition", Assert.Throws<InvalidOperationException>(() => conditional.NextBatch(default, out _)).Message);
        Assert.Throws<InvalidOperationException>(() => conditional.EndEpoch((Tensor _, int _) => throw new InvalidOperationException("not called")));

        using var plain = new TrainingSession(model, "Tiny", 3, data, Options);
        Assert.False(plain.IsConditional);
        plain.NextEpoch(default);
        Assert.Contains("no conditions", Assert.Throws<InvalidOperationException>(() => plain.NextBatch(default, out _, out _)).Message);
        Assert.Contains("no conditions", Assert.Throws<InvalidOperationException>(() => plain.EndEpoch((Tensor _, Tensor _, int _) => throw new InvalidOperationException("not called"))).Message);
    }

    [Fact]
    public void A_conditional_epoch_is_evaluated_on_the_validation_data_with_its_conditions()
    {
        using var data = IndexRows(20);
        using var labels = arange(20, dtype: ScalarType.Int64);
        using var validation = IndexRows(6);
        using var validationLabels = arange(6, dtype: ScalarType.Int64).mul(10);
        using var model = nn.Linear(3, 2);
        var options = Options with { Epochs = 2, ValidationData = validation, ValidationConditions = validationLabels };
        using var session = new TrainingSession(model, "Tiny", 3, data, options, KlObjective.Elbo, labels);
        var evaluated = 0;
        while (session.NextEpoch(default))
        {
            while (session.NextBatch(default, out var batch, out var condition))
            {
                // Reconstruction: the mean row index; KL: the mean label; so the figures say what was paired.
                session.Record(batch[.., 0].mean(), condition.to(ScalarType.Float32).mean(), batch.shape[0]);
            }
            var metrics = session.EndEpoch((x, c, batchSize) =>
            {
                Assert.Same(validation, x);
                Assert.Same(validationLabels, c);
                evaluated++;
                return Evaluation.Elbo(x, c, batchSize, (b, bc) => (b[.., 0].mean(), bc.to(ScalarType.Float32).mean()));
            });
            Assert.NotNull(metrics);
            Assert.Equal(9.5, metrics.TrainReconstruction, 9);
            Assert.Equal(9.5, metrics.TrainKl, 9);
            Assert.Equal(2.5, metrics.ValidationReconstruction!.Value, 9);
            Assert.Equal(25.0, metrics.ValidationKl!.Value, 9);
        }
        Assert.Equal(2, evaluated);
        Assert.Equal(2, session.History.Epochs.Count);
    }
}
