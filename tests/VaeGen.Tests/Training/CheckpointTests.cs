using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;
using Elsewhere = VaeGen.Tests.Checkpoints.Elsewhere;
using Original = VaeGen.Tests.Checkpoints.Original;
using Wider = VaeGen.Tests.Checkpoints.Wider;

namespace VaeGen.Tests.Training;

/// <summary>
/// Whose checkpoint it is (full class name, architecture, tensors), where it may be written, and when an existing one
/// may be replaced: every refusal comes before any training or loading and says what differs or how to proceed.
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

    private static void AssertUnchanged(nn.Module model, Action act)
    {
        var before = model.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        act();
        foreach (var (name, value) in model.state_dict()) Assert.True(value.equal(before[name]).all().item<bool>(), $"{name} changed");
    }

    [Fact]
    public void Resuming_into_a_changed_architecture_is_refused_naming_the_layer_and_both_shapes()
    {
        using var data = Data();
        var directory = temporary.File("changed");
        using (var original = New(() => new Original.ShapeVae())) original.Fit(data, Options(directory));

        using var wider = New(() => new Wider.ShapeVae());
        var counting = new Counting();
        InvalidDataException? error = null;
        AssertUnchanged(wider, () => error = Assert.Throws<InvalidDataException>(() =>
            wider.Fit(data, Options(directory, epochs: 2) with { Resume = true, Progress = counting })));

        var message = error!.Message;
        Assert.Contains(Checkpoint.PathIn(directory), message);
        Assert.Contains("layer decoder.linear1: checkpoint has Linear 3 -> 16, model has Linear 3 -> 24", message);
        Assert.Contains("layer decoder.linear1.weight: checkpoint has [16, 3], model has [24, 3]", message);
        Assert.Contains("layer decoderLogits.weight: checkpoint has [12, 16], model has [12, 24]", message);
        Assert.Contains("Nothing was loaded", message);
        Assert.Equal(0, counting.Reports);

        // The same class with an edited attribute (same full name, other architecture): the architecture alone refuses it.
        var same = Assert.Throws<InvalidDataException>(() => new TrainingSession(
            wider, typeof(Original.ShapeVae).FullName!, Wider.ShapeVae.InputSize, data, Options(directory) with { Resume = true },
            new KlObjective(Wider.ShapeVae.Beta, Wider.ShapeVae.FreeBits), architecture: Wider.ShapeVae.Architecture));
        Assert.DoesNotContain("written by", same.Message);
        Assert.Contains("layer decoder.linear1: checkpoint has Linear 3 -> 16, model has Linear 3 -> 24", same.Message);
    }

    [Fact]
    public void Resuming_a_model_of_the_same_short_name_from_another_namespace_is_refused_naming_both()
    {
        using var data = Data();
        var directory = temporary.File("namesake");
        using (var original = New(() => new Original.ShapeVae())) original.Fit(data, Options(directory));

        // Same short name, same input size, same layers: today's identity cannot tell them apart.
        using var namesake = New(() => new Elsewhere.ShapeVae());
        Assert.Equal(Original.ShapeVae.Architecture, Elsewhere.ShapeVae.Architecture);
        InvalidDataException? error = null;
        AssertUnchanged(namesake, () => error = Assert.Throws<InvalidDataException>(() =>
            namesake.Fit(data, Options(directory, epochs: 2) with { Resume = true })));

        Assert.Contains(
            "It was written by VaeGen.Tests.Checkpoints.Original.ShapeVae, and this model is VaeGen.Tests.Checkpoints.Elsewhere.ShapeVae",
            error!.Message);
        Assert.DoesNotContain("architecture differs", error.Message);
        Assert.DoesNotContain("parameters differ", error.Message);
    }

    [Fact]
    public void A_checkpoint_of_an_older_format_is_refused_saying_which_version_it_is()
    {
        using var data = Data();
        var directory = temporary.File("old");
        Directory.CreateDirectory(directory);
        // A version 3 file as an earlier VaeGen wrote it: header, length, contents, SHA-256 of the contents.
        var contents = RandomNumberGenerator.GetBytes(256);
        using (var writer = new BinaryWriter(File.Create(Checkpoint.PathIn(directory))))
        {
            writer.Write("VAEGEN-CHECKPOINT");
            writer.Write(3);
            writer.Write((long)contents.Length);
            writer.Write(contents);
            writer.Write(SHA256.HashData(contents));
        }

        using var model = New(() => new Original.ShapeVae());
        var error = Assert.Throws<InvalidDataException>(() => model.Fit(data, Options(directory, epochs: 2) with { Resume = true }));
        Assert.Contains("it is a version 3 checkpoint, written by an earlier VaeGen", error.Message);
        Assert.Contains("cannot be resumed", error.Message);
        Assert.Contains("OverwriteCheckpoint = true", error.Message);
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
