using System.Collections.Generic;

namespace VaeGen.Generators.Model;

/// <summary>
/// What validation needs to know of one likelihood: its decoder outputs and the data it can describe. One entry per
/// likelihood in <see cref="All"/>; the emitter's text for it is one class in Emitting/LikelihoodText.cs.
/// </summary>
/// <param name="Location">The decoder's location output as the Output property names it: Logits, Mean, Location or LogRate.</param>
/// <param name="Second">The learned second output (LogVar, LogScale), or null.</param>
/// <param name="OutputsPerFeature">Decoder outputs per feature: 2 with a learned second output, 256 for the categorical, else 1.</param>
/// <param name="UnboundedOutputs">What the decoder outputs when no activation may bound them (logits, log-rates); null when one may.</param>
/// <param name="Describes">The declared data kinds it can describe; null for any.</param>
/// <param name="Models">What it models, for the message when the data does not fit.</param>
/// <param name="Advice">What to do instead, for that message.</param>
/// <param name="UnitIntervalData">Its data lies in [0, 1], so inputs made up by the model (pseudo-inputs) stay there too.</param>
internal sealed record LikelihoodFacts(
    string Location,
    string? Second,
    int OutputsPerFeature,
    string? UnboundedOutputs,
    DataKindValue[]? Describes,
    string Models,
    string Advice,
    bool UnitIntervalData)
{
    private const string UnitAdvice = "scale the data to [0, 1] and declare it UnitInterval, or use Gaussian or Laplace for real values";

    private static readonly DataKindValue[] UnitInterval = { DataKindValue.Binary, DataKindValue.UnitInterval, DataKindValue.Levels256 };

    private static readonly LikelihoodFacts Real = new("Mean", null, 1, null, null, "models any real value", string.Empty, false);

    /// <summary>The facts of every likelihood, by kind.</summary>
    public static readonly IReadOnlyDictionary<LikelihoodKind, LikelihoodFacts> All = new Dictionary<LikelihoodKind, LikelihoodFacts>
    {
        [LikelihoodKind.Bernoulli] = new("Logits", null, 1, "logits", UnitInterval, "models values in [0, 1]", UnitAdvice, true),
        [LikelihoodKind.Gaussian] = Real,
        [LikelihoodKind.GaussianLearnedVariance] = Real with { Second = "LogVar", OutputsPerFeature = 2 },
        [LikelihoodKind.Laplace] = Real with { Location = "Location" },
        [LikelihoodKind.LaplaceLearnedScale] = Real with { Location = "Location", Second = "LogScale", OutputsPerFeature = 2 },
        [LikelihoodKind.ContinuousBernoulli] = new("Logits", null, 1, "logits", UnitInterval, "models values in [0, 1]", UnitAdvice, true),
        [LikelihoodKind.Categorical256] = new("Logits", null, 256, "per-level logits", new[] { DataKindValue.Levels256, DataKindValue.Binary },
            "models exactly the 256 levels k / 255 of each feature, not arbitrary values",
            "quantize the data to 8-bit levels and declare it Levels256, or use ContinuousBernoulli for any value in [0, 1]", true),
        [LikelihoodKind.Poisson] = new("LogRate", null, 1, "log-rates", new[] { DataKindValue.Counts, DataKindValue.Binary },
            "models non-negative integer counts",
            "declare count data as Counts, or use ContinuousBernoulli for [0, 1] values and Gaussian or Laplace for real values", false),
    };
}
