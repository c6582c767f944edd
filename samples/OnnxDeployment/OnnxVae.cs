using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.ML.OnnxRuntime;

namespace OnnxDeployment;

/// <summary>
/// A VaeGen model as ExportOnnx wrote it, run by ONNX Runtime: encoder.onnx, decoder.onnx and score.onnx from one folder,
/// each session opened on first use. Inputs and outputs are rows of floats, batch after batch.
/// </summary>
internal sealed class OnnxVae : IDisposable
{
    private readonly string directory;
    private readonly SessionOptions options;
    private readonly RunOptions run = new();
    private InferenceSession? encoder, decoder, score;

    public OnnxVae(string directory, int threads)
    {
        if (!File.Exists(Path.Combine(directory, "encoder.onnx")))
            throw new FileNotFoundException($"No encoder.onnx in {Path.GetFullPath(directory)}: give the folder a model's ExportOnnx wrote.", Path.Combine(directory, "encoder.onnx"));
        this.directory = directory;
        // One thread pool of the given size inside each operator; the graphs are chains, so nothing runs beside them.
        options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
    }

    private InferenceSession Encoder => encoder ??= Open("encoder.onnx");

    private InferenceSession Decoder => decoder ??= Open("decoder.onnx");

    private InferenceSession Scorer => score ??= Open("score.onnx");

    /// <summary>The width of x, read from the encoder's input.</summary>
    public int InputSize => Encoder.InputMetadata["x"].Dimensions[1];

    /// <summary>The width of z, read from the encoder's mu.</summary>
    public int LatentSize => Encoder.OutputMetadata["mu"].Dimensions[1];

    /// <summary>The exported class's full name and architecture, from the file's metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata => Encoder.ModelMetadata.CustomMetadataMap;

    /// <summary>q(z|x) = N(mu, diag(exp(log_var))) for each row of <paramref name="x"/>.</summary>
    public (float[] Mu, float[] LogVar) Encode(float[] x, int batch)
    {
        var outputs = Run(Encoder, ["x"], [(x, InputSize)], ["mu", "log_var"], batch);
        return (outputs[0], outputs[1]);
    }

    /// <summary>The likelihood's mean for each row of <paramref name="z"/>: for the Bernoulli model, the pixels' probabilities.</summary>
    public float[] DecodeMean(float[] z, int batch) => Run(Decoder, ["z"], [(z, LatentSize)], ["mean"], batch)[0];

    /// <summary>
    /// The score graph: per row, -(log p(x|z) + log p(z) - log q(z|x)) in nats at z = mu + exp(log_var / 2) eps. With eps = 0
    /// a deterministic score at the posterior mean; with eps ~ N(0, I), a one-sample estimate of the -ELBO.
    /// </summary>
    public float[] NegativeElbo(float[] x, float[] eps, int batch) =>
        Run(Scorer, ["x", "eps"], [(x, InputSize), (eps, LatentSize)], ["negative_elbo"], batch)[0];

    private InferenceSession Open(string file) => new(Path.Combine(directory, file), options);

    private float[][] Run(InferenceSession session, string[] inputNames, (float[] Data, int Width)[] inputs, string[] outputNames, int batch)
    {
        var values = new OrtValue[inputs.Length];
        try
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                var (data, width) = inputs[i];
                if (data.Length != batch * width)
                    throw new ArgumentException($"{inputNames[i]} holds {data.Length} values; a batch of {batch} rows of {width} needs {batch * width}.", inputNames[i]);
                values[i] = OrtValue.CreateTensorValueFromMemory(data, [batch, width]);
            }
            using var outputs = session.Run(run, inputNames, values, outputNames);
            var results = new float[outputs.Count][];
            for (var i = 0; i < outputs.Count; i++) results[i] = outputs[i].GetTensorDataAsSpan<float>().ToArray();
            return results;
        }
        finally
        {
            foreach (var value in values) value?.Dispose();
        }
    }

    public void Dispose()
    {
        encoder?.Dispose();
        decoder?.Dispose();
        score?.Dispose();
        run.Dispose();
        options.Dispose();
    }
}
