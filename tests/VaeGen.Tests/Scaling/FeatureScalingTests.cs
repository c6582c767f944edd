using System;
using System.IO;
using System.Linq;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;
using Twin = VaeGen.Tests.Scaling.Twin;

namespace VaeGen.Tests.Scaling;

/// <summary>
/// Feature scaling: fitted on the training data only and once, applied wherever the model meets raw data, figures in
/// nats of the raw data, the likelihood's contract checked on scaled values, and kept by checkpoints bit for bit.
/// </summary>
public sealed class FeatureScalingTests : IDisposable
{
    private readonly TempDirectory temporary = new("scaling");

    public void Dispose() => temporary.Dispose();

    /// <summary>Rows of five features with very different offsets and spreads, like a table's columns.</summary>
    private static Tensor Table(long rows, ulong seed)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(seed);
        var spread = tensor(new float[] { 0.1f, 2f, 30f, 1f, 500f });
        var offset = tensor(new float[] { 13f, -4f, 100f, 0f, 750f });
        return randn(new long[] { rows, 5 }, generator: generator).mul_(spread).add_(offset).MoveToOuterDisposeScope();
    }

    private static TrainingOptions Quick(int epochs = 2) => new() { Epochs = epochs, BatchSize = 16, LearningRate = 5e-3, Seed = 3 };

    private static double[] Values(Tensor t) => t.to(ScalarType.Float64).contiguous().data<double>().ToArray();

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])), $"[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void Standardize_fits_the_mean_and_population_deviation_and_min_max_the_minimum_and_range()
    {
        using var data = tensor(new float[,] { { 1, 10, 5 }, { 3, 10, 6 }, { 8, 10, 7 } });
        using var standard = new VaeGen.Scaling.FeatureScaler("s", FeatureScaling.Standardize, 3);
        Assert.False(standard.IsFitted);
        standard.Fit(data);
        Assert.True(standard.IsFitted);
        AssertClose(new[] { 4.0, 10.0, 6.0 }, Values(standard.Shift), 1e-6);
        // population deviation: sqrt(((1-4)^2 + (3-4)^2 + (8-4)^2) / 3) = sqrt(26 / 3); a constant column keeps scale 1.
        AssertClose(new[] { Math.Sqrt(26.0 / 3), 1.0, Math.Sqrt(2.0 / 3) }, Values(standard.Scale), 1e-6);

        using var minMax = new VaeGen.Scaling.FeatureScaler("m", FeatureScaling.MinMax, 3);
        minMax.Fit(data);
        AssertClose(new[] { 1.0, 10.0, 5.0 }, Values(minMax.Shift), 1e-6);
        AssertClose(new[] { 7.0, 1.0, 2.0 }, Values(minMax.Scale), 1e-6);
        using var scaled = minMax.forward(data);
        AssertClose(new[] { 0.0, 0.0, 0.0, 2.0 / 7, 0.0, 0.5, 1.0, 0.0, 1.0 }, Values(scaled.flatten()), 1e-6);
        using var restored = minMax.Restore(scaled);
        AssertClose(Values(data.flatten()), Values(restored.flatten()), 1e-5);
    }

    [Fact]
    public void The_scaler_refuses_data_it_cannot_be_fitted_on()
    {
        using var scaler = new VaeGen.Scaling.FeatureScaler("s", FeatureScaling.Standardize, 3);
        using var wide = zeros(4, 2);
        Assert.Contains("[count, 3]", Assert.Throws<ArgumentException>(() => scaler.Fit(wide)).Message);
        using var missing = tensor(new float[,] { { 1, float.NaN, 2 } });
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => scaler.Fit(missing)).Message);
        Assert.False(scaler.IsFitted);
    }

    [Fact]
    public void Fit_fits_the_scaling_on_the_training_data_only_and_keeps_it_afterwards()
    {
        manual_seed(1);
        using var model = new StandardizedVae();
        using var train = Table(64, 1);
        using var validation = Table(32, 2).mul(3).add(7);
        model.Fit(train, Quick() with { ValidationData = validation });
        AssertClose(Values(train.to(ScalarType.Float64).mean(new long[] { 0 })), Values(model.Scaler.Shift), 1e-4);
        var shift = Values(model.Scaler.Shift);
        var scale = Values(model.Scaler.Scale);

        // A second Fit on other data keeps the units the weights learned.
        using var other = Table(64, 9).mul(2);
        model.Fit(other, Quick(1));
        Assert.Equal(shift, Values(model.Scaler.Shift));
        Assert.Equal(scale, Values(model.Scaler.Scale));
    }

    [Fact]
    public void The_scaling_is_a_buffer_of_the_state_dict_not_a_parameter()
    {
        using var model = new StandardizedVae();
        var state = model.state_dict().Keys.ToList();
        Assert.Contains("featureScaling.shift", state);
        Assert.Contains("featureScaling.scale", state);
        Assert.Contains("featureScaling.fitted", state);
        Assert.DoesNotContain(model.named_parameters(), p => p.name.StartsWith("featureScaling", StringComparison.Ordinal));
        Assert.Equal(StandardizedVae.ParameterCount, model.parameters().Sum(p => p.numel()));
        Assert.Contains("scaling: Standardize", StandardizedVae.Architecture);
    }

    /// <summary>A scaled model and its unscaled twin with the same weights; the twin sees the scaled data.</summary>
    private static (StandardizedVae Scaled, Twin.StandardizedVae Plain, Tensor Data) Twins()
    {
        manual_seed(4);
        var scaled = new StandardizedVae();
        var data = Table(48, 5);
        scaled.Fit(data, Quick());
        var plain = new Twin.StandardizedVae();
        using var noGrad = no_grad();
        var weights = scaled.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in plain.named_parameters()) parameter.copy_(weights[name]);
        return (scaled, plain, data);
    }

    [Fact]
    public void Log_densities_are_in_nats_of_the_raw_data_by_the_change_of_variables()
    {
        var (scaled, plain, data) = Twins();
        using (scaled)
        using (plain)
        using (data)
        {
            using var noGrad = no_grad();
            using var standardized = scaled.Scaler.forward(data);
            var (mu, logVar) = scaled.Encode(data);
            var (plainMu, plainLogVar) = plain.Encode(standardized);
            Assert.True(allclose(mu, plainMu, 1e-5, 1e-5), "the encoder must see the scaled features");
            using var eps = randn(3, 48, 2);
            using var raw = scaled.LogImportanceWeights(data, mu, logVar, eps);
            using var onScaled = plain.LogImportanceWeights(standardized, plainMu, plainLogVar, eps);
            // log p(x) = log p(scaled x) - sum_j log scale_j
            var logScaleSum = scaled.Scaler.Scale.log().sum().item<float>();
            Assert.True(Math.Abs(logScaleSum) > 1, "the test data's scales must not cancel");
            using var expected = onScaled.sub(logScaleSum);
            Assert.True(allclose(raw, expected, 1e-4, 1e-4), $"raw {raw[0, 0].item<float>()} vs {expected[0, 0].item<float>()}");

            // The loss reports the same nats: its reconstruction term carries +sum_j log scale_j.
            using var output = scaled.forward(data);
            using var plainOutput = new Twin.StandardizedVae.Output(output.Mu.alias(), output.LogVar.alias(), output.Z.alias(), output.Mean.alias());
            using var loss = scaled.Loss(data, output);
            using var plainLoss = plain.Loss(standardized, plainOutput);
            Assert.Equal(plainLoss.Reconstruction.item<float>() + logScaleSum, loss.Reconstruction.item<float>(), 3);
            Assert.Equal(plainLoss.Kl.item<float>(), loss.Kl.item<float>(), 5);
        }
    }

    [Fact]
    public void Rescaling_the_raw_data_shifts_every_score_by_exactly_the_log_of_the_scale()
    {
        using var data = Table(64, 8);
        using var tenfold = data.mul(10);
        manual_seed(6);
        using var first = new StandardizedVae();
        first.Fit(data, Quick());
        manual_seed(6);
        using var second = new StandardizedVae();
        second.Fit(tenfold, Quick());
        // Standardized, both see the same numbers, so both train the same weights; only the units of p(x) differ.
        using var scores = first.LogLikelihood(data, 20, new Generator(1));
        using var tenfoldScores = second.LogLikelihood(tenfold, 20, new Generator(1));
        using var difference = scores.sub(tenfoldScores);
        var expected = 5 * Math.Log(10);
        Assert.All(Values(difference), d => Assert.Equal(expected, d, 2));
    }

    [Fact]
    public void Decoded_means_come_back_in_raw_units()
    {
        var (scaled, plain, data) = Twins();
        using (scaled)
        using (plain)
        using (data)
        {
            using var standardized = scaled.Scaler.forward(data);
            using var reconstructed = scaled.Reconstruct(data);
            using var plainReconstructed = plain.Reconstruct(standardized);
            using var restored = scaled.Scaler.Restore(plainReconstructed);
            Assert.True(allclose(reconstructed, restored, 1e-4, 1e-3));
            // The column of mean 750 and spread 500 comes back near 750, not near 0.
            Assert.InRange(reconstructed[.., 4].mean().item<float>(), 300f, 1200f);
            using var samples = scaled.Sample(200, new Generator(3));
            Assert.InRange(samples[.., 2].mean().item<float>(), 70f, 130f);
        }
    }

    [Fact]
    public void An_unfitted_scaling_is_refused_where_the_model_scores_data()
    {
        using var model = new StandardizedVae();
        using var data = Table(8, 1);
        foreach (var call in new Action[] { () => model.Evaluate(data), () => model.LogLikelihood(data, 2), () => model.LatentUsage(data), () => model.ExportOnnx(temporary.Path) })
            Assert.Contains("its scaling has not been fitted", Assert.Throws<InvalidOperationException>(call).Message);
        model.FitScaling(data);
        Assert.True(model.Scaler.IsFitted);
        Assert.True(double.IsFinite(model.Evaluate(data).Loss));
    }

    [Fact]
    public void Min_max_makes_the_Bernoulli_contract_hold_on_training_data_and_refuses_data_beyond_its_range()
    {
        manual_seed(2);
        using var model = new MinMaxBernoulliVae();
        using var train = rand(new long[] { 40, 4 }, generator: new Generator(3)).mul_(200).add_(-50);
        model.Fit(train, Quick(1));
        Assert.True(double.IsFinite(model.Evaluate(train).Loss));
        using var beyond = train.narrow(0, 0, 4).clone();
        beyond[2, 1] = tensor(1000f);
        var error = Assert.Throws<ArgumentException>(() => model.Evaluate(beyond));
        Assert.Equal("data", error.ParamName);
        Assert.Contains("must hold values in [0, 1], but data[2, 1] is", error.Message);
        Assert.Contains("after the model's MinMax feature scaling", error.Message);
        Assert.Contains("clip such data to the training range", error.Message);
        Assert.Contains("after the model's MinMax feature scaling", Assert.Throws<ArgumentException>(() => model.LogLikelihood(beyond, 3)).Message);
        var binarized = Assert.Throws<ArgumentException>(() => model.Fit(train, Quick(1) with { DynamicBinarization = true }));
        Assert.Contains("scales its features (MinMax)", binarized.Message);
    }

    [Fact]
    public void A_resumed_run_of_a_scaled_model_ends_where_the_uninterrupted_run_does_bit_for_bit()
    {
        using var data = Table(48, 11);
        var straightDirectory = Path.Combine(temporary.Path, "straight");
        var resumedDirectory = Path.Combine(temporary.Path, "resumed");
        manual_seed(9);
        using var straight = new StandardizedVae();
        straight.Fit(data, Quick(3) with { CheckpointDirectory = straightDirectory });

        manual_seed(9);
        using (var first = new StandardizedVae()) first.Fit(data, Quick(1) with { CheckpointDirectory = resumedDirectory });
        manual_seed(123); // a fresh process: other initial weights, an unfitted scaling
        using var resumed = new StandardizedVae();
        var history = resumed.Fit(data, Quick(3) with { CheckpointDirectory = resumedDirectory, Resume = true });
        Assert.Equal(1, history.ResumedAfterEpoch);

        var expected = straight.state_dict();
        foreach (var (name, value) in resumed.state_dict())
            Assert.True(value.equal(expected[name]).all().item<bool>(), $"{name} differs after resuming");
    }
}
