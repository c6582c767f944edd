using System;
using System.Collections.Generic;
using TorchSharp;
using VaeGen.Checks;
using static TorchSharp.torch;

namespace VaeGen.Anomaly;

/// <summary>
/// Per-example anomaly scores from any generated model: the importance-weighted estimate of -log p(x) in nats, on raw
/// data (a model that scales its features scores in the raw units, with the change of variables included). The higher
/// the score, the less the model expects the example. Compare scores with <see cref="AnomalyThreshold"/>: <c>model.AnomalyScores(data)</c>.
/// </summary>
public static class AnomalyScoring
{
    /// <summary>
    /// -log p(x) per example, estimated by the model's <c>LogLikelihood</c> with <paramref name="importanceSamples"/> samples
    /// of q(z|x) each, in batches of <paramref name="batchSize"/> examples, without gradients, in evaluation mode. The estimate
    /// is an upper bound on -log p(x) in expectation that tightens as k grows (k = 1 is the -ELBO).
    /// </summary>
    /// <param name="model">A generated model.</param>
    /// <param name="data">Examples, [count, InputSize], raw values.</param>
    /// <param name="importanceSamples">k, at least 1; 100 to 1,000 give steady scores.</param>
    /// <param name="batchSize">Examples per pass, at least 1.</param>
    /// <param name="generator">Draws the samples; a seeded one makes the scores reproducible.</param>
    /// <returns>The scores, [count], in nats, on the CPU.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="importanceSamples"/> or <paramref name="batchSize"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The data does not fit the model; the message says how.</exception>
    public static Tensor AnomalyScores(this IVariationalAutoencoder model, Tensor data, int importanceSamples = 100, int batchSize = 500, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Batched(data, null, importanceSamples, batchSize, (x, _) => model.LogLikelihood(x, importanceSamples, generator));
    }

    /// <summary>
    /// -log p(x | c) per example for a conditional model: as <see cref="AnomalyScores(IVariationalAutoencoder, Tensor, int, int, Generator?)"/>,
    /// each example scored under its own condition.
    /// </summary>
    /// <param name="model">A generated conditional model.</param>
    /// <param name="data">Examples, [count, InputSize], raw values.</param>
    /// <param name="conditions">One condition per example: labels [count] or features [count, ConditionSize].</param>
    /// <param name="importanceSamples">k, at least 1.</param>
    /// <param name="batchSize">Examples per pass, at least 1.</param>
    /// <param name="generator">Draws the samples; a seeded one makes the scores reproducible.</param>
    /// <returns>The scores, [count], in nats, on the CPU.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="importanceSamples"/> or <paramref name="batchSize"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The data or the conditions do not fit the model; the message says how.</exception>
    public static Tensor AnomalyScores(this IConditionalVariationalAutoencoder model, Tensor data, Tensor conditions, int importanceSamples = 100, int batchSize = 500, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(conditions);
        return Batched(data, conditions, importanceSamples, batchSize, (x, c) => model.LogLikelihood(x, c!, importanceSamples, generator));
    }

    private static Tensor Batched(Tensor data, Tensor? conditions, int importanceSamples, int batchSize, Func<Tensor, Tensor?, Tensor> logLikelihood)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (importanceSamples < 1)
            throw new ArgumentOutOfRangeException(nameof(importanceSamples), importanceSamples, "An anomaly score needs at least one importance sample (k = 1 scores by the -ELBO).");
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "A batch holds at least one example.");
        if (data.dim() != 2 || data.shape[0] < 1)
            throw new ArgumentException($"Anomaly scores are computed for examples of shape [count, features] with count at least 1, but data has shape {ShapeText.Of(data.shape)}.", nameof(data));
        if (conditions is not null && (conditions.dim() < 1 || conditions.shape[0] != data.shape[0]))
            throw new ArgumentException($"Each example needs its condition, but data has {data.shape[0]} rows and conditions has shape {ShapeText.Of(conditions.shape)}.", nameof(conditions));
        var count = data.shape[0];
        var scores = new List<Tensor>();
        try
        {
            for (long start = 0; start < count; start += batchSize)
            {
                var size = Math.Min(batchSize, count - start);
                using var scope = NewDisposeScope();
                var x = data.narrow(0, start, size);
                var c = conditions?.narrow(0, start, size);
                // score = -log p(x), the importance-weighted estimate, moved to the CPU so a long data set does not pile up on a device.
                scores.Add(logLikelihood(x, c).neg().to(CPU).MoveToOuterDisposeScope());
            }
            return cat(scores, 0);
        }
        finally
        {
            foreach (var score in scores) score.Dispose();
        }
    }
}
