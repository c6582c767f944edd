using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using VaeGen.IO;
using VaeGen.Training;

namespace FashionMnistSample;

/// <summary>The figures of a run, written as metrics.json: every loss is a per-example mean in nats.</summary>
internal sealed record Metrics(
    string Model,
    ModelSummary ModelCard,
    string Likelihood,
    string Protocol,
    string ProtocolDescription,
    long Seed,
    long TestBinarizationSeed,
    DataSummary Data,
    TrainingSummary Training,
    TestSummary Test,
    IReadOnlyList<EpochMetrics> Epochs,
    MachineSummary Machine)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes the file atomically (see <see cref="AtomicFile"/>).</summary>
    public string Write(string folder)
    {
        var path = Path.Combine(folder, "metrics.json");
        AtomicFile.Write(path, stream =>
        {
            JsonSerializer.Serialize(stream, this, Json);
            stream.WriteByte((byte)'\n');
        });
        return path;
    }
}

/// <summary>What was trained: the --model kind, the layers, and the class's generated ParameterCount and MultiplyAccumulates.</summary>
/// <param name="Condition">What a conditional model is conditioned on; null (omitted) for an unconditional one.</param>
/// <param name="MultiplyAccumulates">Of one example's encoder and decoder pass, one sample of z.</param>
internal sealed record ModelSummary(string Kind, string Architecture, string? Condition, int LatentSize, long ParameterCount, long MultiplyAccumulates);

/// <summary>Where the data came from.</summary>
internal sealed record DataSummary(string Source, string Directory, bool FullDataset, int TrainExamples, int TestExamples);

/// <summary>How the model was trained.</summary>
/// <param name="SecondsPerEpoch">Mean wall time of an epoch: training, test evaluation and checkpoint.</param>
/// <param name="TrainSecondsPerEpoch">Mean time of an epoch's training steps alone.</param>
/// <param name="ExamplesPerSecond">Mean training throughput.</param>
internal sealed record TrainingSummary(int Epochs, int BatchSize, double LearningRate, string Optimizer, int ResumedAfterEpoch, bool Cancelled, double SecondsPerEpoch, double TrainSecondsPerEpoch, double ExamplesPerSecond);

/// <summary>The final figures on the test set.</summary>
/// <param name="ImportanceWeightedLogLikelihood">Of log p(x), or of log p(x|class) for a conditional model.</param>
/// <param name="LatentUsage">Per latent dimension, the mean KL and the activity over the test set, and the active units.</param>
internal sealed record TestSummary(double NegativeElbo, double Reconstruction, double Kl, ImportanceWeighted? ImportanceWeightedLogLikelihood, LatentUsage LatentUsage);

/// <summary>The importance-weighted estimate of log p(x): a tighter lower bound than the ELBO.</summary>
internal sealed record ImportanceWeighted(int K, int Examples, double LogLikelihood, double NegativeLogLikelihood, double Seconds);

/// <summary>The machine the figures were measured on.</summary>
internal sealed record MachineSummary(string Os, int Cores, int TorchThreads, string Runtime)
{
    public static MachineSummary Current(int threads) =>
        new(Environment.OSVersion.ToString(), Environment.ProcessorCount, threads, Environment.Version.ToString());
}
