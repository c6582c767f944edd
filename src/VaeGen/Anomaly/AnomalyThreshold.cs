using System;
using System.Globalization;
using TorchSharp;
using VaeGen.Checks;
using static TorchSharp.torch;

namespace VaeGen.Anomaly;

/// <summary>
/// A score above which an example counts as anomalous: a quantile of the scores of training (normal) data, so that about
/// 1 - <see cref="Quantile"/> of normal examples are flagged. Made by <see cref="FromScores"/>.
/// </summary>
/// <param name="Value">The threshold, in the scores' units (nats for <see cref="AnomalyScoring.AnomalyScores(IVariationalAutoencoder, Tensor, int, int, Generator?)"/>).</param>
/// <param name="Quantile">The quantile of the training scores it is, in [0, 1].</param>
/// <param name="Examples">How many training scores it was computed from.</param>
public sealed record AnomalyThreshold(double Value, double Quantile, long Examples)
{
    /// <summary>
    /// The <paramref name="quantile"/>-quantile of <paramref name="trainingScores"/>, interpolated linearly between the two
    /// nearest order statistics (NumPy's default, Hyndman and Fan's type 7): with the n scores sorted, s[(n - 1) q].
    /// </summary>
    /// <param name="trainingScores">Scores of normal examples, [count] (count at least 1), finite.</param>
    /// <param name="quantile">In [0, 1], e.g. 0.95 to flag about 5% of normal data.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="quantile"/> is outside [0, 1] or NaN.</exception>
    /// <exception cref="ArgumentException">The scores are not a non-empty vector, or one is not finite; the message gives the first.</exception>
    public static AnomalyThreshold FromScores(Tensor trainingScores, double quantile)
    {
        ArgumentNullException.ThrowIfNull(trainingScores);
        if (!(quantile >= 0 && quantile <= 1))
            throw new ArgumentOutOfRangeException(nameof(quantile), quantile, "The quantile of the training scores must be in [0, 1] (0.95 flags about 5% of normal data).");
        if (trainingScores.dim() != 1 || trainingScores.shape[0] < 1)
            throw new ArgumentException(
                $"The threshold is a quantile of a vector of scores, one per training example, but trainingScores has shape {ShapeText.Of(trainingScores.shape)}.", nameof(trainingScores));
        var values = trainingScores.detach().to(ScalarType.Float64, CPU).data<double>().ToArray();
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"The training scores must be finite, but trainingScores[{i}] is {values[i]}."), nameof(trainingScores));
        }
        Array.Sort(values);
        var position = (values.Length - 1) * quantile;
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, values.Length - 1);
        var value = values[below] + (position - below) * (values[above] - values[below]);
        return new AnomalyThreshold(value, quantile, values.Length);
    }

    /// <summary>Which of <paramref name="scores"/> lie above the threshold: a Boolean tensor of their shape.</summary>
    /// <param name="scores">Scores from the same model and score.</param>
    public Tensor IsAnomalous(Tensor scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        // A named Scalar, disposed after the call: a temporary could be finalized while native code reads it.
        using var threshold = Value.ToScalar();
        return scores.gt(threshold);
    }
}
