using System;
using System.ComponentModel;
using System.IO;
using TorchSharp;
using VaeGen.Training;
using static TorchSharp.torch;

namespace VaeGen.IO;

/// <summary>
/// A trained model's state in one file, for scoring in another process: the model's full class name, its architecture
/// fingerprint, the names, types and shapes of its state_dict tensors (parameters and buffers, such as the feature
/// scaling), the tensors themselves, and a SHA-256 of all of it. Loading checks the hash and compares the record with
/// the model before anything is loaded, and refuses a file of another model with what differs, as a checkpoint does.
/// </summary>
/// <remarks>Generated models' <c>Save</c> and <c>Load</c> call this; it is public for them, and hidden from IntelliSense.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ModelFile
{
    private const string Magic = "VAEGEN-MODEL";
    private const int FormatVersion = 1;

    /// <summary>Writes <paramref name="model"/>'s state to <paramref name="path"/> atomically: a temporary file beside it, flushed, then renamed.</summary>
    /// <param name="model">The module.</param>
    /// <param name="modelName">Its full class name.</param>
    /// <param name="architecture">Its architecture fingerprint.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <exception cref="IOException">The file cannot be written; the message names it, and an existing file is left as it was.</exception>
    public static void Save(nn.Module model, string modelName, string architecture, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(modelName);
            writer.Write(architecture);
            Checkpoint.WriteTensorList(writer, model);
            Checkpoint.WriteSection(writer, section => model.save(section));
        }
        var bytes = payload.ToArray();
        try
        {
            AtomicFile.Write(path, stream => SealedFile.Write(stream, Magic, FormatVersion, bytes));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new IOException($"Cannot save {modelName} to '{path}': {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads the file, checks its hash, compares its model with <paramref name="model"/> (name, architecture, every tensor's
    /// name, type and shape), and only then loads its state into <paramref name="model"/>, which it returns in evaluation
    /// mode, as a generated model's static <c>Load</c> does. If the file is refused, the instance is disposed and the
    /// exception passed on.
    /// </summary>
    /// <param name="model">A new instance of the model class.</param>
    /// <param name="modelName">Its full class name.</param>
    /// <param name="architecture">Its architecture fingerprint.</param>
    /// <param name="path">The file.</param>
    /// <returns><paramref name="model"/>, loaded.</returns>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a saved model, is damaged, or holds another model; the message names it and what differs.</exception>
    public static TModel Load<TModel>(TModel model, string modelName, string architecture, string path) where TModel : nn.Module
    {
        try
        {
            LoadInto(model, modelName, architecture, path);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return model;
    }

    /// <summary>Checks the file against the model, then loads it; the model is as it was if anything fails.</summary>
    private static void LoadInto(nn.Module model, string modelName, string architecture, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Cannot load {modelName}: there is no file '{path}'.", path);
        try
        {
            var payload = SealedFile.ReadPayload(path, Magic, FormatVersion,
                "it is not a saved VaeGen model (its header is not " + Magic + ")",
                version => $"it is a version {version} model file, and this VaeGen reads version {FormatVersion}");
            using var reader = new BinaryReader(new MemoryStream(payload));
            var savedName = reader.ReadString();
            var savedArchitecture = reader.ReadString();
            var tensors = Checkpoint.ReadTensorList(reader);
            if (Checkpoint.ModelDifferences(savedName, savedArchitecture, modelName, architecture, tensors, model, "file") is { } differences)
                throw new InvalidDataException($"{differences}. Nothing was loaded: load it with the model class that saved it");
            // The parameters are put back as they were if loading them fails part-way.
            Checkpoint.Apply(model, reader.ReadBytes(checked((int)reader.ReadInt64())), rest: () => { });
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new InvalidDataException($"Cannot load {modelName} from '{path}': {exception.Message}", exception);
        }
    }
}
