using System;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeGen.Training;

/// <summary>Per-example means over a whole data set, computed in batches without gradient tracking.</summary>
public static class Evaluation
{
    /// <summary>Averages a per-batch -ELBO decomposition over <paramref name="data"/>, weighting each batch by its size.</summary>
    /// <param name="data">The examples, [count, features].</param>
    /// <param name="batchSize">Examples per forward pass.</param>
    /// <param name="reconstructionAndKl">For a batch: its mean reconstruction term and mean KL, as scalar tensors.</param>
    public static ElboSummary Elbo(Tensor data, int batchSize, Func<Tensor, (Tensor Reconstruction, Tensor Kl)> reconstructionAndKl)
    {
        var count = RequireBatches(data, batchSize);
        double reconstruction = 0, kl = 0;
        using var noGrad = no_grad();
        for (long start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var size = Math.Min(batchSize, count - start);
            var (batchReconstruction, batchKl) = reconstructionAndKl(data.narrow(0, start, size));
            reconstruction += batchReconstruction.ToDouble() * size;
            kl += batchKl.ToDouble() * size;
        }
        return new ElboSummary((reconstruction + kl) / count, reconstruction / count, kl / count, count);
    }

    /// <summary>Averages a per-example quantity (such as the importance-weighted log-likelihood) over <paramref name="data"/>.</summary>
    /// <param name="data">The examples, [count, features].</param>
    /// <param name="batchSize">Examples per call.</param>
    /// <param name="perExample">For a batch: one value per example, shape [batch].</param>
    public static double Mean(Tensor data, int batchSize, Func<Tensor, Tensor> perExample)
    {
        var count = RequireBatches(data, batchSize);
        double sum = 0;
        using var noGrad = no_grad();
        for (long start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            sum += perExample(data.narrow(0, start, Math.Min(batchSize, count - start))).sum().ToDouble();
        }
        return sum / count;
    }

    private static long RequireBatches(Tensor data, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");
        if (data.dim() < 1 || data.shape[0] < 1) throw new ArgumentException($"The data set is empty (shape [{string.Join(", ", data.shape)}]).", nameof(data));
        return data.shape[0];
    }
}
