using System;
using System.Linq;

namespace VaeGen.Anomaly;

/// <summary>How well scores separate anomalies from normal examples, when the truth is known (a labelled test set).</summary>
public static class AnomalyMetrics
{
    /// <summary>
    /// The area under the ROC curve: the probability that a random anomaly scores higher than a random normal example,
    /// a tie counting one half (the Mann-Whitney U statistic over the product of the class sizes), computed from the
    /// scores' ranks with tied scores given their average rank. 1 separates perfectly, 0.5 is chance.
    /// </summary>
    /// <param name="scores">One score per example; higher means more anomalous. Finite.</param>
    /// <param name="anomalous">Whether each example is an anomaly; both kinds must occur.</param>
    /// <exception cref="ArgumentException">The arrays differ in length, a score is not finite, or one kind of example is missing.</exception>
    public static double RocAuc(double[] scores, bool[] anomalous)
    {
        Require(scores, anomalous);
        var anomalies = anomalous.Count(a => a);
        var normal = anomalous.Length - anomalies;
        if (anomalies == 0 || normal == 0)
            throw new ArgumentException($"The ROC AUC needs anomalies and normal examples, but there are {anomalies} anomalies and {normal} normal examples.", nameof(anomalous));

        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        double anomalyRankSum = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            // Ranks start + 1 .. end + 1 are tied: each gets their mean.
            var rank = (start + end + 2) / 2.0;
            for (var i = start; i <= end; i++)
                if (anomalous[order[i]]) anomalyRankSum += rank;
            start = end + 1;
        }
        var u = anomalyRankSum - anomalies * (anomalies + 1) / 2.0;
        return u / ((double)anomalies * normal);
    }

    /// <summary>Precision and recall of flagging every example whose score lies above <paramref name="threshold"/>.</summary>
    /// <param name="scores">One score per example. Finite.</param>
    /// <param name="anomalous">Whether each example is an anomaly.</param>
    /// <param name="threshold">Examples scoring above it are flagged.</param>
    /// <returns>
    /// Precision, the share of flagged examples that are anomalies (NaN when none is flagged); recall, the share of
    /// anomalies flagged (NaN when there are none); and the counts behind them.
    /// </returns>
    /// <exception cref="ArgumentException">The arrays differ in length or a score is not finite.</exception>
    public static (double Precision, double Recall, int Flagged, int TruePositives, int Anomalies) AtThreshold(double[] scores, bool[] anomalous, double threshold)
    {
        Require(scores, anomalous);
        int flagged = 0, truePositives = 0, anomalies = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var flag = scores[i] > threshold;
            if (flag) flagged++;
            if (anomalous[i]) anomalies++;
            if (flag && anomalous[i]) truePositives++;
        }
        return (flagged == 0 ? double.NaN : (double)truePositives / flagged, anomalies == 0 ? double.NaN : (double)truePositives / anomalies,
            flagged, truePositives, anomalies);
    }

    private static void Require(double[] scores, bool[] anomalous)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(anomalous);
        if (scores.Length != anomalous.Length)
            throw new ArgumentException($"Each score needs its label, but there are {scores.Length} scores and {anomalous.Length} labels.", nameof(anomalous));
        for (var i = 0; i < scores.Length; i++)
        {
            if (!double.IsFinite(scores[i]))
                throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The scores must be finite, but scores[{i}] is {scores[i]}."), nameof(scores));
        }
    }
}
