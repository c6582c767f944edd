using System;
using System.Linq;
using VaeGen.Anomaly;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Scaling;

/// <summary>Anomaly scores (-log p(x), importance-weighted, in batches) and the quantile threshold.</summary>
public sealed class AnomalyTests
{
    private static StandardizedVae Trained(Tensor data)
    {
        manual_seed(21);
        var model = new StandardizedVae();
        model.Fit(data, new VaeGen.Training.TrainingOptions { Epochs = 15, BatchSize = 32, LearningRate = 5e-3, Seed = 2 });
        return model;
    }

    private static Tensor Normal(long rows, ulong seed)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(seed);
        // Five correlated features: two latent factors plus a little noise, in units of their own.
        var factors = randn(new long[] { rows, 2 }, generator: generator);
        var mixing = tensor(new float[,] { { 1, 0.5f, -2, 0, 1 }, { 0, 1, 1, 3, -1 } });
        var noise = randn(new long[] { rows, 5 }, generator: generator).mul_(0.1);
        return factors.matmul(mixing).add_(noise).mul_(tensor(new float[] { 2, 5, 1, 10, 0.5f })).add_(100).MoveToOuterDisposeScope();
    }

    [Fact]
    public void Scores_are_the_negated_log_likelihood_of_each_batch_with_the_same_draws()
    {
        using var data = Normal(50, 1);
        using var model = Trained(data);
        using var scores = model.AnomalyScores(data, importanceSamples: 8, batchSize: 20, generator: new Generator(5));
        Assert.Equal(new long[] { 50 }, scores.shape);
        var generator = new Generator(5);
        var expected = new[] { (0, 20), (20, 20), (40, 10) }
            .SelectMany(b => model.LogLikelihood(data.narrow(0, b.Item1, b.Item2), 8, generator).neg().data<float>().ToArray()).ToArray();
        Assert.Equal(expected, scores.data<float>().ToArray());
    }

    [Fact]
    public void Rows_off_the_training_distribution_score_higher_than_every_normal_row()
    {
        using var train = Normal(300, 2);
        using var model = Trained(train);
        using var normal = Normal(40, 3);
        using var odd = normal.narrow(0, 0, 5).clone();
        // Each odd row breaks the correlation: one feature moved by 8 of its own standard deviations.
        for (var i = 0; i < 5; i++) odd[i, i] = odd[i, i].add(train[.., i].std().mul(8));
        using var normalScores = model.AnomalyScores(normal, 50, generator: new Generator(1));
        using var oddScores = model.AnomalyScores(odd, 50, generator: new Generator(1));
        Assert.True(oddScores.min().item<float>() > normalScores.max().item<float>(),
            $"odd rows {string.Join(", ", oddScores.data<float>().ToArray())} vs normal rows up to {normalScores.max().item<float>()}");
    }

    [Fact]
    public void Bad_sample_counts_and_batch_sizes_are_refused_naming_them()
    {
        using var data = Normal(4, 1);
        using var model = new StandardizedVae();
        model.FitScaling(data);
        var samples = Assert.Throws<ArgumentOutOfRangeException>(() => model.AnomalyScores(data, importanceSamples: 0));
        Assert.Equal("importanceSamples", samples.ParamName);
        Assert.Equal(0, samples.ActualValue);
        Assert.Equal("batchSize", Assert.Throws<ArgumentOutOfRangeException>(() => model.AnomalyScores(data, 4, batchSize: -1)).ParamName);
        using var empty = zeros(0, 5);
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => model.AnomalyScores(empty)).ParamName);
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 3.0)]
    [InlineData(0.9, 4.6)]
    [InlineData(1.0, 5.0)]
    [InlineData(0.25, 2.0)]
    public void The_threshold_is_the_linearly_interpolated_quantile_of_the_training_scores(double quantile, double expected)
    {
        using var scores = tensor(new float[] { 5, 1, 4, 2, 3 });
        var threshold = AnomalyThreshold.FromScores(scores, quantile);
        Assert.Equal(expected, threshold.Value, 6);
        Assert.Equal(quantile, threshold.Quantile);
        Assert.Equal(5, threshold.Examples);
    }

    [Fact]
    public void Ties_give_the_tied_value_and_flagging_is_strictly_above_the_threshold()
    {
        using var scores = tensor(new float[] { 2, 7, 7, 7, 9 });
        var threshold = AnomalyThreshold.FromScores(scores, 0.5);
        Assert.Equal(7, threshold.Value);
        using var flags = threshold.IsAnomalous(scores);
        Assert.Equal(new[] { false, false, false, false, true }, flags.data<bool>().ToArray());
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_quantile_outside_zero_to_one_is_refused_with_its_value(double quantile)
    {
        using var scores = tensor(new float[] { 1, 2 });
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => AnomalyThreshold.FromScores(scores, quantile));
        Assert.Equal("quantile", error.ParamName);
        Assert.Equal(quantile, error.ActualValue);
    }

    [Fact]
    public void Scores_that_are_empty_or_not_finite_are_refused_naming_the_first_bad_one()
    {
        using var empty = zeros(0);
        Assert.Equal("trainingScores", Assert.Throws<ArgumentException>(() => AnomalyThreshold.FromScores(empty, 0.9)).ParamName);
        using var nan = tensor(new float[] { 1, 2, float.NaN, 3 });
        Assert.Contains("trainingScores[2] is NaN", Assert.Throws<ArgumentException>(() => AnomalyThreshold.FromScores(nan, 0.9)).Message);
    }

    /// <summary>The AUC by its definition: over every anomaly-normal pair, 1 if the anomaly scores higher, 1/2 for a tie.</summary>
    private static double PairwiseAuc(double[] scores, bool[] anomalous)
    {
        double sum = 0;
        long pairs = 0;
        for (var i = 0; i < scores.Length; i++)
        for (var j = 0; j < scores.Length; j++)
        {
            if (!anomalous[i] || anomalous[j]) continue;
            pairs++;
            sum += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
        }
        return sum / pairs;
    }

    [Fact]
    public void The_ROC_AUC_counts_ties_as_one_half_as_the_pairwise_definition_does()
    {
        // Hand-counted: anomalies 3, 2, 2; normal 1, 2. Pairs: (3,1) 1, (3,2) 1, (2,1) 1, (2,2) 0.5, twice: 5 / 6.
        Assert.Equal(5.0 / 6, AnomalyMetrics.RocAuc([3, 2, 2, 1, 2], [true, true, true, false, false]), 12);
        Assert.Equal(0.5, AnomalyMetrics.RocAuc([4, 4, 4, 4], [true, false, true, false]), 12);
        Assert.Equal(0.0, AnomalyMetrics.RocAuc([1, 2], [true, false]), 12);
        var random = new Random(5);
        for (var trial = 0; trial < 50; trial++)
        {
            var n = random.Next(2, 40);
            var scores = Enumerable.Range(0, n).Select(_ => (double)random.Next(0, 6)).ToArray();
            var labels = Enumerable.Range(0, n).Select(i => i == 0 || (i != 1 && random.Next(2) == 0)).ToArray();
            Assert.Equal(PairwiseAuc(scores, labels), AnomalyMetrics.RocAuc(scores, labels), 12);
        }
    }

    [Fact]
    public void Precision_and_recall_at_a_threshold_count_scores_strictly_above_it()
    {
        var (precision, recall, flagged, truePositives, anomalies) =
            AnomalyMetrics.AtThreshold([5, 4, 3, 3, 1], [true, false, true, false, true], 3);
        Assert.Equal((2, 1, 3), (flagged, truePositives, anomalies));
        Assert.Equal(0.5, precision);
        Assert.Equal(1.0 / 3, recall, 12);
        Assert.True(double.IsNaN(AnomalyMetrics.AtThreshold([1, 2], [true, false], 9).Precision));
    }

    [Fact]
    public void The_metrics_refuse_missing_classes_mismatched_labels_and_non_finite_scores()
    {
        Assert.Contains("0 anomalies", Assert.Throws<ArgumentException>(() => AnomalyMetrics.RocAuc([1, 2], [false, false])).Message);
        Assert.Equal("anomalous", Assert.Throws<ArgumentException>(() => AnomalyMetrics.RocAuc([1, 2], [true])).ParamName);
        Assert.Contains("scores[1] is NaN", Assert.Throws<ArgumentException>(() => AnomalyMetrics.RocAuc([1, double.NaN], [true, false])).Message);
    }
}
