using System;
using System.Collections.Generic;
using System.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeGen.Training;

/// <summary>
/// The file that lets a training run stop and continue: model parameters, optimizer moments, the epochs done with
/// their figures, and TorchSharp's random state. It is written to a temporary file that is then renamed over the old
/// one, so a crash mid-write leaves the previous checkpoint whole.
/// </summary>
public static class Checkpoint
{
    /// <summary>The checkpoint's file name inside a checkpoint directory.</summary>
    public const string FileName = "checkpoint.vaegen";

    private const string Magic = "VAEGEN-CHECKPOINT";
    private const int FormatVersion = 1;

    /// <summary>The run a checkpoint belongs to; resuming with different values would not continue the same run.</summary>
    /// <param name="ModelName">The model class.</param>
    /// <param name="InputSize">Its input width.</param>
    /// <param name="Seed">TrainingOptions.Seed.</param>
    /// <param name="BatchSize">TrainingOptions.BatchSize.</param>
    /// <param name="Examples">Training examples.</param>
    public sealed record RunIdentity(string ModelName, long InputSize, long Seed, int BatchSize, long Examples);

    /// <summary>The path of the checkpoint in <paramref name="directory"/>.</summary>
    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    /// <summary>Writes a checkpoint atomically: temporary file, flush to disk, rename.</summary>
    public static void Write(string directory, RunIdentity run, IReadOnlyList<EpochMetrics> history, nn.Module model, AdamOptimizer optimizer)
    {
        Directory.CreateDirectory(directory);
        var path = PathIn(directory);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(run.ModelName);
            writer.Write(run.InputSize);
            writer.Write(run.Seed);
            writer.Write(run.BatchSize);
            writer.Write(run.Examples);
            writer.Write(history.Count);
            foreach (var epoch in history) WriteMetrics(writer, epoch);
            using (var state = get_rng_state()) state.Save(writer);
            model.save(writer);
            optimizer.Save(writer);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads the checkpoint in <paramref name="directory"/> into the model and optimizer and restores the random state.</summary>
    /// <returns>The history of the epochs it holds.</returns>
    /// <exception cref="InvalidDataException">The file is not a checkpoint, is damaged, or belongs to a different run; the message names the file.</exception>
    public static IReadOnlyList<EpochMetrics> Read(string directory, RunIdentity run, nn.Module model, AdamOptimizer optimizer)
    {
        var path = PathIn(directory);
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream);
            if (reader.ReadString() != Magic) throw new InvalidDataException("it is not a VaeGen checkpoint");
            var version = reader.ReadInt32();
            if (version != FormatVersion) throw new InvalidDataException($"its format version is {version}; this VaeGen reads version {FormatVersion}");
            var saved = new RunIdentity(reader.ReadString(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt32(), reader.ReadInt64());
            if (saved != run)
                throw new InvalidDataException(
                    $"it belongs to a different run ({Describe(saved)}) than this one ({Describe(run)}); use another checkpoint directory or the same settings");
            var count = reader.ReadInt32();
            if (count < 0) throw new InvalidDataException($"it lists {count} epochs");
            var history = new List<EpochMetrics>(count);
            for (var i = 0; i < count; i++) history.Add(ReadMetrics(reader));
            using (var state = Tensor.Load(reader)) set_rng_state(state);
            model.load(reader);
            optimizer.Load(reader);
            return history;
        }
        catch (Exception exception) when (exception is EndOfStreamException or InvalidDataException or ArgumentException or IOException)
        {
            throw new InvalidDataException($"Cannot resume from {path}: {exception.Message}", exception);
        }
    }

    private static string Describe(RunIdentity run) =>
        $"model {run.ModelName} with {run.InputSize} inputs, seed {run.Seed}, batch size {run.BatchSize}, {run.Examples} examples";

    private static void WriteMetrics(BinaryWriter writer, EpochMetrics metrics)
    {
        writer.Write(metrics.Epoch);
        writer.Write(metrics.TrainLoss);
        writer.Write(metrics.TrainReconstruction);
        writer.Write(metrics.TrainKl);
        writer.Write(metrics.KlWeight);
        WriteOptional(writer, metrics.ValidationLoss);
        WriteOptional(writer, metrics.ValidationReconstruction);
        WriteOptional(writer, metrics.ValidationKl);
        writer.Write(metrics.ExamplesPerSecond);
        writer.Write(metrics.TrainSeconds);
        writer.Write(metrics.ElapsedSeconds);
    }

    private static EpochMetrics ReadMetrics(BinaryReader reader) => new(
        reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(),
        ReadOptional(reader), ReadOptional(reader), ReadOptional(reader),
        reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble());

    private static void WriteOptional(BinaryWriter writer, double? value)
    {
        writer.Write(value.HasValue);
        writer.Write(value ?? 0);
    }

    private static double? ReadOptional(BinaryReader reader)
    {
        var present = reader.ReadBoolean();
        var value = reader.ReadDouble();
        return present ? value : null;
    }
}
