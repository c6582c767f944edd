using VaeGen.Generators.Model;

namespace VaeGen.Generators.Validation;

/// <summary>
/// What each likelihood can describe, and what its decoder outputs: the compile-time half of the likelihood–data
/// contract (the generated code checks the data itself at run time).
/// </summary>
internal static class LikelihoodContract
{
    /// <summary>Parameters the decoder gives per feature: 2 for a learned variance or scale, 256 for the categorical.</summary>
    public static int ParametersPerFeature(LikelihoodKind likelihood) => likelihood switch
    {
        LikelihoodKind.GaussianLearnedVariance or LikelihoodKind.LaplaceLearnedScale => 2,
        LikelihoodKind.Categorical256 => 256,
        _ => 1,
    };

    /// <summary>Null when the likelihood can describe the data; otherwise what it models and what to do instead.</summary>
    public static (string Models, string Advice)? Mismatch(LikelihoodKind likelihood, DataKindValue data)
    {
        switch (likelihood)
        {
            case LikelihoodKind.Bernoulli:
            case LikelihoodKind.ContinuousBernoulli:
                return data is DataKindValue.Counts or DataKindValue.Real
                    ? ("models values in [0, 1]", "scale the data to [0, 1] and declare it UnitInterval, or use Gaussian or Laplace for real values")
                    : null;
            case LikelihoodKind.Categorical256:
                return data is DataKindValue.Levels256 or DataKindValue.Binary
                    ? null
                    : ("models exactly the 256 levels k / 255 of each feature, not arbitrary values", "quantize the data to 8-bit levels and declare it Levels256, or use ContinuousBernoulli for any value in [0, 1]");
            case LikelihoodKind.Poisson:
                return data is DataKindValue.Counts or DataKindValue.Binary or DataKindValue.Unspecified
                    ? null
                    : ("models non-negative integer counts", "declare count data as Counts, or use ContinuousBernoulli for [0, 1] values and Gaussian or Laplace for real values");
            default:
                return null;
        }
    }

    /// <summary>Null when an output activation may follow the decoder; otherwise what its outputs are.</summary>
    public static string? UnboundedOutputs(LikelihoodKind likelihood) => likelihood switch
    {
        LikelihoodKind.Bernoulli or LikelihoodKind.ContinuousBernoulli => "logits",
        LikelihoodKind.Categorical256 => "per-level logits",
        LikelihoodKind.Poisson => "log-rates",
        _ => null,
    };
}
