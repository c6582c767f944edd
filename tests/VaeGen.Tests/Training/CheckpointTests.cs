using System;
using System.IO;
using System.Linq;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;
using Original = VaeGen.Tests.Checkpoints.Original;

namespace VaeGen.Tests.Training;

/// <summary>
/// Where a checkpoint may be written, and when an existing one may be replaced: every refusal comes before any
/// training and says how to proceed.
/// </summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly TempDirectory temporary = new("checkpoint");

    public void Dispose() => temporary.Dispose();

    private static Tensor Data()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(77);
        return rand(64, 12, generator: generator).MoveToOuterDisposeScope();
    }

    private static TrainingOptions Options(string directory, int epochs = 1) =>
        new() { Epochs = epochs, BatchSize = 32, LearningRate = 5e-3, Seed = 5, CheckpointDirectory = directory };

    private static T New<T>(Func<T> create)
    {
        manual_seed(1);
        return create();
    }

    /// <summary>Counts progress reports: zero means nothing was trained.</summary>
    private sealed class Counting : IProgress<TrainingProgress>
    {
        public int Reports { get; private set; }

        public void Report(TrainingProgress value) => Reports++;
    }

    [Fact]
    public void An_unwritable_checkpoint_directory_fails_before_training_with_the_option_and_the_path()
    {
        using var data = Data();
        // A directory under a regular file cannot be created even by root, for whom permissions do not stop writes.
        var file = temporary.Write("a-file", [1]);
        var directory = Path.Combine(file, "checkpoints");
        using var model = New(() => new Original.ShapeVae());
        var counting = new Counting();

        var error = Assert.Throws<IOException>(() => model.Fit(data, Options(directory, epochs: 2) with { Progress = counting }));

        Assert.Equal(0, counting.Reports);
        Assert.Contains($"TrainingOptions.CheckpointDirectory is {directory}, which cannot be written", error.Message);
        Assert.Contains("Nothing was trained", error.Message);
        Assert.NotNull(error.InnerException);
        Assert.Contains(error.InnerException!.Message, error.Message);
    }

    [Fact]
    public void A_failed_checkpoint_write_names_the_option_the_path_and_the_epoch()
    {
        using var data = Data();
        var directory = temporary.File("blocked");
        using var model = New(() => new Original.ShapeVae());
        model.Fit(data, Options(directory));
        var path = Checkpoint.PathIn(directory);
        var good = File.ReadAllBytes(path);

        // A directory where the temporary file goes: the directory is writable, but the write of epoch 2 fails.
        Directory.CreateDirectory(path + ".tmp");
        var error = Assert.Throws<IOException>(() => model.Fit(data, Options(directory, epochs: 2) with { Resume = true }));

        Assert.Contains($"Cannot write the checkpoint of epoch 2 to {path} (TrainingOptions.CheckpointDirectory is {directory})", error.Message);
        Assert.Contains("the checkpoint " + path + " (after epoch 1) is left as it was", error.Message);
        Assert.Equal(good, File.ReadAllBytes(path));
    }

    [Fact]
    public void Fit_without_Resume_refuses_to_replace_a_checkpoint_unless_told_to_overwrite_it()
    {
        using var data = Data();
        var directory = temporary.File("existing");
        using (var first = New(() => new Original.ShapeVae())) first.Fit(data, Options(directory));
        var path = Checkpoint.PathIn(directory);
        var written = File.ReadAllBytes(path);

        using var model = New(() => new Original.ShapeVae());
        var counting = new Counting();
        var error = Assert.Throws<IOException>(() => model.Fit(data, Options(directory, epochs: 2) with { Progress = counting }));
        Assert.Contains($"TrainingOptions.CheckpointDirectory {directory} already holds a checkpoint ({path})", error.Message);
        Assert.Contains("Set TrainingOptions.Resume = true to continue it, or TrainingOptions.OverwriteCheckpoint = true to start over", error.Message);
        Assert.Equal(0, counting.Reports);
        Assert.Equal(written, File.ReadAllBytes(path));

        // Told to, a fresh run starts over and replaces it.
        var fresh = model.Fit(data, Options(directory, epochs: 2) with { OverwriteCheckpoint = true });
        Assert.Equal(0, fresh.ResumedAfterEpoch);
        Assert.NotEqual(written, File.ReadAllBytes(path));
        using var resumed = New(() => new Original.ShapeVae());
        Assert.Equal(2, resumed.Fit(data, Options(directory, epochs: 2) with { Resume = true }).ResumedAfterEpoch);

        // Both at once is a contradiction, refused with the option's name.
        Assert.Contains("OverwriteCheckpoint",
            Assert.Throws<ArgumentException>(() => model.Fit(data, Options(directory) with { Resume = true, OverwriteCheckpoint = true })).Message);
    }
}
