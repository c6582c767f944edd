using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp;
using VaeGen.Checks;
using VaeGen.Data;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Training;

/// <summary>Fit and Evaluate on streamed data: example files, the shuffle buffer, determinism, resume, and located errors.</summary>
public sealed class StreamingTests : IDisposable
{
    private readonly TempDirectory temporary = new("stream");

    public void Dispose() => temporary.Dispose();

    /// <summary>Grey-level rows of 12 features around four prototypes, as FitTests uses.</summary>
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

    private static TrainingOptions Options(int epochs = 3) => new() { Epochs = epochs, BatchSize = 32, LearningRate = 5e-3, Seed = 11, ShuffleBufferSize = 50 };

    private static double[] Losses(TrainingHistory history) =>
        history.Epochs.SelectMany(e => new[] { e.TrainLoss, e.TrainReconstruction, e.TrainKl, e.ValidationLoss ?? double.NaN }).ToArray();

    private static bool SameParameters(nn.Module a, nn.Module b)
    {
        var left = a.state_dict();
        var right = b.state_dict();
        return left.Keys.All(key => left[key].equal(right[key]).all().item<bool>());
    }

    private ExampleFile File(Tensor data, string name = "examples.bin") => ExampleFile.Write(temporary.File(name), data);

    /// <summary>Rows whose only feature is their own index, to follow where the shuffle puts them.</summary>
    private static IExampleStream Indices(int count) =>
        ExampleStream.FromRows(() => Enumerable.Range(0, count).Select(i => new float[] { i }), 1, count, "indices");

    private static List<int> Drawn(IExampleStream stream, int bufferSize, ulong seed, int batchSize = 7)
    {
        var order = new List<int>();
        using var batches = new StreamBatches(stream, bufferSize, seed, rule: null, "data", "Test");
        var batch = new float[batchSize];
        int rows;
        while ((rows = batches.Next(batch, batchSize)) > 0) order.AddRange(batch.Take(rows).Select(v => (int)v));
        return order;
    }

    [Fact]
    public void An_example_file_holds_the_rows_in_order_and_refuses_a_length_that_is_not_whole_rows()
    {
        using var data = GreyData(count: 10);
        var file = File(data);
        Assert.Equal((12, 10L), (file.Features, file.Count));
        Assert.Equal(10 * 12 * 4, new FileInfo(file.Source).Length);
        var values = new float[12 * 10];
        using (var reader = file.OpenReader())
        {
            Assert.Equal(4, reader.Read(values.AsSpan(0, 4 * 12 + 5)));
            Assert.Equal(6, reader.Read(values.AsSpan(4 * 12)));
            Assert.Equal(0, reader.Read(values));
        }
        Assert.Equal(data.data<float>().ToArray(), values);

        var cut = temporary.File("cut.bin");
        System.IO.File.WriteAllBytes(cut, new byte[12 * 4 * 3 + 7]);
        var error = Assert.Throws<InvalidDataException>(() => ExampleFile.Open(cut, 12));
        Assert.Contains("151 bytes, which is not a whole number of 12-feature examples (48 bytes each): 3 examples and 7 bytes over", error.Message, StringComparison.Ordinal);
        System.IO.File.WriteAllBytes(cut, []);
        Assert.Contains("the file is empty", Assert.Throws<InvalidDataException>(() => ExampleFile.Open(cut, 12)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writing_rows_of_uneven_width_names_the_row_and_leaves_no_file()
    {
        var path = temporary.File("uneven.bin");
        var error = Assert.Throws<ArgumentException>(() => ExampleFile.Write(path, new[] { new float[] { 1, 2 }, [3, 4], [5] }));
        Assert.Contains("rows[2] has 1 values, but rows[0] has 2", error.Message, StringComparison.Ordinal);
        Assert.False(System.IO.File.Exists(path));
        Assert.Empty(Directory.GetFiles(temporary.Path));
    }

    [Fact]
    public void A_full_buffer_draws_a_permutation_that_depends_on_the_seed_and_no_buffer_keeps_stream_order()
    {
        var stream = Indices(100);
        var first = Drawn(stream, 1000, seed: 5);
        Assert.Equal(Enumerable.Range(0, 100), first.Order());
        Assert.NotEqual(Enumerable.Range(0, 100), first);
        Assert.Equal(first, Drawn(stream, 1000, seed: 5));
        Assert.NotEqual(first, Drawn(stream, 1000, seed: 6));
        Assert.Equal(Enumerable.Range(0, 100), Drawn(stream, 0, seed: 5));
    }

    [Fact]
    public void A_small_buffer_moves_an_example_at_most_its_size_earlier_and_still_yields_each_once()
    {
        var order = Drawn(Indices(1000), 20, seed: 3);
        Assert.Equal(Enumerable.Range(0, 1000), order.Order());
        // Position p is drawn after p + 1 reads less the ones still buffered: example i cannot come out before place i - 19.
        Assert.All(order.Select((example, place) => (example, place)), pair => Assert.True(pair.place >= pair.example - 19, $"example {pair.example} came out at {pair.place}"));
        // It does shuffle: most examples leave their place.
        Assert.True(order.Where((example, place) => example != place).Count() > 900);
    }

    [Fact]
    public void Streamed_fit_is_deterministic_per_seed_and_learns()
    {
        using var data = GreyData();
        var file = File(data);
        using var first = NewModel(1);
        using var second = NewModel(1);
        var a = first.Fit(file, Options(epochs: 4));
        var b = second.Fit(file, Options(epochs: 4));
        Assert.Equal(Losses(a), Losses(b));
        Assert.True(SameParameters(first, second));
        // It learns as the in-memory path does: the same model, data and schedule end within 2% of its -ELBO.
        using var inMemory = NewModel(1);
        var d = inMemory.Fit(data, Options(epochs: 4));
        Assert.True(a.Epochs[^1].TrainLoss < a.Epochs[0].TrainLoss, $"-ELBO {a.Epochs[0].TrainLoss} -> {a.Epochs[^1].TrainLoss}");
        Assert.True(Math.Abs(a.Epochs[^1].TrainLoss - d.Epochs[^1].TrainLoss) < 0.02 * d.Epochs[^1].TrainLoss,
            $"streamed -ELBO {a.Epochs[^1].TrainLoss}, in memory {d.Epochs[^1].TrainLoss} (from {d.Epochs[0].TrainLoss})");

        using var third = NewModel(1);
        var c = third.Fit(file, Options(epochs: 4) with { Seed = 12 });
        Assert.NotEqual(Losses(a), Losses(c));
        // The buffer's size changes the order, so the run.
        using var fourth = NewModel(1);
        Assert.NotEqual(Losses(a), Losses(fourth.Fit(file, Options(epochs: 4) with { ShuffleBufferSize = 10 })));
    }

    [Fact]
    public void Resuming_a_streamed_run_reaches_the_uninterrupted_run()
    {
        using var data = GreyData();
        using var validation = GreyData(seed: 8, count: 40);
        var file = File(data);
        var options = Options(epochs: 4) with { ValidationData = validation, CheckpointDirectory = temporary.File("straight") };
        using var straight = NewModel(3);
        var uninterrupted = straight.Fit(file, options);

        var stopped = options with { CheckpointDirectory = temporary.File("stopped") };
        using (var firstHalf = NewModel(3)) firstHalf.Fit(file, stopped with { Epochs = 2 });
        using var resumed = NewModel(99);
        var continued = resumed.Fit(file, stopped with { Resume = true });

        Assert.Equal(2, continued.ResumedAfterEpoch);
        Assert.Equal(Losses(uninterrupted), Losses(continued));
        Assert.True(SameParameters(straight, resumed));
    }

    [Fact]
    public void Streamed_evaluate_gives_the_tensor_figures_bit_for_bit()
    {
        using var data = GreyData(count: 130);
        var file = File(data);
        using var model = NewModel(4);
        var fromTensor = model.Evaluate(data, batchSize: 50, generator: new Generator(9));
        var fromStream = model.Evaluate(file, batchSize: 50, generator: new Generator(9));
        Assert.Equal(fromTensor, fromStream);
        Assert.Equal(130, fromStream.Examples);
    }

    [Fact]
    public void A_value_the_likelihood_cannot_describe_names_the_example_its_bytes_and_feature()
    {
        using var data = GreyData(count: 300);
        data[257, 5] = tensor(1.5f);
        var file = File(data);
        using var model = NewModel(5);
        var error = Assert.Throws<ArgumentException>(() => model.Fit(file, Options(epochs: 1)));
        Assert.Equal("data", error.ParamName);
        Assert.Contains($"BernoulliVae has a Bernoulli likelihood, so data must hold values in [0, 1], but feature 5 of example 257 of {file.Source} (bytes 12336 to 12383) is 1.5", error.Message, StringComparison.Ordinal);
        var evaluating = Assert.Throws<ArgumentException>(() => model.Evaluate(file));
        Assert.Contains("feature 5 of example 257", evaluating.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_rule_accepts_its_data_and_names_the_first_value_it_cannot_describe()
    {
        var stream = Indices(4);
        void Refuses(ValueRule rule, float[] values, string expected) =>
            Assert.Contains(expected, Assert.Throws<ArgumentException>(() => rule.Check(values, 0, stream, "data", "M")).Message, StringComparison.Ordinal);
        ValueRule.Finite.Check([0, -3, 1e30f], 0, stream, "data", "M");
        Refuses(ValueRule.Finite, [0, float.NaN], "feature 0 of row 1 of indices is NaN");
        ValueRule.Counts.Check([0, 3, 70], 0, stream, "data", "M");
        Refuses(ValueRule.Counts, [0, 2.5f], "M has a Poisson likelihood, so data must hold non-negative integer counts, but feature 0 of row 1 of indices is 2.5");
        ValueRule.Levels(256).Check([0, 1, 128 / 255f], 0, stream, "data", "M");
        Refuses(ValueRule.Levels(256), [0.5f], "levels k / 255");
        Refuses(ValueRule.UnitInterval("Continuous Bernoulli"), [0, -0.1f], "Continuous Bernoulli likelihood");
    }

    [Fact]
    public void A_stream_of_another_width_or_another_count_than_it_says_is_refused()
    {
        using var model = NewModel(6);
        var narrow = ExampleStream.FromRows(() => Enumerable.Repeat(new float[11], 5), 11, 5, "narrow rows");
        Assert.Contains("BernoulliVae expects examples of 12 features, but data (narrow rows) holds examples of 11",
            Assert.Throws<ArgumentException>(() => model.Fit(narrow)).Message, StringComparison.Ordinal);
        var shortStream = ExampleStream.FromRows(() => Enumerable.Repeat(new float[12], 40), 12, 50, "short rows");
        Assert.Contains("short rows ended after 40 examples, but it says it holds 50",
            Assert.Throws<InvalidDataException>(() => model.Fit(shortStream, Options(epochs: 1))).Message, StringComparison.Ordinal);
        var ragged = ExampleStream.FromRows(() => new[] { new float[12], new float[12], new float[3] }, 12, 3, "ragged rows");
        Assert.Contains("row 2 of ragged rows has 3 values, but the stream's examples have 12 features",
            Assert.Throws<ArgumentException>(() => model.Evaluate(ragged)).Message, StringComparison.Ordinal);
        Assert.Contains("ShuffleBufferSize is -1",
            Assert.Throws<ArgumentException>(() => model.Fit(File(GreyData(count: 10)), Options() with { ShuffleBufferSize = -1 })).Message, StringComparison.Ordinal);
    }
}
