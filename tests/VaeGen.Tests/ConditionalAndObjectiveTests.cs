using System;
using System.Linq;
using TorchSharp;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>Conditional models, the model-declared beta and free bits, interpolation and latent usage.</summary>
public sealed class ConditionalAndObjectiveTests
{
    [Fact]
    public void A_label_condition_reaches_both_networks()
    {
        using var scope = NewDisposeScope();
        manual_seed(21);
        using var model = new LabelVae();
        var x = rand(4, 6);
        var zero = tensor(new long[] { 0, 0, 0, 0 });
        var two = tensor(new long[] { 2, 2, 2, 2 });
        Assert.NotEqual(Hand.Values(model.Encode(x, zero).Mu), Hand.Values(model.Encode(x, two).Mu));
        var z = randn(4, 2);
        Assert.NotEqual(Hand.Values(model.Decode(z, zero)), Hand.Values(model.Decode(z, two)));

        var output = model.forward(x, tensor(new long[] { 0, 1, 2, 1 }));
        Assert.Equal(new long[] { 4, 6 }, output.Logits.shape);
        Assert.Equal(new long[] { 3, 6 }, model.Sample(tensor(new long[] { 0, 1, 2 })).shape);
        Assert.Equal(new long[] { 4 }, model.LogLikelihood(x, two, 5).shape);
        Assert.Equal(3, ((IConditionalVariationalAutoencoder)model).ConditionSize);
    }

    [Fact]
    public void Bad_labels_are_refused_with_the_label_and_its_index()
    {
        using var scope = NewDisposeScope();
        using var model = new LabelVae();
        var outOfRange = Assert.Throws<ArgumentException>(() => model.forward(rand(3, 6), tensor(new long[] { 0, 3, 1 })));
        Assert.Contains("condition[1] is 3", outOfRange.Message);
        Assert.Contains("[0, 2]", outOfRange.Message);
        var floats = Assert.Throws<ArgumentException>(() => model.forward(rand(3, 6), tensor(new float[] { 0, 1, 1 })));
        Assert.Contains("Float32", floats.Message);
    }

    [Fact]
    public void A_feature_condition_is_repeated_over_the_samples_of_z()
    {
        using var scope = NewDisposeScope();
        manual_seed(22);
        using var model = new FeatureConditionVae();
        var x = rand(3, 16);
        var condition = randn(3, 2);
        var output = model.forward(x, condition);
        Assert.Equal(new long[] { 2, 3, 2 }, output.Z.shape);
        Assert.Equal(new long[] { 2, 3, 16 }, output.Logits.shape);
        Hand.Close(Hand.Values(model.Decode(output.Z[1], condition)), Hand.Values(output.Logits[1]), what: "sample slice 1");
        var wrongWidth = Assert.Throws<ArgumentException>(() => model.forward(x, randn(3, 5)));
        Assert.Contains("2 features", wrongWidth.Message);
    }

    [Fact]
    public void Conditional_fit_trains_and_sampling_follows_the_label()
    {
        using var scope = NewDisposeScope();
        manual_seed(23);
        // Class c lights feature c and c + 3: learnable only through the label.
        var labels = randint(0, 3, new long[] { 300 });
        var data = nn.functional.one_hot(labels, 3).to_type(ScalarType.Float32).repeat(1, 2);
        using var model = new LabelVae();
        var history = model.Fit(data, labels, new TrainingOptions { Epochs = 15, BatchSize = 30, LearningRate = 2e-2, Seed = 3 });
        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss);
        var samples = model.Sample(tensor(new long[] { 0, 1, 2 }));
        for (var c = 0; c < 3; c++)
        {
            var row = Hand.Values(samples[c]);
            Assert.True(row[c] > 0.8 && row[c + 3] > 0.8, $"class {c} sample: {string.Join(", ", row)}");
        }
        var summary = model.Evaluate(data, labels);
        Assert.Equal(300, summary.Examples);
    }

    [Fact]
    public void Beta_and_free_bits_shape_the_objective_but_not_the_reported_elbo()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(0.5, FreeBitsVae.Beta);
        Assert.Equal(0.2, FreeBitsVae.FreeBits);
        Assert.Equal(1.0, BernoulliVae.Beta);
        Assert.Equal(0.0, BernoulliVae.FreeBits);
        manual_seed(24);
        var data = rand(200, 8).gt(0.5).to_type(ScalarType.Float32);
        using var model = new FreeBitsVae();
        var history = model.Fit(data, new TrainingOptions { Epochs = 3, BatchSize = 50, Seed = 4 });
        foreach (var epoch in history.Epochs)
        {
            Assert.Equal(0.5, epoch.KlWeight);
            Assert.Equal(0.2, epoch.FreeBits);
            Hand.Close(epoch.TrainReconstruction + epoch.TrainKl, epoch.TrainLoss, what: "the reported -ELBO is reconstruction + KL");
            Assert.NotEqual(epoch.TrainLoss, epoch.TrainObjective);
        }

        // The loss of a batch: KlPerDimension sums to Kl, and Total is reconstruction + KL whatever beta is.
        var x = data.narrow(0, 0, 10);
        var elbo = model.Loss(x, model.forward(x));
        Assert.Equal(new long[] { 3 }, elbo.KlPerDimension.shape);
        Hand.Close(Hand.Values(elbo.KlPerDimension).Sum(), Hand.Scalar(elbo.Kl), what: "sum of KL per dimension");
        Hand.Close(Hand.Scalar(elbo.Reconstruction) + Hand.Scalar(elbo.Kl), Hand.Scalar(elbo.Total), what: "Total");
    }

    [Fact]
    public void Interpolation_runs_from_one_reconstruction_to_the_other()
    {
        using var scope = NewDisposeScope();
        manual_seed(25);
        using var model = new ConvVae();
        var (x1, x2) = (rand(2, 144), rand(2, 144));
        var path = model.Interpolate(x1, x2, 5);
        Assert.Equal(new long[] { 5, 2, 144 }, path.shape);
        Hand.Close(Hand.Values(model.Reconstruct(x1)), Hand.Values(path[0]), what: "start");
        Hand.Close(Hand.Values(model.Reconstruct(x2)), Hand.Values(path[4]), what: "end");
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Interpolate(x1, x2, 1));
        var shapes = Assert.Throws<ArgumentException>(() => model.Interpolate(x1, rand(3, 144), 4));
        Assert.Contains("[2, 144]", shapes.Message);
    }

    [Fact]
    public void Latent_usage_adds_up_to_the_kl_of_evaluate()
    {
        using var scope = NewDisposeScope();
        manual_seed(26);
        using var model = new BernoulliVae();
        var data = rand(120, 12);
        var usage = model.LatentUsage(data, batchSize: 50);
        Assert.Equal(3, usage.KlPerDimension!.Length);
        Assert.Equal(120, usage.Examples);
        Assert.Equal(usage.Activity.Count(a => a > 0.01), usage.ActiveUnits);
        // Evaluate's KL is a mean over examples of a sum over dimensions; LatentUsage splits the same number by dimension.
        Hand.Close(model.Evaluate(data).Kl, usage.KlPerDimension!.Sum(), absolute: 1e-4, what: "KL");
    }
}
