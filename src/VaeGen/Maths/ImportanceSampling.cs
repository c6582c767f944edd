using System;
using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeGen.Maths;

/// <summary>Helpers for the importance-weighted estimate of log p(x) (Burda et al.'s IWAE bound).</summary>
/// <remarks>Generated models call this; it is public for them, and hidden from IntelliSense because user code has no need of it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ImportanceSampling
{
    /// <summary>
    /// How many values one chunk of importance samples may hold (samples x batch x features): 2 MB of floats, so that a
    /// chunk's decoder output stays in the processor's caches between the passes that make and read it. Against 16 MB
    /// chunks this made the k = 1000 evaluation of the 784-400-20 model about a quarter faster, its matrix products
    /// included (`benchmarks/VaeGen.Benchmarks -- eval`).
    /// </summary>
    public const long ElementsPerChunk = 1L << 19;

    /// <summary>log((1/k) * sum_i exp(t_i)) along <paramref name="dim"/>, computed stably through logsumexp.</summary>
    /// <param name="logValues">The log-values; k is the size of <paramref name="dim"/>.</param>
    /// <param name="dim">The dimension to average over.</param>
    public static Tensor LogMeanExp(Tensor logValues, long dim)
    {
        using var scope = NewDisposeScope();
        var count = logValues.shape[dim < 0 ? logValues.dim() + dim : dim];
        // Not in place: logsumexp's backward needs its own result.
        using var logCount = Math.Log(count).ToScalar();
        return logValues.logsumexp(dim).sub(logCount).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The number of importance samples to draw at once so that one chunk's decoder output stays within
    /// <see cref="ElementsPerChunk"/> values (at least one sample, at most <paramref name="samples"/>).
    /// </summary>
    /// <param name="samples">k, the total number of importance samples.</param>
    /// <param name="batch">Examples in the batch.</param>
    /// <param name="features">Values of the widest tensor one example's decoder pass holds (its output, or a wider hidden layer or feature map).</param>
    public static int ChunkSize(int samples, long batch, long features)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "At least one importance sample is needed.");
        var perSample = Math.Max(1, batch * features);
        return (int)Math.Clamp(ElementsPerChunk / perSample, 1, samples);
    }
}
