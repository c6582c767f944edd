using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.TensorBoard;

/// <summary>
/// The TensorBoard log of a run, read back from its event file: the step scalars are the read-back windows' means,
/// the epoch scalars are the returned history's figures, and the latent KL adds up to the validation KL.
/// </summary>
public sealed class TensorBoardTests : IDisposable
{
    private readonly TempDirectory temporary = new("tensorboard");

    public void Dispose() => temporary.Dispose();

    private static (Tensor Train, Tensor Validation) Data()
    {
        var generator = new Generator(11);
        return (rand(64, 12, generator: generator), rand(32, 12, generator: generator));
    }

    [Fact]
    public void The_event_file_holds_the_history_the_step_windows_and_the_KL_per_latent_dimension()
    {
        var (train, validation) = Data();
        manual_seed(1);
        using var model = new BernoulliVae();
        var directory = temporary.File("runs/first");
        // 64 examples in batches of 8: 8 steps an epoch, read back after steps 3, 6 and 8 (24, 24 and 16 examples).
        var history = model.Fit(train, new TrainingOptions
        {
            Epochs = 2, BatchSize = 8, LearningRate = 1e-2, ReportEvery = 3, ValidationData = validation, TensorBoardDirectory = directory,
        });

        var log = EventFile.In(directory);
        Assert.Equal("brain.Event:2", log.Events[0].FileVersion);
        foreach (var (tag, value) in new (string, Func<EpochMetrics, double?>)[]
        {
            ("epoch/train_loss", e => e.TrainLoss), ("epoch/train_reconstruction", e => e.TrainReconstruction), ("epoch/train_kl", e => e.TrainKl),
            ("epoch/train_objective", e => e.TrainObjective), ("epoch/validation_loss", e => e.ValidationLoss),
            ("epoch/validation_reconstruction", e => e.ValidationReconstruction), ("epoch/validation_kl", e => e.ValidationKl),
        })
            Assert.Equal(history.Epochs.Select(e => (long)e.Epoch).Zip(history.Epochs.Select(e => (float)value(e)!.Value)), log.Scalars(tag).Select(s => (s.Step, s.Value)));

        var loss = log.Scalars("step/loss");
        Assert.Equal([3L, 6, 8, 11, 14, 16], loss.Select(s => s.Step));
        long[] windowExamples = [24, 24, 16];
        for (var epoch = 0; epoch < 2; epoch++)
        {
            var windows = loss.Skip(3 * epoch).Take(3).Select(s => (double)s.Value).ToArray();
            var mean = windows.Zip(windowExamples, (value, examples) => value * examples).Sum() / 64;
            Assert.Equal(history.Epochs[epoch].TrainLoss, mean, 1e-3);
        }
        var terms = log.Scalars("step/reconstruction").Zip(log.Scalars("step/kl"), (r, k) => r.Value + k.Value);
        Assert.All(loss.Zip(terms), pair => Assert.Equal(pair.First.Value, pair.Second, 1e-3));
        Assert.All(log.Scalars("step/kl_weight"), s => Assert.Equal(1f, s.Value));

        for (var epoch = 1; epoch <= 2; epoch++)
        {
            var kl = Enumerable.Range(0, BernoulliVae.LatentSize).Sum(j => (double)log.Scalars($"latent_kl/z{j:00}").Single(s => s.Step == epoch).Value);
            Assert.Equal(history.Epochs[epoch - 1].ValidationKl!.Value, kl, 1e-3);
        }
        var usage = model.LatentUsage(validation);
        Assert.Equal(usage.KlPerDimension!.Select(v => (float)v), Enumerable.Range(0, 3).Select(j => log.Scalars($"latent_kl/z{j:00}")[^1].Value));
        Assert.Equal((float)usage.ActiveUnits, log.Scalars("latent/active_units")[^1].Value);
        Assert.DoesNotContain(log.Tags, tag => tag.StartsWith("images/", StringComparison.Ordinal));
    }

    [Fact]
    public void Logging_changes_nothing_of_the_run()
    {
        var (train, validation) = Data();
        TrainingHistory Run(string? directory)
        {
            manual_seed(1);
            using var model = new BernoulliVae();
            return model.Fit(train, new TrainingOptions { Epochs = 2, BatchSize = 8, ReportEvery = 3, ValidationData = validation, TensorBoardDirectory = directory });
        }

        var plain = Run(null);
        var logged = Run(temporary.File("logged"));
        Assert.Equal(plain.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss)), logged.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss)));
    }

    [Fact]
    public void A_directory_that_cannot_be_written_is_refused_before_training()
    {
        var (train, _) = Data();
        var file = temporary.Write("taken", [1]);
        using var model = new BernoulliVae();
        var error = Assert.Throws<IOException>(() => model.Fit(train, new TrainingOptions { Epochs = 1, TensorBoardDirectory = Path.Combine(file, "runs") }));
        Assert.Contains("TrainingOptions.TensorBoardDirectory", error.Message);
        Assert.Contains("Nothing was trained", error.Message);

        var images = Assert.Throws<ArgumentException>(() => model.Fit(train, new TrainingOptions { Epochs = 1, TensorBoardImagesEvery = 1 }));
        Assert.Contains("TensorBoardImagesEvery", images.Message);
    }

    [Fact]
    public void Image_grids_without_SkiaSharps_native_library_are_refused_before_training()
    {
        // This project carries no SkiaSharp native library (VaeGen.Visualization.Tests does, and checks the grids).
        Assert.False(NativeLibrary.TryLoad("libSkiaSharp", typeof(TorchSharp.torch).Assembly, null, out _));
        using var data = rand(16, ConvVae.InputSize, generator: new Generator(2));
        using var model = new ConvVae();
        var reports = 0;
        var error = Assert.Throws<InvalidOperationException>(() => model.Fit(data, new TrainingOptions
        {
            Epochs = 1, TensorBoardDirectory = temporary.File("images"), TensorBoardImagesEvery = 1, Progress = new Counter(() => reports++),
        }));
        Assert.Contains("TensorBoardImagesEvery", error.Message);
        Assert.Contains("VaeGen.Visualization", error.Message);
        Assert.Equal(0, reports);
        // The refusal leaves no half-made SkiaSharp object whose finalizer would fail on the finalizer thread and end the process.
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    private sealed class Counter(Action count) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => count();
    }
}
