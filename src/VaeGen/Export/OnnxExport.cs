using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using TorchSharp;
using VaeGen.IO;
using static TorchSharp.torch;

namespace VaeGen.Export;

/// <summary>
/// One export of a model to ONNX: a float32 copy of its parameters, taken when the export begins, the graphs described
/// from them, and the writing of the files. A generated model's <c>ExportOnnx</c> creates one, describes its encoder,
/// decoder, scoring and prior graphs layer by layer from the generator's layer plan (no tracing), and writes them.
/// </summary>
/// <remarks>
/// The graphs use ONNX opset <see cref="Opset"/> of the default domain and IR version <see cref="IrVersion"/>, which
/// ONNX Runtime 1.11 and later, and every maintained ONNX consumer, load. Every tensor is float32 (a float64 model is
/// exported in float32), except class labels, which are int64. The batch dimension is the symbolic "batch".
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class OnnxExport
{
    /// <summary>The ONNX operator set the graphs use: 17, widely supported, and the last before Reduce* took their axes as inputs.</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version of the files: 8, the one that introduced opset 17.</summary>
    public const long IrVersion = 8;

    private readonly Dictionary<string, OnnxTensorData> parameters = new(StringComparer.Ordinal);

    /// <summary>Begins an export of <paramref name="model"/>: copies its parameters, by their state_dict names, to float32 arrays.</summary>
    /// <param name="model">The module whose parameters the graphs hold as initializers.</param>
    /// <param name="modelName">The model's full class name, recorded in each file's metadata.</param>
    /// <param name="architecture">The model's architecture fingerprint, recorded in each file's metadata.</param>
    public OnnxExport(nn.Module model, string modelName, string architecture)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModelName = modelName ?? throw new ArgumentNullException(nameof(modelName));
        Architecture = architecture ?? throw new ArgumentNullException(nameof(architecture));
        foreach (var (name, parameter) in model.named_parameters()) parameters[name] = OnnxTensorData.Copy(parameter);
    }

    /// <summary>The model's full class name.</summary>
    public string ModelName { get; }

    /// <summary>The model's architecture fingerprint.</summary>
    public string Architecture { get; }

    /// <summary>Starts a graph of this export.</summary>
    /// <param name="name">Its name, which is also its file's: "encoder" is written to encoder.onnx.</param>
    /// <param name="description">What it computes, written into the file as its documentation string.</param>
    public OnnxGraph Graph(string name, string description) => new(this, name, description);

    /// <summary>The float32 copy of the parameter named <paramref name="name"/> in the state_dict.</summary>
    /// <exception cref="ArgumentException">The model has no such parameter.</exception>
    internal OnnxTensorData Parameter(string name) =>
        parameters.TryGetValue(name, out var data)
            ? data
            : throw new ArgumentException(
                $"{ModelName} has no parameter '{name}'; its parameters are {string.Join(", ", parameters.Keys)}.", nameof(name));

    /// <summary>
    /// Writes the four graphs to <paramref name="directory"/> as encoder.onnx, decoder.onnx, score.onnx and prior.onnx
    /// (the graphs' names). All are serialized before the first is written, and each file is written to a temporary file
    /// beside it and renamed over the target, so a file is either its old content or the complete new graph, never a part.
    /// </summary>
    /// <param name="directory">The folder; created when missing.</param>
    /// <param name="encoder">The encoder graph.</param>
    /// <param name="decoder">The decoder graph.</param>
    /// <param name="score">The scoring graph.</param>
    /// <param name="prior">The prior's sampling graph.</param>
    /// <returns>The full paths written.</returns>
    /// <exception cref="IOException">The folder or a file cannot be written; the message names it.</exception>
    public OnnxFiles Write(string directory, OnnxGraph encoder, OnnxGraph decoder, OnnxGraph score, OnnxGraph prior)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var graphs = new[] { encoder ?? throw new ArgumentNullException(nameof(encoder)),
            decoder ?? throw new ArgumentNullException(nameof(decoder)), score ?? throw new ArgumentNullException(nameof(score)),
            prior ?? throw new ArgumentNullException(nameof(prior)) };
        var contents = graphs.Select(g => g.ToBytes()).ToArray();
        string folder;
        try
        {
            folder = Path.GetFullPath(directory);
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new IOException($"Cannot write the ONNX export of {ModelName} to the folder '{directory}': {e.Message}", e);
        }
        var paths = graphs.Select(g => Path.Combine(folder, g.Name + ".onnx")).ToArray();
        // Checked for all three before the first is written, so a folder in the way leaves no new file at all.
        foreach (var path in paths.Where(Directory.Exists))
            throw new IOException($"Cannot write the ONNX graph '{path}': a folder of that name is in the way.");
        for (var i = 0; i < graphs.Length; i++)
        {
            var path = paths[i];
            try
            {
                AtomicFile.WriteAllBytes(path, contents[i]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"Cannot write the ONNX graph '{path}': {e.Message}", e);
            }
        }
        return new OnnxFiles(paths[0], paths[1], paths[2], paths[3]);
    }
}

/// <summary>A float32 tensor copied off a TorchSharp tensor: its shape and its values in row-major order.</summary>
internal sealed record OnnxTensorData(long[] Shape, float[] Values)
{
    /// <summary>Copies <paramref name="tensor"/>, detached, in float32 and on the CPU.</summary>
    public static OnnxTensorData Copy(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var copy = tensor.detach().to(ScalarType.Float32, CPU).contiguous();
        return new OnnxTensorData(copy.shape, copy.data<float>().ToArray());
    }

    /// <summary>The values as ONNX raw data: little-endian float32.</summary>
    public byte[] RawData()
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw data is little-endian; this machine is not.");
        return MemoryMarshal.AsBytes(Values.AsSpan()).ToArray();
    }
}
