using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp;
using VaeGen.IO;
using static TorchSharp.torch;

namespace VaeGen.Training;

/// <summary>
/// The file that lets a training run stop and continue: model parameters, optimizer moments, the epochs done with
/// their figures, and TorchSharp's random state. It is written to a temporary file that is flushed to disk and then
/// renamed over the old one, so a crash mid-write leaves the previous checkpoint whole. A SHA-256 of the contents is
/// checked before anything is applied, so a damaged file is refused and leaves the model and random state untouched.
/// The model is identified by its full class name, its architecture fingerprint and the names and shapes of its
/// parameter tensors; a checkpoint of another model or architecture is refused before anything is loaded, with what
/// differs. <c>Fit</c> writes and reads it (<see cref="TrainingOptions.CheckpointDirectory"/>); what is public here is
/// where the file is.
/// </summary>
public static class Checkpoint
{
    /// <summary>The checkpoint's file name inside a checkpoint directory.</summary>
    public const string FileName = "checkpoint.vaegen";

    private const string Magic = "VAEGEN-CHECKPOINT";
    // 3: the run identity holds the free bits and the effective beta; the epochs hold the training objective and free bits.
    // 4: the run identity holds the model's full name and architecture; a list of the model's tensors and their shapes follows it.
    private const int FormatVersion = 4;

    /// <summary>The run a checkpoint belongs to; resuming with different values would not continue the same run.</summary>
    /// <param name="ModelName">The model class's full name: namespace, containing types and class, as <see cref="Type.FullName"/> gives it.</param>
    /// <param name="Architecture">
    /// The generated model's <c>Architecture</c>, one "part: value" line each; empty when unknown (then only the
    /// tensors' names and shapes are compared).
    /// </param>
    /// <param name="InputSize">Its input width.</param>
    /// <param name="Seed">TrainingOptions.Seed.</param>
    /// <param name="BatchSize">TrainingOptions.BatchSize.</param>
    /// <param name="Examples">Training examples.</param>
    /// <param name="LearningRate">TrainingOptions.LearningRate.</param>
    /// <param name="Beta">The beta in effect: TrainingOptions.Beta when set, the model's otherwise.</param>
    /// <param name="FreeBits">The model's free bits, nats per latent dimension.</param>
    /// <param name="KlWarmupEpochs">TrainingOptions.KlWarmupEpochs.</param>
    /// <param name="DynamicBinarization">TrainingOptions.DynamicBinarization.</param>
    internal sealed record RunIdentity(
        string ModelName, string Architecture, long InputSize, long Seed, int BatchSize, long Examples,
        double LearningRate, double Beta, double FreeBits, int KlWarmupEpochs, bool DynamicBinarization);

    /// <summary>The path of the checkpoint in <paramref name="directory"/>.</summary>
    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    /// <summary>
    /// Creates <paramref name="directory"/> if needed and proves it can be written by creating and deleting a file of a
    /// unique name in it, so that a run finds out before it trains rather than when its first epoch ends.
    /// </summary>
    /// <exception cref="IOException">The directory cannot be created or written; the operating system's error is passed on.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory cannot be created or written for lack of permission.</exception>
    internal static void RequireWritable(string directory)
    {
        Directory.CreateDirectory(directory);
        var probe = Path.Combine(directory, $".{FileName}.probe-{Guid.NewGuid():N}");
        try
        {
            using var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            stream.WriteByte(0);
            stream.Flush(flushToDisk: true);
        }
        finally
        {
            File.Delete(probe);
        }
    }

    /// <summary>
    /// Writes a checkpoint atomically: temporary file, flush to disk, rename. If it fails, the previous checkpoint is as
    /// it was and the temporary file is removed when it can be.
    /// </summary>
    internal static void Write(string directory, RunIdentity run, IReadOnlyList<EpochMetrics> history, nn.Module model, AdamOptimizer optimizer)
    {
        var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            WriteIdentity(writer, run);
            WriteTensorList(writer, model);
            writer.Write(history.Count);
            foreach (var epoch in history) WriteMetrics(writer, epoch);
            using (var state = get_rng_state()) state.Save(writer);
            WriteSection(writer, section => model.save(section));
            WriteSection(writer, optimizer.Save);
        }
        var bytes = payload.ToArray();

        var path = PathIn(directory);
        AtomicFile.Write(path, stream => SealedFile.Write(stream, Magic, FormatVersion, bytes), temporaryPath: path + ".tmp");
    }

    /// <summary>
    /// Reads the checkpoint in <paramref name="directory"/>, checks it whole, then loads it into the model and optimizer
    /// and restores the random state.
    /// </summary>
    /// <returns>The history of the epochs it holds.</returns>
    /// <exception cref="InvalidDataException">
    /// The file is not a checkpoint, is damaged, or belongs to a different run; the message names the file. The model and
    /// the random state are then as they were.
    /// </exception>
    internal static IReadOnlyList<EpochMetrics> Read(string directory, RunIdentity run, nn.Module model, AdamOptimizer optimizer)
    {
        var path = PathIn(directory);
        try
        {
            var payload = SealedFile.ReadPayload(path, Magic, FormatVersion, "it is not a VaeGen checkpoint", version =>
                $"it is a version {version} checkpoint, written by {(version < FormatVersion ? "an earlier" : "a later")} VaeGen, and this VaeGen resumes only version {FormatVersion} checkpoints (which also record the model's full name and architecture), so it cannot be resumed. Start over with TrainingOptions.Resume = false and OverwriteCheckpoint = true, or use another TrainingOptions.CheckpointDirectory{(version > FormatVersion ? ", or resume with the VaeGen that wrote it" : string.Empty)}");
            using var reader = new BinaryReader(new MemoryStream(payload));
            var saved = ReadIdentity(reader);
            var tensors = ReadTensorList(reader);
            if (ModelDifferences(saved, run, tensors, model) is { } differences)
                throw new InvalidDataException(
                    $"{differences}. Nothing was loaded: resume with the model that wrote it, use another TrainingOptions.CheckpointDirectory, or set TrainingOptions.Resume = false and OverwriteCheckpoint = true to start over in this one");
            if (saved != run)
                throw new InvalidDataException(
                    $"it belongs to a different run ({Differences(saved, run)}; it has {Describe(saved)}, this run has {Describe(run)}); use another checkpoint directory or the same settings");
            var count = reader.ReadInt32();
            if (count < 0) throw new InvalidDataException($"it lists {count} epochs");
            var history = new List<EpochMetrics>(count);
            for (var i = 0; i < count; i++) history.Add(ReadMetrics(reader));
            using var state = Tensor.Load(reader);
            var modelBytes = reader.ReadBytes(checked((int)reader.ReadInt64()));
            var optimizerBytes = reader.ReadBytes(checked((int)reader.ReadInt64()));

            Apply(model, modelBytes, () =>
            {
                using var optimizerReader = new BinaryReader(new MemoryStream(optimizerBytes));
                optimizer.Load(optimizerReader);
                set_rng_state(state);
            });
            return history;
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new InvalidDataException($"Cannot resume from {path}: {exception.Message}", exception);
        }
    }

    /// <summary>Loads the parameters, then runs the rest; if anything fails, the parameters are put back as they were.</summary>
    internal static void Apply(nn.Module model, byte[] modelBytes, Action rest)
    {
        var backup = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());
        try
        {
            using var modelReader = new BinaryReader(new MemoryStream(modelBytes));
            model.load(modelReader);
            rest();
        }
        catch
        {
            using var noGrad = no_grad();
            var current = model.state_dict();
            foreach (var (name, value) in backup) current[name].copy_(value);
            throw;
        }
        finally
        {
            foreach (var value in backup.Values) value.Dispose();
        }
    }

    /// <summary>Writes a length-prefixed section, so the reader can take it whole before applying any of it.</summary>
    internal static void WriteSection(BinaryWriter writer, Action<BinaryWriter> write)
    {
        using var section = new MemoryStream();
        using (var sectionWriter = new BinaryWriter(section, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            write(sectionWriter);
            sectionWriter.Flush();
        }
        writer.Write(section.Length);
        writer.Write(section.GetBuffer(), 0, (int)section.Length);
    }

    private static void WriteIdentity(BinaryWriter writer, RunIdentity run)
    {
        writer.Write(run.ModelName);
        writer.Write(run.Architecture);
        writer.Write(run.InputSize);
        writer.Write(run.Seed);
        writer.Write(run.BatchSize);
        writer.Write(run.Examples);
        writer.Write(run.LearningRate);
        writer.Write(run.Beta);
        writer.Write(run.FreeBits);
        writer.Write(run.KlWarmupEpochs);
        writer.Write(run.DynamicBinarization);
    }

    private static RunIdentity ReadIdentity(BinaryReader reader) => new(
        reader.ReadString(), reader.ReadString(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt32(), reader.ReadInt64(),
        reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadInt32(), reader.ReadBoolean());

    /// <summary>The name, element type and shape of one tensor of the model's state dict.</summary>
    internal sealed record TensorEntry(string Name, ScalarType Type, long[] Shape)
    {
        public string ShapeText => "[" + string.Join(", ", Shape) + "]";
    }

    /// <summary>Lists the model's state dict (names, element types, shapes), so a reader can compare it before loading.</summary>
    internal static void WriteTensorList(BinaryWriter writer, nn.Module model)
    {
        var tensors = model.state_dict();
        writer.Write(tensors.Count);
        foreach (var (name, tensor) in tensors)
        {
            writer.Write(name);
            writer.Write((int)tensor.dtype);
            writer.Write(tensor.shape.Length);
            foreach (var size in tensor.shape) writer.Write(size);
        }
    }

    internal static List<TensorEntry> ReadTensorList(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count < 0) throw new InvalidDataException($"it lists {count} tensors");
        var tensors = new List<TensorEntry>(count);
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            var type = (ScalarType)reader.ReadInt32();
            var rank = reader.ReadInt32();
            if (rank < 0) throw new InvalidDataException($"it lists tensor {name} with {rank} dimensions");
            var shape = new long[rank];
            for (var d = 0; d < rank; d++) shape[d] = reader.ReadInt64();
            tensors.Add(new TensorEntry(name, type, shape));
        }
        return tensors;
    }

    /// <summary>
    /// What sets the checkpoint's model apart from <paramref name="model"/>: its full name, the lines of its architecture
    /// that differ, and the tensors whose names, types or shapes differ, each as "checkpoint has X, model has Y". Null
    /// when it is the same model.
    /// </summary>
    private static string? ModelDifferences(RunIdentity saved, RunIdentity run, List<TensorEntry> savedTensors, nn.Module model) =>
        ModelDifferences(saved.ModelName, saved.Architecture, run.ModelName, run.Architecture, savedTensors, model, "checkpoint");

    /// <summary>
    /// What sets a file's model apart from <paramref name="model"/>, each difference as "<paramref name="source"/> has X,
    /// model has Y"; null when it is the same model. Checkpoints and saved models (<see cref="ModelFile"/>) share it.
    /// </summary>
    internal static string? ModelDifferences(
        string savedName, string savedArchitecture, string modelName, string architecture, List<TensorEntry> savedTensors, nn.Module model, string source)
    {
        var sentences = new List<string>();
        if (savedName != modelName)
            sentences.Add($"It was written by {savedName}, and this model is {modelName}");

        // A hand-built session may not know its architecture; the tensors below are compared regardless.
        if (savedArchitecture.Length > 0 && architecture.Length > 0 && savedArchitecture != architecture)
        {
            var before = Parts(savedArchitecture);
            var now = Parts(architecture);
            var lines = before.Keys.Concat(now.Keys.Where(key => !before.ContainsKey(key)))
                .Where(key => before.GetValueOrDefault(key) != now.GetValueOrDefault(key))
                .Select(key => $"{key}: {source} has {before.GetValueOrDefault(key) ?? "none"}, model has {now.GetValueOrDefault(key) ?? "none"}");
            sentences.Add("The architecture differs: " + Listed(lines.ToList()));
        }

        var current = model.state_dict().Select(p => new TensorEntry(p.Key, p.Value.dtype, p.Value.shape)).ToList();
        var mine = current.ToDictionary(t => t.Name);
        var theirs = savedTensors.ToDictionary(t => t.Name);
        var tensors = new List<string>();
        foreach (var entry in savedTensors)
        {
            if (!mine.TryGetValue(entry.Name, out var other))
                tensors.Add($"layer {entry.Name}: {source} has {entry.ShapeText}, model has none");
            else if (!entry.Shape.AsSpan().SequenceEqual(other.Shape))
                tensors.Add($"layer {entry.Name}: {source} has {entry.ShapeText}, model has {other.ShapeText}");
            else if (entry.Type != other.Type)
                tensors.Add($"layer {entry.Name}: {source} has {entry.Type} {entry.ShapeText}, model has {other.Type} {other.ShapeText}");
        }
        foreach (var entry in current.Where(t => !theirs.ContainsKey(t.Name)))
            tensors.Add($"layer {entry.Name}: {source} has none, model has {entry.ShapeText}");
        if (tensors.Count > 0) sentences.Add("The parameters differ: " + Listed(tensors));

        return sentences.Count == 0 ? null : "it holds another model. " + string.Join(". ", sentences);
    }

    /// <summary>An architecture's lines by their part, the text before ": ".</summary>
    private static Dictionary<string, string> Parts(string architecture)
    {
        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in architecture.Split('\n'))
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon < 0) parts[line] = string.Empty;
            else parts[line[..colon]] = line[(colon + 2)..];
        }
        return parts;
    }

    /// <summary>The first few items, joined by "; ", and how many more there are.</summary>
    private static string Listed(IReadOnlyList<string> items)
    {
        const int shown = 6;
        return items.Count <= shown
            ? string.Join("; ", items)
            : string.Join("; ", items.Take(shown)) + $"; and {items.Count - shown} more";
    }

    private static string Describe(RunIdentity run) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"model {run.ModelName} with {run.InputSize} inputs, seed {run.Seed}, batch size {run.BatchSize}, {run.Examples} examples, learning rate {run.LearningRate}, beta {run.Beta}, free bits {run.FreeBits}, warm-up {run.KlWarmupEpochs} epochs, dynamic binarization {(run.DynamicBinarization ? "on" : "off")}");

    /// <summary>Names the settings in which two runs differ, with both values, e.g. "free bits 0.5 in the checkpoint, 0 here".</summary>
    private static string Differences(RunIdentity saved, RunIdentity run)
    {
        var differences = new List<string>();
        void Compare<T>(string name, T before, T now)
        {
            if (!EqualityComparer<T>.Default.Equals(before, now))
                differences.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name} {before} in the checkpoint, {now} here"));
        }

        Compare("model", saved.ModelName, run.ModelName);
        Compare("inputs", saved.InputSize, run.InputSize);
        Compare("seed", saved.Seed, run.Seed);
        Compare("batch size", saved.BatchSize, run.BatchSize);
        Compare("examples", saved.Examples, run.Examples);
        Compare("learning rate", saved.LearningRate, run.LearningRate);
        Compare("beta", saved.Beta, run.Beta);
        Compare("free bits", saved.FreeBits, run.FreeBits);
        Compare("warm-up epochs", saved.KlWarmupEpochs, run.KlWarmupEpochs);
        Compare("dynamic binarization", saved.DynamicBinarization, run.DynamicBinarization);
        return "differs in " + string.Join("; ", differences);
    }

    private static void WriteMetrics(BinaryWriter writer, EpochMetrics metrics)
    {
        writer.Write(metrics.Epoch);
        writer.Write(metrics.TrainLoss);
        writer.Write(metrics.TrainReconstruction);
        writer.Write(metrics.TrainKl);
        writer.Write(metrics.TrainObjective);
        writer.Write(metrics.KlWeight);
        writer.Write(metrics.FreeBits);
        WriteOptional(writer, metrics.ValidationLoss);
        WriteOptional(writer, metrics.ValidationReconstruction);
        WriteOptional(writer, metrics.ValidationKl);
        writer.Write(metrics.ExamplesPerSecond);
        writer.Write(metrics.TrainSeconds);
        writer.Write(metrics.ElapsedSeconds);
    }

    private static EpochMetrics ReadMetrics(BinaryReader reader) => new(
        reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(),
        reader.ReadDouble(), reader.ReadDouble(),
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
