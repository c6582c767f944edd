using System;
using System.ComponentModel;
using System.Linq;
using TorchSharp;
using VaeGen.Checks;
using VaeGen.Maths;
using VaeGen.Data;
using static TorchSharp.torch;

namespace VaeGen.Training;

/// <summary>Per-example means over a whole data set, computed in batches without gradient tracking.</summary>
public static class Evaluation
{
    /// <summary>Averages a per-batch -ELBO decomposition over <paramref name="data"/>, weighting each batch by its size.</summary>
    /// <param name="data">The examples, [count, features].</param>
    /// <param name="batchSize">Examples per forward pass.</param>
    /// <param name="reconstructionAndKl">For a batch: its mean reconstruction term and mean KL, as scalar tensors.</param>
    /// <remarks>Generated models' <c>Evaluate</c> and <c>LatentUsage</c> call this; hidden from IntelliSense.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static ElboSummary Elbo(Tensor data, int batchSize, Func<Tensor, (Tensor Reconstruction, Tensor Kl)> reconstructionAndKl) =>
        Elbo(data, batchSize, (start, size) => reconstructionAndKl(data.narrow(0, start, size)));

    /// <summary>The batched average behind both <c>Elbo</c> overloads; <paramref name="batchAt"/> evaluates the rows [start, start + size).</summary>
    private static ElboSummary Elbo(Tensor data, int batchSize, Func<long, long, (Tensor Reconstruction, Tensor Kl)> batchAt)
    {
        double reconstruction = 0, kl = 0;
        var count = ForEachBatch(data, batchSize, (start, size) =>
        {
            var (batchReconstruction, batchKl) = batchAt(start, size);
            reconstruction += batchReconstruction.ReadDouble() * size;
            kl += batchKl.ReadDouble() * size;
        });
        return new ElboSummary((reconstruction + kl) / count, reconstruction / count, kl / count, count);
    }

    /// <summary>
    /// Averages a per-batch -ELBO decomposition over a streamed data set, read once in order, batch by batch: only one
    /// batch is in memory. Each example is checked against <paramref name="values"/> as it is read.
    /// </summary>
    /// <param name="data">The examples.</param>
    /// <param name="batchSize">Examples per forward pass.</param>
    /// <param name="values">What the likelihood can describe.</param>
    /// <param name="modelName">The model class, for messages.</param>
    /// <param name="like">A parameter of the model: batches are made in its dtype and on its device.</param>
    /// <param name="reconstructionAndKl">For a batch: its mean reconstruction term and mean KL, as scalar tensors.</param>
    /// <exception cref="ArgumentException">An example breaks <paramref name="values"/>; the message gives its place in the stream.</exception>
    /// <exception cref="System.IO.InvalidDataException">The stream yields another number of examples than it says it holds.</exception>
    /// <remarks>Generated models' <c>Evaluate</c> calls this; hidden from IntelliSense.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static ElboSummary Elbo(IExampleStream data, int batchSize, ValueRule values, string modelName, Tensor like, Func<Tensor, (Tensor Reconstruction, Tensor Kl)> reconstructionAndKl)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(values);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");
        double reconstruction = 0, kl = 0;
        long count = 0;
        var rows = (int)Math.Min(batchSize, data.Count);
        using var batches = new StreamBatches(data, bufferSize: 0, seed: 0, values, "data", modelName);
        using var noGrad = no_grad();
        while (true)
        {
            using var scope = NewDisposeScope();
            if (batches.NextBatch(rows, like) is not { } batch) break;
            var size = batch.shape[0];
            var (batchReconstruction, batchKl) = reconstructionAndKl(batch);
            reconstruction += batchReconstruction.ReadDouble() * size;
            kl += batchKl.ReadDouble() * size;
            count += size;
        }
        return new ElboSummary((reconstruction + kl) / count, reconstruction / count, kl / count, count);
    }

    /// <summary>
    /// The conditional form of <see cref="Elbo(Tensor, int, Func{Tensor, ValueTuple{Tensor, Tensor}})"/>: each batch of
    /// examples goes with the same rows of <paramref name="conditions"/>.
    /// </summary>
    /// <param name="data">The examples, [count, features].</param>
    /// <param name="conditions">Their conditions, [count] or [count, F].</param>
    /// <param name="batchSize">Examples per forward pass.</param>
    /// <param name="reconstructionAndKl">For a batch and its conditions: its mean reconstruction term and mean KL, as scalar tensors.</param>
    /// <exception cref="ArgumentException">The conditions do not have one row per example; the message gives both shapes.</exception>
    /// <remarks>Generated models' <c>Evaluate</c> and <c>LatentUsage</c> call this; hidden from IntelliSense.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static ElboSummary Elbo(Tensor data, Tensor conditions, int batchSize, Func<Tensor, Tensor, (Tensor Reconstruction, Tensor Kl)> reconstructionAndKl)
    {
        RequireConditions(data, conditions);
        return Elbo(data, batchSize, (start, size) => reconstructionAndKl(data.narrow(0, start, size), conditions.narrow(0, start, size)));
    }

    /// <summary>
    /// How much of the latent space the encoder uses on <paramref name="data"/>: the mean KL of each latent dimension, and
    /// each dimension's activity, the variance over the data of its posterior mean (Burda et al. 2016), with the count
    /// of active dimensions. One pass in batches without gradient tracking; the statistics are accumulated in float64,
    /// the variance by combining each batch's mean and sum of squared deviations (Chan et al.), which does not suffer
    /// the cancellation of a sum-of-squares formula.
    /// </summary>
    /// <param name="data">The examples, [count, features].</param>
    /// <param name="batchSize">Examples per call of <paramref name="encode"/>.</param>
    /// <param name="encode">For a batch: the posterior means and log-variances, each [batch, latent].</param>
    /// <param name="threshold">The activity above which a dimension counts as active; Burda et al. use 0.01.</param>
    /// <exception cref="ArgumentOutOfRangeException">The batch size is below 1, or the threshold is negative or not finite.</exception>
    /// <exception cref="ArgumentException">The data set is empty, or <paramref name="encode"/> returns tensors of the wrong shape.</exception>
    /// <param name="klSplitsPerDimension">
    /// False for a model whose KL does not split per latent dimension (a learned prior or a flow posterior): the result
    /// then has no <see cref="Training.LatentUsage.KlPerDimension"/>, and the activity is that of the Gaussian's mean.
    /// </param>
    /// <remarks>Generated models' <c>Evaluate</c> and <c>LatentUsage</c> call this; hidden from IntelliSense.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static LatentUsage LatentUsage(Tensor data, int batchSize, Func<Tensor, (Tensor Mu, Tensor LogVar)> encode, double threshold = 0.01, bool klSplitsPerDimension = true) =>
        LatentUsage(data, batchSize, (start, size) => encode(data.narrow(0, start, size)), threshold, klSplitsPerDimension);

    /// <summary>The one pass behind both <c>LatentUsage</c> overloads; <paramref name="encodeAt"/> encodes the rows [start, start + size).</summary>
    private static LatentUsage LatentUsage(Tensor data, int batchSize, Func<long, long, (Tensor Mu, Tensor LogVar)> encodeAt, double threshold, bool klSplitsPerDimension)
    {
        if (!(threshold >= 0 && double.IsFinite(threshold)))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The activity threshold must be non-negative and finite.");
        double[]? klSum = null, mean = null, squares = null;
        long seen = 0;
        var count = ForEachBatch(data, batchSize, (start, size) =>
        {
            var (mu, logVar) = encodeAt(start, size);
            if (mu.dim() != 2 || mu.shape[0] != size || !logVar.shape.SequenceEqual(mu.shape) || (mean is not null && mu.shape[1] != mean.Length))
                throw new ArgumentException(
                    $"The encoder must return the mean and log-variance of a batch of {size} as two tensors of shape [{size}, latent], the same latent size for every batch; it returned shapes {Checks.ShapeText.Of(mu.shape)} and {Checks.ShapeText.Of(logVar.shape)}.",
                    "encode");
            var m = mu.to(ScalarType.Float64);
            var v = logVar.to(ScalarType.Float64);
            var kl = Maths.GaussianKl.PerDimension(m, v).sum([0]);
            var batchMean = m.mean([0]);
            var batchSquares = m.sub(batchMean).pow(CachedScalars.Two).sum([0]);
            var values = stack([kl, batchMean, batchSquares]).cpu().data<double>().ToArray();

            var latent = (int)mu.shape[1];
            if (mean is null)
            {
                klSum = new double[latent];
                mean = new double[latent];
                squares = new double[latent];
            }
            // Chan et al.'s pairwise update: merge the batch's (n, mean, M2) into the running one.
            var total = seen + size;
            for (var j = 0; j < latent; j++)
            {
                klSum![j] += values[j];
                var delta = values[latent + j] - mean[j];
                mean[j] += delta * size / total;
                squares![j] += values[2 * latent + j] + delta * delta * ((double)seen * size / total);
            }
            seen = total;
        });

        var klPerDimension = klSum!.Select(sum => sum / count).ToArray();
        var activity = squares!.Select(sum => sum / count).ToArray();
        return new LatentUsage(klSplitsPerDimension ? klPerDimension : null, activity, activity.Count(a => a > threshold), threshold, count);
    }

    /// <summary>
    /// The conditional form of <see cref="LatentUsage(Tensor, int, Func{Tensor, ValueTuple{Tensor, Tensor}}, double, bool)"/>:
    /// each batch of examples is encoded with the same rows of <paramref name="conditions"/>.
    /// </summary>
    /// <param name="data">The examples, [count, features].</param>
    /// <param name="conditions">Their conditions, [count] or [count, F].</param>
    /// <param name="batchSize">Examples per call of <paramref name="encode"/>.</param>
    /// <param name="encode">For a batch and its conditions: the posterior means and log-variances, each [batch, latent].</param>
    /// <param name="threshold">The activity above which a dimension counts as active; Burda et al. use 0.01.</param>
    /// <exception cref="ArgumentOutOfRangeException">The batch size is below 1, or the threshold is negative or not finite.</exception>
    /// <exception cref="ArgumentException">
    /// The data set is empty, the conditions do not have one row per example (the message gives both shapes), or
    /// <paramref name="encode"/> returns tensors of the wrong shape.
    /// </exception>
    /// <param name="klSplitsPerDimension">False for a model whose KL does not split per latent dimension: no KL per dimension is reported.</param>
    /// <remarks>Generated models' <c>Evaluate</c> and <c>LatentUsage</c> call this; hidden from IntelliSense.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static LatentUsage LatentUsage(Tensor data, Tensor conditions, int batchSize, Func<Tensor, Tensor, (Tensor Mu, Tensor LogVar)> encode, double threshold = 0.01, bool klSplitsPerDimension = true)
    {
        RequireConditions(data, conditions);
        return LatentUsage(data, batchSize, (start, size) => encode(data.narrow(0, start, size), conditions.narrow(0, start, size)), threshold, klSplitsPerDimension);
    }

    /// <summary>Averages a per-example quantity (such as the importance-weighted log-likelihood) over <paramref name="data"/>.</summary>
    /// <param name="data">The examples, [count, features].</param>
    /// <param name="batchSize">Examples per call.</param>
    /// <param name="perExample">For a batch: one value per example, shape [batch].</param>
    public static double Mean(Tensor data, int batchSize, Func<Tensor, Tensor> perExample) =>
        Mean(data, batchSize, (start, size) => perExample(data.narrow(0, start, size)));

    /// <summary>
    /// The conditional form of <see cref="Mean(Tensor, int, Func{Tensor, Tensor})"/>: each batch of examples goes with the
    /// same rows of <paramref name="conditions"/>.
    /// </summary>
    /// <param name="data">The examples, [count, features].</param>
    /// <param name="conditions">Their conditions, [count] or [count, F].</param>
    /// <param name="batchSize">Examples per call.</param>
    /// <param name="perExample">For a batch and its conditions: one value per example, shape [batch].</param>
    /// <exception cref="ArgumentException">The conditions do not have one row per example; the message gives both shapes.</exception>
    public static double Mean(Tensor data, Tensor conditions, int batchSize, Func<Tensor, Tensor, Tensor> perExample)
    {
        RequireConditions(data, conditions);
        return Mean(data, batchSize, (start, size) => perExample(data.narrow(0, start, size), conditions.narrow(0, start, size)));
    }

    /// <summary>The batched average behind both <c>Mean</c> overloads; <paramref name="batchAt"/> evaluates the rows [start, start + size).</summary>
    private static double Mean(Tensor data, int batchSize, Func<long, long, Tensor> batchAt)
    {
        double sum = 0;
        var count = ForEachBatch(data, batchSize, (start, size) => sum += batchAt(start, size).sum().ReadDouble());
        return sum / count;
    }

    /// <summary>
    /// Runs <paramref name="body"/> on the rows [start, start + size) of every batch, without gradient tracking and each in
    /// its own dispose scope; returns the number of examples.
    /// </summary>
    private static long ForEachBatch(Tensor data, int batchSize, Action<long, long> body)
    {
        var count = RequireBatches(data, batchSize);
        using var noGrad = no_grad();
        for (long start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            body(start, Math.Min(batchSize, count - start));
        }
        return count;
    }

    private static void RequireConditions(Tensor data, Tensor conditions)
    {
        if (data.dim() < 1 || conditions.dim() < 1 || conditions.shape[0] != data.shape[0])
            throw new ArgumentException(
                $"The conditions must have one row per example: they have shape {Checks.ShapeText.Of(conditions.shape)} but the data has shape {Checks.ShapeText.Of(data.shape)}.",
                nameof(conditions));
    }

    private static long RequireBatches(Tensor data, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");
        if (data.dim() < 1 || data.shape[0] < 1) throw new ArgumentException($"The data set is empty (shape {Checks.ShapeText.Of(data.shape)}).", nameof(data));
        return data.shape[0];
    }
}
