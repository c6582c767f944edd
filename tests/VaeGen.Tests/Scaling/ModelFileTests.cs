using System;
using System.Globalization;
using System.IO;
using System.Linq;
using VaeGen.Anomaly;
using Xunit;
using static TorchSharp.torch;
using Elsewhere = VaeGen.Tests.Checkpoints.Elsewhere;
using Original = VaeGen.Tests.Checkpoints.Original;
using Twin = VaeGen.Tests.Scaling.Twin;
using Wider = VaeGen.Tests.Checkpoints.Wider;

namespace VaeGen.Tests.Scaling;

/// <summary>
/// Save and Load: a trained model, scaling included, scores the same in another process; a file of another model is
/// refused with what differs, a damaged one by its hash; writing is atomic.
/// </summary>
public sealed class ModelFileTests : IDisposable
{
    private readonly TempDirectory temporary = new("model-file");

    public void Dispose() => temporary.Dispose();

    private static StandardizedVae Trained(Tensor data)
    {
        manual_seed(12);
        var model = new StandardizedVae();
        model.Fit(data, new VaeGen.Training.TrainingOptions { Epochs = 2, BatchSize = 16, LearningRate = 5e-3, Seed = 1 });
        return model;
    }

    private static Tensor Rows()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(31);
        return randn(new long[] { 40, 5 }, generator: generator).mul_(tensor(new float[] { 3, 0.2f, 40, 1, 7 })).add_(tensor(new float[] { 10, 1, 300, -5, 0 }))
            .MoveToOuterDisposeScope();
    }

    [Fact]
    public void A_model_saved_here_scores_the_same_in_another_process_bit_for_bit()
    {
        using var rows = Rows();
        using var model = Trained(rows);
        var path = temporary.File("wine.vaegen");
        model.Save(path);
        using var here = model.AnomalyScores(rows, importanceSamples: 16, generator: new Generator(42));

        var rowsFile = temporary.File("rows.txt");
        File.WriteAllLines(rowsFile, rows.flatten().data<float>().ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        var scoresFile = temporary.File("scores.txt");
        var (exitCode, output) = ScoringProcess.Start(path, rowsFile, scoresFile);
        Assert.True(exitCode == 0, $"the scoring process failed ({exitCode}):\n{output}");
        var there = File.ReadAllLines(scoresFile).Select(line => float.Parse(line, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(here.data<float>().ToArray(), there);
    }

    [Fact]
    public void A_loaded_model_holds_the_saved_state_scaling_included_and_is_in_evaluation_mode()
    {
        using var rows = Rows();
        using var model = Trained(rows);
        var path = temporary.File("model.vaegen");
        model.Save(path);
        using var loaded = StandardizedVae.Load(path);
        Assert.False(loaded.training);
        Assert.True(loaded.Scaler.IsFitted);
        var saved = model.state_dict();
        foreach (var (name, value) in loaded.state_dict())
            Assert.True(value.equal(saved[name]).all().item<bool>(), $"{name} differs after loading");
    }

    [Fact]
    public void A_file_of_another_architecture_is_refused_naming_the_layer_and_both_shapes()
    {
        manual_seed(1);
        using var original = new Original.ShapeVae();
        var path = temporary.File("shape.vaegen");
        original.Save(path);
        var error = Assert.Throws<InvalidDataException>(() => Wider.ShapeVae.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("layer decoder.linear1: file has Linear 3 -> 16, model has Linear 3 -> 24", error.Message);
        Assert.Contains("layer decoder.linear1.weight: file has [16, 3], model has [24, 3]", error.Message);
        Assert.Contains("Nothing was loaded", error.Message);

        var namesake = Assert.Throws<InvalidDataException>(() => Elsewhere.ShapeVae.Load(path));
        Assert.Contains($"It was written by {typeof(Original.ShapeVae).FullName}, and this model is {typeof(Elsewhere.ShapeVae).FullName}", namesake.Message);
    }

    [Fact]
    public void A_file_without_scaling_is_refused_by_the_scaled_model_saying_so()
    {
        manual_seed(1);
        using var plain = new Twin.StandardizedVae();
        var path = temporary.File("plain.vaegen");
        plain.Save(path);
        var error = Assert.Throws<InvalidDataException>(() => StandardizedVae.Load(path));
        Assert.Contains("scaling: file has none, model has Standardize", error.Message);
        Assert.Contains("layer featureScaling.shift: file has none, model has [5]", error.Message);
    }

    [Fact]
    public void A_damaged_or_foreign_file_is_refused_and_a_missing_one_is_not_found()
    {
        manual_seed(1);
        using var model = new Original.ShapeVae();
        var path = temporary.File("damaged.vaegen");
        model.Save(path);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("do not match their SHA-256", Assert.Throws<InvalidDataException>(() => Original.ShapeVae.Load(path)).Message);

        var foreign = temporary.Write("notes.txt", "not a model"u8.ToArray());
        Assert.Contains("is not a saved VaeGen model", Assert.Throws<InvalidDataException>(() => Original.ShapeVae.Load(foreign)).Message);

        var missing = temporary.File("absent.vaegen");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => Original.ShapeVae.Load(missing)).Message);
    }

    [Fact]
    public void Saving_where_the_file_cannot_be_written_names_the_path_and_leaves_nothing()
    {
        manual_seed(1);
        using var model = new Original.ShapeVae();
        // A file where the folder should be: the folder cannot be made.
        var blocker = temporary.Write("blocker", [1, 2, 3]);
        var path = Path.Combine(blocker, "model.vaegen");
        var error = Assert.Throws<IOException>(() => model.Save(path));
        Assert.Contains(path, error.Message);
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(blocker));
        File.Delete(blocker);

        // A folder in the way of the file itself.
        var folder = Directory.CreateDirectory(temporary.File("taken.vaegen")).FullName;
        Assert.Contains(folder, Assert.Throws<IOException>(() => model.Save(folder)).Message);
        Directory.Delete(folder);

        // Saving again over a file replaces it whole and leaves no temporary file beside it.
        var existing = temporary.File("kept.vaegen");
        model.Save(existing);
        var before = File.ReadAllBytes(existing);
        model.Save(existing);
        Assert.Equal(before, File.ReadAllBytes(existing));
        Assert.Equal([existing], Directory.GetFiles(temporary.Path));
    }
}
