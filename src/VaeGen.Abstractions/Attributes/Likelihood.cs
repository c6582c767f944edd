namespace VaeGen;

/// <summary>The observation model p(x|z) of a generated VAE.</summary>
/// <remarks>The numeric values are part of the generator's contract; never renumber them.</remarks>
public enum Likelihood
{
    /// <summary>Independent Bernoulli per feature; the decoder outputs logits. For binary or [0, 1] data.</summary>
    Bernoulli = 0,

    /// <summary>Independent Gaussian per feature with the fixed variance <see cref="VaeAttribute.ObservationVariance"/>; the decoder outputs the mean.</summary>
    Gaussian = 1,

    /// <summary>Independent Gaussian per feature whose log-variance the decoder outputs beside the mean.</summary>
    GaussianLearnedVariance = 2,

    /// <summary>Independent Laplace per feature with the fixed scale <see cref="VaeAttribute.ObservationScale"/>; the decoder outputs the location. Robust to outliers.</summary>
    Laplace = 3,

    /// <summary>Independent Laplace per feature whose log-scale the decoder outputs beside the location.</summary>
    LaplaceLearnedScale = 4,

    /// <summary>
    /// Continuous Bernoulli per feature (a normalized density on [0, 1]); the decoder outputs logits. The principled choice
    /// for grey levels in [0, 1], where the Bernoulli is not a density.
    /// </summary>
    ContinuousBernoulli = 5,

    /// <summary>
    /// A categorical distribution over the 256 levels of each feature (per-feature softmax); the decoder outputs 256 logits
    /// per feature. Data must be 8-bit levels scaled to [0, 1] (k / 255), declared with <see cref="DataKind.Levels256"/>.
    /// </summary>
    Categorical256 = 6,

    /// <summary>Independent Poisson per feature for counts; the decoder outputs log-rates.</summary>
    Poisson = 7,
}
