using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp.PyBridge;
using VaeGen.IO;
using static TorchSharp.torch;

namespace VaeGen;

/// <summary>
/// A model's parameters and buffers as a PyTorch state_dict file (what <c>torch.save(module.state_dict(), path)</c>
/// writes and <c>torch.load</c> reads) or as a safetensors file, through TorchSharp.PyBridge. The tensors are named as
/// TorchSharp's <c>state_dict()</c> names them, after the generated fields (<c>encoder.linear1.weight</c>,
/// <c>encoderMu.bias</c>, ...), which is how a PyTorch module with attributes of the same names names its own; the
/// README gives the names and <c>benchmarks/pytorch</c> such a module.
/// </summary>
/// <remarks>
/// Files are written atomically: a reader sees the old file or the whole new one. Loading reads and checks the whole
/// file first, every tensor's name, element type and shape against the model's, and copies into the model only when
/// all of them fit; a refused or unreadable file leaves the model exactly as it was.
/// </remarks>
public static class ModelWeights
{
    /// <summary>Writes the model's parameters and buffers as a PyTorch state_dict file, for <c>torch.load</c>.</summary>
    /// <param name="model">A generated model (any TorchSharp module).</param>
    /// <param name="path">The file to create or replace, by convention <c>.pt</c> or <c>.pth</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a folder.</exception>
    /// <exception cref="IOException">The file cannot be written; the old one, if any, is left as it was.</exception>
    public static void SavePyTorch(this nn.Module model, string path) =>
        Save(model, path, (stream, tensors) => PyTorchPickler.PickleStateDict(stream, tensors, leaveOpen: true));

    /// <summary>Writes the model's parameters and buffers as a safetensors file.</summary>
    /// <param name="model">A generated model (any TorchSharp module).</param>
    /// <param name="path">The file to create or replace, by convention <c>.safetensors</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a folder.</exception>
    /// <exception cref="IOException">The file cannot be written; the old one, if any, is left as it was.</exception>
    public static void SaveSafetensors(this nn.Module model, string path) =>
        Save(model, path, (stream, tensors) => Safetensors.SaveStateDict(stream, tensors, leaveOpen: true));

    /// <summary>
    /// Loads parameters and buffers from a PyTorch state_dict file (<c>torch.save(module.state_dict(), path)</c>, or
    /// <see cref="SavePyTorch"/>). Every tensor of the model must be in the file with its element type and shape, and
    /// the file must hold no other; otherwise nothing is loaded.
    /// </summary>
    /// <param name="model">The model to load into.</param>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not a state_dict, or a tensor is missing, extra, or of another shape or element type; the message
    /// names the file and each such tensor. The model is unchanged.
    /// </exception>
    public static void LoadPyTorch(this nn.Module model, string path) =>
        Load(model, path, "PyTorch state_dict", stream =>
        {
            var table = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true);
            var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in table)
            {
                if (entry.Key is not string name || entry.Value is not Tensor tensor)
                    throw new InvalidDataException($"it holds an entry {entry.Key} that is not a named tensor");
                tensors.Add(name, tensor);
            }
            return tensors;
        });

    /// <summary>
    /// Loads parameters and buffers from a safetensors file (<c>safetensors.torch.save_file</c>, or
    /// <see cref="SaveSafetensors"/>). Every tensor of the model must be in the file with its element type and shape,
    /// and the file must hold no other; otherwise nothing is loaded.
    /// </summary>
    /// <param name="model">The model to load into.</param>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not safetensors, or a tensor is missing, extra, or of another shape or element type; the message
    /// names the file and each such tensor. The model is unchanged.
    /// </exception>
    public static void LoadSafetensors(this nn.Module model, string path) =>
        Load(model, path, "safetensors", stream => Safetensors.LoadStateDict(stream, leaveOpen: true));

    private static void Save(nn.Module model, string path, Action<Stream, Dictionary<string, Tensor>> write)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        // Copies on the CPU, each in storage of its own: after Fit a parameter is a view at an offset into the optimizer's
        // flat buffer, and PyBridge's pickler writes a tensor's storage offset beside only the tensor's own bytes.
        var tensors = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().cpu().clone(), StringComparer.Ordinal);
        AtomicFile.Write(path, stream => write(stream, tensors));
    }

    private static void Load(nn.Module model, string path, string format, Func<Stream, Dictionary<string, Tensor>> read)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"There is no weights file {path}.", path);

        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> loaded;
        try
        {
            using var stream = File.OpenRead(path);
            loaded = read(stream);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException and not InvalidDataException)
        {
            throw new InvalidDataException($"Cannot load weights from {path}: it is not a readable {format} file ({exception.Message}). Nothing was loaded; the model is unchanged.", exception);
        }
        catch (InvalidDataException exception)
        {
            throw new InvalidDataException($"Cannot load weights from {path}: {exception.Message}. Nothing was loaded; the model is unchanged.", exception);
        }

        var target = model.state_dict();
        if (Mismatches(target, loaded) is { Count: > 0 } problems)
            throw new InvalidDataException(
                $"Cannot load weights from {path} into {model.GetType().FullName}: {string.Join("; ", problems)}. Nothing was loaded; the model is unchanged.");

        // Every tensor fits, so the copies cannot fail on shape or type: commit them all.
        using var noGrad = no_grad();
        foreach (var (name, tensor) in target) tensor.copy_(loaded[name]);
    }

    /// <summary>Each tensor the model has that the file lacks or holds in another form, then each the file has beyond the model's.</summary>
    private static List<string> Mismatches(Dictionary<string, Tensor> model, Dictionary<string, Tensor> file)
    {
        var problems = new List<string>();
        foreach (var (name, mine) in model)
        {
            if (!file.TryGetValue(name, out var theirs))
                problems.Add($"the file lacks {name} ({Describe(mine)} in the model)");
            else if (!mine.shape.AsSpan().SequenceEqual(theirs.shape) || mine.dtype != theirs.dtype)
                problems.Add($"{name} is {Describe(theirs)} in the file but {Describe(mine)} in the model");
        }
        foreach (var (name, theirs) in file.Where(p => !model.ContainsKey(p.Key)))
            problems.Add($"the file has {name} ({Describe(theirs)}), which the model does not");
        return problems;
    }

    private static string Describe(Tensor tensor) => $"{tensor.dtype} {Checks.ShapeText.Of(tensor.shape)}";
}
